namespace DanVanKheo.Api.Hosting;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no framing, no referrer leaks; answers to a
/// request with credentials are never stored by a browser or a shared cache.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (http.Request.Headers.Authorization.Count > 0 || http.Request.Headers.Cookie.Count > 0)
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
