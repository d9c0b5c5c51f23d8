using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DanVanKheo.Api.Common;

public static class CoreModule
{
    /// <summary>What every use case runs with: the clock, the request (caller, denials), its audit scope and the authorizer.</summary>
    /// <summary>
    /// The languages of messages: Vietnamese (the default) and English, chosen by Accept-Language
    /// only (no query string or cookie: a message's language never changes what a request does).
    /// Only the UI culture follows the caller; the formatting culture stays invariant, so sorting,
    /// parsing and exports never depend on the language asked for (MessageText formats messages'
    /// arguments in the UI culture itself).
    /// </summary>
    public static IApplicationBuilder UseRegistryLanguages(this IApplicationBuilder app) =>
        app.UseRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(System.Globalization.CultureInfo.InvariantCulture, MessageText.Vietnamese);
            o.SupportedCultures = [System.Globalization.CultureInfo.InvariantCulture];
            o.SupportedUICultures = [MessageText.Vietnamese, MessageText.English];
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.AcceptLanguageHeaderRequestCultureProvider()];
        });

    public static IServiceCollection AddRegistryCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RegistryClock>();
        services.AddMetrics();
        services.AddSingleton<RegistryMetrics>();
        services.AddScoped<RequestContext>();
        services.AddScoped<AuditContext>();
        services.AddScoped<Authorizer>();
        services.AddLocalization();
        services.AddSingleton<MessageText>();
        return services;
    }
}
