using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Units;

public class UnitContentInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string? ParentId { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
}

public sealed class CreateUnitInput : UnitContentInput;

public sealed class UpdateUnitInput : UnitContentInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class RecordUnitSuccessionInput
{
    public List<string> PredecessorIds { get; set; } = [];
    public List<string> SuccessorIds { get; set; } = [];
    public DateOnly EffectiveDate { get; set; }
}

public abstract class UnitInputFields<T> : InputObjectGraphType<T> where T : UnitContentInput
{
    protected void AddContentFields()
    {
        Field<NonNullGraphType<StringGraphType>>("code").Description("Unique code: 2–40 of A–Z, 0–9, '.', '_', '-'.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("Official name in Vietnamese.");
        Field<NonNullGraphType<UnitKindGraphType>>("kind").Description("Kind of organisation.");
        Field<IdGraphType>("parentId").Description("The parent unit; omit for a root.");
        Field<DateOnlyGraphType>("validFrom").Description("First day of existence.");
        Field<DateOnlyGraphType>("validTo").Description("First day it no longer exists.");
    }
}

public sealed class CreateUnitInputGraphType : UnitInputFields<CreateUnitInput>
{
    public CreateUnitInputGraphType()
    {
        Name = "CreateUnitInput";
        Description = "A new unit.";
        AddContentFields();
    }
}

public sealed class UpdateUnitInputGraphType : UnitInputFields<UpdateUnitInput>
{
    public UpdateUnitInputGraphType()
    {
        Name = "UpdateUnitInput";
        Description = "The full new state of a unit (fields left out are cleared), with the version it was read at.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The unit to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read; a newer stored version refuses the update.");
        AddContentFields();
    }
}

public sealed class RecordUnitSuccessionInputGraphType : InputObjectGraphType<RecordUnitSuccessionInput>
{
    public RecordUnitSuccessionInputGraphType()
    {
        Name = "RecordUnitSuccessionInput";
        Description = "A reorganisation: predecessors end on the effective date and live on in the successors.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("predecessorIds").Description("Units that end.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("successorIds").Description("Units that carry them on.");
        Field<NonNullGraphType<DateOnlyGraphType>>("effectiveDate").Description("First day of the new organisation.");
    }
}

public sealed record UnitPayload(Unit? Unit, IReadOnlyList<UserError> Errors);

public sealed record UnitsPayload(IReadOnlyList<Unit> Units, IReadOnlyList<UserError> Errors);

