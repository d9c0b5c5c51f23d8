using System.ComponentModel.DataAnnotations;

namespace DanVanKheo.Api.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>LiteDB data file used when no MongoDB connection string is configured.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LiteDbPath { get; set; } = "data/danvankheo.db";

    /// <summary>From ConnectionStrings:Mongo or MONGODB_URI; empty selects the embedded store.</summary>
    public string? MongoConnectionString { get; set; }

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]{1,60}$", ErrorMessage = "Storage:MongoDatabase must be a plain database name.")]
    public string MongoDatabase { get; set; } = "danvankheo";

    /// <summary>Load the small demo dataset when the store has no units.</summary>
    public bool SeedDemoData { get; set; } = true;

    public bool UseMongo => !string.IsNullOrWhiteSpace(MongoConnectionString);
}
