using Xunit.Abstractions;
using Xunit.Sdk;

namespace DanVanKheo.Tests.Rounds;

/// <summary>Marks a store test class that needs a MongoDB server (MONGODB_URI).</summary>
public interface INeedsMongo;

/// <summary>
/// A contract fact: runs everywhere, except in <see cref="INeedsMongo"/> classes while
/// MONGODB_URI is unset, where it is reported as skipped.
/// </summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Rounds.StoreFactDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        var needsMongo = typeof(INeedsMongo).IsAssignableFrom(method.TestClass.Class.ToRuntimeType());
        var skip = needsMongo && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MONGODB_URI")) ? "MONGODB_URI is not set." : null;
        yield return new StoreTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, skip);
    }
}

public sealed class StoreTestCase : XunitTestCase
{
    private string? _skip;

    [Obsolete("For deserialization only.")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, string? skip)
        : base(sink, display, displayOptions, method) => _skip = skip;

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skip;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("Skip", _skip);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _skip = data.GetValue<string?>("Skip");
        base.Deserialize(data);
    }
}
