using System.Net;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace DanVanKheo.Tests.Api.FrontEnd;

public sealed class CorsApiFactory : RegistryApiFactory
{
    public const string Origin = "https://app.danvankheo.example";

    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Cors:AllowedOrigins:0"] = Origin;
}

public sealed class DevelopmentApiFactory : RegistryApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

public sealed class ProductionApiFactory : RegistryApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

internal static class Preflight
{
    public static async Task<HttpResponseMessage> Send(HttpClient client, string origin, string path = "/graphql")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await client.SendAsync(request);
    }

    public static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? v.Single() : null;
}

/// <summary>Cors:AllowedOrigins: preflight answered for listed origins, nothing for others.</summary>
public sealed class CorsTests(CorsApiFactory factory) : IClassFixture<CorsApiFactory>
{
    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_answered()
    {
        using var response = await Preflight.Send(factory.CreateClient(), CorsApiFactory.Origin);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CorsApiFactory.Origin, Preflight.AllowedOrigin(response));
        var methods = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods"));
        Assert.Contains("POST", methods);
        var headers = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", headers);
        Assert.Contains("content-type", headers);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"), "Bearer tokens need no credentialed CORS.");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://app.danvankheo.example")]
    [InlineData("https://app.danvankheo.example.evil.example")]
    [InlineData("http://localhost:5173")]
    public async Task Preflight_from_another_origin_is_refused(string origin)
    {
        using var response = await Preflight.Send(factory.CreateClient(), origin);
        Assert.Null(Preflight.AllowedOrigin(response));
    }

    [Fact]
    public async Task Actual_request_from_the_allowed_origin_carries_the_header_and_others_do_not()
    {
        foreach (var (origin, allowed) in new[] { (CorsApiFactory.Origin, true), ("https://evil.example", false) })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent("{\"query\":\"{ __typename }\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Origin", origin);
            using var response = await factory.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(allowed ? origin : null, Preflight.AllowedOrigin(response));
        }
    }
}

public sealed class DevelopmentCorsTests(DevelopmentApiFactory factory) : IClassFixture<DevelopmentApiFactory>
{
    [Theory]
    [InlineData("http://localhost:5173")]
    [InlineData("http://127.0.0.1:3000")]
    [InlineData("https://localhost:4200")]
    public async Task Development_allows_loopback_origins(string origin)
    {
        using var response = await Preflight.Send(factory.CreateClient(), origin);
        Assert.Equal(origin, Preflight.AllowedOrigin(response));
    }

    [Fact]
    public async Task Development_refuses_other_origins_and_turns_the_IDE_on()
    {
        using var response = await Preflight.Send(factory.CreateClient(), "https://app.danvankheo.example");
        Assert.Null(Preflight.AllowedOrigin(response));
        var page = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        page.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var html = await factory.CreateClient().SendAsync(page);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var r = await factory.Client().Run("{ __typename }");
        Assert.Equal("Query", r.At("__typename").GetValue<string>());
    }
}

/// <summary>Production defaults: no origin, no IDE, trusted documents only.</summary>
public sealed class ProductionDefaultsTests(ProductionApiFactory factory) : IClassFixture<ProductionApiFactory>
{
    [Fact]
    public async Task Production_allows_no_origin_by_default()
    {
        using var response = await Preflight.Send(factory.CreateClient(), "http://localhost:5173");
        Assert.Null(Preflight.AllowedOrigin(response));
    }

    [Fact]
    public async Task Production_has_no_IDE_and_runs_only_trusted_documents()
    {
        var page = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        page.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var html = await factory.CreateClient().SendAsync(page);
        Assert.NotEqual("text/html", html.Content.Headers.ContentType?.MediaType);
        var arbitrary = await factory.Client().Run("{ __typename }");
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", arbitrary.FirstErrorCode);
        var trusted = await factory.Client().Send(new { documentId = "sha256:" + Trusted.Id("Fields") });
        trusted.AssertNoErrors();
    }
}

public sealed class CorsValidationTests
{
    private sealed class BadOriginFactory(string origin) : RegistryApiFactory
    {
        protected override void AddSettings(IDictionary<string, string?> settings) => settings["Cors:AllowedOrigins:0"] = origin;
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.danvankheo.example")]
    [InlineData("app.danvankheo.example")]
    [InlineData("https://app.danvankheo.example/")]
    [InlineData("https://app.danvankheo.example/graphql")]
    [InlineData("ftp://app.danvankheo.example")]
    public void A_bad_origin_stops_the_API_at_start_naming_the_setting(string origin)
    {
        using var factory = new BadOriginFactory(origin);
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Cors:AllowedOrigins", e.ToString());
    }
}
