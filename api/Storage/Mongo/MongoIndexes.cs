using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// Every index of every collection, in one place, created at start (unique ones included: they
/// are what enforces one ballot per member, one active nomination, one active replication).
/// docs/mongodb.md names the query each one serves.
/// </summary>
public static class MongoIndexes
{
    /// <summary>One collection's index set, described without a server.</summary>
    public sealed record Set(string Collection, IReadOnlyList<(string Name, BsonDocument Keys, bool Unique)> Indexes);

    private static (string, BsonDocument, bool) Ix(string name, BsonDocument keys, bool unique = false) => (name, keys, unique);

    private static BsonDocument K(params (string Field, int Order)[] keys)
    {
        var doc = new BsonDocument();
        foreach (var (field, order) in keys) doc.Add(field, order);
        return doc;
    }

    public static IReadOnlyList<Set> All { get; } =
    [
        new(MongoCollections.Units,
        [
            Ix("ux_code", K((nameof(Unit.Code), 1)), unique: true),
            Ix("ix_parent", K((nameof(Unit.ParentId), 1), (nameof(Unit.Code), 1))),
            Ix("ix_ancestors", K((nameof(Unit.AncestorIds), 1), (nameof(Unit.Code), 1))),
        ]),
        new(MongoCollections.Fields, [Ix("ux_code", K((nameof(Field.Code), 1)), unique: true)]),
        new(MongoCollections.Entries,
        [
            Ix("ux_code", K((nameof(Entry.Code), 1)), unique: true),
            Ix("ix_tokens", K((nameof(Entry.SearchTokens), 1))),
            Ix("ix_unit", K((nameof(Entry.UnitId), 1))),
            Ix("ix_lineage", K((nameof(Entry.UnitLineage), 1), (nameof(Entry.Code), 1))),
            Ix("ix_field", K((nameof(Entry.FieldId), 1))),
            Ix("ix_status", K((nameof(Entry.Status), 1))),
            Ix("ix_year", K((nameof(Entry.Year), 1))),
            Ix("ix_kind", K((nameof(Entry.Kind), 1))),
            // Orders that lead with the year (entries' order: [{ year }, { code | title | updatedAt }]), one
            // index per direction combination: an index is walked forwards or backwards, never mixed.
            Ix("ix_year_code", K((nameof(Entry.Year), 1), (nameof(Entry.Code), 1))),
            Ix("ix_year_code_mixed", K((nameof(Entry.Year), 1), (nameof(Entry.Code), -1))),
            Ix("ix_year_title", K((nameof(Entry.Year), 1), (nameof(Entry.TitleKey), 1))),
            Ix("ix_year_title_mixed", K((nameof(Entry.Year), 1), (nameof(Entry.TitleKey), -1))),
            Ix("ix_year_updated", K((nameof(Entry.Year), 1), (nameof(Entry.UpdatedKey), 1))),
            Ix("ix_year_updated_mixed", K((nameof(Entry.Year), 1), (nameof(Entry.UpdatedKey), -1))),
            Ix("ux_title_key", K((nameof(Entry.TitleKey), 1)), unique: true),
            Ix("ux_updated_key", K((nameof(Entry.UpdatedKey), 1)), unique: true),
            Ix("ux_start_key", K((nameof(Entry.StartKey), 1)), unique: true),
        ]),
        new(MongoCollections.Audit,
        [
            Ix("ux_stream_seq", K((nameof(AuditEvent.Stream), 1), (nameof(AuditEvent.Sequence), 1)), unique: true),
            Ix("ux_order", K((nameof(AuditEvent.OrderKey), 1)), unique: true),
            // Every filter of auditEvents/history is an equality followed by the newest-first order.
            Ix("ix_targets_order", K((nameof(AuditEvent.TargetIds), 1), (nameof(AuditEvent.OrderKey), -1))),
            Ix("ix_actor_order", K((nameof(AuditEvent.ActorId), 1), (nameof(AuditEvent.OrderKey), -1))),
            Ix("ix_unit_order", K((nameof(AuditEvent.UnitId), 1), (nameof(AuditEvent.OrderKey), -1))),
            Ix("ix_action_order", K((nameof(AuditEvent.Action), 1), (nameof(AuditEvent.OrderKey), -1))),
            // verifyAuditChain lists streams page by page through their first events.
            Ix("ix_stream_heads", K((nameof(AuditEvent.Sequence), 1), (nameof(AuditEvent.Stream), 1))),
        ]),
        new(MongoCollections.Councils, [Ix("ix_unit", K((nameof(Council.UnitId), 1)))]),
        new(MongoCollections.Rounds,
        [
            Ix("ix_council", K((nameof(Round.CouncilId), 1))),
            Ix("ix_council_unit", K((nameof(Round.CouncilUnitId), 1))),
            Ix("ix_status_deadline", K((nameof(Round.Status), 1), (nameof(Round.VotingClosesAt), 1))),
        ]),
        new(MongoCollections.Nominations,
        [
            Ix("ux_round_entry", K((nameof(Nomination.UniqueKey), 1)), unique: true),
            Ix("ix_round", K((nameof(Nomination.RoundId), 1), (nameof(Nomination.Status), 1))),
            Ix("ix_entry", K((nameof(Nomination.EntryId), 1))),
        ]),
        new(MongoCollections.Ballots,
        [
            Ix("ux_nomination_member", K((nameof(Ballot.NominationId), 1), (nameof(Ballot.MemberId), 1)), unique: true),
            Ix("ix_round", K((nameof(Ballot.RoundId), 1))),
            Ix("ix_member", K((nameof(Ballot.MemberId), 1), (nameof(Ballot.RoundId), 1))),
        ]),
        new(MongoCollections.BallotHistory,
        [
            Ix("ux_nomination_member_revision",
                K((nameof(BallotRevision.NominationId), 1), (nameof(BallotRevision.MemberId), 1), (nameof(BallotRevision.Revision), 1)), unique: true),
        ]),
        new(MongoCollections.Recognitions,
        [
            Ix("ux_round_entry", K((nameof(Recognition.RoundId), 1), (nameof(Recognition.EntryId), 1)), unique: true),
            Ix("ix_entry", K((nameof(Recognition.EntryId), 1))),
            Ix("ix_year", K((nameof(Recognition.Year), 1), (nameof(Recognition.RecognizedAt), 1))),
        ]),
        new(MongoCollections.Replications,
        [
            Ix("ux_active", K((nameof(Replication.ActiveKey), 1)), unique: true),
            Ix("ux_derived", K((nameof(Replication.DerivedKey), 1)), unique: true),
            Ix("ix_source", K((nameof(Replication.SourceEntryId), 1))),
            Ix("ix_path", K((nameof(Replication.Path), 1))),
            // A subtree's replications in id order: the report's pages and replications(where: {adoptingUnit}).
            Ix("ix_adopting_lineage_id", K((nameof(Replication.AdoptingUnitLineage), 1), ("_id", 1))),
            // mostReplicated: a source subtree and year, active ones grouped by source entry.
            Ix("ix_source_lineage_year", K((nameof(Replication.SourceUnitLineage), 1), (nameof(Replication.Year), 1),
                (nameof(Replication.Status), 1), (nameof(Replication.SourceEntryId), 1))),
            Ix("ix_year_source", K((nameof(Replication.Year), 1), (nameof(Replication.Status), 1), (nameof(Replication.SourceEntryId), 1))),
        ]),
        // The report reads its summary rows by year and unit subtree (or listed units).
        new(MongoCollections.ReportSummary,
        [
            Ix("ix_year_lineage", K((nameof(UnitSummary.Year), 1), (nameof(UnitSummary.UnitLineage), 1))),
            Ix("ix_year_unit", K((nameof(UnitSummary.Year), 1), (nameof(UnitSummary.UnitId), 1))),
        ]),
    ];

