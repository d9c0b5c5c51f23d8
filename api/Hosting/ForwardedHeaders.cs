using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. Empty (the
/// default) believes nobody: the client address is the connection's, so nobody can pick the
/// rate-limit partition they are counted in by sending a header.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of trusted proxies, e.g. "10.0.0.5" or "2001:db8::1".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. "10.0.0.0/8".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped (X-Forwarded-For entries read from the right).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public sealed class ProxyOptionsValidation : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
                failures.Add($"{ProxyOptions.Section}:KnownProxies:{i}: '{options.KnownProxies[i]}' is not an IP address.");
        for (var i = 0; i < options.KnownNetworks.Count; i++)
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
                failures.Add($"{ProxyOptions.Section}:KnownNetworks:{i}: '{options.KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class ForwardedHeadersRegistration
{
    public static IServiceCollection AddRegistryForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidation>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            var o = proxies.Value;
            // X-Forwarded-Host is left out: the API builds no absolute URLs from the host, and a
            // forwarded host would only widen what a proxy's client can spoof.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = o.ForwardLimit;
            // ASP.NET Core trusts loopback by default; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in o.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in o.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline, so the rate limiter, the logs and the security events see the client's address.</summary>
    public static IApplicationBuilder UseRegistryForwardedHeaders(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled) app.UseForwardedHeaders();
        return app;
    }
}
