using DanVanKheo.Api.Fields;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

public sealed class BrokenFieldStore : IFieldStore
{
    public const string Secret = "connection to 10.0.0.5 refused (password=hunter2)";
    public Task<IReadOnlyList<Field>> ListAsync(CancellationToken ct = default) => throw new InvalidOperationException(Secret);
    public Task<IReadOnlyList<Field>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => throw new InvalidOperationException(Secret);
    public Task EnsureStandardAsync(CancellationToken ct = default) => Task.CompletedTask;
    public Task InsertAsync(Field field, CancellationToken ct = default) => throw new InvalidOperationException(Secret);
}

public sealed class BrokenStoreApiFactory : RegistryApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IFieldStore, BrokenFieldStore>());
    }
}

public sealed class InternalErrorTests(BrokenStoreApiFactory factory) : IClassFixture<BrokenStoreApiFactory>
{
    [Fact]
    public async Task Unexpected_failures_are_reported_without_internal_details_outside_development()
    {
        var r = await factory.Client().Run("{ fields { name } }");
        Assert.Equal(200, r.Status);
        Assert.Equal("INTERNAL_SERVER_ERROR", r.FirstErrorCode);
        Assert.DoesNotContain("hunter2", r.Body);
        Assert.DoesNotContain("InvalidOperationException", r.Body);
    }
}

public sealed class DevelopmentBrokenStoreApiFactory : RegistryApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(s => s.AddSingleton<IFieldStore, BrokenFieldStore>());
    }
}

public sealed class DevelopmentErrorPageTests(DevelopmentBrokenStoreApiFactory factory) : IClassFixture<DevelopmentBrokenStoreApiFactory>
{
    [Fact]
    public async Task An_unhandled_error_in_development_never_echoes_request_headers()
    {
        var scenario = new RegistryScenario(factory);
        var unit = await scenario.CreateUnit("Tỉnh lỗi", "PROVINCE");
        var token = RegistryApiFactory.AdminToken("leak-probe");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/reports/{unit["code"]!.GetValue<string>()}/2024.csv");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Cookie", "session=cookie-secret-42");
        request.Headers.Add("Accept", "text/html");
        using var response = await factory.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains("INTERNAL_SERVER_ERROR", body);
        Assert.DoesNotContain(token, body);
        Assert.DoesNotContain("cookie-secret-42", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("Exception", body);
    }
}
