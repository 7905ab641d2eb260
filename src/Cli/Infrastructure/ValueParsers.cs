using System.Globalization;
using System.Text.RegularExpressions;

namespace JobPlatform.Cli;

/// <summary>Parses the human forms jobctl accepts for durations and times.</summary>
internal static partial class ValueParsers
{
    /// <summary>Hint shown when a duration cannot be parsed.</summary>
    public const string DurationForms = "use e.g. 30s, 5m, 2h, 1d, 1h30m, 250ms or 00:05:00";

    /// <summary>
    /// Parses <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>250ms</c>, sums such as <c>1h30m</c>, or a TimeSpan
    /// (<c>00:05:00</c>, <c>1.02:00:00</c>).
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (DurationPattern().Match(text) is { Success: true } match)
        {
            double ms = 0;
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = UnitPattern().Match(part.Value);
                var value = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
                ms += value * unit.Groups["u"].Value switch
                {
                    "ms" => 1,
                    "s" => 1000,
                    "m" => 60_000,
                    "h" => 3_600_000,
                    _ => 86_400_000,
                };
            }

            if (ms > TimeSpan.MaxValue.TotalMilliseconds)
            {
                return false;
            }

            duration = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        // Only the colon forms: TimeSpan would read a bare "5" as five days.
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>Parses an ISO-8601 time; one without an offset is taken as UTC.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text?.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|s|m|h|d))+\z")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<u>ms|s|m|h|d)\z")]
    private static partial Regex UnitPattern();
}
