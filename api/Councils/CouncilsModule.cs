using DanVanKheo.Api.Auth;

namespace DanVanKheo.Api.Councils;

public static class CouncilsModule
{
    /// <summary>The councils feature's use cases and read-policy targets.</summary>
    public static IServiceCollection AddCouncils(this IServiceCollection services) => services
        .AddScoped<CreateCouncil>()
        .AddScoped<ChangeCouncilMembers>()
        // What the member id policy checks: the listing itself (the member, the council's unit and who it is listed with).
        .AddAuthorizationTarget<CouncilMemberListing>(Policies.CouncilMemberIdsOfTarget, l => l);
}
