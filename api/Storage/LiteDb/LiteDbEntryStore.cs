using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbEntryStore(LiteDbContext db) : IEntryStore
{
    private ILiteCollection<Entry> Col => db.Entries;
    private ILiteCollection<BsonDocument> Keys => db.EntryKeys;

    public Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var id = $"entry-code-{year}";
        var first = db.InTransaction(() =>
        {
            var doc = db.Counters.FindById(id);
            var last = doc is null ? 0L : doc["Value"].AsInt64;
            db.Counters.Upsert(new BsonDocument { ["_id"] = id, ["Value"] = last + count });
            return last + 1;
        });
        return Task.FromResult(first);
    }

    public Task InsertAsync(Entry entry, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                Col.Insert(entry);
                Keys.Insert(EntryKeyDocument.From(entry));
                LiteDbAuditStore.Record(db, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry));
                return true;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException($"Entry code {entry.Code} already exists.", e);
        }
        return Task.CompletedTask;
    }

    public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                Col.InsertBulk(entries, batchSize: 5000);
                return Keys.InsertBulk(entries.Select(EntryKeyDocument.From), batchSize: 5000);
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("An entry code already exists.", e);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Entry>>([]);
        var values = new BsonArray(ids.Distinct().Select(i => new BsonValue(i)));
        return Task.FromResult<IReadOnlyList<Entry>>(Col.Find(Query.In("_id", values)).ToList());
    }

    public Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        Task.FromResult<Entry?>(Col.FindOne(Query.EQ("Code", code.Trim().ToUpperInvariant())));

    public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, CancellationToken ct = default)
    {
        var replaced = db.InTransaction(() =>
        {
            var stored = Col.FindById(entry.Id);
            if (stored is null || stored.Version != expectedVersion) return false;
            if (!Col.Update(entry)) return false;
            Keys.Upsert(EntryKeyDocument.From(entry));
            LiteDbAuditStore.Record(db, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry));
            return true;
        });
        return Task.FromResult(replaced);
    }

    public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default)
    {
        var keys = LiteDbQuery.Run(Keys, Filters(filter), SortPath(sort.Field), sort.Direction, page);
        if (keys.Items.Count == 0) return Task.FromResult(new Page<Entry>([], keys.HasNextPage, keys.HasPreviousPage, keys.TotalCount));
        var ids = new BsonArray(keys.Items.Select(k => k["_id"]));
        var byId = Col.Find(Query.In("_id", ids)).ToDictionary(e => e.Id);
        // An entry deleted between the two reads simply drops out of the page.
        var items = keys.Items.Select(k => byId.GetValueOrDefault(k["_id"].AsString)).OfType<Entry>().ToList();
        return Task.FromResult(new Page<Entry>(items, keys.HasNextPage, keys.HasPreviousPage, keys.TotalCount));
    }

    public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult(Col.LongCount());

    internal static string SortPath(EntrySortField field) => field switch
    {
        EntrySortField.Code => "$.C",
        EntrySortField.Title => "$.TK",
        EntrySortField.UpdatedAt => "$.UK",
        EntrySortField.StartDate => "$.SK",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Filters over entry_keys (see <see cref="EntryKeyDocument"/> for the short names).</summary>
    internal static List<BsonExpression> Filters(EntryFilter f)
    {
        var filters = new List<BsonExpression>();
        // The longest term is the most selective: it goes first so the token index drives the query.
        foreach (var term in f.SearchTerms.OrderByDescending(t => t.Length))
            filters.Add(BsonExpression.Create("$.T[*] ANY LIKE @0", new BsonValue(term + "%")));
        if (f.UnitId is not null)
        {
            filters.Add(BsonExpression.Create("$.L[*] ANY = @0", new BsonValue(f.UnitId)));
            if (!f.IncludeSubunits) filters.Add(Query.EQ("U", f.UnitId));
        }
        if (f.FieldId is not null) filters.Add(Query.EQ("F", f.FieldId));
        if (f.Kind is { } kind) filters.Add(Query.EQ("K", kind.ToString()));
        if (f.Statuses.Count == 1) filters.Add(Query.EQ("S", f.Statuses[0].ToString()));
        else if (f.Statuses.Count > 1)
            filters.Add(Query.In("S", new BsonArray(f.Statuses.Select(s => new BsonValue(s.ToString())))));
        if (f.Year is { } year)
        {
            // Codes are DVK-<year>-<sequence>: a year is a range of the unique code index.
            filters.Add(Query.GTE("C", $"{EntryRules.CodePrefix}-{year:D4}-"));
            filters.Add(Query.LT("C", $"{EntryRules.CodePrefix}-{year:D4}."));
            filters.Add(Query.EQ("Y", year));
        }
        if (!f.Visibility.AllDrafts)
        {
            filters.Add(f.Visibility.DraftUnitScope is { } scope
                ? BsonExpression.Create("($.S != 'Draft' OR $.L[*] ANY = @0)", new BsonValue(scope))
                : BsonExpression.Create("$.S != 'Draft'"));
        }
        return filters;
    }
}