public abstract class UnitPayloadGraphType : ObjectGraphType<UnitPayload>
{
    protected UnitPayloadGraphType(string name)
    {
        Name = name;
        Description = "The unit after the change, or errors explaining why nothing changed.";
        Field<UnitGraphType>("unit").Description("The unit as stored; null when refused.").Resolve(c => c.Source.Unit);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class CreateUnitPayloadGraphType() : UnitPayloadGraphType("CreateUnitPayload");

public sealed class UpdateUnitPayloadGraphType() : UnitPayloadGraphType("UpdateUnitPayload");

public sealed class RecordUnitSuccessionPayloadGraphType : ObjectGraphType<UnitsPayload>
{
    public RecordUnitSuccessionPayloadGraphType()
    {
        Name = "RecordUnitSuccessionPayload";
        Description = "Every unit the succession changed, or errors explaining why nothing changed.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>("units").Description("Changed units.").Resolve(c => c.Source.Units);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

/// <summary>Unit mutations: the organisation tree is maintained by registry administrators.</summary>
public static class UnitMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateUnitPayloadGraphType>>("createUnit")
            .RequirePolicy(Policies.Admin).Audited()
            .Description("Creates a unit. Requires Registry.Admin.")
            .Argument<NonNullGraphType<CreateUnitInputGraphType>>("input", "The new unit.")
            .ResolveAsync(async c => await CreateAsync(c, c.GetArgument<CreateUnitInput>("input")));
        mutation.Field<NonNullGraphType<UpdateUnitPayloadGraphType>>("updateUnit")
            .RequirePolicy(Policies.Admin).Audited()
            .Description("Replaces a unit's editable fields; moving it re-files its whole subtree. Requires Registry.Admin.")
            .Argument<NonNullGraphType<UpdateUnitInputGraphType>>("input", "The unit's new state.")
            .ResolveAsync(async c => await UpdateAsync(c, c.GetArgument<UpdateUnitInput>("input")));
        mutation.Field<NonNullGraphType<RecordUnitSuccessionPayloadGraphType>>("recordUnitSuccession")
            .RequirePolicy(Policies.Admin).Audited()
            .Description("Records a merger or split: predecessors end and link to their successors. Requires Registry.Admin.")
            .Argument<NonNullGraphType<RecordUnitSuccessionInputGraphType>>("input", "The reorganisation.")
            .ResolveAsync(async c => await SuccessionAsync(c, c.GetArgument<RecordUnitSuccessionInput>("input")));
    }

    private static async Task<UnitPayload> CreateAsync(IResolveFieldContext c, CreateUnitInput input)
    {
        var store = c.Service<IUnitStore>();
        try
        {
            var parent = await LoadOptionalAsync(store, input.ParentId, "parentId", c.CancellationToken);
            var unit = UnitRules.Create(new UnitDraft(input.Code, input.Name, input.Kind, parent?.Id,
                input.ValidFrom, input.ValidTo), parent, c.Service<TimeProvider>().UtcNowMs());
            await store.InsertAsync(unit, c.CancellationToken);
            return new UnitPayload(unit, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new UnitPayload(null, [UserError.From(e)]);
        }
        catch (DuplicateKeyException)
        {
            return new UnitPayload(null, [new UserError(ErrorCodes.DuplicateCode, $"Unit code {input.Code.Trim().ToUpperInvariant()} is already taken.", "code")]);
        }
    }

    private static async Task<UnitPayload> UpdateAsync(IResolveFieldContext c, UpdateUnitInput input)
    {
        var store = c.Service<IUnitStore>();
        var ct = c.CancellationToken;
        try
        {
            var unit = await LoadAsync(store, input.Id, "id", ct);
            var parent = await LoadOptionalAsync(store, input.ParentId, "parentId", ct);
            var subtree = UnitRules.Moves(unit, parent) ? await store.GetSubtreeAsync(unit.Id, ct) : [];
            var changed = UnitRules.Update(unit, input.Version,
                new UnitDraft(input.Code, input.Name, input.Kind, parent?.Id, input.ValidFrom, input.ValidTo),
                parent, subtree, c.Service<TimeProvider>().UtcNowMs());
            if (!await store.ReplaceAllAsync(changed, ct))
                throw new ConcurrencyConflictException($"Unit {unit.Code} or one of its descendants changed meanwhile. Reload and retry.");
            return new UnitPayload(unit, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new UnitPayload(null, [UserError.From(e)]);
        }
        catch (DuplicateKeyException)
        {
            return new UnitPayload(null, [new UserError(ErrorCodes.DuplicateCode, $"Unit code {input.Code.Trim().ToUpperInvariant()} is already taken.", "code")]);
        }
    }

    private static async Task<UnitsPayload> SuccessionAsync(IResolveFieldContext c, RecordUnitSuccessionInput input)
    {
        var store = c.Service<IUnitStore>();
        try
        {
            var predecessors = await LoadManyAsync(store, input.PredecessorIds, "predecessorIds", c.CancellationToken);
            var successors = await LoadManyAsync(store, input.SuccessorIds, "successorIds", c.CancellationToken);
            var changed = UnitRules.RecordSuccession(predecessors, successors, input.EffectiveDate, c.Service<TimeProvider>().UtcNowMs());
            if (!await store.ReplaceAllAsync(changed, c.CancellationToken))
                throw new ConcurrencyConflictException("One of the units changed meanwhile. Reload and retry.");
            return new UnitsPayload(changed, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new UnitsPayload([], [UserError.From(e)]);
        }
    }

    private static async Task<Unit?> LoadOptionalAsync(IUnitStore store, string? globalId, string field, CancellationToken ct) =>
        globalId is null ? null : await LoadAsync(store, globalId, field, ct);

    internal static async Task<Unit> LoadAsync(IUnitStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.LocalIdOf(globalId, UnitGraphType.TypeName)
                 ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not a Unit id.", field);
        return (await store.GetByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, $"Unit '{globalId}' was not found.", field);
    }

    private static async Task<IReadOnlyList<Unit>> LoadManyAsync(IUnitStore store, IReadOnlyList<string> globalIds, string field, CancellationToken ct)
    {
        var result = new List<Unit>();
        foreach (var id in globalIds.Distinct()) result.Add(await LoadAsync(store, id, field, ct));
        return result;
    }
}
