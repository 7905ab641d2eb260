using JobPlatform.Core;
using Quartz;

namespace JobPlatform.Scheduler.Hosting;

/// <summary>
/// Reads cron expressions with Quartz.NET, the same parser the scheduler fires with: Quartz syntax with
/// seconds (6 or 7 fields), the 5-field crontab form (Sunday 0 or 7), and the @daily-style macros.
/// </summary>
public sealed class QuartzTimetable : IRecurringTimetable
{
    /// <summary>Parses <paramref name="cron"/> in <paramref name="timeZone"/>.</summary>
    /// <exception cref="FormatException">The expression is not valid.</exception>
    public static CronExpression Parse(string cron, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var text = cron.Trim();
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            var expression = fields == 5 ? CronExpression.Parse(text, CronFormat.Unix) : new CronExpression(text);
            return expression.WithTimeZone(timeZone);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public DateTimeOffset? NextFireTime(string cron, TimeZoneInfo timeZone, DateTimeOffset after) =>
        Parse(cron, timeZone).GetNextValidTimeAfter(after);
}
