using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DanVanKheo.Api.Auth;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Runs one GraphQL operation for a live transport (WebSocket, SSE) in its own DI scope, so each
/// subscription has its own request context, audit context and DataLoaders for its lifetime.
/// </summary>
public sealed class LiveOperations(IDocumentExecuter<RegistrySchema> executer, IGraphQLTextSerializer serializer, IServiceScopeFactory scopes)
{
    public IGraphQLTextSerializer Serializer => serializer;

    /// <summary>Reads {query, operationName, variables, extensions}; null and a message when it is not a valid request.</summary>
    public (GraphQLRequest? Request, Common.Message? Error) ReadRequest(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) return (null, new Common.Message(Common.Messages.PayloadNotObject));
        var request = new GraphQLRequest();
        try
        {
            foreach (var p in payload.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "query":
                        if (p.Value.ValueKind != JsonValueKind.String) return (null, new Common.Message(Common.Messages.MemberMustBeString, "query"));
                        request.Query = p.Value.GetString();
                        break;
                    case "operationName":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return (null, new Common.Message(Common.Messages.MemberMustBeStringOrNull, "operationName"));
                        request.OperationName = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        break;
                    case "variables":
                        if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return (null, new Common.Message(Common.Messages.MemberMustBeObjectOrNull, "variables"));
                        request.Variables = p.Value.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(p.Value) : null;
                        break;
                    case "extensions":
                        if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return (null, new Common.Message(Common.Messages.MemberMustBeObjectOrNull, "extensions"));
                        request.Extensions = p.Value.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(p.Value) : null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return (null, new Common.Message(Common.Messages.PayloadNotRequest));
        }
        return string.IsNullOrWhiteSpace(request.Query) ? (null, new Common.Message(Common.Messages.PayloadHasNoQuery)) : (request, null);
    }

    /// <summary>
    /// Validates a bearer token with the API's own authentication configuration (the same
    /// JwtBearer or Entra ID handler as HTTP requests). Null principal and a failure when invalid.
    /// </summary>
    public async Task<(ClaimsPrincipal? User, bool Failed)> AuthenticateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (new ClaimsPrincipal(new ClaimsIdentity()), false);
        await using var scope = scopes.CreateAsyncScope();
        var probe = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        probe.Request.Headers.Authorization = token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token : "Bearer " + token;
        var result = await probe.AuthenticateAsync();
        return result.Succeeded ? (result.Principal, false) : (null, true);
    }

    /// <summary>When the token behind <paramref name="user"/> expires (its exp claim), if it says.</summary>
    public static DateTimeOffset? ExpiryOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;

    public async Task<LiveOperation> StartAsync(GraphQLRequest request, ClaimsPrincipal user, string requestId, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var context = scope.ServiceProvider.GetRequiredService<RequestContext>().Start(Caller.From(user), requestId);
            var result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                User = user,
                RequestServices = scope.ServiceProvider,
                CancellationToken = ct,
                UserContext = new RegistryUserContext
                {
                    Request = context,
                    Loaders = scope.ServiceProvider.GetRequiredService<RequestLoaders>(),
                    [SubscriptionTransportRule.LiveKey] = true,
                },
            });
            return new LiveOperation(scope, result, serializer);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One started operation: a single result (query, mutation, refused subscription) or a stream of results.</summary>
public sealed class LiveOperation(AsyncServiceScope scope, ExecutionResult result, IGraphQLTextSerializer serializer) : IAsyncDisposable
{
    public ExecutionResult Result => result;

    /// <summary>The subscription's event stream, or null when the operation gave one result.</summary>
    public IObservable<ExecutionResult>? Stream => result.Streams?.Values.FirstOrDefault();

    public string Serialize(ExecutionResult r) => serializer.Serialize(r);

    /// <summary>The errors of a result that was not executed, as the JSON array the protocols carry.</summary>
    public string ErrorsJson() => (JsonNode.Parse(serializer.Serialize(result))?["errors"] ?? new JsonArray()).ToJsonString();

    /// <summary>The stream's results in order until it completes or <paramref name="ct"/> ends; a failing source ends with an error result.</summary>
    public async IAsyncEnumerable<ExecutionResult> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<ExecutionResult>(new UnboundedChannelOptions { SingleReader = true });
        using var subscription = Stream!.Subscribe(new Observer(channel.Writer));
        await foreach (var r in channel.Reader.ReadAllAsync(ct)) yield return r;
    }

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    private sealed class Observer(ChannelWriter<ExecutionResult> writer) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => writer.TryWrite(value);

        public void OnError(Exception error)
        {
            var r = new ExecutionResult();
            r.AddError(error as ExecutionError ?? new ExecutionError(error.Message, error));
            writer.TryWrite(r);
            writer.TryComplete();
        }

        public void OnCompleted() => writer.TryComplete();
    }
}
