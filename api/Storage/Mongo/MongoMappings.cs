using System.Globalization;
using System.Runtime.CompilerServices;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The one BSON mapping of every stored type, shaped like the LiteDB file: string ids as _id,
/// enums by name, dates as "yyyy-MM-dd" strings, nulls omitted, unknown elements ignored.
/// Conventions are registered before any class map is built, so no type's shape depends on
/// which store happened to be used first. The driver's registries are process-wide, so this
/// runs once however many contexts or tests ask for it.
/// </summary>
public static class MongoMappings
{
    /// <summary>
    /// The driver keeps conventions and class maps in process-wide registries of its own, which
    /// accept each type once: the registration runs once per process, on first use.
    /// </summary>
    private static readonly Lazy<bool> Registration = new(RegisterOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Register() => _ = Registration.Value;

    private static bool RegisterOnce()
    {
        {
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

            Document<Unit>(u => u.Id);
            Document<Field>(f => f.Id);
            Document<Entry>(e => e.Id);
            Document<AuditEvent>(e => e.Id);
            Document<Council>(c => c.Id);
            Document<Round>(r => r.Id);
            Document<Nomination>(n => n.Id);
            Document<Ballot>(b => b.Id);
            Document<BallotRevision>(b => b.Id);
            Document<RoundTally>(t => t.Id);
            Document<Recognition>(r => r.Id);
            Document<Replication>(r => r.Id);
            Part<AuditChange>();
            Part<EntryResults>();
            Part<EvidenceLink>();
            Part<ExemplarPerson>();
            Part<CouncilMember>();
            Part<Fraction>();
            Part<Criterion>();
            Part<ApprovalRule>();
            Part<RecognitionSpec>();
            Part<NominationResult>();
            Part<ReplicationOutcome>();
            return true;
        }
    }

    /// <summary>
    /// A stored document type. Its creator builds the object with <see cref="Ids.New"/> pointed at a
    /// throwaway source: the id initializer would otherwise draw from whatever id stream the
    /// calling flow uses (the seed generator's), so merely reading a document would shift every
    /// later id and the same seed would give different data on the two stores.
    /// </summary>
    private static void Document<T>(System.Linq.Expressions.Expression<Func<T, string>> id) where T : new() =>
        BsonClassMap.TryRegisterClassMap<T>(cm =>
        {
            cm.AutoMap();
            cm.MapIdMember(id);
            cm.SetCreator(NewWithoutDrawingAnId<T>);
        });

    private static void Part<T>() => BsonClassMap.TryRegisterClassMap<T>(cm => cm.AutoMap());

    private const string PlaceholderId = "(read from the document)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object NewWithoutDrawingAnId<T>() where T : new()
    {
        using (Ids.Use(static () => PlaceholderId)) return new T();
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
