using System.Globalization;
using Microsoft.Extensions.Localization;

namespace DanVanKheo.Api.Common;

/// <summary>
/// Puts a <see cref="Message"/> in words from the resources (Messages.resx, Messages.en.resx) in
/// the current UI culture, which request localization sets from Accept-Language (vi by default).
/// Arguments are formatted in that same culture, so numbers and dates read as the language does,
/// while the request's formatting culture stays invariant.
/// </summary>
public sealed class MessageText(IStringLocalizer<Messages> localizer)
{
    public static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public string Format(Message message) => Say(message.Key, message.Args);

    /// <summary>The default message of an error code (its resource), with its arguments if it takes any.</summary>
    public string ForCode(string code, params object?[] args) => Say(code, args);

    private string Say(string key, object?[] args)
    {
        var text = localizer[key].Value;
        return args.Length == 0 ? text
            : string.Format(CultureInfo.CurrentUICulture, text, args.Select(a => a is Message m ? Format(m) : a).ToArray());
    }

    /// <summary>
    /// <paramref name="message"/> in <paramref name="culture"/>, whatever the request's language
    /// (records kept in the audit log are written in Vietnamese).
    /// </summary>
    public string Format(Message message, CultureInfo culture)
    {
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = culture;
            return Format(message);
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }
    }
}
