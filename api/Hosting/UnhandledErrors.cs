using System.Text.Json;
using DanVanKheo.Api.GraphQL;
using Microsoft.AspNetCore.Diagnostics;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// The last resort for an exception no endpoint handled: logged with the request id, answered
/// with a plain GraphQL-shaped 500 that names nothing internal. It replaces the developer
/// exception page in every environment, because that page echoes request headers (bearer
/// tokens, cookies) to whoever triggered the error.
/// </summary>
public static class UnhandledErrors
{
    public static IApplicationBuilder UseUnhandledErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleAsync });

    private static async Task HandleAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("DanVanKheo.UnhandledError"); // a handler delegate has no constructor to inject into
        logger.LogError(error, "Unhandled error in {Method} {Path} (request {RequestId})",
            http.Request.Method, http.Request.Path.Value, http.TraceIdentifier);
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            errors = new[]
            {
                new
                {
                    message = http.RequestServices.GetRequiredService<Common.MessageText>().ForCode(GraphQLErrorCodes.Internal),
                    extensions = new { code = GraphQLErrorCodes.Internal, requestId = http.TraceIdentifier },
                },
            },
        });
    }
}
