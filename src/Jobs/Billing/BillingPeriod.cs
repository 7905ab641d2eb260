using System.Globalization;
using JobPlatform.Core;

namespace JobPlatform.Jobs.Billing;

/// <summary>A billing month, written <c>yyyy-MM</c>.</summary>
internal static class BillingPeriod
{
    /// <summary>The first day of <paramref name="period"/>.</summary>
    /// <exception cref="DiscardJobException">The period is not a <c>yyyy-MM</c> month: retrying cannot help.</exception>
    public static DateOnly StartOf(string? period)
    {
        if (period is { Length: 7 } && DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            return start;
        }

        throw new DiscardJobException($"Billing period '{period}' is not a month written yyyy-MM (e.g. \"2026-11\"); enqueue the job again with a valid \"period\".");
    }
}
