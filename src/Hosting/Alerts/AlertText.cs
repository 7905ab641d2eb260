using System.Globalization;

namespace JobPlatform.Hosting.Alerts;

/// <summary>How figures are written in alert messages.</summary>
public static class AlertText
{
    /// <summary>850 ms, 42 s, 7 min 12 s, 2 h 5 min, 3 d 4 h.</summary>
    public static string Duration(TimeSpan span)
    {
        static string Two(long big, string bigUnit, int small, string smallUnit) =>
            small == 0 ? $"{big} {bigUnit}" : $"{big} {bigUnit} {small} {smallUnit}";
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(0, (long)span.TotalMilliseconds)} ms";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{(long)span.TotalSeconds} s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Two((long)span.TotalMinutes, "min", span.Seconds, "s");
        }

        return span < TimeSpan.FromDays(1) ? Two((long)span.TotalHours, "h", span.Minutes, "min") : Two((long)span.TotalDays, "d", span.Hours, "h");
    }

    /// <summary>12.5 %.</summary>
    public static string Percent(double share) => (share * 100).ToString(share < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + " %";

    /// <summary>12,345.</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>10:02 UTC (today) or 2026-11-30 10:02 UTC.</summary>
    public static string Time(DateTimeOffset at, DateTimeOffset now) =>
        at.UtcDateTime.Date == now.UtcDateTime.Date
            ? at.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
