using System.Net;
using System.Text.Json;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// The GraphiQL page. With the bundle built from api/ide (Node present at build) it loads
/// {path}/ide/bundle.js; without it, the same pinned package versions from a CDN.
/// </summary>
public static class IdePage
{
    /// <summary>Pinned as in api/ide/package.json (a test keeps them equal).</summary>
    public static readonly IReadOnlyDictionary<string, string> Versions = new Dictionary<string, string>
    {
        ["graphiql"] = "5.4.0",
        ["@graphiql/react"] = "0.39.1",
        ["@graphiql/toolkit"] = "0.12.1",
        ["graphql"] = "16.15.0",
        ["react"] = "19.3.1",
        ["react-dom"] = "19.3.1",
    };

    /// <summary>
    /// The stylesheet is the npm file itself, so its hash is that of the file in the package.
    /// The modules are built by the CDN; their hashes are recorded by api/ide/cdn-integrity.mjs.
    /// </summary>
    public const string CdnStyle = "https://cdn.jsdelivr.net/npm/graphiql@5.4.0/dist/style.css";
    public const string CdnStyleIntegrity = "sha384-TFpQQKp325U5sd3PddH4cS0KOB3Gz/aqdEe12Mqkkq3wm2MGcDhRX5WhWf+o8akh";

    public const string DefaultHeaders = """
        // Truy vấn không cần token. Mutation cần một token (Authorization: Bearer …).
        // Token phát triển (chỉ môi trường Development), chạy trong thư mục gốc của repo:
        //   dotnet user-jwts create --project api --role Registry.Admin -o token
        // Vai trò khác: --role Registry.Auditor, hoặc --role Unit.Editor --claim unit_id=<id đơn vị>.
        // Bỏ // ở dòng dưới và dán token vào sau "Bearer ".
        {
          // "Authorization": "Bearer <token>"
        }
        """;

    public const string DefaultQuery = """
        # IDE của sổ đăng ký "Dân vận khéo".
        # Tài liệu lược đồ: nút "Docs" bên trái; thao tác mẫu: nút "≡" (schema/operations/).
        # Mutation cần token: xem tab Headers bên dưới.
        query TimMoHinh {
          entries(first: 5, where: { search: "dan van kheo" }) {
            totalCount
            nodes { code title status unit { name } }
          }
        }
        """;

    public static string Render(string endpoint, TrustedDocuments documents, bool bundled)
    {
        var config = JsonSerializer.Serialize(new
        {
            endpoint,
            defaultQuery = DefaultQuery + "\n",
            defaultHeaders = DefaultHeaders + "\n",
            examples = documents.All.Select(d => new { name = d.Name, body = d.Body + "\n" }),
        });
        var assets = WebUtility.HtmlEncode(endpoint.TrimEnd('/') + "/ide/");
        var head = bundled
            ? $"""
                <link rel="stylesheet" href="{assets}bundle.css">
                <script type="module" src="{assets}bundle.js"></script>
              """
            : $"""
                <link rel="stylesheet" href="{CdnStyle}" integrity="{CdnStyleIntegrity}" crossorigin="anonymous">
                <script type="importmap">{ImportMap()}</script>
                <script type="module">import "{Esm("graphiql", "/setup-workers/esm.sh")}"; import "{assets}app.js";</script>
              """;
        return $"""
            <!DOCTYPE html>
            <html lang="vi">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Dân vận khéo — GraphiQL</title>
              <style>html, body, #graphiql {"{"} height: 100%; margin: 0; {"}"}</style>
            {head}
            </head>
            <body>
              <div id="graphiql">Đang tải GraphiQL…</div>
              <script type="application/json" id="dvk-ide-config">{config}</script>
            </body>
            </html>
            """;
    }

    private static string Esm(string package, string path = "", string query = "") =>
        $"https://esm.sh/{package}@{Versions[package]}{path}{query}";

    private static string ImportMap()
    {
        const string external = "?standalone&external=react,react-dom,graphql,@graphiql/react,@graphiql/toolkit";
        var imports = new Dictionary<string, string>
        {
            ["react"] = Esm("react"),
            ["react/"] = Esm("react", "/"),
            ["react-dom"] = Esm("react-dom"),
            ["react-dom/"] = Esm("react-dom", "/"),
            ["graphql"] = Esm("graphql"),
            ["graphiql"] = Esm("graphiql", "", external),
            ["@graphiql/react"] = Esm("@graphiql/react", "", external),
            ["@graphiql/toolkit"] = Esm("@graphiql/toolkit", "", external),
        };
        return JsonSerializer.Serialize(new { imports, integrity = CdnIntegrity.Load() });
    }
}
