using System.Buffers;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// GraphQL over HTTP (graphql-over-http draft): GET and POST, application/json and
/// application/graphql-response+json with Accept negotiation, status codes per media type.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    IDocumentExecuter<RegistrySchema> executer,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLOptions> options,
    Hosting.RegistryRateLimiters rateLimiters,
    Hosting.SecurityEventLog securityEvents,
    ILogger<GraphQLHttpEndpoint> logger)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public async Task HandleAsync(HttpContext http)
    {
        var method = http.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsPost(method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteRequestErrorAsync(http, StatusCodes.Status405MethodNotAllowed, Json,
                GraphQLErrorCodes.BadRequest, new(Messages.HttpMethodNotSupported, method));
            return;
        }

        var mediaType = NegotiateMediaType(http.Request.Headers.Accept.ToString());
        if (mediaType is null)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status406NotAcceptable, Json, GraphQLErrorCodes.BadRequest,
                new(Messages.AcceptNotSatisfiable, GraphQLResponseJson, Json));
            return;
        }

        // A token that was sent but is invalid is refused before anything runs.
        var auth = await http.AuthenticateAsync();
        if (auth.Failure is not null)
        {
            if (rateLimiters.TryFailedAuthentication(http) is { } retry)
            {
                await Hosting.RateLimitRegistration.WriteAsync(http, retry, new(Messages.InvalidTokensTooOften), http.RequestAborted);
                return;
            }
            await securityEvents.RecordAsync(Hosting.ClientKey.IpOf(http),
                Caller.Anonymous, http.TraceIdentifier, new Denial("(bearer token)", "", "Authenticated", new(Messages.TokenInvalid)));
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteRequestErrorAsync(http, StatusCodes.Status401Unauthorized, mediaType, "UNAUTHENTICATED",
                new(Messages.TokenInvalid));
            return;
        }
        if (auth.Principal is not null) http.User = auth.Principal;

        var (request, error) = HttpMethods.IsGet(method) ? ReadGet(http) : await ReadPostAsync(http);
        if (request is null)
        {
            await WriteRequestErrorAsync(http, error!.Status, mediaType, GraphQLErrorCodes.BadRequest, error.Message);
            return;
        }

        var userContext = new RegistryUserContext
        {
            Request = http.RequestServices.GetRequiredService<RequestContext>().Start(Caller.From(http.User), http.TraceIdentifier),
            Loaders = http.RequestServices.GetRequiredService<RequestLoaders>(),
            IsGetRequest = HttpMethods.IsGet(method),
        };
        var result = await ExecutionLimits.ExecuteAsync(http, options.Value.ExecutionTimeout, logger, ct => executer.ExecuteAsync(new ExecutionOptions
        {
            Query = string.IsNullOrWhiteSpace(request.Query) ? null : request.Query,
            DocumentId = request.DocumentId,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            User = http.User,
            RequestServices = http.RequestServices,
            CancellationToken = ct,
            UserContext = userContext,
        }));
        if (result is null) return; // the client went away
        if (userContext.Denials.Count > 0) await LogDenialsAsync(http, userContext);

        var status = StatusFor(result, mediaType);
        http.Response.StatusCode = status;
        if (result.Errors?.OfType<RateLimitedError>().FirstOrDefault() is { } limited)
            Hosting.RateLimitRegistration.SetRetryAfter(http, limited.RetryAfter);
        if (status == StatusCodes.Status401Unauthorized)
            http.Response.Headers.WWWAuthenticate = "Bearer";
        if (status == StatusCodes.Status405MethodNotAllowed)
            http.Response.Headers.Allow = "POST";
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static int StatusFor(ExecutionResult result, string mediaType)
    {
        if (result.Executed) return StatusCodes.Status200OK;
        var codes = result.Errors?.Select(e => (e as IRegistryCoded)?.RegistryCode).ToList() ?? [];
        if (codes.Contains(Hosting.RateLimitRegistration.RateLimited)) return StatusCodes.Status429TooManyRequests;
        if (codes.Contains(RequestRules.Unauthenticated)) return StatusCodes.Status401Unauthorized;
        if (codes.Contains(RequestRules.MutationOverGet)) return StatusCodes.Status405MethodNotAllowed;
        if (codes.Contains(ErrorCodes.Forbidden)) return StatusCodes.Status403Forbidden;
        // application/json keeps 200 for well-formed requests so clients can trust the body (spec 6.4.1).
        return mediaType == Json ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
    }

    /// <summary>
    /// Refusals by the authorization policies become security events (stream "security"): who
    /// tried which field, and why it was refused, counted rather than listed during a flood.
    /// </summary>
    private async Task LogDenialsAsync(HttpContext http, RegistryUserContext user)
    {
        var client = Hosting.ClientKey.Of(http);
        foreach (var d in user.Denials) await securityEvents.RecordAsync(client, user.Caller, user.RequestId, d);
    }

    /// <summary>Picks the response media type from Accept; null means nothing acceptable (406).</summary>
    internal static string? NegotiateMediaType(string accept)
    {
        // Since 2025-01-01 the spec's default for a missing Accept is application/graphql-response+json.
        if (string.IsNullOrWhiteSpace(accept)) return GraphQLResponseJson;
        // What clients send nearly always, without parsing a list.
        if (accept.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)) return GraphQLResponseJson;
        if (accept.Equals(Json, StringComparison.OrdinalIgnoreCase)) return Json;
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParseList([.. accept.Split(',')], out var values))
            return null;
        string? best = null;
        double bestQ = 0;
        foreach (var v in values)
        {
            var q = v.Quality ?? 1.0;
            if (q <= 0) continue;
            var candidate = v.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponseJson => GraphQLResponseJson,
                Json => Json,
                "application/*" or "*/*" => Json,
                _ => null,
            };
            if (candidate is null) continue;
            if (q > bestQ || (q == bestQ && candidate == GraphQLResponseJson && best != GraphQLResponseJson))
            {
                best = candidate;
                bestQ = q;
            }
        }
        return best;
    }

    private sealed record RequestError(int Status, Message Message);

    private (GraphQLRequest?, RequestError?) ReadGet(HttpContext http)
    {
        var q = http.Request.Query;
        if (http.Request.QueryString.Value is { } qs && qs.Length > options.Value.MaxRequestBytes)
            return (null, new RequestError(StatusCodes.Status414UriTooLong, new(Messages.QueryStringTooLong)));
        var hasDocumentId = q["documentId"].Count == 1 && !string.IsNullOrEmpty(q["documentId"][0]);
        if (!hasDocumentId && (q["query"].Count != 1 || string.IsNullOrEmpty(q["query"][0])))
            return (null, new RequestError(StatusCodes.Status400BadRequest, new(Messages.GetNeedsQuery)));
        try
        {
            return (new GraphQLRequest
            {
                Query = q["query"].Count == 1 && !string.IsNullOrEmpty(q["query"][0]) ? q["query"][0] : null,
                DocumentId = hasDocumentId ? q["documentId"][0] : null,
                OperationName = q["operationName"].Count > 0 && !string.IsNullOrEmpty(q["operationName"][0]) ? q["operationName"][0] : null,
                Variables = q["variables"].Count > 0 && !string.IsNullOrEmpty(q["variables"][0]) ? ParseObject<Inputs>(q["variables"][0]!, "variables") : null,
                Extensions = q["extensions"].Count > 0 && !string.IsNullOrEmpty(q["extensions"][0]) ? ParseObject<Inputs>(q["extensions"][0]!, "extensions") : null,
            }, null);
        }
        catch (BadRequestException e)
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, e.Text));
        }
    }

    private async Task<(GraphQLRequest?, RequestError?)> ReadPostAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var ct) ||
            !string.Equals(ct.MediaType, Json, StringComparison.OrdinalIgnoreCase))
            return (null, new RequestError(StatusCodes.Status415UnsupportedMediaType,
                new(Messages.PostNeedsJson)));
        if (ct.CharSet is { } charset && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return (null, new RequestError(StatusCodes.Status415UnsupportedMediaType, new(Messages.Utf8BodiesOnly)));

        var max = options.Value.MaxRequestBytes;
        if (http.Request.ContentLength > max)
            return (null, new RequestError(StatusCodes.Status413PayloadTooLarge, new(Messages.BodyTooLarge, max)));
        // The body stays in the server's own pipe buffers until it is parsed: no copy when it fits
        // in one segment, one copy into a pooled array when it spans several.
        var reader = http.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            try
            {
                read = await reader.ReadAsync(http.RequestAborted);
            }
            catch (BadHttpRequestException e)
            {
                // A body cut short or over the server's own limit is the client's problem, not an unhandled error.
                return (null, new RequestError(e.StatusCode, new(Messages.BodyUnreadable, e.Message)));
            }
            if (read.Buffer.Length > max)
            {
                reader.AdvanceTo(read.Buffer.End);
                return (null, new RequestError(StatusCodes.Status413PayloadTooLarge, new(Messages.BodyTooLarge, max)));
            }
            if (read.IsCompleted || read.IsCanceled) break;
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
        var buffer = read.Buffer;
        byte[]? rented = null;
        try
        {
            if (buffer.Length == 0)
                return (null, new RequestError(StatusCodes.Status400BadRequest, new(Messages.BodyEmpty)));
            ReadOnlyMemory<byte> body;
            if (buffer.IsSingleSegment) body = buffer.First;
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)buffer.Length);
                buffer.CopyTo(rented);
                body = rented.AsMemory(0, (int)buffer.Length);
            }
            return ParseBody(body);
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private (GraphQLRequest?, RequestError?) ParseBody(ReadOnlyMemory<byte> body)
    {
        if (!RequestText.IsValidUtf8(body.Span))
            return (null, new RequestError(StatusCodes.Status400BadRequest, new(Messages.BodyNotUtf8)));

        try
        {
            using var doc = JsonDocument.Parse(body, RequestText.JsonOptions);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new BadRequestException(new(Messages.BodyNotObject));
            if (RequestText.FindInvalidText(root) is { } invalid) throw new BadRequestException(invalid);
            var request = new GraphQLRequest();
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "query":
                        if (p.Value.ValueKind != JsonValueKind.String) throw new BadRequestException(new(Messages.MemberMustBeString, "query"));
                        request.Query = p.Value.GetString();
                        break;
                    case "operationName":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            throw new BadRequestException(new(Messages.MemberMustBeStringOrNull, "operationName"));
                        request.OperationName = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        break;
                    case "documentId":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            throw new BadRequestException(new(Messages.MemberMustBeStringOrNull, "documentId"));
                        request.DocumentId = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                        break;
                    case "variables":
                        request.Variables = ReadObject(p.Value, "variables");
                        break;
                    case "extensions":
                        request.Extensions = ReadObject(p.Value, "extensions");
                        break;
                }
            }
            // Trusted documents by id: TrustedDocumentHandler resolves documentId and Apollo's persistedQuery.
            if (string.IsNullOrWhiteSpace(request.Query) && string.IsNullOrEmpty(request.DocumentId) &&
                request.Extensions?.ContainsKey("persistedQuery") != true)
                throw new BadRequestException(new(Messages.RequestHasNoQuery));
            return (request, null);
        }
        catch (JsonException e)
        {
            logger.LogDebug(e, "Malformed JSON body");
            return (null, new RequestError(StatusCodes.Status400BadRequest, new(Messages.BodyNotJson)));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reports a lone surrogate escape in a property name this way.
            return (null, new RequestError(StatusCodes.Status400BadRequest, new(Messages.BodyNotUnicode)));
        }
        catch (BadRequestException e)
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, e.Text));
        }
    }

    private Inputs? ReadObject(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => serializer.ReadNode<Inputs>(value),
        _ => throw new BadRequestException(new(Messages.MemberMustBeObjectOrNull, name)),
    };

    private T ParseObject<T>(string json, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, RequestText.JsonOptions);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new BadRequestException(new(Messages.MemberMustBeObject, name));
            if (RequestText.FindInvalidText(doc.RootElement) is { } invalid) throw new BadRequestException(invalid);
            return serializer.ReadNode<T>(doc.RootElement)!;
        }
        catch (JsonException)
        {
            throw new BadRequestException(new(Messages.MemberNotJson, name));
        }
        catch (InvalidOperationException)
        {
            throw new BadRequestException(new(Messages.MemberNotUnicode, name));
        }
    }

    private async Task WriteRequestErrorAsync(HttpContext http, int status, string mediaType, string code, Message message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var result = new ExecutionResult { Executed = false };
        result.AddError(new RegistryError(code, message));
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private sealed class BadRequestException(Message text) : Exception(text.ToString())
    {
        public Message Text { get; } = text;
    }
}
