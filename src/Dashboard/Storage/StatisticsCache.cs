using JobPlatform.Core.Monitoring;

namespace JobPlatform.Dashboard.Storage;

/// <summary>One reading of the platform's counts, shared by every page and open tab of this process.</summary>
/// <param name="Counts">Jobs per state, workers, schedules, queues.</param>
/// <param name="Outcomes">Outcomes recorded in the statistics (kept 14 days by default): Succeeded is its completions.</param>
internal sealed record StatisticsSnapshot(StateCounts Counts, OutcomeCounts Outcomes);

/// <summary>
/// Reads the counts at most once per <c>duration</c>, however many tabs poll (Hangfire's dashboard asks on every
/// page and every two seconds per tab). The outcome totals add the current hour's minutes to a sum of the hours
/// before, which is read once an hour: the per-poll statement then reads at most an hour of statistics rows.
/// </summary>
internal sealed class StatisticsCache(JobMonitor monitor, TimeSpan duration, TimeProvider time)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Reading? _current;
    private (DateTimeOffset Hour, OutcomeCounts Totals)? _before;

    public StatisticsSnapshot Get() => GetAsync(CancellationToken.None).GetAwaiter().GetResult();

    public async Task<StatisticsSnapshot> GetAsync(CancellationToken ct)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } other)
            {
                return other;
            }

            var counts = await monitor.GetCountsAsync(ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            if (_before is not { } before || before.Hour != hour)
            {
                _before = before = (hour, await monitor.GetOutcomeTotalsAsync(null, hour, ct).ConfigureAwait(false));
            }

            var thisHour = await monitor.GetOutcomeTotalsAsync(hour, null, ct).ConfigureAwait(false);
            var snapshot = new StatisticsSnapshot(counts, before.Totals + thisHour);
            _current = new Reading(snapshot, time.GetTimestamp());
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private StatisticsSnapshot? Fresh() =>
        _current is { } c && time.GetElapsedTime(c.ReadAt) < duration ? c.Value : null;

    private sealed record Reading(StatisticsSnapshot Value, long ReadAt);
}
