using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// BSON mapping of councils and rounds, shaped like the LiteDB file: string ids as _id, enums by
/// name, dates as "yyyy-MM-dd", nulls omitted. The driver's registries are process-wide, so
/// registration runs once however many stores or tests ask.
/// </summary>
public static class MongoRoundMappings
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            var pack = new ConventionPack
            {
                new EnumRepresentationConvention(BsonType.String),
                new IgnoreIfNullConvention(true),
                new IgnoreExtraElementsConvention(true),
                new DateOnlyAsStringConvention(),
            };
            ConventionRegistry.Register("DanVanKheo.Rounds", pack,
                t => t.Namespace is "DanVanKheo.Api.Rounds" or "DanVanKheo.Api.Councils");

            BsonClassMap.TryRegisterClassMap<Council>(cm => { cm.AutoMap(); cm.MapIdMember(c => c.Id); });
            BsonClassMap.TryRegisterClassMap<CouncilMember>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<Round>(cm => { cm.AutoMap(); cm.MapIdMember(r => r.Id); });
            BsonClassMap.TryRegisterClassMap<Fraction>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<Criterion>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<ApprovalRule>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<RecognitionSpec>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<Nomination>(cm => { cm.AutoMap(); cm.MapIdMember(n => n.Id); });
            BsonClassMap.TryRegisterClassMap<Ballot>(cm => { cm.AutoMap(); cm.MapIdMember(b => b.Id); });
            BsonClassMap.TryRegisterClassMap<BallotRevision>(cm => { cm.AutoMap(); cm.MapIdMember(b => b.Id); });
            BsonClassMap.TryRegisterClassMap<RoundTally>(cm => { cm.AutoMap(); cm.MapIdMember(t => t.Id); });
            BsonClassMap.TryRegisterClassMap<NominationResult>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<Recognition>(cm => { cm.AutoMap(); cm.MapIdMember(r => r.Id); });
            _registered = true;
        }
    }

    internal static bool IsDuplicateKey(MongoException e) => e switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoCommandException c => c.Code == 11000,
        MongoBulkWriteException b => b.WriteErrors.Count > 0 && b.WriteErrors.All(x => x.Category == ServerErrorCategory.DuplicateKey),
        _ => false,
    };

    /// <summary>Keyset paging by _id (string ids compare byte-wise, like LiteDB's ordinal collation).</summary>
    internal static async Task<Page<T>> PageByIdAsync<T>(IMongoCollection<T> col, FilterDefinition<T> filter,
        SortDirection direction, PageRequest page, CancellationToken ct)
    {
        var total = await col.CountDocumentsAsync(filter, cancellationToken: ct);
        var plan = KeysetPlan.For(direction, page);
        var f = filter;
        if (plan.GreaterThan is not null) f &= Builders<T>.Filter.Gt("_id", plan.GreaterThan);
        if (plan.LessThan is not null) f &= Builders<T>.Filter.Lt("_id", plan.LessThan);
        var sort = plan.ReadAscending ? Builders<T>.Sort.Ascending("_id") : Builders<T>.Sort.Descending("_id");
        var rows = await col.Find(f).Sort(sort).Limit(plan.Take).ToListAsync(ct);
        return plan.ToPage(rows, page, total);
    }

    private sealed class DateOnlyAsStringConvention : ConventionBase, IMemberMapConvention
    {
        public void Apply(BsonMemberMap memberMap)
        {
            if (memberMap.MemberType == typeof(DateOnly)) memberMap.SetSerializer(DateOnlyText.Instance);
            else if (memberMap.MemberType == typeof(DateOnly?)) memberMap.SetSerializer(new NullableSerializer<DateOnly>(DateOnlyText.Instance));
            else if (memberMap.MemberType == typeof(DateTime)) memberMap.SetSerializer(DateTimeSerializer.UtcInstance);
            else if (memberMap.MemberType == typeof(DateTime?)) memberMap.SetSerializer(new NullableSerializer<DateTime>(DateTimeSerializer.UtcInstance));
        }
    }

    private sealed class DateOnlyText : StructSerializerBase<DateOnly>
    {
        public static DateOnlyText Instance { get; } = new();

        public override DateOnly Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) =>
            DateOnly.ParseExact(context.Reader.ReadString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

        public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, DateOnly value) =>
            context.Writer.WriteString(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
