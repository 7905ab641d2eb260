using System.Globalization;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Monitoring;

/// <summary>
/// The read side for operators' tools (the dashboard, alerts, jobctl): counts, queues, workers, per-minute
/// outcomes, pages of jobs per state and searches. Every statement is bounded by an index range or a limit, so
/// none of them reads the whole job table, however many jobs it holds. Thread-safe.
/// </summary>
public sealed class JobMonitor
{
    /// <summary>Largest page of <see cref="ListAsync"/> and <see cref="SearchAsync"/>.</summary>
    public const int MaxPageSize = 5_000;

    /// <summary>Largest id list <see cref="SearchIdsAsync"/> returns.</summary>
    public const int MaxIds = 100_000;

    /// <summary>How far a job's id (made from the client's clock) may be from its <c>created_at</c> (the database's)
    /// for a creation-time search to find it.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;

    /// <summary>Creates the monitor on a client's database and schema.</summary>
    public JobMonitor(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _dataSource = client.DataSource;
        _sql = client.Sql;
    }

    /// <summary>Jobs per unfinished or failed state, live workers and schedules.</summary>
    public async Task<StateCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_counts"], LiveWindowMs);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StateCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            (int)r.GetInt64(6), (int)r.GetInt64(7), (int)r.GetInt64(8));
    }

    /// <summary>The database's clock.</summary>
    public async Task<DateTimeOffset> GetDatabaseTimeAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["database_clock"]);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return r.GetFieldValue<DateTimeOffset>(0);
    }

    /// <summary>Completed jobs still kept: counted up to <paramref name="cap"/>, estimated past it.</summary>
    public async Task<ApproximateCount> CountCompletedAsync(long cap = 100_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_count_completed"], cap);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        var counted = r.GetInt64(0);
        return counted < cap ? new ApproximateCount(counted, true) : new ApproximateCount(Math.Max(counted, r.GetInt64(1)), false);
    }

    /// <summary>Available jobs of one queue.</summary>
    public async Task<long> CountAvailableAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobValidator.ValidateQueue(queue);
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_count_available"], queue);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// A page of the jobs in one state, in the order that state is worked or was reached: available jobs of
    /// <paramref name="queue"/> in fetch order; scheduled and retryable soonest due first; running longest
    /// running first; completed, discarded and cancelled latest first. Deep offsets cost what they skip.
    /// </summary>
    /// <exception cref="JobValidationException">A page size out of range, or no queue for available jobs.</exception>
    public async Task<IReadOnlyList<Job>> ListAsync(JobState state, int offset, int count, string? queue = null, CancellationToken cancellationToken = default)
    {
        if (offset < 0)
        {
            throw new JobValidationException($"Offset {offset} is negative: pages start at 0.");
        }

        if (count is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {count} is out of range: use 1 to {MaxPageSize}.");
        }

        await using var cmd = state switch
        {
            JobState.Available => DbCommands.Create(_dataSource, _sql["monitor_list_available"],
                JobValidator.ValidateQueue(queue ?? throw new JobValidationException("Available jobs are listed per queue: name the queue.")),
                offset, count),
            JobState.Scheduled or JobState.Retryable => DbCommands.Create(_dataSource, _sql["monitor_list_waiting"], state.ToDb(), offset, count),
            JobState.Running => DbCommands.Create(_dataSource, _sql["monitor_list_running"], offset, count),
            JobState.Completed => DbCommands.Create(_dataSource, _sql["monitor_list_completed"], offset, count),
            _ => DbCommands.Create(_dataSource, _sql["monitor_list_finalized"], state.ToDb(), offset, count),
        };
        return await ReadJobsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Several jobs by id, in the order given; ids that match no job (pruned, or never made) are left out.</summary>
    public async Task<IReadOnlyList<Job>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["get_jobs"], ids.ToArray());
        var found = (await ReadJobsAsync(cmd, cancellationToken).ConfigureAwait(false)).ToDictionary(j => j.Id);
        return ids.Where(found.ContainsKey).Distinct().Select(id => found[id]).ToList();
    }

    /// <summary>Every queue an operator should see, by name: with waiting or running jobs, paused, served by a
    /// live worker, or with outcomes in the last hour.</summary>
    public async Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_queues"], LiveWindowMs);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var queues = new List<QueueOverview>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            queues.Add(new QueueOverview(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4),
                r.GetNullable<DateTimeOffset>(5), r.GetNullable<DateTimeOffset>(6), (int)r.GetInt64(7),
                (int)r.GetInt64(8), r.GetFieldValue<DateTimeOffset>(9)));
        }

        return queues;
    }

    /// <summary>Outcomes per queue and minute since <paramref name="since"/>, minutes without outcomes left out.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<OutcomeBucket>>> GetQueueMinutesAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_queue_minutes"], since);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var byQueue = new Dictionary<string, List<OutcomeBucket>>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var queue = r.GetString(0);
            if (!byQueue.TryGetValue(queue, out var list))
            {
                byQueue[queue] = list = [];
            }

            list.Add(new OutcomeBucket(r.GetFieldValue<DateTimeOffset>(1), ReadCounts(r, 2)));
        }

        return byQueue.ToDictionary(p => p.Key, p => (IReadOnlyList<OutcomeBucket>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Outcomes in buckets of <paramref name="bucket"/> from <paramref name="from"/> to <paramref name="to"/>;
    /// buckets without outcomes are left out.</summary>
    public async Task<IReadOnlyList<OutcomeBucket>> GetOutcomesAsync(
        DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        if (bucket < TimeSpan.FromMinutes(1))
        {
            throw new JobValidationException($"Bucket {bucket} is shorter than the statistics' minute.");
        }

        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_outcomes"], from, to, bucket);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<OutcomeBucket>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(new OutcomeBucket(r.GetFieldValue<DateTimeOffset>(0), ReadCounts(r, 1)));
        }

        return buckets;
    }

    /// <summary>Outcome totals of the minutes from <paramref name="from"/> (null: the oldest kept) to
    /// <paramref name="to"/> (null: now).</summary>
    public async Task<OutcomeCounts> GetOutcomeTotalsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_outcome_totals"],
            DbCommands.Typed(from, NpgsqlDbType.TimestampTz), DbCommands.Typed(to, NpgsqlDbType.TimestampTz));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ReadCounts(r, 0);
    }

    /// <summary>Worker processes with a heartbeat within <paramref name="within"/> (default: live ones), newest first.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["monitor_workers"],
            (long)(within ?? JobClient.LiveWorkerWindow).TotalMilliseconds);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var workers = new List<WorkerInfo>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var queues = r.GetFieldValue<string[]>(3);
            var slots = r.IsDBNull(4) ? [] : r.GetFieldValue<int[]>(4);
            workers.Add(new WorkerInfo(r.GetString(0), r.GetString(1), r.GetInt32(2),
                queues.Select((q, i) => (q, i)).ToDictionary(p => p.q, p => p.i < slots.Length ? slots[p.i] : 0, StringComparer.Ordinal),
                r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), r.GetInt64(7)));
        }

        return workers;
    }

    /// <summary>
    /// One page of the jobs matching <paramref name="search"/>, newest first, after the cursor <paramref name="after"/>
    /// (the previous page's <see cref="JobSearchPage.Next"/>; null for the first page). Each page costs the same
    /// however deep it is.
    /// </summary>
    /// <exception cref="JobValidationException">A filter or the page size is not valid.</exception>
    public async Task<JobSearchPage> SearchAsync(JobSearch search, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new JobValidationException($"Page size {limit} is out of range: use 1 to {MaxPageSize}.");
        }

        var ids = await SearchIdsAfterAsync(search, after, limit + 1, cancellationToken).ConfigureAwait(false);
        var page = ids.Take(limit).ToList();
        var jobs = await GetManyAsync(page, cancellationToken).ConfigureAwait(false);
        return new JobSearchPage(jobs, ids.Count > limit ? page[^1] : null);
    }

    /// <summary>The ids of the first <paramref name="limit"/> jobs matching <paramref name="search"/>, newest first:
    /// what a bulk action over a search acts on, and (with limit = cap + 1) how many match up to a cap.</summary>
    /// <exception cref="JobValidationException">A filter or the limit is not valid.</exception>
    public Task<IReadOnlyList<Guid>> SearchIdsAsync(JobSearch search, int limit, CancellationToken cancellationToken = default) =>
        SearchIdsAfterAsync(search, null, limit, cancellationToken);

    private async Task<IReadOnlyList<Guid>> SearchIdsAfterAsync(JobSearch search, Guid? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        search.Validate();
        if (limit is < 1 or > MaxIds + 1)
        {
            throw new JobValidationException($"Limit {limit} is out of range: use 1 to {MaxIds}.");
        }

        var (low, high) = IdBounds(search);
        var states = search.States is { Count: > 0 } s ? s.Select(x => x.ToDb()).Distinct().ToArray() : null;
        await using var cmd = DbCommands.Create(_dataSource, _sql["search_job_ids"],
            DbCommands.Typed(search.Kind, NpgsqlDbType.Text),
            DbCommands.Typed(search.Queue, NpgsqlDbType.Text),
            DbCommands.Typed(states, NpgsqlDbType.Array | NpgsqlDbType.Text),
            DbCommands.Typed(search.Tag, NpgsqlDbType.Text),
            DbCommands.Typed(search.TenantId, NpgsqlDbType.Text),
            DbCommands.Typed(search.ArgsContain, NpgsqlDbType.Jsonb),
            DbCommands.Typed(search.CreatedFrom, NpgsqlDbType.TimestampTz),
            DbCommands.Typed(search.CreatedBefore, NpgsqlDbType.TimestampTz),
            DbCommands.Typed(after, NpgsqlDbType.Uuid),
            DbCommands.Typed(low, NpgsqlDbType.Uuid),
            DbCommands.Typed(high, NpgsqlDbType.Uuid),
            limit,
            states is null || states.Contains(JobState.Completed.ToDb()));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<Guid>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(r.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// The id range a search can match: its id exactly, or the UUIDv7 values of its creation-time range widened by
    /// <see cref="ClockSkewAllowance"/> (an id's first 48 bits are its client's clock in milliseconds).
    /// </summary>
    internal static (Guid? Low, Guid? High) IdBounds(JobSearch search)
    {
        if (search.Id is { } id)
        {
            return (id, id);
        }

        return (search.CreatedFrom is { } from ? TimeBound(from - ClockSkewAllowance, '0') : null,
                search.CreatedBefore is { } before ? TimeBound(before + ClockSkewAllowance, 'f') : null);
    }

    private static Guid TimeBound(DateTimeOffset time, char fill)
    {
        var ms = Math.Clamp(time.ToUnixTimeMilliseconds(), 0, (1L << 48) - 1);
        return Guid.ParseExact(ms.ToString("x12", CultureInfo.InvariantCulture) + new string(fill, 20), "N");
    }

    private static long LiveWindowMs => (long)JobClient.LiveWorkerWindow.TotalMilliseconds;

    private static OutcomeCounts ReadCounts(NpgsqlDataReader r, int first) =>
        new(r.GetInt64(first), r.GetInt64(first + 1), r.GetInt64(first + 2), r.GetInt64(first + 3), r.GetInt64(first + 4));

    private static async Task<IReadOnlyList<Job>> ReadJobsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<Job>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(JobReader.Read(r));
        }

        return jobs;
    }
}
