using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Caches parsed documents by query text (bounded), so repeated operations skip the parser.
/// Only documents that passed validation are kept.
/// </summary>
public sealed class DocumentCache(IOptions<GraphQLOptions> options) : IConfigureExecution, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.DocumentCacheSize });

    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions execution, ExecutionDelegate next)
    {
        if (execution.Document is not null || execution.Query is null) return await next(execution);
        var key = execution.Query;
        if (_cache.TryGetValue(key, out GraphQLParser.AST.GraphQLDocument? cached))
            execution.Document = cached;
        var result = await next(execution);
        if (cached is null && result.Executed && result.Document is not null)
            _cache.Set(key, result.Document, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        return result;
    }

    public bool Contains(string query) => _cache.TryGetValue(query, out _);

    public void Dispose() => _cache.Dispose();
}
