using System.ComponentModel.DataAnnotations;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Hosting;

public sealed class SecurityEventOptions
{
    public const string Section = "SecurityEvents";

    /// <summary>Refusals per client and minute written as individual security events; the rest are counted.</summary>
    [Range(0, 10_000_000)]
    public int DetailedPerClientPerMinute { get; set; } = 10;

    /// <summary>Most (client, refusal, minute) counters held before they are written; beyond, clients share one counter.</summary>
    [Range(100, 1_000_000)]
    public int MaxCounters { get; set; } = 10_000;

    /// <summary>How often finished minutes are written to the audit log.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Refusals (no token, no right, invalid token) are logged and audited without letting a flood
/// grow the audit log: each client (subject, or IP when anonymous) gets a few individual
/// security events per minute; beyond that, refusals are counted per (client, action, reason,
/// minute) and written as one summary event when the minute is over. The log line never holds
/// the token, only the client key and the request id.
/// </summary>
public sealed class SecurityEventLog(
    IAuditStore audit, RegistryClock clock, IOptions<SecurityEventOptions> options, MessageText text, ILogger<SecurityEventLog> logger)
{
    public const string SummaryAction = "refusals";
    private const string ManyClients = "(many clients)";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Client, long Minute), int> _detailed = [];
    private readonly Dictionary<(string Client, string Action, string Reason, long Minute), Summary> _summaries = [];

    private sealed class Summary(Caller caller, string parentType, string policy)
    {
        public Caller Caller { get; } = caller;
        public string ParentType { get; } = parentType;
        public string Policy { get; } = policy;
        public int Count { get; set; }
        public string LastRequestId { get; set; } = "";
    }

    public async Task RecordAsync(string client, Caller caller, string requestId, Denial denial)
    {
        // The audit log is kept in Vietnamese whatever language the refused caller asked for.
        var reason = text.Format(denial.Reason, MessageText.Vietnamese);
        logger.LogInformation("Refused {Action} for {Client} (policy {Policy}, request {RequestId}): {Reason}",
            denial.Field, client, denial.Policy, requestId, text.Format(denial.Reason, MessageText.English));
        var minute = MinuteOf(clock.UtcNow());
        var o = options.Value;
        lock (_gate)
        {
            var written = _detailed.GetValueOrDefault((client, minute));
            if (written >= o.DetailedPerClientPerMinute)
            {
                var key = (client, denial.Field, reason, minute);
                if (!_summaries.ContainsKey(key) && _summaries.Count >= o.MaxCounters) key = (ManyClients, denial.Field, reason, minute);
                if (!_summaries.TryGetValue(key, out var summary))
                    _summaries[key] = summary = new Summary(key.Item1 == ManyClients ? Caller.Anonymous : caller, denial.ParentType, denial.Policy);
                summary.Count++;
                summary.LastRequestId = requestId;
                return;
            }
            if (_detailed.Count >= o.MaxCounters) _detailed.Clear(); // only budgets are lost, never counts
            _detailed[(client, minute)] = written + 1;
        }
        await AppendAsync(caller, requestId, denial.Field, denial.ParentType, denial.Policy, reason);
    }

    /// <summary>Writes the summaries of finished minutes (of all minutes when <paramref name="all"/>).</summary>
    public async Task FlushAsync(bool all, CancellationToken ct = default)
    {
        var current = MinuteOf(clock.UtcNow());
        List<(string Client, string Action, string Reason, long Minute, Summary Summary)> due = [];
        lock (_gate)
        {
            foreach (var (key, summary) in _summaries)
                if (all || key.Minute < current) due.Add((key.Client, key.Action, key.Reason, key.Minute, summary));
            foreach (var d in due) _summaries.Remove((d.Client, d.Action, d.Reason, d.Minute));
            foreach (var key in _detailed.Keys.Where(k => k.Minute < current).ToList()) _detailed.Remove(key);
        }
        foreach (var d in due)
        {
            var start = DateTimeOffset.FromUnixTimeSeconds(d.Minute * 60).UtcDateTime;
            await AppendAsync(d.Summary.Caller, d.Summary.LastRequestId, SummaryAction, d.Summary.ParentType, d.Summary.Policy,
                text.Format(new(Messages.RefusalSummary, d.Summary.Count, d.Action, d.Client, start, d.Reason), MessageText.Vietnamese));
        }
    }

    private static long MinuteOf(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeSeconds() / 60;

    private async Task AppendAsync(Caller caller, string requestId, string action, string parentType, string policy, string reason)
    {
        try
        {
            await audit.AppendAsync(new AuditEvent
            {
                Kind = AuditKind.Security,
                Stream = AuditEvent.SecurityStream,
                Timestamp = clock.UtcNow(),
                RequestId = requestId,
                ActorId = caller.Id,
                ActorName = caller.Name,
                ActorRoles = [.. caller.Roles.Order(StringComparer.Ordinal)],
                Action = action,
                TargetType = parentType,
                Policy = policy,
                UnitId = caller.UnitId,
                Reason = reason,
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not write a security event for {Action} (request {RequestId})", action, requestId);
        }
    }
}

/// <summary>Writes finished minutes' refusal counts every <see cref="SecurityEventOptions.FlushInterval"/>, and all of them on shutdown.</summary>
public sealed class SecurityEventFlusher(SecurityEventLog log, IOptions<SecurityEventOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await log.FlushAsync(all: false, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await log.FlushAsync(all: true, cancellationToken);
    }
}

public static class SecurityEventRegistration
{
    public static IServiceCollection AddSecurityEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityEventOptions>()
            .Bind(configuration.GetSection(SecurityEventOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SecurityEventLog>();
        services.AddHostedService<SecurityEventFlusher>();
        return services;
    }
}
