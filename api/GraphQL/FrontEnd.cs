using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// What front-end tools ask the GraphQL path for besides operations: the SDL
/// (<c>GET /graphql?sdl</c>) and, for a browser, the GraphiQL IDE with its assets.
/// </summary>
public sealed partial class FrontEnd(RegistrySchema schema, TrustedDocuments documents, IOptions<GraphQLOptions> options,
    IWebHostEnvironment environment)
{
    private readonly Lazy<byte[]> _sdl = new(() => Encoding.UTF8.GetBytes(SchemaPrinting.Print(schema)));
    private readonly Lazy<string> _page = new(() => IdePage.Render(options.Value.Path, documents, BundleDirectory(environment) is not null));
    private readonly FileExtensionContentTypeProvider _contentTypes = new();

    public bool IdeEnabled { get; } = options.Value.Ide ?? environment.IsDevelopment();

    /// <summary>Answers the request when it is for the SDL or the IDE; null lets the GraphQL transport have it.</summary>
    public Task? TryHandle(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)) return null;
        if (http.Request.Query.ContainsKey("sdl"))
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            return http.Response.Body.WriteAsync(_sdl.Value, http.RequestAborted).AsTask();
        }
        if (IdeEnabled && WantsHtml(http.Request.Headers.Accept.ToString()))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return http.Response.WriteAsync(_page.Value, http.RequestAborted);
        }
        return null;
    }

    /// <summary>The IDE's files: the bundle built from api/ide into wwwroot/ide, and app.js for the CDN page.</summary>
    public IResult Asset(string file)
    {
        if (!IdeEnabled || !AssetName().IsMatch(file)) return Results.NotFound();
        if (file == "app.js")
        {
            var stream = typeof(FrontEnd).Assembly.GetManifestResourceStream("DanVanKheo.Ide.app.js");
            return stream is null ? Results.NotFound() : Results.Stream(stream, "text/javascript; charset=utf-8");
        }
        var dir = BundleDirectory(environment);
        if (dir is null || !File.Exists(Path.Combine(dir, file))) return Results.NotFound();
        if (!_contentTypes.TryGetContentType(file, out var type)) type = "application/octet-stream";
        if (type == "text/javascript") type += "; charset=utf-8";
        return Results.File(Path.Combine(dir, file), type, enableRangeProcessing: false);
    }

    private static string? BundleDirectory(IWebHostEnvironment environment)
    {
        var dir = Path.Combine(environment.WebRootPath ?? Path.Combine(environment.ContentRootPath, "wwwroot"), "ide");
        return File.Exists(Path.Combine(dir, "bundle.js")) ? dir : null;
    }

    internal static bool WantsHtml(string accept) =>
        MediaTypeHeaderValue.TryParseList([.. accept.Split(',')], out var values) &&
        values.Any(v => v.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);

    [GeneratedRegex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(js|css|ttf)$")]
    private static partial Regex AssetName();
}

public static class FrontEndEndpoints
{
    /// <summary>The IDE's assets under {GraphQL:Path}/ide/, and / sends a browser to the IDE.</summary>
    public static IEndpointRouteBuilder MapRegistryFrontEnd(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<GraphQLOptions>>().Value.Path.TrimEnd('/');
        endpoints.MapGet(path + "/ide/{file}", (string file, FrontEnd frontEnd) => frontEnd.Asset(file));
        endpoints.MapGet("/", (FrontEnd frontEnd) =>
            Results.Redirect(frontEnd.IdeEnabled ? path : path + "?query=%7B__typename%7D"));
        return endpoints;
    }
}
