using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public sealed class CreateCouncilInputGraphType : InputObjectGraphType<CreateCouncilInput>
{
    public CreateCouncilInputGraphType()
    {
        Name = "CreateCouncilInput";
        Description = "A new council of a unit.";
        Field<NonNullGraphType<IdGraphType>>("unitId").Description("The unit the council belongs to.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("The council's name, 3–300 characters.");
    }
}

public sealed class AddCouncilMemberInputGraphType : InputObjectGraphType<AddCouncilMemberInput>
{
    public AddCouncilMemberInputGraphType()
    {
        Name = "AddCouncilMemberInput";
        Description = "A member to add. A council has at most one CHAIR and one SECRETARY.";
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The global id of the council.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The council version the caller read.");
        Field<NonNullGraphType<StringGraphType>>("userId").Description("The member's user id: the token's oid (Entra ID), else sub.");
        Field<NonNullGraphType<StringGraphType>>("displayName").Description("Name as shown in the council's papers.");
        Field<NonNullGraphType<IdGraphType>>("homeUnitId").Description("The unit the member works for.");
        Field<NonNullGraphType<CouncilRoleGraphType>>("role").Description("The member's role.");
    }
}

public sealed class RemoveCouncilMemberInputGraphType : InputObjectGraphType<RemoveCouncilMemberInput>
{
    public RemoveCouncilMemberInputGraphType()
    {
        Name = "RemoveCouncilMemberInput";
        Description = "A member to remove.";
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The global id of the council.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The council version the caller read.");
        Field<NonNullGraphType<StringGraphType>>("userId").Description("The member's user id.");
    }
}

public sealed class CreateCouncilPayloadGraphType() : PayloadGraphType<CouncilGraphType>("CreateCouncilPayload", CouncilPayload.Description, "council", CouncilPayload.FieldDescription);
public sealed class AddCouncilMemberPayloadGraphType() : PayloadGraphType<CouncilGraphType>("AddCouncilMemberPayload", CouncilPayload.Description, "council", CouncilPayload.FieldDescription);
public sealed class RemoveCouncilMemberPayloadGraphType() : PayloadGraphType<CouncilGraphType>("RemoveCouncilMemberPayload", CouncilPayload.Description, "council", CouncilPayload.FieldDescription);

internal static class CouncilPayload
{
    public const string Description = "The council after the change, or errors explaining why nothing changed.";
    public const string FieldDescription = "The council as stored; null when refused.";
}

/// <summary>Councils are managed by Registry.Admin or editors of the council's unit.</summary>
public static class CouncilMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateCouncilPayloadGraphType>>("createCouncil")
            .RequirePolicy(CreateCouncil.Policy).Audited()
            .Description("Creates a council for a unit. Requires Registry.Admin or Unit.Editor of the unit (or above).")
            .Argument<NonNullGraphType<CreateCouncilInputGraphType>>("input", "The new council.")
            .Resolve().WithService<CreateCouncil>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<CreateCouncilInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<AddCouncilMemberPayloadGraphType>>("addCouncilMember")
            .RequirePolicy(ChangeCouncilMembers.Policy).Audited()
            .Description("Adds a member. Refused with COUNCIL_FROZEN while one of the council's rounds is VOTING.")
            .Argument<NonNullGraphType<AddCouncilMemberInputGraphType>>("input", "The council and the member to add.")
            .Resolve().WithService<ChangeCouncilMembers>().ResolveAsync(async (c, useCase) => await useCase.AddAsync(c.GetArgument<AddCouncilMemberInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<RemoveCouncilMemberPayloadGraphType>>("removeCouncilMember")
            .RequirePolicy(ChangeCouncilMembers.Policy).Audited()
            .Description("Removes a member. Refused with COUNCIL_FROZEN while one of the council's rounds is VOTING.")
            .Argument<NonNullGraphType<RemoveCouncilMemberInputGraphType>>("input", "The council and the member to remove.")
            .Resolve().WithService<ChangeCouncilMembers>().ResolveAsync(async (c, useCase) => await useCase.RemoveAsync(c.GetArgument<RemoveCouncilMemberInput>("input"), c.CancellationToken));
    }
}
