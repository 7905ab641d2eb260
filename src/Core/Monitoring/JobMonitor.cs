using System.Globalization;
using JobPlatform.Core.Storage;

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

    private readonly JobStore _jobs;
    private readonly MonitorStore _monitor;

    /// <summary>Creates the monitor on a client's database and schema.</summary>
    public JobMonitor(JobClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _jobs = new JobStore(client.DataSource, client.Sql);
        _monitor = new MonitorStore(client.DataSource, client.Sql);
    }

    /// <summary>Jobs per unfinished or failed state, live workers and schedules.</summary>
    public Task<StateCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        _monitor.GetCountsAsync(JobClient.LiveWorkerWindow, cancellationToken);

    /// <summary>The database's clock.</summary>
    public Task<DateTimeOffset> GetDatabaseTimeAsync(CancellationToken cancellationToken = default) =>
        _monitor.GetDatabaseTimeAsync(cancellationToken);

    /// <summary>Completed jobs still kept: counted up to <paramref name="cap"/>, estimated past it.</summary>
    public async Task<ApproximateCount> CountCompletedAsync(long cap = 100_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        var (counted, estimated) = await _monitor.CountCompletedAsync(cap, cancellationToken).ConfigureAwait(false);
        return counted < cap ? new ApproximateCount(counted, true) : new ApproximateCount(Math.Max(counted, estimated), false);
    }

    /// <summary>Available jobs of one queue.</summary>
    public async Task<long> CountAvailableAsync(string queue, CancellationToken cancellationToken = default)
    {
        JobValidator.ValidateQueue(queue);
        return await _monitor.CountAvailableAsync(queue, cancellationToken).ConfigureAwait(false);
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

        return await (state switch
        {
            JobState.Available => _jobs.PageAvailableAsync(
                JobValidator.ValidateQueue(queue ?? throw new JobValidationException("Available jobs are listed per queue: name the queue.")),
                offset, count, cancellationToken),
            JobState.Scheduled or JobState.Retryable => _jobs.PageWaitingAsync(state, offset, count, cancellationToken),
            JobState.Running => _jobs.PageRunningAsync(offset, count, cancellationToken),
            JobState.Completed => _jobs.PageCompletedAsync(offset, count, cancellationToken),
            _ => _jobs.PageFinalizedAsync(state, offset, count, cancellationToken),
        }).ConfigureAwait(false);
    }

    /// <summary>Several jobs by id, in the order given; ids that match no job (pruned, or never made) are left out.</summary>
    public async Task<IReadOnlyList<Job>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await _jobs.GetManyAsync(ids.ToArray(), cancellationToken).ConfigureAwait(false)).ToDictionary(j => j.Id);
        return ids.Where(found.ContainsKey).Distinct().Select(id => found[id]).ToList();
    }

    /// <summary>Every queue an operator should see, by name: with waiting or running jobs, paused, served by a
    /// live worker, or with outcomes in the last hour.</summary>
    public async Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken = default) =>
        await _monitor.GetQueuesAsync(JobClient.LiveWorkerWindow, cancellationToken).ConfigureAwait(false);

    /// <summary>Outcomes per queue and minute since <paramref name="since"/>, minutes without outcomes left out.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<OutcomeBucket>>> GetQueueMinutesAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var byQueue = new Dictionary<string, List<OutcomeBucket>>(StringComparer.Ordinal);
        foreach (var (queue, bucket) in await _monitor.GetQueueMinutesAsync(since, cancellationToken).ConfigureAwait(false))
        {
            if (!byQueue.TryGetValue(queue, out var list))
            {
                byQueue[queue] = list = [];
            }

            list.Add(bucket);
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

        return await _monitor.GetOutcomesAsync(from, to, bucket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Outcome totals of the minutes from <paramref name="from"/> (null: the oldest kept) to
    /// <paramref name="to"/> (null: now).</summary>
    public Task<OutcomeCounts> GetOutcomeTotalsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default) =>
        _monitor.GetOutcomeTotalsAsync(from, to, cancellationToken);

    /// <summary>Worker processes with a heartbeat within <paramref name="within"/> (default: live ones), newest first.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(TimeSpan? within = null, CancellationToken cancellationToken = default) =>
        await _monitor.GetWorkersAsync(within ?? JobClient.LiveWorkerWindow, cancellationToken).ConfigureAwait(false);

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
        return await _jobs.SearchIdsAsync(new JobIdSearch(search.Kind, search.Queue, states, search.Tag, search.TenantId, search.ArgsContain,
            search.CreatedFrom, search.CreatedBefore, after, low, high, limit), cancellationToken).ConfigureAwait(false);
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
}
