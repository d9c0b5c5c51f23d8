using DanVanKheo.Api.Auth;

namespace DanVanKheo.Api.Entries;

public static class EntriesModule
{
    /// <summary>The entries feature's use cases and read-policy targets.</summary>
    public static IServiceCollection AddEntries(this IServiceCollection services) => services
        .AddScoped<EntryContentReader>()
        .AddScoped<CreateEntry>()
        .AddScoped<ChangeEntry>()
        .AddAuthorizationTarget<Entry>(Policies.PersonalDataOfTarget, e => e.UnitLineage);
}
