using System.Globalization;
using System.Text;

namespace JobPlatform.Hosting;

/// <summary>Names, label sets and numbers as the Prometheus text exposition format 0.0.4 wants them.</summary>
internal static class PrometheusText
{
    /// <summary>Prefix given to a tag whose name Prometheus reserves (<c>__…</c>, or <c>le</c> on a histogram).</summary>
    private const string ReservedLabelPrefix = "tag_";

    /// <summary><c>jobplatform.jobs.finished</c> → <c>jobplatform_jobs_finished</c>; the unit is not appended.</summary>
    public static string MetricName(string instrumentName) => Sanitize(instrumentName, allowColon: true);

    public static string LabelName(string tagName, bool histogram)
    {
        var name = Sanitize(tagName, allowColon: false);
        return name.StartsWith("__", StringComparison.Ordinal) || (histogram && name == "le") ? ReservedLabelPrefix + name : name;
    }

    /// <summary>
    /// Renders tags as <c>a="1",b="2"</c>, sorted by label name so that the same tags passed in another order
    /// make the same series; a label name that repeats (after sanitizing) keeps its first value.
    /// </summary>
    public static string LabelSet(ReadOnlySpan<KeyValuePair<string, object?>> tags, bool histogram)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var tag in tags)
        {
            var name = LabelName(tag.Key, histogram);
            if (!pairs.Exists(p => p.Key == name))
            {
                pairs.Add(new(name, LabelValue(tag.Value)));
            }
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append("=\"");
            AppendEscaped(text, value, escapeQuote: true);
            text.Append('"');
        }

        return text.ToString();
    }

    /// <summary>Appends a HELP text: backslash and line feed are escaped, quotes are not (per the format).</summary>
    public static StringBuilder AppendHelp(StringBuilder text, string help) => AppendEscaped(text, help, escapeQuote: false);

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string LabelValue(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static StringBuilder AppendEscaped(StringBuilder text, string value, bool escapeQuote)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when escapeQuote => text.Append("\\\""),
                _ => text.Append(c),
            };
        }

        return text;
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var chars = new char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            chars[i] = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_';
        }

        var sanitized = new string(chars);
        return char.IsAsciiDigit(sanitized[0]) ? "_" + sanitized : sanitized;
    }
}
