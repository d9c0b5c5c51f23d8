using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// BSON mapping of the domain documents, shaped like the LiteDB file: string ids as _id, enums as
/// their names, dates as "yyyy-MM-dd" strings, nulls omitted. The driver's registries are
/// process-wide, so registration happens once however many contexts or tests ask for it.
/// </summary>
public static class MongoMappings
{
    private static readonly Lock Gate = new();
    private static bool registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            var pack = new ConventionPack
            {
                new EnumRepresentationConvention(BsonType.String),
                new IgnoreIfNullConvention(true),
                new IgnoreExtraElementsConvention(true),
                new DateConvention(),
            };
            // Scoped to our types so other code in the process keeps the driver's defaults.
            ConventionRegistry.Register("DanVanKheo", pack,
                t => t.Namespace?.StartsWith("DanVanKheo.Api", StringComparison.Ordinal) == true);

            BsonClassMap.TryRegisterClassMap<Unit>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(u => u.Id);
            });
            BsonClassMap.TryRegisterClassMap<Field>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(f => f.Id);
            });
            BsonClassMap.TryRegisterClassMap<Entry>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(e => e.Id);
            });
            BsonClassMap.TryRegisterClassMap<AuditEvent>(cm =>
            {
                cm.AutoMap();
                cm.MapIdMember(e => e.Id);
            });
            BsonClassMap.TryRegisterClassMap<AuditChange>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<EntryResults>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<EvidenceLink>(cm => cm.AutoMap());
            BsonClassMap.TryRegisterClassMap<ExemplarPerson>(cm => cm.AutoMap());
            registered = true;
        }
    }

    private sealed class DateConvention : ConventionBase, IMemberMapConvention
    {
        public void Apply(BsonMemberMap memberMap)
        {
            var type = memberMap.MemberType;
            if (type == typeof(DateOnly)) memberMap.SetSerializer(DateOnlyAsString.Instance);
            else if (type == typeof(DateOnly?)) memberMap.SetSerializer(new NullableSerializer<DateOnly>(DateOnlyAsString.Instance));
            else if (type == typeof(DateTime)) memberMap.SetSerializer(DateTimeSerializer.UtcInstance);
            else if (type == typeof(DateTime?)) memberMap.SetSerializer(new NullableSerializer<DateTime>(DateTimeSerializer.UtcInstance));
        }
    }
}

/// <summary>"yyyy-MM-dd": sorts and compares as text, exactly like the LiteDB mapping.</summary>
public sealed class DateOnlyAsString : StructSerializerBase<DateOnly>
{
    public static DateOnlyAsString Instance { get; } = new();

    public override DateOnly Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args) =>
        DateOnly.ParseExact(context.Reader.ReadString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override void Serialize(BsonSerializationContext context, BsonSerializationArgs args, DateOnly value) =>
        context.Writer.WriteString(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
