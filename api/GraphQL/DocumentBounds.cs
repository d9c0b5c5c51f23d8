using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Caps the size of the selected operation before any other analysis walks it: at most
/// <see cref="GraphQLOptions.MaxFields"/> fields once every fragment is expanded, and at most
/// <see cref="GraphQLOptions.MaxRootFields"/> root fields (aliases included). Each fragment is
/// counted once and memoised, so the count costs time linear in the document's text, while a
/// naive walk of "8 fragments each spreading the next 10 times" visits 10^8 fields. GraphQL.NET's
/// complexity analysis (list sizes) only runs on documents that pass, so it stays bounded too.
/// </summary>
public sealed class DocumentBounds(IOptions<GraphQLOptions> options) : ValidationRuleBase
{
    public const string TooLarge = GraphQLErrorCodes.TooComplex;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation is { } operation && Check(context.Document, operation, options.Value) is { } problem)
            context.ReportError(new RegistryValidationError(TooLarge, context, problem, operation));
        return default;
    }

    /// <summary>Why <paramref name="operation"/> is too large, or null when it is within the limits.</summary>
    public static Common.Message? Check(GraphQLDocument document, GraphQLOperationDefinition operation, GraphQLOptions limits)
    {
        var (fields, rootFields) = new Counter(document).Count(operation.SelectionSet);
        if (rootFields > limits.MaxRootFields)
            return new(Common.Messages.TooManyRootFields, rootFields, limits.MaxRootFields);
        if (fields > limits.MaxFields)
            return new(Common.Messages.TooManyFields, fields, limits.MaxFields);
        return null;
    }

    /// <summary>The operation a request runs: the one named, or the only one.</summary>
    public static GraphQLOperationDefinition? Selected(GraphQLDocument document, string? operationName)
    {
        GraphQLOperationDefinition? found = null;
        foreach (var definition in document.Definitions)
        {
            if (definition is not GraphQLOperationDefinition op) continue;
            if (operationName is not null)
            {
                if (op.Name?.StringValue == operationName) return op;
                continue;
            }
            if (found is not null) return null;
            found = op;
        }
        return found;
    }


    /// <summary>Field counts per selection set, with each named fragment's totals computed once.</summary>
    private sealed class Counter(GraphQLDocument document)
    {
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = Fragments(document);
        private readonly Dictionary<string, (double Fields, double Direct)> _memo = [];
        private readonly HashSet<string> _inProgress = [];

        private static Dictionary<string, GraphQLFragmentDefinition> Fragments(GraphQLDocument document)
        {
            var map = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
            foreach (var d in document.Definitions)
                if (d is GraphQLFragmentDefinition f) map.TryAdd(f.FragmentName.Name.StringValue, f);
            return map;
        }

        /// <summary>(all fields below and including this level, fields directly at this level).</summary>
        public (double Fields, double Direct) Count(GraphQLSelectionSet? set)
        {
            double fields = 0, direct = 0;
            if (set is null) return (0, 0);
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        direct += 1;
                        fields += 1 + Count(field.SelectionSet).Fields;
                        break;
                    case GraphQLInlineFragment inline:
                        var (f, d) = Count(inline.SelectionSet);
                        fields += f;
                        direct += d;
                        break;
                    case GraphQLFragmentSpread spread:
                        var (sf, sd) = Spread(spread.FragmentName.Name.StringValue);
                        fields += sf;
                        direct += sd;
                        break;
                }
            }
            return (fields, direct);
        }

        private (double Fields, double Direct) Spread(string name)
        {
            if (_memo.TryGetValue(name, out var known)) return known;
            // Unknown or cyclic fragments are reported by the standard rules; they add nothing here.
            if (!_fragments.TryGetValue(name, out var fragment) || !_inProgress.Add(name)) return (0, 0);
            var counted = Count(fragment.SelectionSet);
            _inProgress.Remove(name);
            _memo[name] = counted;
            return counted;
        }
    }
}
