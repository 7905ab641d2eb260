using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace JobPlatform.Cli.Output;

/// <summary>Formatting shared by the human-readable outputs.</summary>
internal static class Formats
{
    /// <summary>A table cell showing <paramref name="value"/> literally (no Spectre markup interpretation).</summary>
    public static IRenderable Cell(string? value) => new Text(value ?? "");

    public static IRenderable Cell(long value) => new Text(value.ToString("N0", CultureInfo.InvariantCulture));

    public static string Time(DateTimeOffset? value) =>
        value is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>"in 5m", "3h20m ago", "now": how far a moment is from now, to the two largest units.</summary>
    public static string Relative(TimeSpan? offset)
    {
        if (offset is not { } value)
        {
            return "";
        }

        var span = value.Duration();
        if (span < TimeSpan.FromSeconds(1))
        {
            return "now";
        }

        var text = span.TotalMinutes < 1 ? $"{span.Seconds}s"
            : span.TotalHours < 1 ? $"{span.Minutes}m{span.Seconds:00}s"
            : span.TotalDays < 1 ? $"{span.Hours}h{span.Minutes:00}m"
            : $"{(int)span.TotalDays}d{span.Hours:00}h";
        return value > TimeSpan.Zero ? "in " + text : text + " ago";
    }

    public static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A table with the house style: rounded border, bold headers.</summary>
    public static Table Table(params string[] headers)
    {
        var table = new Table().RoundedBorder();
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")));
        }

        return table;
    }
}
