using System.ComponentModel.DataAnnotations;

namespace DanVanKheo.Api.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Where the embedded store lives unless <c>Storage:LiteDbPath</c> says otherwise: one absolute
    /// path in the user's data folder (<c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux,
    /// <c>%LOCALAPPDATA%</c> on Windows), shared by the API and the seed CLI whatever folder either
    /// is started from. Empty when the user has no data folder (no HOME): the setting is then required.
    /// </summary>
    public static string DefaultLiteDbPath => DefaultLiteDbPathIn(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData));

    public static string DefaultLiteDbPathIn(string? dataHome) =>
        string.IsNullOrWhiteSpace(dataHome) || !Path.IsPathRooted(dataHome) ? "" : Path.Combine(dataHome, "danvankheo", "danvankheo.db");

    /// <summary>LiteDB data file used when no MongoDB connection string is configured; a relative path is relative to the process's working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LiteDbPath { get; set; } = DefaultLiteDbPath;

    /// <summary>From ConnectionStrings:Mongo or MONGODB_URI; empty selects the embedded store.</summary>
    public string? MongoConnectionString { get; set; }

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]{1,60}$", ErrorMessage = "Storage:MongoDatabase must be a plain database name.")]
    public string MongoDatabase { get; set; } = "danvankheo";

    /// <summary>Load the small demo dataset when the store has no units.</summary>
    public bool SeedDemoData { get; set; } = true;

    public bool UseMongo => !string.IsNullOrWhiteSpace(MongoConnectionString);
}
