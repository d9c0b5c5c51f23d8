using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Validation;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Caches parsed documents by query text (bounded), so repeated operations skip the parser and
/// the specification's validation rules, which depend on the document alone. Only documents
/// that passed validation are kept; the per-request rules (authentication, GET and mutations,
/// authorization, rate limits, bounds, complexity) and the coercion of the variables still run
/// on every request, as for trusted documents.
/// </summary>
public sealed class DocumentCache(IOptions<GraphQLOptions> options, IDocumentBuilder parser) : IConfigureExecution, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.DocumentCacheSize });

    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions execution, ExecutionDelegate next)
    {
        if (execution.Document is not null || execution.Query is null) return await next(execution);
        var key = execution.Query;
        if (_cache.TryGetValue(key, out GraphQLParser.AST.GraphQLDocument? cached))
        {
            execution.Document = cached;
            execution.ValidationRules = [.. (execution.ValidationRules ?? DocumentValidator.CoreRules).Except(DocumentValidator.CoreRules)];
        }
        else if (TryParse(key) is { } parsed)
        {
            // Size limits first: a document too large is refused before the standard validation
            // rules each walk its fields (about 100 ms for 1,000 aliases on a busy machine).
            if (DocumentBounds.Selected(parsed, execution.OperationName) is { } operation &&
                DocumentBounds.Check(parsed, operation, options.Value) is { } problem)
            {
                var refused = new ExecutionResult { Executed = false };
                refused.AddError(new RegistryError(DocumentBounds.TooLarge, problem));
                return refused;
            }
            execution.Document = parsed;
        }
        var result = await next(execution);
        if (cached is null && result.Executed && result.Document is not null)
            _cache.Set(key, result.Document, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return result;
    }

    /// <summary>The parsed document, or null to let the executer parse it again and report the syntax error its way.</summary>
    private GraphQLParser.AST.GraphQLDocument? TryParse(string query)
    {
        try
        {
            return parser.Build(query);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool Contains(string query) => _cache.TryGetValue(query, out _);

    public void Dispose() => _cache.Dispose();
}
