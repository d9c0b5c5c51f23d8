using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "An object with a globally unique, opaque id that node(id) can fetch.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The globally unique id of the object.");
    }
}

/// <summary>
/// Maps a global id's type name to a loader. Every type implementing Node registers here, so
/// node(id) and nodes(ids) reach all of them.
/// </summary>
public sealed class NodeResolverRegistry
{
    private readonly Dictionary<string, Func<IResolveFieldContext, string, IDataLoaderResult<object?>>> _resolvers = [];

    public NodeResolverRegistry Add<T>(string typeName, Func<IResolveFieldContext, string, IDataLoaderResult<T?>> load)
        where T : class
    {
        _resolvers[typeName] = (ctx, id) => new Cast<T>(load(ctx, id));
        return this;
    }

    public IDataLoaderResult<object?>? Resolve(IResolveFieldContext context, string? globalId) =>
        GlobalId.TryDecode(globalId, out var type, out var local) && _resolvers.TryGetValue(type, out var load)
            ? load(context, local)
            : null;

    private sealed class Cast<T>(IDataLoaderResult<T?> inner) : IDataLoaderResult<object?> where T : class
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default) =>
            await inner.GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
