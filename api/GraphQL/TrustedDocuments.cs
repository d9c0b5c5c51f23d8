using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// The operations of schema/operations/ (embedded in the API), addressable by the SHA-256 of their
/// text: <c>{"documentId":"sha256:&lt;hex&gt;"}</c> (GraphQL-over-HTTP persisted documents) or
/// Apollo's <c>extensions.persistedQuery.sha256Hash</c>. Each is parsed when the API starts.
/// </summary>
public sealed class TrustedDocuments
{
    public const string ResourcePrefix = "DanVanKheo.Operations.";

    public sealed class Document(string name, string type, string body, GraphQLDocument parsed)
    {
        private int _validated;

        public string Id { get; } = Hash(body);
        public string Name { get; } = name;
        public string Type { get; } = type;
        public string Body { get; } = body;
        public GraphQLDocument Parsed { get; } = parsed;

        /// <summary>True once the document passed the specification's validation rules; they are not run again.</summary>
        public bool Validated => Volatile.Read(ref _validated) == 1;

        internal void MarkValidated() => Volatile.Write(ref _validated, 1);
    }

    private readonly Dictionary<string, Document> _byId;

    public TrustedDocuments(IEnumerable<(string Name, string Text)> files)
    {
        All = [.. files.Select(f => Create(f.Name, f.Text)).OrderBy(d => d.Name, StringComparer.Ordinal)];
        _byId = All.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _byText = All.ToFrozenDictionary(d => d.Body, StringComparer.Ordinal);
    }

    /// <summary>By normalised text: equal texts have equal ids, and a lookup costs no SHA-256 per request.</summary>
    private readonly FrozenDictionary<string, Document> _byText;

    public IReadOnlyList<Document> All { get; }

    public static TrustedDocuments FromAssembly()
    {
        var assembly = typeof(TrustedDocuments).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".graphql", StringComparison.Ordinal))
            .Select(n => (n[ResourcePrefix.Length..^".graphql".Length], Read(assembly, n)));
        return new TrustedDocuments(files);
    }

    /// <summary>The text whose hash is the id: line endings as LF, no surrounding blank space.</summary>
    public static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim();

    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text))));

    public Document? Find(string hex) => _byId.GetValueOrDefault(hex.ToLowerInvariant());

    public Document? FindByText(string query) => _byText.GetValueOrDefault(Normalize(query));

    /// <summary>
    /// The manifest for front-end build tools, in Apollo's persisted query manifest format
    /// (also read by GraphQL Codegen's and Relay's persisted-document tooling through its ids).
    /// </summary>
    public string Manifest()
    {
        var manifest = new
        {
            format = "apollo-persisted-query-manifest",
            version = 1,
            operations = All.Select(d => new { id = d.Id, name = d.Name, type = d.Type, body = d.Body }),
        };
        var json = JsonSerializer.Serialize(manifest, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        return json.ReplaceLineEndings("\n") + "\n";
    }

    private static Document Create(string name, string text)
    {
        var body = Normalize(text);
        var parsed = GraphQLParser.Parser.Parse(body);
        var operations = parsed.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (operations.Count != 1)
            throw new InvalidOperationException($"Trusted document {name} must hold exactly one operation.");
        var type = operations[0].Operation switch
        {
            OperationType.Mutation => "mutation",
            OperationType.Subscription => "subscription",
            _ => "query",
        };
        return new Document(name, type, body, parsed);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// Resolves document ids to trusted documents before anything is parsed, and refuses other
/// documents when <see cref="GraphQLOptions.TrustedDocumentsOnly"/> is on. A trusted document
/// skips the parser always and the specification's validation rules after its first success;
/// the rules that depend on the caller or the request (authentication, policies, GET) and the
/// complexity limits still run on every request.
/// </summary>
public sealed class TrustedDocumentHandler(TrustedDocuments documents, IOptions<GraphQLOptions> options, IHostEnvironment environment)
    : IConfigureExecution
{
    public const string NotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string OnlyTrusted = "TRUSTED_DOCUMENTS_ONLY";
    private const string Prefix = "sha256:";

    private readonly bool _trustedOnly = options.Value.TrustedDocumentsOnly ?? environment.IsProduction();

    // After DI's option configuration (100), which assembles the validation rules; before the document cache (200).
    public float SortOrder => 150;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions execution, ExecutionDelegate next)
    {
        TrustedDocuments.Document? document = null;
        if (RequestedId(execution, out var idError) is { } hex)
        {
            document = documents.Find(hex);
            if (document is null && execution.Query is null)
                return Refuse(NotFound, new(Common.Messages.UnknownTrustedDocument, hex));
            if (execution.Query is not null && TrustedDocuments.Hash(execution.Query) != hex)
                return Refuse(GraphQLErrorCodes.BadRequest, new(Common.Messages.DocumentHashMismatch));
        }
        else if (idError is not null)
        {
            return Refuse(GraphQLErrorCodes.BadRequest, idError);
        }
        if (document is null && execution.Query is not null) document = documents.FindByText(execution.Query);
        if (document is null)
        {
            if (_trustedOnly)
                return Refuse(OnlyTrusted, new(OnlyTrusted));
            return await next(execution);
        }

        execution.Query = document.Body;
        execution.Document = document.Parsed;
        if (document.Validated)
            execution.ValidationRules = [.. (execution.ValidationRules ?? DocumentValidator.CoreRules).Except(DocumentValidator.CoreRules)];
        var result = await next(execution);
        if (result.Executed) document.MarkValidated();
        return result;
    }

    /// <summary>The lower-case hex id asked for, from documentId or Apollo's persistedQuery extension.</summary>
    private static string? RequestedId(ExecutionOptions execution, out Common.Message? error)
    {
        error = null;
        string? hex;
        if (execution.DocumentId is { } id)
        {
            if (!id.StartsWith(Prefix, StringComparison.Ordinal))
            {
                error = new(Common.Messages.DocumentIdShape);
                return null;
            }
            hex = id[Prefix.Length..];
        }
        else if (execution.Extensions?.TryGetValue("persistedQuery", out var pq) == true)
        {
            if (pq is not IDictionary<string, object?> apq || !apq.TryGetValue("sha256Hash", out var value) || value is not string h)
            {
                error = new(Common.Messages.PersistedQueryShape);
                return null;
            }
            hex = h;
        }
        else return null;
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            error = new(Common.Messages.DocumentIdNotSha256);
            return null;
        }
        return hex.ToLowerInvariant();
    }

    private static ExecutionResult Refuse(string code, Common.Message message)
    {
        var result = new ExecutionResult { Executed = false };
        result.AddError(new RegistryError(code, message));
        return result;
    }
}
