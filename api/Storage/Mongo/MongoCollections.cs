namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>Every collection name the registry uses on MongoDB, in one place (the same names as the LiteDB file).</summary>
public static class MongoCollections
{
    public const string Units = "units";
    public const string Fields = "fields";
    public const string Entries = "entries";
    public const string Counters = "counters";
    public const string Audit = "audit";
    public const string Councils = "councils";
    public const string Rounds = "rounds";
    public const string Nominations = "nominations";
    public const string Ballots = "ballots";
    public const string BallotHistory = "ballot_history";
    public const string Tallies = "tallies";
    public const string Recognitions = "recognitions";
    public const string Replications = "replications";
    public const string ReportSummary = "report_summary";

    public static readonly IReadOnlyList<string> All =
        [Units, Fields, Entries, Counters, Audit, Councils, Rounds, Nominations, Ballots, BallotHistory, Tallies, Recognitions, Replications, ReportSummary];
}
