using JobPlatform.Core.Monitoring;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements that count and summarize for operators' tools: jobs per state, queues, workers, per-minute
/// outcomes, and the database clock. One method per statement.
/// </summary>
internal sealed class MonitorStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>Jobs per state and per queue, and live workers, on one connection (<c>state_counts</c>,
    /// <c>queue_stats</c>, <c>live_workers</c>).</summary>
    public async Task<PlatformStats> GetStatsAsync(TimeSpan liveWindow, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        var states = await CountStatesAsync(connection, ct).ConfigureAwait(false);
        var queues = await QueueStatsAsync(connection, ct).ConfigureAwait(false);
        var workers = await CountLiveWorkersAsync(connection, liveWindow, ct).ConfigureAwait(false);
        return new PlatformStats(states, queues, workers);
    }

    /// <summary>Jobs per unfinished or failed state, live workers, schedules and queues (<c>monitor_counts</c>).</summary>
    public async Task<StateCounts> GetCountsAsync(TimeSpan liveWindow, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_counts").With("live_window_ms", Milliseconds(liveWindow)).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return new StateCounts(
            r.GetInt64(r.GetOrdinal("available")), r.GetInt64(r.GetOrdinal("scheduled")), r.GetInt64(r.GetOrdinal("retryable")),
            r.GetInt64(r.GetOrdinal("running")), r.GetInt64(r.GetOrdinal("discarded")), r.GetInt64(r.GetOrdinal("cancelled")),
            (int)r.GetInt64(r.GetOrdinal("live_workers")), (int)r.GetInt64(r.GetOrdinal("schedules")), (int)r.GetInt64(r.GetOrdinal("queues")));
    }

    /// <summary>The database's clock (<c>database_clock</c>).</summary>
    public async Task<DateTimeOffset> GetDatabaseTimeAsync(CancellationToken ct)
    {
        await using var cmd = sql.Statement("database_clock").Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetFieldValue<DateTimeOffset>(r.GetOrdinal("now"));
    }

    /// <summary>Completed jobs counted up to <paramref name="cap"/>, and the planner's estimate of the archive
    /// (<c>monitor_count_completed</c>).</summary>
    public async Task<(long Counted, long Estimated)> CountCompletedAsync(long cap, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_count_completed").With("cap", cap).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (r.GetInt64(r.GetOrdinal("counted")), r.GetInt64(r.GetOrdinal("estimated")));
    }

    /// <summary>Available jobs of one queue (<c>monitor_count_available</c>).</summary>
    public async Task<long> CountAvailableAsync(string queue, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_count_available").With("queue", queue).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetInt64(r.GetOrdinal("available"));
    }

    /// <summary>Every queue an operator should see (<c>monitor_queues</c>).</summary>
    public async Task<List<QueueOverview>> GetQueuesAsync(TimeSpan liveWindow, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_queues").With("live_window_ms", Milliseconds(liveWindow)).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int name = r.GetOrdinal("queue_name"), available = r.GetOrdinal("available"), running = r.GetOrdinal("running"),
            scheduled = r.GetOrdinal("scheduled"), retryable = r.GetOrdinal("retryable"), oldestDue = r.GetOrdinal("oldest_due_at"),
            pausedAt = r.GetOrdinal("paused_at"), liveWorkers = r.GetOrdinal("live_workers"), slots = r.GetOrdinal("slots"),
            readAt = r.GetOrdinal("read_at");
        var queues = new List<QueueOverview>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            queues.Add(new QueueOverview(r.GetString(name), r.GetInt64(available), r.GetInt64(running), r.GetInt64(scheduled),
                r.GetInt64(retryable), r.GetNullable<DateTimeOffset>(oldestDue), r.GetNullable<DateTimeOffset>(pausedAt),
                (int)r.GetInt64(liveWorkers), (int)r.GetInt64(slots), r.GetFieldValue<DateTimeOffset>(readAt)));
        }

        return queues;
    }

    /// <summary>Outcomes per queue and minute since <paramref name="since"/>, in queue then minute order
    /// (<c>monitor_queue_minutes</c>).</summary>
    public async Task<List<(string Queue, OutcomeBucket Bucket)>> GetQueueMinutesAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_queue_minutes").With("since", since).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int queue = r.GetOrdinal("queue"), minute = r.GetOrdinal("minute");
        var counts = new OutcomeOrdinals(r);
        var rows = new List<(string, OutcomeBucket)>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add((r.GetString(queue), new OutcomeBucket(r.GetFieldValue<DateTimeOffset>(minute), counts.Read(r))));
        }

        return rows;
    }

    /// <summary>Outcomes in buckets of <paramref name="bucket"/> (<c>monitor_outcomes</c>).</summary>
    public async Task<List<OutcomeBucket>> GetOutcomesAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_outcomes").With("from", from).With("to", to).With("bucket", bucket).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var start = r.GetOrdinal("bucket");
        var counts = new OutcomeOrdinals(r);
        var buckets = new List<OutcomeBucket>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            buckets.Add(new OutcomeBucket(r.GetFieldValue<DateTimeOffset>(start), counts.Read(r)));
        }

        return buckets;
    }

    /// <summary>Outcome totals of a range of minutes, either end open (<c>monitor_outcome_totals</c>).</summary>
    public async Task<OutcomeCounts> GetOutcomeTotalsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_outcome_totals")
            .With("from", from, NpgsqlDbType.TimestampTz)
            .With("to", to, NpgsqlDbType.TimestampTz)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return new OutcomeOrdinals(r).Read(r);
    }

    /// <summary>Workers with a heartbeat within <paramref name="within"/>, newest first (<c>monitor_workers</c>).</summary>
    public async Task<List<WorkerInfo>> GetWorkersAsync(TimeSpan within, CancellationToken ct)
    {
        await using var cmd = sql.Statement("monitor_workers").With("within_ms", Milliseconds(within)).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int id = r.GetOrdinal("id"), host = r.GetOrdinal("host"), pid = r.GetOrdinal("pid"), queueNames = r.GetOrdinal("queues"),
            concurrency = r.GetOrdinal("concurrency"), startedAt = r.GetOrdinal("started_at"), heartbeatAt = r.GetOrdinal("heartbeat_at"),
            running = r.GetOrdinal("running");
        var workers = new List<WorkerInfo>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var queues = r.GetFieldValue<string[]>(queueNames);
            var slots = r.IsDBNull(concurrency) ? [] : r.GetFieldValue<int[]>(concurrency);
            workers.Add(new WorkerInfo(r.GetString(id), r.GetString(host), r.GetInt32(pid),
                queues.Select((q, i) => (q, i)).ToDictionary(p => p.q, p => p.i < slots.Length ? slots[p.i] : 0, StringComparer.Ordinal),
                r.GetFieldValue<DateTimeOffset>(startedAt), r.GetFieldValue<DateTimeOffset>(heartbeatAt), r.GetInt64(running)));
        }

        return workers;
    }

    private async Task<Dictionary<JobState, long>> CountStatesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var states = JobStateNames.All.ToDictionary(s => s, _ => 0L);
        await using var cmd = sql.Statement("state_counts").Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int state = r.GetOrdinal("state"), jobs = r.GetOrdinal("jobs");
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            states[JobStateNames.Parse(r.GetString(state))] = r.GetInt64(jobs);
        }

        return states;
    }

    private async Task<List<QueueStats>> QueueStatsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = sql.Statement("queue_stats").Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int name = r.GetOrdinal("name"), available = r.GetOrdinal("available"), running = r.GetOrdinal("running"),
            waiting = r.GetOrdinal("waiting"), oldestAge = r.GetOrdinal("oldest_age_s"), paused = r.GetOrdinal("paused");
        var queues = new List<QueueStats>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            queues.Add(new QueueStats(r.GetString(name), r.GetInt64(available), r.GetInt64(running), r.GetInt64(waiting),
                Math.Round(r.GetDouble(oldestAge), 3), r.GetBoolean(paused)));
        }

        return queues;
    }

    private async Task<int> CountLiveWorkersAsync(NpgsqlConnection connection, TimeSpan liveWindow, CancellationToken ct)
    {
        await using var cmd = sql.Statement("live_workers").With("live_window_ms", Milliseconds(liveWindow)).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (int)r.GetInt64(r.GetOrdinal("workers"));
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    /// <summary>Where the outcome columns (completed, failed, discarded, cancelled, run_ms) are in one result.</summary>
    private readonly struct OutcomeOrdinals(NpgsqlDataReader r)
    {
        private readonly int _completed = r.GetOrdinal("completed"), _failed = r.GetOrdinal("failed"),
            _discarded = r.GetOrdinal("discarded"), _cancelled = r.GetOrdinal("cancelled"), _runMs = r.GetOrdinal("run_ms");

        public OutcomeCounts Read(NpgsqlDataReader row) =>
            new(row.GetInt64(_completed), row.GetInt64(_failed), row.GetInt64(_discarded), row.GetInt64(_cancelled), row.GetInt64(_runMs));
    }
}
