using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// The graphql-transport-ws protocol (the graphql-ws library's) at the GraphQL path:
/// connection_init (bearer token in the payload) → connection_ack, ping/pong, subscribe → next…
/// complete / error, with the protocol's close codes.
/// </summary>
public sealed class GraphQLWebSocketTransport(
    LiveOperations operations,
    LiveGroups groups,
    LiveConnectionLimiter limiter,
    Hosting.RegistryRateLimiters rateLimiters,
    IOptions<LiveOptions> options,
    TimeProvider time,
    ILogger<GraphQLWebSocketTransport> logger)
{
    public const string SubProtocol = "graphql-transport-ws";

    private LiveOperations Operations => operations;
    private LiveGroups Groups => groups;
    private Hosting.RegistryRateLimiters RateLimiters => rateLimiters;
    private LiveConnectionLimiter Limiter => limiter;
    private LiveOptions Options => options.Value;
    private TimeProvider Time => time;
    private ILogger Logger => logger;

    public static class CloseCodes
    {
        public const int BadRequest = 4400;
        public const int Unauthorized = 4401;
        public const int Forbidden = 4403;
        public const int InitTimeout = 4408;
        public const int SubscriberExists = 4409;
        public const int TooManyRequests = 4429;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync($$$"""{"errors":[{"message":"WebSocket connections must use the {{{SubProtocol}}} subprotocol.","extensions":{"code":"BAD_REQUEST"}}]}""");
            return;
        }
        var upgradeAuth = await http.AuthenticateAsync();
        if (upgradeAuth.Failure is not null)
        {
            await operations.RecordRefusalAsync(Hosting.ClientKey.IpOf(http), Caller.Anonymous, http.TraceIdentifier,
                "(bearer token)", "Authenticated", "The bearer token of a WebSocket upgrade is invalid or expired.");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync("""{"errors":[{"message":"The bearer token is invalid or expired.","extensions":{"code":"UNAUTHENTICATED"}}]}""");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var connection = new Connection(this, http, socket, upgradeAuth.Principal);
        await connection.RunAsync();
    }

    private sealed class Connection(GraphQLWebSocketTransport transport, HttpContext http, WebSocket socket, ClaimsPrincipal? upgradeUser)
    {
        private readonly LiveOptions _o = transport.Options;
        private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private readonly CancellationTokenSource _abort = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        private readonly Channel<Outgoing> _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(10_000) { SingleReader = true });
        private readonly ConcurrentDictionary<string, CancellationTokenSource> _operations = new(StringComparer.Ordinal);
        private ClaimsPrincipal _user = new(new ClaimsIdentity());
        private bool _initReceived;
        private volatile bool _acknowledged;
        private long _lastReceived;
        private IDisposable? _lease;
        private CloseFrame? _close;

        private sealed record CloseFrame(int Code, string Reason);

        /// <summary>A message to send: text, or a shared result wrapped as <c>prefix + payload + "}"</c> (the payload is never copied per subscriber until the frame is written).</summary>
        private readonly record struct Outgoing(string? Text, byte[]? Prefix, ReadOnlyMemory<byte> Payload);

        /// <summary>One subscription's writer: each shared result becomes a next message on this connection.</summary>
        private sealed class Sink(Connection connection, byte[] prefix, CancellationToken completed) : ILiveSink
        {
            // A result racing the client's complete is dropped: no next after complete.
            public void Next(ReadOnlyMemory<byte> payload)
            {
                if (!completed.IsCancellationRequested) connection.Send(new Outgoing(null, prefix, payload));
            }
        }

        public async Task RunAsync()
        {
            _lastReceived = transport.Time.GetTimestamp();
            var writer = WriteLoopAsync();
            var timers = TimersAsync();
            try
            {
                await ReadLoopAsync();
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException)
            {
            }
            catch (Exception e)
            {
                transport.Logger.LogError(e, "The GraphQL WebSocket connection failed");
                Close((int)WebSocketCloseStatus.InternalServerError, "Internal server error");
            }
            finally
            {
                Close((int)WebSocketCloseStatus.NormalClosure, "");
                foreach (var op in _operations.Values) op.Cancel();
                await writer;
                await timers;
                _lease?.Dispose();
            }
        }

        /// <summary>
        /// Ends the connection with <paramref name="code"/> (the first code given wins): operations stop, queued
        /// messages are flushed, then the close frame goes out. The receive is never cancelled (that
        /// would abort the socket before the close frame); the client's close reply ends it.
        /// </summary>
        private void Close(int code, string reason)
        {
            lock (_operations)
            {
                if (_close is not null) return;
                _close = new CloseFrame(code, reason);
            }
            _closing.Cancel();
            _outgoing.Writer.TryComplete();
        }

        private async Task ReadLoopAsync()
        {
            var buffer = new byte[8 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, _abort.Token);
                if (r.MessageType == WebSocketMessageType.Close) return;
                if (_close is not null) continue; // closing: drain until the client's close reply
                Interlocked.Exchange(ref _lastReceived, transport.Time.GetTimestamp());
                if (message.Length + r.Count > _o.MaxMessageBytes)
                {
                    Close((int)WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_o.MaxMessageBytes} bytes");
                    message.SetLength(0);
                    continue;
                }
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                if (r.MessageType != WebSocketMessageType.Text)
                {
                    Close(CloseCodes.BadRequest, "Invalid message received");
                    continue;
                }
                await HandleAsync(bytes);
            }
        }

        private async Task HandleAsync(byte[] bytes)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                Close(CloseCodes.BadRequest, "Invalid message received");
                return;
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeEl) || typeEl.ValueKind != JsonValueKind.String)
                {
                    Close(CloseCodes.BadRequest, "Invalid message received");
                    return;
                }
                switch (typeEl.GetString())
                {
                    case "connection_init":
                        await InitAsync(root);
                        break;
                    case "ping":
                        Send("""{"type":"pong"}""");
                        break;
                    case "pong":
                        break;
                    case "subscribe":
                        await SubscribeAsync(root);
                        break;
                    case "complete":
                        if (root.TryGetProperty("id", out var cid) && cid.ValueKind == JsonValueKind.String && _operations.TryRemove(cid.GetString()!, out var cts))
                            cts.Cancel();
                        break;
                    default:
                        Close(CloseCodes.BadRequest, "Invalid message received");
                        break;
                }
            }
        }

        private async Task InitAsync(JsonElement root)
        {
            if (_initReceived)
            {
                Close(CloseCodes.TooManyRequests, "Too many initialisation requests");
                return;
            }
            _initReceived = true;
            string? token = null;
            if (root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "Authorization", "authorization", "token" })
                    if (payload.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String) token = t.GetString();
            }
            else if (root.TryGetProperty("payload", out payload) && payload.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                Close(CloseCodes.BadRequest, "Invalid message received");
                return;
            }
            ClaimsPrincipal user;
            if (token is null && upgradeUser?.Identity?.IsAuthenticated == true) user = upgradeUser;
            else
            {
                var (validated, failed) = await transport.Operations.AuthenticateAsync(token);
                if (failed || validated is null)
                {
                    // Guessing tokens over sockets spends the same per-IP budget as over HTTP.
                    if (transport.RateLimiters.TryFailedAuthentication(http) is not null)
                    {
                        Close(CloseCodes.TooManyRequests, "Too many invalid tokens; try again later");
                        return;
                    }
                    await transport.Operations.RecordRefusalAsync(Hosting.ClientKey.IpOf(http), Caller.Anonymous, http.TraceIdentifier,
                        "(bearer token)", "Authenticated", "The bearer token in connection_init is invalid or expired.");
                    Close(CloseCodes.Forbidden, "Forbidden: the bearer token is invalid or expired");
                    return;
                }
                user = validated;
            }
            var lease = transport.Limiter.TryAcquire(LiveConnectionLimiter.KeyOf(http, Caller.From(user)));
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                Close(CloseCodes.TooManyRequests, "Too many connections for this caller");
                return;
            }
            _lease = lease;
            _user = user;
            if (LiveOperations.ExpiryOf(user) is { } expires) _ = CloseAtExpiryAsync(expires);
            _acknowledged = true;
            Send("""{"type":"connection_ack"}""");
        }

        private async Task CloseAtExpiryAsync(DateTimeOffset expires)
        {
            var wait = expires - transport.Time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, transport.Time, _closing.Token);
                var caller = Caller.From(_user);
                await transport.Operations.RecordRefusalAsync(Hosting.ClientKey.Of(http, caller), caller, http.TraceIdentifier,
                    "(bearer token)", "Authenticated", "The bearer token expired while a live connection was open.");
                Close(CloseCodes.Forbidden, "Forbidden: the bearer token expired");
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task SubscribeAsync(JsonElement root)
        {
            if (!_acknowledged)
            {
                await transport.Operations.RecordRefusalAsync(Hosting.ClientKey.IpOf(http), Caller.Anonymous, http.TraceIdentifier,
                    "subscribe", "Authenticated", "A subscribe message came before connection_ack.");
                Close(CloseCodes.Unauthorized, "Unauthorized");
                return;
            }
            if (!root.TryGetProperty("id", out var idEl) || idEl.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(idEl.GetString())
                || !root.TryGetProperty("payload", out var payload))
            {
                Close(CloseCodes.BadRequest, "Invalid message received");
                return;
            }
            var id = idEl.GetString()!;
            var (request, error) = transport.Operations.ReadRequest(payload);
            if (request is null)
            {
                Close(CloseCodes.BadRequest, "Invalid message received: " + error);
                return;
            }
            if (_operations.ContainsKey(id))
            {
                Close(CloseCodes.SubscriberExists, $"Subscriber for {id} already exists");
                return;
            }
            if (_operations.Count >= _o.MaxSubscriptionsPerConnection)
            {
                SendError(id, $$$"""[{"message":"Mỗi kết nối chỉ được giữ tối đa {{{_o.MaxSubscriptionsPerConnection}}} đăng ký theo dõi.","extensions":{"code":"{{{LiveErrorCodes.TooManySubscriptions}}}"}}]""");
                return;
            }
            var cts = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            _operations[id] = cts;
            _ = RunOperationAsync(id, request, cts);
        }

        private async Task RunOperationAsync(string id, global::GraphQL.Transport.GraphQLRequest request, CancellationTokenSource cts)
        {
            var completed = false;
            try
            {
                var op = await transport.Operations.StartAsync(request, _user, $"{http.TraceIdentifier}:{id}",
                    Hosting.ClientKey.Of(http, Caller.From(_user)), cts.Token);
                if (op.Stream is null)
                {
                    await using (op)
                    {
                        if (op.Result.Executed && op.Result.Data is not null) Send(Next(id, op.Serialize(op.Result)));
                        else if (!op.Result.Executed || op.Result.Errors is { Count: > 0 })
                        {
                            SendError(id, op.ErrorsJson());
                            completed = true;
                            return;
                        }
                    }
                }
                else
                {
                    var prefix = Encoding.UTF8.GetBytes($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":""");
                    await transport.Groups.RunAsync(op, new Sink(this, prefix, cts.Token), cts.Token);
                }
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                completed = !_operations.ContainsKey(id); // completed by the client: no complete message back
                return;
            }
            catch (Exception e)
            {
                transport.Logger.LogError(e, "A GraphQL WebSocket operation failed");
                SendError(id, """[{"message":"Lỗi máy chủ.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]""");
                completed = true;
                return;
            }
            finally
            {
                if (_operations.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, cts)) && !completed && !_closing.IsCancellationRequested)
                    Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""");
                else _operations.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, cts));
                cts.Dispose();
            }
        }

        private static string Next(string id, string payload) => $$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":{{payload}}}""";

        private void SendError(string id, string errorsJson) =>
            Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"error","payload":{{errorsJson}}}""");

        private void Send(string message) => Send(new Outgoing(message, null, default));

        private void Send(Outgoing message)
        {
            if (!_outgoing.Writer.TryWrite(message)) Close((int)WebSocketCloseStatus.PolicyViolation, "The client reads too slowly");
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                await foreach (var message in _outgoing.Reader.ReadAllAsync())
                {
                    if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) continue;
                    var length = message.Text is { } text ? Encoding.UTF8.GetByteCount(text) : message.Prefix!.Length + message.Payload.Length + 1;
                    var frame = ArrayPool<byte>.Shared.Rent(length);
                    try
                    {
                        if (message.Text is { } t) Encoding.UTF8.GetBytes(t, frame);
                        else
                        {
                            message.Prefix!.CopyTo(frame, 0);
                            message.Payload.Span.CopyTo(frame.AsSpan(message.Prefix.Length));
                            frame[length - 1] = (byte)'}';
                        }
                        await socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, true, _abort.Token);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame);
                    }
                }
                if (_close is { } c && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync((WebSocketCloseStatus)c.Code, c.Reason, _abort.Token);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
            finally
            {
                // A client that does not answer the close frame is cut off.
                _abort.CancelAfter(TimeSpan.FromSeconds(2));
            }
        }

        private async Task TimersAsync()
        {
            var started = transport.Time.GetTimestamp();
            var initTick = TimeSpan.FromMilliseconds(Math.Min(_o.KeepAlive.TotalMilliseconds, Math.Min(_o.InitTimeout.TotalMilliseconds, 1000)));
            // Once initialised only the keep-alive and idle limits are left: thousands of open
            // sockets waking every second cost as much as the events they carry.
            var steadyTick = TimeSpan.FromTicks(Math.Max(initTick.Ticks, Math.Min(_o.KeepAlive.Ticks, _o.IdleTimeout.Ticks) / 4));
            var lastPing = started;
            try
            {
                while (!_closing.IsCancellationRequested)
                {
                    await Task.Delay(_initReceived ? steadyTick : initTick, transport.Time, _closing.Token);
                    var now = transport.Time.GetTimestamp();
                    if (!_initReceived && transport.Time.GetElapsedTime(started, now) >= _o.InitTimeout)
                    {
                        Close(CloseCodes.InitTimeout, "Connection initialisation timeout");
                        return;
                    }
                    if (transport.Time.GetElapsedTime(Interlocked.Read(ref _lastReceived), now) >= _o.IdleTimeout)
                    {
                        Close((int)WebSocketCloseStatus.EndpointUnavailable, "Idle timeout");
                        return;
                    }
                    if (_acknowledged && transport.Time.GetElapsedTime(lastPing, now) >= _o.KeepAlive)
                    {
                        lastPing = now;
                        Send("""{"type":"ping"}""");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
