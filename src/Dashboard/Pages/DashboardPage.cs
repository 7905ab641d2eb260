using System.Globalization;
using System.Net;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JobPlatform.Dashboard.Pages;

/// <summary>A JobPlatform page inside Hangfire's layout: HTML written from code (Hangfire's pages are compiled
/// Razor templates, which an extension cannot add), everything from data encoded.</summary>
internal abstract class DashboardPage : RazorPage
{
    protected HttpContext Http => Context.GetHttpContext();

    protected T Service<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();

    protected void Out(string html) => WriteLiteral(html);

    protected void Text(string? text) => WriteLiteral(E(text));

    protected static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    protected static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    protected static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>A time the dashboard's script shows relative to now ("3 minutes ago"), with the exact time as a tooltip.</summary>
    protected string Relative(DateTimeOffset time) => Html.RelativeTime(time.UtcDateTime).ToString();

    /// <summary>A short human duration: 850 ms, 42 s, 3 min 10 s, 2 h 5 min, 3 d 4 h.</summary>
    protected static string Duration(TimeSpan span)
    {
        static string Two(int big, string bigUnit, int small, string smallUnit) =>
            small == 0 ? $"{big} {bigUnit}" : $"{big} {bigUnit} {small} {smallUnit}";
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Max(0, (int)span.TotalMilliseconds)} ms";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return FormattableString.Invariant($"{span.TotalSeconds:0.#} s");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Two((int)span.TotalMinutes, "min", span.Seconds, "s");
        }

        return span < TimeSpan.FromDays(1) ? Two((int)span.TotalHours, "h", span.Minutes, "min") : Two((int)span.TotalDays, "d", span.Hours, "h");
    }
}
