using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>Which browser origins may call the API (section <c>Cors</c>).</summary>
public sealed class RegistryCorsOptions : IValidatableObject
{
    public const string Section = "Cors";

    /// <summary>
    /// Exact origins (scheme://host[:port]). None by default; in Development, an empty list allows
    /// every loopback origin (localhost, 127.0.0.1, [::1]) on any port.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
            if (!IsOrigin(origin))
                yield return new ValidationResult(
                    $"Cors:AllowedOrigins: '{origin}' is not an origin; write scheme://host[:port] (http or https, no path, no wildcard).",
                    [nameof(AllowedOrigins)]);
    }

    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        !value.Contains('*') && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0 &&
        uri.AbsolutePath == "/" && !value.EndsWith('/');

    internal static bool IsLoopback(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.IsLoopback;
}

public static class CorsServiceCollectionExtensions
{
    /// <summary>
    /// One default policy: the listed origins, GET and POST, the headers a GraphQL client sends.
    /// No credentials: callers authenticate with a bearer token in Authorization, never a cookie,
    /// so browsers need not (and will not) send cookies across origins.
    /// </summary>
    public static IServiceCollection AddRegistryCors(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<RegistryCorsOptions>()
            .Bind(configuration.GetSection(RegistryCorsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<RegistryCorsOptions>>((cors, registry) =>
            {
                var origins = registry.Value.AllowedOrigins.ToHashSet(StringComparer.OrdinalIgnoreCase);
                var loopback = origins.Count == 0 && environment.IsDevelopment();
                cors.AddDefaultPolicy(p => p
                    .SetIsOriginAllowed(o => origins.Contains(o) || (loopback && RegistryCorsOptions.IsLoopback(o)))
                    .WithMethods("GET", "POST")
                    .WithHeaders("Authorization", "Content-Type", "Accept", "Accept-Language")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
            });
        return services;
    }
}
