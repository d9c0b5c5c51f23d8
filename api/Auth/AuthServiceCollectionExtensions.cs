using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;

namespace DanVanKheo.Api.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Entra ID (Microsoft.Identity.Web) when an AzureAd section is configured; otherwise the
    /// standard JWT bearer scheme configured under Authentication:Schemes:Bearer, which is what
    /// `dotnet user-jwts` writes (issuer, audiences and signing key).
    /// </summary>
    public static IServiceCollection AddRegistryAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var azureAd = configuration.GetSection("AzureAd");
        if (azureAd.Exists() && !string.IsNullOrWhiteSpace(azureAd["ClientId"]))
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApi(azureAd);
        }
        else
        {
            var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
            // In Development the keys appear in user secrets with the first `dotnet user-jwts create`;
            // until then the API serves reads and refuses every token.
            if (!environment.IsDevelopment() &&
                !bearer.GetSection("SigningKeys").GetChildren().Any() && string.IsNullOrEmpty(bearer["Authority"]))
                throw new InvalidOperationException(
                    "No token validation is configured. Set an AzureAd section (Instance, TenantId, ClientId, Audience) for Entra ID, " +
                    "or run `dotnet user-jwts create --project api` once to configure development tokens " +
                    "(it writes Authentication:Schemes:Bearer to user secrets).");
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(o => o.MapInboundClaims = false);
        }
        return services;
    }
}
