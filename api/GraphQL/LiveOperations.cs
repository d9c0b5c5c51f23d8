using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using DanVanKheo.Api.Auth;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Runs one GraphQL operation for a live transport (WebSocket, SSE) in its own DI scope, so each
/// subscription has its own request context, audit context and DataLoaders for its lifetime.
/// </summary>
public sealed class LiveOperations(
    IDocumentExecuter<RegistrySchema> executer,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    Hosting.SecurityEventLog securityEvents,
    Microsoft.Extensions.Options.IOptions<Live.LiveOptions> options)
{
    /// <summary>Set in the user context by a subscription that resumes from a cursor: its replay is its own, it is never shared.</summary>
    public const string ResumeKey = "live.resume";

    public IGraphQLTextSerializer Serializer => serializer;

    /// <summary>A refusal at the transport (bad or expired token, subscribe before ack), audited as HTTP refusals are.</summary>
    public Task RecordRefusalAsync(string client, Caller caller, string requestId, string action, string policy, string reason) =>
        securityEvents.RecordAsync(client, caller, requestId, new Denial(action, policy, reason));

    /// <summary>Reads {query, operationName, variables, extensions}; null and a message when it is not a valid request.</summary>
    public (GraphQLRequest? Request, string? Error) ReadRequest(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) return (null, "The payload must be a JSON object.");
        var request = new GraphQLRequest();
        try
        {
            foreach (var p in payload.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "query":
                        if (p.Value.ValueKind != JsonValueKind.String) return (null, "'query' must be a string.");
                        request.Query = p.Value.GetString();
                        break;
                    case "operationName":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return (null, "'operationName' must be a string or null.");
                        request.OperationName = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        break;
                    case "variables":
                        if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return (null, "'variables' must be a JSON object or null.");
                        request.Variables = p.Value.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(p.Value) : null;
                        break;
                    case "extensions":
                        if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return (null, "'extensions' must be a JSON object or null.");
                        request.Extensions = p.Value.ValueKind == JsonValueKind.Object ? serializer.ReadNode<Inputs>(p.Value) : null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return (null, "The payload is not a valid GraphQL request.");
        }
        return string.IsNullOrWhiteSpace(request.Query) ? (null, "The request has no 'query' string.") : (request, null);
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

    /// <summary>
    /// Executes <paramref name="request"/> for <paramref name="user"/>; refusals by the policies
    /// become security events of <paramref name="client"/> (as for HTTP requests).
    /// </summary>
    public async Task<LiveOperation> StartAsync(GraphQLRequest request, ClaimsPrincipal user, string requestId, string client, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var caller = Caller.From(user);
            var context = scope.ServiceProvider.GetRequiredService<RequestContext>().Start(caller, requestId);
            var userContext = new RegistryUserContext
            {
                Request = context,
                Loaders = scope.ServiceProvider.GetRequiredService<RequestLoaders>(),
                [SubscriptionTransportRule.LiveKey] = true,
            };
            var result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                User = user,
                RequestServices = scope.ServiceProvider,
                CancellationToken = ct,
                UserContext = userContext,
            });
            foreach (var d in context.Denials) await securityEvents.RecordAsync(client, caller, requestId, d);
            var share = options.Value.ShareExecutions && result.Streams is { Count: > 0 } && !userContext.ContainsKey(ResumeKey) ? ShareKeyOf(request, caller) : null;
            return new LiveOperation(scope, result, serializer, share);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Subscriptions with the same key get the same results: the same document, operation and
    /// variables, seen by the same authorization view. Anonymous callers all see the same;
    /// a signed-in caller's view is their subject, roles and unit (read policies and the
    /// chair's extra fields depend on them), so signed-in callers share only their own streams.
    /// </summary>
    private string ShareKeyOf(GraphQLRequest request, Caller caller)
    {
        var view = caller.IsAuthenticated
            ? $"user:{caller.Id}|{string.Join(',', caller.Roles.Order(StringComparer.Ordinal))}|{caller.UnitId}"
            : "anonymous";
        var variables = request.Variables is null ? "" : serializer.Serialize(request.Variables);
        return string.Join('\n', view, request.OperationName, variables, request.Query);
    }
}

/// <summary>One started operation: a single result (query, mutation, refused subscription) or a stream of results.</summary>
public sealed class LiveOperation(AsyncServiceScope scope, ExecutionResult result, IGraphQLTextSerializer serializer, string? shareKey) : IAsyncDisposable
{
    public ExecutionResult Result => result;

    /// <summary>The subscription's event stream, or null when the operation gave one result.</summary>
    public IObservable<ExecutionResult>? Stream => result.Streams?.Values.FirstOrDefault();

    /// <summary>Subscribers with the same key may share this stream's results (null: never shared).</summary>
    public string? ShareKey => shareKey;

    public string Serialize(ExecutionResult r) => serializer.Serialize(r);

    /// <summary>The errors of a result that was not executed, as the JSON array the protocols carry.</summary>
    public string ErrorsJson() => (JsonNode.Parse(serializer.Serialize(result))?["errors"] ?? new JsonArray()).ToJsonString();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
