using System.Buffers.Text;
using System.Text;

namespace DanVanKheo.Api.Common;

/// <summary>Opaque global ids: base64url of "Type:localId", as Relay and HotChocolate clients expect.</summary>
public static class GlobalId
{
    public static string Encode(string typeName, string localId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{typeName}:{localId}"));

    public static bool TryDecode(string? globalId, out string typeName, out string localId)
    {
        typeName = localId = "";
        if (string.IsNullOrEmpty(globalId) || globalId.Length > 200) return false;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(globalId));
            var colon = text.IndexOf(':');
            if (colon <= 0 || colon == text.Length - 1) return false;
            typeName = text[..colon];
            localId = text[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The local id <paramref name="globalId"/> names, which must be of <paramref name="typeName"/>;
    /// otherwise NOT_FOUND on the input <paramref name="field"/>.
    /// </summary>
    public static string Require(string? globalId, string typeName, string field) =>
        LocalIdOf(globalId, typeName)
        ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not {Article(typeName)} {typeName} id.", field);

    private static string Article(string typeName) => "AEIOU".Contains(typeName[0]) ? "an" : "a";

    /// <summary>The local id if <paramref name="globalId"/> names an object of <paramref name="typeName"/>.</summary>
    public static string? LocalIdOf(string? globalId, string typeName) =>
        TryDecode(globalId, out var type, out var local) && type == typeName ? local : null;
}
