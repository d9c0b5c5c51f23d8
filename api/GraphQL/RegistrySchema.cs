using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

/// <summary>The root query: each feature folder adds its own fields.</summary>
public sealed class RegistryQuery : ObjectGraphType
{
    public RegistryQuery(NodeResolverRegistry nodes)
    {
        Name = "Query";
        Description = "Reads of the Dân vận khéo registry.";
        Field<NodeInterface>("node")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("Fetches any object by its global id; null if it does not exist or the caller may not see it.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "A global id.")
            .Resolve(c => nodes.Resolve(c, c.GetArgument<string>("id")));
        Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("Fetches objects by global ids, in the same order; null for each id not found.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", "Global ids (at most 100).")
            .ResolveAsync(async c =>
            {
                var ids = c.GetArgument<List<string>>("ids");
                if (ids.Count > 100) throw new InputException(new(Messages.AtMost100IdsPer), "ids");
                var pending = ids.Select(id => nodes.Resolve(c, id)).ToList();
                var result = new List<object?>(pending.Count);
                foreach (var p in pending) result.Add(p is null ? null : await p.GetResultAsync(c.CancellationToken));
                return result;
            });
        UnitQueries.Register(this);
        FieldQueries.Register(this);
        EntryQueries.Register(this);
        ReplicationQueries.Register(this);
        ReportQueries.Register(this);
        CouncilQueries.Register(this);
        RoundQueries.Register(this);
        AuditQueries.Register(this);
    }
}

/// <summary>
/// The root mutation. Every field declares its policy (<c>.RequirePolicy(...)</c>) and that it is
/// audited (<c>.Audited()</c>); the authorization matrix and audit tests enumerate these fields.
/// </summary>
public sealed class RegistryMutation : ObjectGraphType
{
    public RegistryMutation()
    {
        Name = "Mutation";
        Description = "Changes to the registry. Each returns a payload with `errors`; a non-empty list means nothing changed.";
        UnitMutations.Register(this);
        EntryMutations.Register(this);
        ReplicationMutations.Register(this);
        CouncilMutations.Register(this);
        RoundMutations.Register(this);
        // Every field of this type, audited or not (the middleware refuses those that are not).
        foreach (var field in Fields) field.ApplyMiddleware<MutationMiddleware>();
    }
}

public sealed class RegistrySchema : Schema
{
    public RegistrySchema(IServiceProvider services, RegistryQuery query, RegistryMutation mutation, Live.RegistrySubscription subscription) : base(services)
    {
        Description = "Dân vận khéo registry: units, models and exemplars, councils, rounds and replications.";
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // The built-in Long scalar carries no description; this instance, of the same name, replaces it.
        RegisterType(new LongGraphType { Description = "A 64-bit signed integer, sent as a JSON number: counts of people and households, amounts in VND." });
        RegisterType(typeof(UnitGraphType));
        RegisterType(typeof(EntryGraphType));
        RegisterType(typeof(FieldGraphType));
        RegisterType(typeof(CouncilGraphType));
        RegisterType(typeof(RoundGraphType));
        RegisterType(typeof(NominationGraphType));
    }

    public static NodeResolverRegistry NodeResolvers() => new NodeResolverRegistry()
        .Add(UnitGraphType.TypeName, (c, id) => c.LoadUnit(id))
        .Add(EntryGraphType.TypeName, (c, id) => c.LoadEntry(id))
        .Add(FieldGraphType.TypeName, (c, id) => c.LoadField(id))
        .Add(ReplicationGraphType.TypeName, (c, id) => c.LoadReplication(id))
        .Add(CouncilGraphType.TypeName, (c, id) => c.LoadCouncil(id))
        .Add(RoundGraphType.TypeName, (c, id) => c.LoadRound(id))
        .Add(NominationGraphType.TypeName, (c, id) => c.LoadNomination(id));
}