    public static Set Of(string collection) => All.Single(s => s.Collection == collection);

    public static IReadOnlyList<CreateIndexModel<BsonDocument>> Models(Set set) =>
        [.. set.Indexes.Select(i => new CreateIndexModel<BsonDocument>(i.Keys, new CreateIndexOptions { Name = i.Name, Unique = i.Unique ? true : null }))];

    /// <summary>
    /// Creates every index (a no-op for ones that exist), retrying a failed attempt with backoff:
    /// a replica set electing a primary at start must not leave the unique indexes missing.
    /// </summary>
    public static async Task EnsureAsync(IMongoDatabase database, ILogger? logger, CancellationToken ct, int attempts = 5)
    {
        foreach (var set in All)
        {
            var col = database.GetCollection<BsonDocument>(set.Collection);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await col.Indexes.CreateManyAsync(Models(set), ct);
                    logger?.LogInformation("MongoDB indexes of {Collection}: {Indexes}", set.Collection, string.Join(", ", set.Indexes.Select(i => i.Name)));
                    break;
                }
                catch (MongoException e) when (attempt < attempts && !ct.IsCancellationRequested)
                {
                    var delay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                    logger?.LogWarning("Creating the indexes of {Collection} failed (attempt {Attempt} of {Attempts}: {Error}); retrying in {Delay} ms",
                        set.Collection, attempt, attempts, e.Message, delay.TotalMilliseconds);
                    await Task.Delay(delay, ct);
                }
            }
        }
    }
}
