using System.Diagnostics;
using System.Reflection;
using DanVanKheo.Api.Storage;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// One span per store port call ("IEntryStore.FindAsync", tagged with the store), around every
/// port registered by <see cref="StorageServiceCollectionExtensions.Ports"/>: a proxy added in one
/// place rather than a line in each of the sixteen adapters. MongoDB's driver spans (its own
/// ActivitySource) nest under them.
/// </summary>
public class StoreSpanProxy : DispatchProxy
{
    public const string SourceName = "DanVanKheo.Store";

    private object _inner = null!;
    private ActivitySource _source = null!;
    private string _store = "", _port = "";

    public static object Wrap(Type port, object inner, ActivitySource source, string store)
    {
        var proxy = Create(port, typeof(StoreSpanProxy));
        var self = (StoreSpanProxy)proxy;
        self._inner = inner;
        self._source = source;
        self._store = store;
        self._port = port.Name;
        return proxy;
    }

    /// <summary>The adapter behind a traced port (the port itself when it is not traced).</summary>
    public static object Unwrap(object port) => port is StoreSpanProxy proxy ? proxy._inner : port;

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parent = Activity.Current;
        var activity = _source.StartActivity(_port + "." + method.Name, ActivityKind.Internal);
        if (activity is null) return method.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        activity.SetTag("db.system.name", _store);
        activity.SetTag("db.operation.name", method.Name);
        activity.SetTag("dvk.store.port", _port);
        object? result;
        try
        {
            result = method.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        }
        catch (Exception e)
        {
            End(activity, e);
            throw;
        }
        finally
        {
            // The call's synchronous part ran under the span; the caller goes on under its own.
            Activity.Current = parent;
        }
        if (result is Task task && !task.IsCompleted)
            task.ContinueWith(static (t, state) => End((Activity)state!, t.Exception?.InnerException),
                activity, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        else
            End(activity, (result as Task)?.Exception?.InnerException);
        return result;
    }

    private static void End(Activity activity, Exception? error)
    {
        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            activity.SetTag("error.type", error.GetType().FullName);
        }
        activity.Dispose();
    }
}

/// <summary>The ActivitySource of the store spans, owned by the container.</summary>
public sealed class StoreTelemetry : IDisposable
{
    public ActivitySource Source { get; } = new(StoreSpanProxy.SourceName);

    public void Dispose() => Source.Dispose();
}

public static class StoreTelemetryRegistration
{
    /// <summary>Wraps each store port's registration (whatever adapter it picks) in a <see cref="StoreSpanProxy"/>.</summary>
    public static IServiceCollection AddStoreSpans(this IServiceCollection services)
    {
        services.AddSingleton<StoreTelemetry>();
        services.AddHostedService<WarmUp>();
        foreach (var port in StorageServiceCollectionExtensions.Ports)
        {
            var descriptor = services.LastOrDefault(d => d.ServiceType == port && !d.IsKeyedService)
                ?? throw new InvalidOperationException($"No registration of the store port {port.Name} to trace; AddStorage first.");
            services.Remove(descriptor);
            services.Add(ServiceDescriptor.Describe(port, sp => StoreSpanProxy.Wrap(port, Create(sp, descriptor),
                sp.GetRequiredService<StoreTelemetry>().Source,
                sp.GetRequiredService<IOptions<StorageOptions>>().Value.UseMongo ? "mongodb" : "litedb"), descriptor.Lifetime));
        }
        return services;
    }

    /// <summary>
    /// Resolves every port once while the host starts: each proxy type is emitted at its first
    /// creation (tens of milliseconds apiece, more on a busy machine), which would otherwise fall
    /// on the first requests.
    /// </summary>
    private sealed class WarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            foreach (var port in StorageServiceCollectionExtensions.Ports) services.GetRequiredService(port);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
}
