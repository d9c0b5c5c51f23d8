using DanVanKheo.Api.Common;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>How the adapters recognise a unique-index violation, whatever operation raised it.</summary>
public static class MongoErrors
{
    public const int DuplicateKeyCode = 11000;

    public static bool IsDuplicateKey(Exception e) => e switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException b => b.WriteErrors.Count > 0 && b.WriteErrors.Any(x => x.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException c => c.Code == DuplicateKeyCode,
        _ => false,
    };

    /// <summary>Runs <paramref name="work"/>, turning a unique-index violation into the port's <see cref="DuplicateKeyException"/>.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> work, string message)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(message, e);
        }
    }

    public static Task TranslateAsync(Func<Task> work, string message) =>
        TranslateAsync(async () =>
        {
            await work();
            return true;
        }, message);
}
