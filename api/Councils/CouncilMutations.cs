using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public sealed class CreateCouncilInput
{
    public string UnitId { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class AddCouncilMemberInput
{
    public string CouncilId { get; set; } = "";
    public int Version { get; set; }
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string HomeUnitId { get; set; } = "";
    public CouncilRole Role { get; set; }
}

public sealed class RemoveCouncilMemberInput
{
    public string CouncilId { get; set; } = "";
    public int Version { get; set; }
    public string UserId { get; set; } = "";
}

public sealed class CreateCouncilInputGraphType : InputObjectGraphType<CreateCouncilInput>
{
    public CreateCouncilInputGraphType()
    {
        Name = "CreateCouncilInput";
        Description = "A new council of a unit.";
        Field<NonNullGraphType<IdGraphType>>("unitId").Description("The unit the council belongs to.");
        Field<NonNullGraphType<StringGraphType>>("name").Description("3–300 characters.");
    }
}

public sealed class AddCouncilMemberInputGraphType : InputObjectGraphType<AddCouncilMemberInput>
{
    public AddCouncilMemberInputGraphType()
    {
        Name = "AddCouncilMemberInput";
        Description = "A member to add. A council has at most one CHAIR and one SECRETARY.";
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The council.");
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
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The council.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The council version the caller read.");
        Field<NonNullGraphType<StringGraphType>>("userId").Description("The member's user id.");
    }
}

public sealed record CouncilPayload(Council? Council, IReadOnlyList<UserError> Errors);

public abstract class CouncilPayloadGraphType : ObjectGraphType<CouncilPayload>
{
    protected CouncilPayloadGraphType(string name)
    {
        Name = name;
        Description = "The council after the change, or errors explaining why nothing changed.";
        Field<CouncilGraphType>("council").Description("The council as stored; null when refused.").Resolve(c => c.Source.Council);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class CreateCouncilPayloadGraphType() : CouncilPayloadGraphType("CreateCouncilPayload");
public sealed class AddCouncilMemberPayloadGraphType() : CouncilPayloadGraphType("AddCouncilMemberPayload");
public sealed class RemoveCouncilMemberPayloadGraphType() : CouncilPayloadGraphType("RemoveCouncilMemberPayload");

/// <summary>Councils are managed by Registry.Admin or editors of the council's unit.</summary>
public static class CouncilMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateCouncilPayloadGraphType>>("createCouncil")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Creates a council for a unit. Requires Registry.Admin or Unit.Editor of the unit (or above).")
            .Argument<NonNullGraphType<CreateCouncilInputGraphType>>("input", "The new council.")
            .ResolveAsync(async c => await CreateAsync(c, c.GetArgument<CreateCouncilInput>("input")));
        mutation.Field<NonNullGraphType<AddCouncilMemberPayloadGraphType>>("addCouncilMember")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Adds a member. Refused with COUNCIL_FROZEN while one of the council's rounds is VOTING.")
            .Argument<NonNullGraphType<AddCouncilMemberInputGraphType>>("input", "The member.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<AddCouncilMemberInput>("input");
                return await ChangeAsync(c, input.CouncilId, input.Version, async (council, now) =>
                {
                    var home = await UnitMutations.LoadAsync(c.Service<IUnitStore>(), input.HomeUnitId, "homeUnitId", c.CancellationToken);
                    CouncilRules.AddMember(council, input.UserId, input.DisplayName, home, input.Role, now);
                });
            });
        mutation.Field<NonNullGraphType<RemoveCouncilMemberPayloadGraphType>>("removeCouncilMember")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Removes a member. Refused with COUNCIL_FROZEN while one of the council's rounds is VOTING.")
            .Argument<NonNullGraphType<RemoveCouncilMemberInputGraphType>>("input", "The member.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RemoveCouncilMemberInput>("input");
                return await ChangeAsync(c, input.CouncilId, input.Version, (council, now) =>
                {
                    CouncilRules.RemoveMember(council, input.UserId, now);
                    return Task.CompletedTask;
                });
            });
    }

    private static async Task<CouncilPayload> CreateAsync(IResolveFieldContext c, CreateCouncilInput input)
    {
        try
        {
            var unit = await UnitMutations.LoadAsync(c.Service<IUnitStore>(), input.UnitId, "unitId", c.CancellationToken);
            c.RequireTarget(Policies.UnitEditorOfTarget, unit.Lineage(), $"You may not create councils for {unit.Name}.");
            var council = CouncilRules.Create(input.Name, unit, c.Caller().Id!, c.Service<TimeProvider>().UtcNowMs());
            await c.Service<ICouncilStore>().InsertAsync(council, c.CancellationToken);
            return new CouncilPayload(council, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new CouncilPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<CouncilPayload> ChangeAsync(IResolveFieldContext c, string councilId, int version, Func<Council, DateTime, Task> change)
    {
        var ct = c.CancellationToken;
        var store = c.Service<ICouncilStore>();
        try
        {
            var council = await LoadAsync(store, councilId, "councilId", ct);
            c.RequireTarget(Policies.UnitEditorOfTarget, council.UnitLineage, $"You may not manage {council.Name}.");
            if (council.Version != version)
                throw new ConcurrencyConflictException($"{council.Name} is at version {council.Version}; you sent {version}. Reload it and retry.");
            var voting = await c.Service<IRoundStore>().FindAsync(new RoundFilter { CouncilId = council.Id, Status = RoundStatus.Voting }, new PageRequest(1), ct);
            if (voting.Items.Count > 0)
                throw new DomainException(CouncilRules.CouncilFrozen, $"Round '{voting.Items[0].Name}' is VOTING: {council.Name}'s membership is frozen until it closes.");
            await change(council, c.Service<TimeProvider>().UtcNowMs());
            if (!await store.ReplaceAsync(council, version, ct))
                throw new ConcurrencyConflictException($"{council.Name} changed meanwhile. Reload it and retry.");
            return new CouncilPayload(council, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new CouncilPayload(null, [UserError.From(e)]);
        }
    }

    internal static async Task<Council> LoadAsync(ICouncilStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.LocalIdOf(globalId, CouncilGraphType.TypeName)
                 ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not a Council id.", field);
        return (await store.GetByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, $"Council '{globalId}' was not found.", field);
    }
}
