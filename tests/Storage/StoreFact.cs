using Xunit.Abstractions;
using Xunit.Sdk;

namespace DanVanKheo.Tests.Storage;

/// <summary>Marks a contract subclass that needs a MongoDB server (MONGODB_URI).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresMongoAttribute : Attribute
{
    public const string Variable = "MONGODB_URI";
    public static string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) ? $"{Variable} is not set: MongoDB contract tests skipped." : null;
}

/// <summary>
/// A contract test: a <see cref="FactAttribute"/> that sets Skip when the concrete test class is
/// marked <see cref="RequiresMongoAttribute"/> and MONGODB_URI is missing, so one abstract contract
/// runs on LiteDB always and on MongoDB when a server is configured.
/// </summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Storage.StoreFactDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var skip = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresMongoAttribute)).Any() ? RequiresMongoAttribute.SkipReason : null;
        yield return new StoreTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }
}

public sealed class StoreTestCase : XunitTestCase
{
    private string? _skip;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string? skip)
        : base(sink, display, options, method) => _skip = skip;

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _skip ?? base.GetSkipReason(factAttribute);

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("StoreSkip", _skip);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _skip = data.GetValue<string>("StoreSkip");
        base.Deserialize(data);
    }
}
