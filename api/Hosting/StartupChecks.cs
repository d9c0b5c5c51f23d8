using DanVanKheo.Api.Storage.Mongo;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Storage;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Hosting;

/// <summary>A setting that cannot work, named the way an operator writes it.</summary>
public sealed class ConfigurationProblem(string setting, string message) : Exception($"{setting}: {message}")
{
    public string Setting { get; } = setting;
}

/// <summary>
/// Checks before the API takes traffic, and the one-line report of a start that failed: a wrong
/// setting stops the process with exit code 1 and a line naming it, never a stack trace.
/// </summary>
public static partial class StartupChecks
{
    private static readonly FrozenDictionary<Type, string> Sections = new Dictionary<Type, string>
    {
        [typeof(GraphQLOptions)] = GraphQLOptions.Section,
        [typeof(StorageOptions)] = StorageOptions.Section,
        [typeof(RateLimitOptions)] = RateLimitOptions.Section,
        [typeof(SecurityEventOptions)] = SecurityEventOptions.Section,
        [typeof(ProxyOptions)] = ProxyOptions.Section,
    }.ToFrozenDictionary();

    /// <summary>Every option valid; the embedded store's folder is writable; MongoDB answers within 10 s.</summary>
    public static async Task RunAsync(IServiceProvider services)
    {
        // Validated here rather than when the host starts, where a failure is logged with its stack trace.
        services.GetService<IStartupValidator>()?.Validate();
        // Title order is Vietnamese alphabetical order from ICU; without ICU it would silently be code-point order.
        if (!DanVanKheo.Api.Common.VietnameseCollation.IsAvailable())
            throw new ConfigurationProblem("InvariantGlobalization",
                "ICU's Vietnamese collation is not available (install libicu and do not set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT).");
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.UseMongo)
        {
            // Reachable within 10 s, and a replica set (the registry's writes are transactions).
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await services.GetRequiredService<MongoContext>().CheckDeploymentAsync(timeout.Token);
            }
            catch (MongoDeploymentException e)
            {
                throw new ConfigurationProblem("ConnectionStrings:Mongo (or MONGODB_URI)", e.Message);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or MongoException)
            {
                throw new ConfigurationProblem("ConnectionStrings:Mongo (or MONGODB_URI)",
                    $"MongoDB did not answer within 10 s ({e.GetType().Name}).");
            }
        }
        else
        {
            var path = Path.GetFullPath(storage.LiteDbPath);
            try
            {
                var folder = Path.GetDirectoryName(path)!;
                Directory.CreateDirectory(folder);
                var probe = Path.Combine(folder, $".write-probe-{Guid.NewGuid():N}");
                await File.WriteAllBytesAsync(probe, []);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationProblem("Storage:LiteDbPath", $"cannot write to the folder of '{path}' ({e.Message}).");
            }
        }
    }

    /// <summary>One line for a failed start, or null when the failure is not a configuration problem we recognise.</summary>
    public static string Describe(Exception e)
    {
        switch (e)
        {
            case ConfigurationProblem p:
                return "Configuration error: " + p.Message;
            case OptionsValidationException v:
            {
                var section = Sections.GetValueOrDefault(v.OptionsType, v.OptionsName);
                var failure = v.Failures.FirstOrDefault() ?? v.Message;
                // Our own validators already name the setting.
                if (failure.StartsWith(section + ":", StringComparison.Ordinal)) return "Configuration error: " + failure;
                var member = MemberName().Match(failure);
                var setting = member.Success ? $"{section}:{member.Groups[1].Value}" : section;
                var why = ErrorText().Match(failure) is { Success: true } m ? m.Groups[1].Value : failure;
                return $"Configuration error: {setting}: {why}";
            }
            case InvalidOperationException when ConvertFailure().Match(e.Message) is { Success: true } m:
                return $"Configuration error: {m.Groups["setting"].Value}: the value is not a valid {m.Groups["type"].Value.Split('.')[^1]}.";
            case AggregateException { InnerExceptions.Count: > 0 } a:
                return Describe(a.InnerExceptions[0]);
            default:
                return e.InnerException is { } inner && Describe(inner) is { } described && described.StartsWith("Configuration error", StringComparison.Ordinal)
                    ? described
                    : $"Start-up failed: {e.Message.ReplaceLineEndings(" ")}";
        }
    }

    [GeneratedRegex("members: '([^']+)'")]
    private static partial Regex MemberName();

    [GeneratedRegex("with the error: '(.+)'")]
    private static partial Regex ErrorText();

    [GeneratedRegex("Failed to convert configuration value (?:'[^']*' )?at '(?<setting>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConvertFailure();
}
