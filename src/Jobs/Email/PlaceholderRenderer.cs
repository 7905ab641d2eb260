using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace JobPlatform.Jobs.Email;

/// <summary>
/// The template language of email templates, deliberately tiny: <c>{{name}}</c> (spaces inside the braces
/// allowed) is replaced by the model's value, HTML-escaped in HTML parts. No expressions, loops or includes, so a
/// template or a model value can run nothing and a value can never inject markup.
/// </summary>
internal static partial class PlaceholderRenderer
{
    /// <summary>Renders <paramref name="template"/>; returns the text and the placeholders the model lacks (each once).</summary>
    public static (string Text, IReadOnlyList<string> Missing) Render(string template, IReadOnlyDictionary<string, string>? model, bool html)
    {
        var missing = new List<string>();
        var text = Placeholder().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (model is not null && model.TryGetValue(name, out var value) && value is not null)
            {
                return html ? WebUtility.HtmlEncode(value) : value;
            }

            if (!missing.Contains(name, StringComparer.Ordinal))
            {
                missing.Add(name);
            }

            return match.Value;
        });
        return (text, missing);
    }

    /// <summary>The placeholder names used in <paramref name="template"/>, in order of first use.</summary>
    public static IReadOnlyList<string> Names(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
