namespace DanVanKheo.Bench;

/// <summary>`dotnet run -c Release --project bench -- &lt;command&gt;`: each command prints the figures an issue asks for.</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.FirstOrDefault() ?? "help";
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "search":
                return await SearchBench.RunAsync(rest);
            default:
                Console.WriteLine("commands: search [--entries N] [--file PATH]");
                return command == "help" ? 0 : 2;
        }
    }
}
