using System.Buffers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// GraphQL over Server-Sent Events, the graphql-sse protocol's "distinct connections" mode: one
/// POST (JSON body) or GET (query parameters) with <c>Accept: text/event-stream</c> per operation;
/// the response streams <c>next</c> events and ends with <c>complete</c>. Requests that fail before
/// execution (bad body, invalid document, refused by a policy gate) get a JSON error with a 4xx status.
/// </summary>
public sealed class GraphQLSseTransport(LiveOperations operations, LiveGroups groups, LiveConnectionLimiter limiter, IOptions<LiveOptions> options, TimeProvider time)
{
    private static ReadOnlySpan<byte> NextPrefix => "event: next\ndata: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    public const string EventStream = "text/event-stream";

    public static bool Accepts(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(EventStream, StringComparison.OrdinalIgnoreCase));

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await JsonErrorAsync(http, StatusCodes.Status405MethodNotAllowed, "BAD_REQUEST", "Use GET or POST for GraphQL over SSE.");
            return;
        }
        var auth = await http.AuthenticateAsync();
        if (auth.Failure is not null)
        {
            await operations.RecordRefusalAsync(Hosting.ClientKey.IpOf(http), Caller.Anonymous, http.TraceIdentifier,
                "(bearer token)", "Authenticated", "The bearer token of a GraphQL over SSE request is invalid or expired.");
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await JsonErrorAsync(http, StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", "The bearer token is invalid or expired.");
            return;
        }
        var user = auth.Principal ?? new ClaimsPrincipal(new ClaimsIdentity());
        var (request, error) = await ReadAsync(http);
        if (request is null)
        {
            await JsonErrorAsync(http, error!.Value.Status, "BAD_REQUEST", error.Value.Message);
            return;
        }
        using var lease = limiter.TryAcquire(LiveConnectionLimiter.KeyOf(http, Caller.From(user)));
        if (!lease.IsAcquired)
        {
            await JsonErrorAsync(http, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", "Bạn đang mở quá nhiều kết nối theo dõi cùng lúc.");
            return;
        }

        using var expiry = new CancellationTokenSource();
        if (LiveOperations.ExpiryOf(user) is { } expires)
        {
            var wait = expires - time.GetUtcNow();
            if (wait <= TimeSpan.Zero) expiry.Cancel();
            else _ = Task.Delay(wait, time, http.RequestAborted).ContinueWith(_ => expiry.Cancel(), TaskScheduler.Default);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry.Token);
        var op = await operations.StartAsync(request, user, http.TraceIdentifier, Hosting.ClientKey.Of(http, Caller.From(user)), linked.Token);
        var owned = true; // until the stream's group takes it
        try
        {
            await StreamAsync(http, user, op, linked, expiry, () => owned = false);
        }
        finally
        {
            if (owned) await op.DisposeAsync();
        }
    }

    private async Task StreamAsync(HttpContext http, ClaimsPrincipal user, LiveOperation op, CancellationTokenSource linked, CancellationTokenSource expiry, Action handedOver)
    {
        if (!op.Result.Executed)
        {
            var codes = op.Result.Errors?.Select(e => (e as IRegistryCoded)?.RegistryCode).ToList() ?? [];
            var status = codes.Contains(RequestRules.Unauthenticated) ? StatusCodes.Status401Unauthorized
                : codes.Contains(Common.ErrorCodes.Forbidden) ? StatusCodes.Status403Forbidden
                : StatusCodes.Status400BadRequest;
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(op.Serialize(op.Result), http.RequestAborted);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = EventStream + "; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(http.RequestAborted);
        var gate = new SemaphoreSlim(1, 1);
        async Task WriteAsync(string text)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await http.Response.WriteAsync(text, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
            finally
            {
                gate.Release();
            }
        }
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var pinger = PingAsync(WriteAsync, keepAlive.Token);
        try
        {
            if (op.Stream is null) await WriteAsync(Event("next", op.Serialize(op.Result)));
            else
            {
                var sink = new ChannelSink(options.Value.SubscriberBuffer);
                handedOver();
                var run = groups.RunAsync(op, sink, linked.Token).ContinueWith(t => sink.Complete(t.Exception?.InnerException), TaskScheduler.Default);
                await foreach (var payload in sink.Reader.ReadAllAsync(linked.Token))
                {
                    await gate.WaitAsync(CancellationToken.None);
                    try
                    {
                        var body = http.Response.BodyWriter;
                        body.Write(NextPrefix);
                        body.Write(payload.Span);
                        body.Write(EventEnd);
                        await body.FlushAsync(http.RequestAborted);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
                await run;
            }
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            var caller = Caller.From(user);
            await operations.RecordRefusalAsync(Hosting.ClientKey.Of(http, caller), caller, http.TraceIdentifier,
                "(bearer token)", "Authenticated", "The bearer token expired while a live connection was open.");
            await WriteAsync(Event("next", """{"errors":[{"message":"Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.","extensions":{"code":"UNAUTHENTICATED"}}]}"""));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Common.DomainException e) when (e.Code == LiveErrorCodes.SlowConsumer)
        {
            await WriteAsync(Event("next", JsonSerializer.Serialize(new { errors = new[] { new { message = e.Message, extensions = new { code = e.Code } } } })));
        }
        finally
        {
            await keepAlive.CancelAsync();
            await pinger;
        }
        await WriteAsync(Event("complete", ""));
    }

    private async Task PingAsync(Func<string, Task> write, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.KeepAlive, time, ct);
                await write(":\n\n");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Results of one SSE stream, written by the response loop in order.</summary>
    private sealed class ChannelSink(int capacity) : ILiveSink
    {
        private readonly System.Threading.Channels.Channel<ReadOnlyMemory<byte>> _channel =
            System.Threading.Channels.Channel.CreateBounded<ReadOnlyMemory<byte>>(new System.Threading.Channels.BoundedChannelOptions(capacity) { SingleReader = true });

        public System.Threading.Channels.ChannelReader<ReadOnlyMemory<byte>> Reader => _channel.Reader;

        public void Next(ReadOnlyMemory<byte> payload)
        {
            if (!_channel.Writer.TryWrite(payload))
                _channel.Writer.TryComplete(new Common.DomainException(LiveErrorCodes.SlowConsumer,
                    "Bạn nhận sự kiện quá chậm nên kết nối theo dõi đã bị ngắt; hãy đăng ký lại với con trỏ cuối cùng."));
        }

        public void Complete(Exception? error) => _channel.Writer.TryComplete(error);
    }

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    private async Task<(global::GraphQL.Transport.GraphQLRequest?, (int Status, string Message)?)> ReadAsync(HttpContext http)
    {
        var max = options.Value.MaxMessageBytes;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var q = http.Request.Query;
            if ((http.Request.QueryString.Value?.Length ?? 0) > max) return (null, (StatusCodes.Status414UriTooLong, "The query string is too long."));
            var json = new Dictionary<string, object?> { ["query"] = q["query"].FirstOrDefault(), ["operationName"] = q["operationName"].FirstOrDefault() };
            try
            {
                foreach (var name in new[] { "variables", "extensions" })
                    if (q[name].FirstOrDefault() is { Length: > 0 } v) json[name] = JsonDocument.Parse(v).RootElement;
            }
            catch (JsonException)
            {
                return (null, (StatusCodes.Status400BadRequest, "'variables' and 'extensions' must be JSON objects."));
            }
            using var doc = JsonSerializer.SerializeToDocument(json);
            var (r, e) = operations.ReadRequest(doc.RootElement);
            return r is null ? (null, (StatusCodes.Status400BadRequest, e!)) : (r, null);
        }
        if (http.Request.ContentType is not { } ct || !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, (StatusCodes.Status415UnsupportedMediaType, "POST requests must have Content-Type: application/json."));
        if (http.Request.ContentLength > max) return (null, (StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {max} bytes."));
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max) return (null, (StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {max} bytes."));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            using var body = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var (r, e) = operations.ReadRequest(body.RootElement);
            return r is null ? (null, (StatusCodes.Status400BadRequest, e!)) : (r, null);
        }
        catch (JsonException)
        {
            return (null, (StatusCodes.Status400BadRequest, "The request body is not valid JSON."));
        }
    }

    private static async Task JsonErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new { errors = new[] { new { message, extensions = new { code } } } }), http.RequestAborted);
    }
}
