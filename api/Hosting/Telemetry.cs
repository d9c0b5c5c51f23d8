using System.Diagnostics;
using System.Diagnostics.Metrics;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.DI;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// One span per GraphQL operation ("graphql.operation", named "query EntryByCode") and the
/// request and error counters, around GraphQL.NET's execution so the operation's name and type
/// are known (a parsed document), whatever the transport.
/// </summary>
public sealed class GraphQLTelemetry : IConfigureExecution, IDisposable
{
    public const string SourceName = "DanVanKheo.GraphQL";
    public const string MeterName = Common.RegistryMetrics.MeterName;

    private readonly ActivitySource _source = new(SourceName);
    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;

    public GraphQLTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("graphql.requests", description: "GraphQL operations by name, type and outcome (ok, errors, refused).");
        _errors = meter.CreateCounter<long>("graphql.errors", description: "GraphQL errors by extensions.code.");
    }

    public float SortOrder => 100;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        using var activity = _source.StartActivity("graphql.operation", ActivityKind.Internal);
        ExecutionResult result;
        try
        {
            result = await next(options);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            _requests.Add(1, new("graphql.operation.name", options.OperationName ?? ""), new("graphql.operation.type", ""), new("outcome", "failed"));
            throw;
        }
        // A refused request has no selected operation; the document's only one names it then.
        var operation = result.Operation ?? OnlyOperation(result.Document);
        var type = operation?.Operation.ToString().ToLowerInvariant() ?? "";
        var name = operation?.Name?.StringValue ?? options.OperationName ?? "";
        var outcome = !result.Executed ? "refused" : result.Errors is { Count: > 0 } ? "errors" : "ok";
        if (activity is not null)
        {
            activity.DisplayName = $"{(type.Length > 0 ? type : "graphql")} {name}".Trim();
            activity.SetTag("graphql.operation.type", type);
            activity.SetTag("graphql.operation.name", name);
            activity.SetTag("graphql.outcome", outcome);
            if (outcome != "ok") activity.SetStatus(ActivityStatusCode.Error, outcome);
        }
        _requests.Add(1, new("graphql.operation.name", name), new("graphql.operation.type", type), new("outcome", outcome));
        foreach (var error in result.Errors ?? [])
            _errors.Add(1, new KeyValuePair<string, object?>("code", RegistryErrorInfoProvider.CodeOf(error)));
        return result;
    }

    private static GraphQLParser.AST.GraphQLOperationDefinition? OnlyOperation(GraphQLParser.AST.GraphQLDocument? document)
    {
        GraphQLParser.AST.GraphQLOperationDefinition? found = null;
        foreach (var d in document?.Definitions ?? [])
        {
            if (d is not GraphQLParser.AST.GraphQLOperationDefinition op) continue;
            if (found is not null) return null;
            found = op;
        }
        return found;
    }

    public void Dispose() => _source.Dispose();
}

public static class TelemetryRegistration
{
    /// <summary>The standard OpenTelemetry variable; when set, traces and metrics go out over OTLP.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddRegistryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStoreSpans();
        services.AddSingleton<GraphQLTelemetry>();
        services.AddSingleton<IConfigureExecution>(sp => sp.GetRequiredService<GraphQLTelemetry>());
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "danvankheo-api"))
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                 .AddSource(GraphQLTelemetry.SourceName)
                 .AddSource(StoreSpanProxy.SourceName)
                 .AddSource(MongoDB.Driver.MongoTelemetry.ActivitySourceName);
                if (otlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddMeter(GraphQLTelemetry.MeterName);
                if (otlp) m.AddOtlpExporter();
            });
        return services;
    }

    public static void LogTelemetryTarget(this WebApplication app)
    {
        var endpoint = app.Configuration[OtlpEndpoint];
        if (string.IsNullOrWhiteSpace(endpoint))
            app.Logger.LogInformation("Telemetry: no {Variable}; traces and metrics are not exported", OtlpEndpoint);
        else
            app.Logger.LogInformation("Telemetry: traces and metrics exported over OTLP to {Endpoint}", endpoint);
    }
}
