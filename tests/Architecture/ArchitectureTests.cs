using System.Collections;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using DanVanKheo.Api.Common;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQL.Validation;
using NetArchTest.Rules;

namespace DanVanKheo.Tests.Architecture;

/// <summary>
/// The shape the code keeps (docs/architecture.md): domain, rules and use cases know nothing of
/// GraphQL or storage drivers; features reach each other through ports and use cases, never through
/// another feature's GraphQL classes; and nothing in the API holds process-wide mutable state.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Api = typeof(RegistryClock).Assembly;

    private static readonly string[] Features =
        ["Units", "Fields", "Entries", "Councils", "Rounds", "Replications", "Reports", "Audit", "Auth", "Common"];

    private static readonly string[] Adapters =
    [
        "GraphQL", "GraphQLParser", "DanVanKheo.Api.GraphQL", "DanVanKheo.Api.Storage", "LiteDB", "MongoDB",
        "Microsoft.AspNetCore",
    ];

    /// <summary>A feature's GraphQL face: graph types and the classes that add fields, loaders and endpoints.</summary>
    private static bool IsGraphQLFace(Type t) =>
        typeof(IGraphType).IsAssignableFrom(t) || typeof(IFieldMiddleware).IsAssignableFrom(t) || typeof(IValidationRule).IsAssignableFrom(t) ||
        new[] { "Mutations", "Queries", "Loaders", "GraphTypes", "Fields", "Exports", "Extensions", "AuthorizationTarget" }
            .Any(suffix => t.Name.EndsWith(suffix, StringComparison.Ordinal)) ||
        (t.DeclaringType is { } outer && IsGraphQLFace(outer));

    private static IEnumerable<Type> DomainAndUseCases() =>
        Api.GetTypes().Where(t => t.Namespace is { } ns && Features.Any(f => ns == "DanVanKheo.Api." + f)
                                  && !IsGraphQLFace(t) && !t.IsDefined(typeof(CompilerGeneratedAttribute), false)
                                  && !IsHosting(t));

    /// <summary>Hosted services and DI modules are wiring, not domain.</summary>
    private static bool IsHosting(Type t) =>
        t.Name.EndsWith("Module", StringComparison.Ordinal) || t.Name.EndsWith("Service", StringComparison.Ordinal);

    [Fact]
    public void Domain_rules_and_use_cases_depend_on_no_GraphQL_or_storage_driver()
    {
        var names = DomainAndUseCases().Select(t => t.FullName!).ToHashSet();
        Assert.Contains("DanVanKheo.Api.Entries.EntryRules", names);
        Assert.Contains("DanVanKheo.Api.Rounds.Ballots", names);
        var result = Types.InAssembly(Api).That().HaveNameMatching(".*").GetTypes()
            .Where(t => names.Contains(t.FullName!))
            .Select(t => (Type: t.FullName!, Bad: Types.InAssembly(Api).That().HaveName(t.Name).And().ResideInNamespace(t.Namespace!)
                .ShouldNot().HaveDependencyOnAny(Adapters).GetResult()))
            .Where(r => !r.Bad.IsSuccessful)
            .Select(r => r.Type)
            .ToList();
        Assert.Empty(result);
    }

    [Fact]
    public void Features_do_not_call_each_others_GraphQL_classes()
    {
        var offenders = new List<string>();
        foreach (var feature in Features)
        {
            var faces = Api.GetTypes()
                .Where(t => t.Namespace == "DanVanKheo.Api." + feature && t.IsAbstract && t.IsSealed // static classes
                            && t.Name.EndsWith("Mutations", StringComparison.Ordinal))
                .Select(t => t.FullName!)
                .ToArray();
            if (faces.Length == 0) continue;
            var result = Types.InAssembly(Api)
                .That().DoNotResideInNamespace("DanVanKheo.Api." + feature)
                .And().DoNotHaveName("RegistryMutation")
                .ShouldNot().HaveDependencyOnAny(faces)
                .GetResult();
            if (!result.IsSuccessful) offenders.AddRange(result.FailingTypeNames.Select(n => $"{n} → {feature}"));
        }
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_static_mutable_state()
    {
        var offenders = new List<string>();
        foreach (var type in Api.GetTypes().Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), false)))
        foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        {
            if (field.IsLiteral || field.IsDefined(typeof(CompilerGeneratedAttribute), false)) continue;
            // The one ambient: ids are drawn in domain objects' property initializers, and the seed
            // scopes a deterministic source for its own async flow (docs/decisions.md).
            if (type == typeof(Ids) && field.Name == "Source") continue;
            if (field.IsDefined(typeof(ThreadStaticAttribute), false) || !field.IsInitOnly || IsMutable(field.FieldType))
                offenders.Add($"{type.FullName}.{field.Name} ({field.FieldType.Name})");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    /// <summary>Collections that can change after start (frozen and immutable ones cannot), and ambient flow state.</summary>
    private static bool IsMutable(Type t)
    {
        if (t.IsArray) return true;
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(AsyncLocal<>)) return true;
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ThreadLocal<>)) return true;
        if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t)) return false;
        var ns = t.Namespace ?? "";
        return !(ns == typeof(FrozenSet<>).Namespace || ns == typeof(ImmutableArray).Namespace
                 || t.Name.StartsWith("IReadOnly", StringComparison.Ordinal));
    }
}
