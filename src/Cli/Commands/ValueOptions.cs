using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace JobPlatform.Cli.Commands;

/// <summary>Typed options whose parse errors say what was wrong and what to type instead.</summary>
internal static class ValueOptions
{
    public static Option<int?> Integer(string name, string description, string helpName = "n") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Parse<int>(result, name, text =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null,
            text => text.TrimStart('-') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit) ? "is out of range" : "is not a whole number"),
    };

    public static Option<double?> Number(string name, string description, string helpName = "n") => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Parse<double>(result, name, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null,
            "is not a number"),
    };

    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result => Parse<TimeSpan>(result, name, text =>
            ValueParsers.TryParseDuration(text, out var d) ? d : null,
            $"is not a duration: {ValueParsers.DurationForms}"),
    };

    public static Option<DateTimeOffset?> Time(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = result => Parse<DateTimeOffset>(result, name, text =>
            ValueParsers.TryParseTime(text, out var t) ? t : null,
            "is not a time: use ISO-8601 such as 2026-11-22T10:00:00Z"),
    };

    private static T? Parse<T>(ArgumentResult result, string name, Func<string, T?> parse, string problem) where T : struct =>
        Parse(result, name, parse, _ => problem);

    private static T? Parse<T>(ArgumentResult result, string name, Func<string, T?> parse, Func<string, string> problem) where T : struct
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (parse(text) is { } value)
        {
            return value;
        }

        result.AddError($"{name} '{text}' {problem(text)}");
        return null;
    }
}
