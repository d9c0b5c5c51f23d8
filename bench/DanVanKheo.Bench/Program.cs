using DanVanKheo.Bench;

// One command per benchmark; add new commands as new cases (and new files).
return args.FirstOrDefault() switch
{
    "lineage" => await LineageBench.RunAsync(args[1..]),
    "report" => await ReportBench.RunAsync(args[1..]),
    "search" => await SearchBench.RunAsync(args[1..]),
    "close-round" => await CloseRoundBench.RunAsync(args[1..]),
    "bombs" => await BombBench.RunAsync(args[1..]),
    "subscribers" => await SubscribersBench.RunAsync(args[1..]),
    "graphql-raw" => await GraphQLRawBench.RunAsync(args[1..]),
    "writes" => await WritesBench.RunAsync(args[1..]),
    "scale" => await ScaleBench.RunAsync(args[1..]),
    "report-steps" => await ReportStepsBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/DanVanKheo.Bench -- <lineage|report|search|close-round|bombs|subscribers|graphql-raw|writes|scale|report-steps> [size]");
    return 2;
}
