using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DanVanKheo.Tests.Live;

/// <summary>What a graphql-transport-ws connection received: a message, or the server's close.</summary>
public sealed record WsFrame(JsonNode? Message, int? CloseCode, string? CloseReason)
{
    public string? Type => Message?["type"]?.GetValue<string>();
}

/// <summary>A minimal graphql-transport-ws client over the test server's real WebSocket.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly WebSocket _socket;

    private WsClient(WebSocket socket) => _socket = socket;

    public static async Task<WsClient> OpenAsync<T>(WebApplicationFactory<T> factory, string protocol = "graphql-transport-ws") where T : class
    {
        var client = factory.Server.CreateWebSocketClient();
        client.SubProtocols.Add(protocol);
        return new WsClient(await client.ConnectAsync(new Uri("ws://localhost/graphql"), CancellationToken.None));
    }

    /// <summary>Opens, sends connection_init with the token and expects connection_ack.</summary>
    public static async Task<WsClient> ConnectAsync<T>(WebApplicationFactory<T> factory, string? token = null) where T : class
    {
        var ws = await OpenAsync(factory);
        await ws.SendAsync(token is null ? new { type = "connection_init" } : new { type = "connection_init", payload = new { Authorization = "Bearer " + token } });
        var ack = await ws.ReceiveAsync();
        Assert.True(ack.Type == "connection_ack", $"Expected connection_ack, got {ack.Message?.ToJsonString()} / close {ack.CloseCode} {ack.CloseReason}");
        return ws;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message (pings answered and skipped), or the close; fails after <paramref name="timeout"/>.</summary>
    public async Task<WsFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                    return new WsFrame(null, (int?)_socket.CloseStatus, _socket.CloseStatusDescription);
                message.Write(buffer, 0, r.Count);
            }
            while (!r.EndOfMessage);
            var node = JsonNode.Parse(message.ToArray());
            if (node?["type"]?.GetValue<string>() == "ping")
            {
                await SendAsync(new { type = "pong" });
                continue;
            }
            return new WsFrame(node, null, null);
        }
    }

    /// <summary>The next message of subscription <paramref name="id"/> (a next, error or complete).</summary>
    public async Task<WsFrame> NextOfAsync(string id, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (true)
        {
            var f = await ReceiveAsync(limit - sw.Elapsed);
            if (f.CloseCode is not null || f.Message?["id"]?.GetValue<string>() == id) return f;
        }
    }

    /// <summary>Expects nothing for <paramref name="quiet"/>: true when no message came.</summary>
    public async Task<bool> QuietAsync(TimeSpan quiet)
    {
        try
        {
            var f = await ReceiveAsync(quiet);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Reads without answering pings until the server closes; its close code.</summary>
    public async Task<int?> ReceiveRawUntilCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var r = await _socket.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close) return (int?)_socket.CloseStatus;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}

/// <summary>A GraphQL over SSE (distinct connections) request read event by event.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public int Status => (int)_response.StatusCode;
    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<SseClient> PostAsync(HttpClient http, string query, object? variables = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public Task<string> BodyAsync() => _reader.ReadToEndAsync();

    /// <summary>The next event (comments skipped): its name and data.</summary>
    public async Task<(string Event, string Data)> NextEventAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (name is null && data.Length == 0) continue;
                return (name ?? "message", data.ToString());
            }
            if (line.StartsWith(':')) continue;
            if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
