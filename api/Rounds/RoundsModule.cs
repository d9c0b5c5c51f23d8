using DanVanKheo.Api.Auth;
using GraphQL;

namespace DanVanKheo.Api.Rounds;

public static class RoundsModule
{
    /// <summary>The rounds feature's use cases and read-policy targets.</summary>
    public static IServiceCollection AddRounds(this IServiceCollection services) => services
        .AddScoped<CreateRound>()
        .AddScoped<UpdateRound>()
        .AddScoped<RoundLifecycle>()
        .AddScoped<Nominations>()
        .AddScoped<Ballots>()
        .AddSingleton<RoundDeadlineService>()
        .AddHostedService(sp => sp.GetRequiredService<RoundDeadlineService>())
        .AddAuthorizationTarget<Round>(Policies.RoundResultsVisible, r => r)
        // A nomination's results are its round's: the target is the round (loaded in the request's batch).
        .AddAuthorizationTarget<Nomination>(Policies.RoundResultsVisible,
            async (c, n) => await c.LoadRound(n.RoundId).GetResultAsync(c.CancellationToken))
        .AddAuthorizationTarget<Ballot>(Policies.OwnBallots, b => b);
}
