using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Units;

public abstract class UnitInputFields<T> : InputObjectGraphType<T> where T : IUnitContentInput
{
    /// <summary>The unit's fields; in a partial update the required ones become optional (left out = unchanged).</summary>
    protected void AddContentFields(bool partial = false)
    {
        Required<StringGraphType>("code", partial).Description("The unit's unique code: 2–40 characters of A–Z, 0–9, '.', '_' and '-'.");
        Required<StringGraphType>("name", partial).Description("The unit's official name in Vietnamese, with diacritics.");
        Required<UnitKindGraphType>("kind", partial).Description("The kind of organisation the unit is.");
        Field<IdGraphType>("parentId").Description(partial
            ? "The new parent unit; null makes the unit a root, left out keeps its parent."
            : "The parent unit; leave it out for a root unit.");
        Field<DateOnlyGraphType>("validFrom").Description("The first day the unit exists; null or absent when unknown.");
        Field<DateOnlyGraphType>("validTo").Description("The first day the unit no longer exists; null or absent while it exists.");
    }

    private global::GraphQL.Builders.FieldBuilder<T, object> Required<TGraphType>(string name, bool partial) where TGraphType : IGraphType =>
        partial ? Field<TGraphType>(name) : Field<NonNullGraphType<TGraphType>>(name);
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
        Description = "Changes to a unit, with the version it was read at. " + PartialInputs.Semantics;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the unit to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read; a newer stored version refuses the update.");
        AddContentFields(partial: true);
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => PartialInputs.Parse(value, base.ParseDictionary);
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

public sealed class CreateUnitPayloadGraphType() : PayloadGraphType<UnitGraphType>("CreateUnitPayload", UnitPayload.Description, "unit", UnitPayload.FieldDescription);

public sealed class UpdateUnitPayloadGraphType() : PayloadGraphType<UnitGraphType>("UpdateUnitPayload", UnitPayload.Description, "unit", UnitPayload.FieldDescription);

public sealed class RecordUnitSuccessionPayloadGraphType() : PayloadGraphType<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>(
    "RecordUnitSuccessionPayload", "Every unit the succession changed, or errors explaining why nothing changed.", "units", "Every unit the succession changed.", list: true);

internal static class UnitPayload
{
    public const string Description = "The unit after the change, or errors explaining why nothing changed.";
    public const string FieldDescription = "The unit as stored; null when refused.";
}

/// <summary>Unit mutations: the organisation tree is maintained by registry administrators.</summary>
public static class UnitMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateUnitPayloadGraphType>>("createUnit")
            .RequirePolicy(CreateUnit.Policy).Audited()
            .Description("Creates a unit. Requires Registry.Admin.")
            .Argument<NonNullGraphType<CreateUnitInputGraphType>>("input", "The new unit.")
            .Resolve().WithService<CreateUnit>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<CreateUnitInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<UpdateUnitPayloadGraphType>>("updateUnit")
            .RequirePolicy(UpdateUnit.Policy).Audited()
            .Description("Replaces a unit's editable fields; moving it re-files its whole subtree. Requires Registry.Admin.")
            .Argument<NonNullGraphType<UpdateUnitInputGraphType>>("input", "The unit's new state.")
            .Resolve().WithService<UpdateUnit>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<UpdateUnitInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<RecordUnitSuccessionPayloadGraphType>>("recordUnitSuccession")
            .RequirePolicy(RecordUnitSuccession.Policy).Audited()
            .Description("Records a merger or split: predecessors end and link to their successors. Requires Registry.Admin.")
            .Argument<NonNullGraphType<RecordUnitSuccessionInputGraphType>>("input", "The units that end and the units that succeed them.")
            .Resolve().WithService<RecordUnitSuccession>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<RecordUnitSuccessionInput>("input"), c.CancellationToken));
    }
}
