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
    /// True when <paramref name="globalId"/> could name an object: base64url of "Type:localId", the
    /// type made of letters and the local id plain (letters, digits, '-', '_', '.', starting with
    /// a letter or digit). Whether such an object exists is another question.
    /// </summary>
    public static bool IsWellFormed(string? globalId) =>
        TryDecode(globalId, out var type, out var local) && IsTypeName(type) && IsLocalId(local);

    private static bool IsTypeName(string type) =>
        type.Length <= 40 && type.All(char.IsAsciiLetter);

    private static bool IsLocalId(string local) =>
        local.Length <= 100 && char.IsAsciiLetterOrDigit(local[0]) &&
        local.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The local id <paramref name="globalId"/> names, which must be of <paramref name="typeName"/>;
    /// otherwise NOT_FOUND on the input <paramref name="field"/>.
    /// </summary>
    public static string Require(string? globalId, string typeName, string field) =>
        LocalIdOf(globalId, typeName)
        ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.NotAnIdOfType, globalId, typeName), field);

    /// <summary>The local id if <paramref name="globalId"/> names an object of <paramref name="typeName"/>.</summary>
    public static string? LocalIdOf(string? globalId, string typeName) =>
        TryDecode(globalId, out var type, out var local) && type == typeName ? local : null;
}
