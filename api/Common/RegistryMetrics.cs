using System.Diagnostics.Metrics;

namespace DanVanKheo.Api.Common;

/// <summary>
/// The movement's own counters, added to by the use cases once their change has committed:
/// entries registered (DRAFT → REGISTERED) by level and kind, ballots cast by round, and
/// mutation refusals by code. Exported with the other metrics of the meter "DanVanKheo".
/// </summary>
public sealed class RegistryMetrics
{
    public const string MeterName = "DanVanKheo";

    private readonly Counter<long> _entriesRegistered;
    private readonly Counter<long> _ballotsCast;
    private readonly Counter<long> _refusals;

    public RegistryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _entriesRegistered = meter.CreateCounter<long>("registry.entries.registered", "{entry}",
            "Entries submitted from DRAFT to REGISTERED, by entry level and kind.");
        _ballotsCast = meter.CreateCounter<long>("registry.ballots.cast", "{ballot}",
            "Ballots cast (recusals not included), by round; never by choice, which stays secret until the round closes.");
        _refusals = meter.CreateCounter<long>("registry.refusals", "{refusal}",
            "Mutations refused with a payload error, by mutation and code.");
    }

    public void EntryRegistered(string level, string kind) =>
        _entriesRegistered.Add(1, new KeyValuePair<string, object?>("entry.level", level), new KeyValuePair<string, object?>("entry.kind", kind));

    public void BallotCast(string roundId) => _ballotsCast.Add(1, new KeyValuePair<string, object?>("round.id", roundId));

    public void Refused(string mutation, string code) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("mutation", mutation), new KeyValuePair<string, object?>("code", code));
}
