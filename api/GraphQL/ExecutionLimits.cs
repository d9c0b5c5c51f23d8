using GraphQL;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Runs one operation under <c>GraphQL:ExecutionTimeout</c> and the client's connection: when
/// the client goes away the work stops (resolvers and stores get the cancelled token); when the
/// time is up the client gets an <see cref="ExecutionTimedOut"/> error instead of a result.
/// </summary>
public static class ExecutionLimits
{
    public const string ExecutionTimedOut = "EXECUTION_TIMEOUT";

    /// <returns>The result, or null when the client aborted the request (nothing is written then).</returns>
    public static async Task<ExecutionResult?> ExecuteAsync(HttpContext http, TimeSpan timeout, ILogger logger,
        Func<CancellationToken, Task<ExecutionResult>> execute)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        limit.CancelAfter(timeout);
        try
        {
            var result = await execute(limit.Token);
            // GraphQL.NET may also turn a cancellation into an error result instead of throwing.
            if (!limit.IsCancellationRequested) return result;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }
        if (http.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("Request {RequestId} cancelled: the client went away", http.TraceIdentifier);
            return null;
        }
        logger.LogWarning("Request {RequestId} stopped after the execution timeout of {Timeout}", http.TraceIdentifier, timeout);
        var timedOut = new ExecutionResult { Executed = false };
        timedOut.AddError(new RegistryError(ExecutionTimedOut, new(ExecutionTimedOut, timeout.TotalSeconds)));
        return timedOut;
    }
}
