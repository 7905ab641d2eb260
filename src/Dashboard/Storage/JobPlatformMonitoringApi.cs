using System.Text.Json;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using JobPlatform.Core;
using JobPlatform.Core.Monitoring;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// What the dashboard's pages read, answered from <see cref="JobMonitor"/>. Hangfire's interface is synchronous,
/// so each call waits for its statement on the request's thread (ASP.NET Core has no synchronization context, so
/// this blocks a thread but cannot deadlock). Pages are read by offset, as Hangfire pages; every list is an index
/// range in its state's order.
/// </summary>
internal sealed class JobPlatformMonitoringApi(JobPlatformStorage storage) : JobStorageMonitor
{
    /// <summary>Jobs shown per queue on the Queues page.</summary>
    private const int FirstJobsPerQueue = 5;

    /// <summary>Args longer than this are cut on the details page (the row keeps them whole).</summary>
    private const int MaxArgsShown = 64 * 1024;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // The Overview asks for its succeeded, failed and deleted series one by one, over the same range: one reading
    // serves the three (an instance serves one page).
    private readonly Dictionary<(DateTimeOffset, DateTimeOffset, TimeSpan), Dictionary<DateTime, OutcomeCounts>> _buckets = [];

    private JobMonitor Monitor => storage.Monitor;

    public override StatisticsDto GetStatistics()
    {
        var snapshot = storage.Statistics.Get();
        var c = snapshot.Counts;
        return new StatisticsDto
        {
            Servers = c.LiveWorkers,
            Recurring = c.Schedules,
            Enqueued = c.Available,
            Queues = c.Queues,
            Scheduled = c.Scheduled,
            Retries = c.Retryable,
            Processing = c.Running,
            Succeeded = snapshot.Outcomes.Completed,
            Failed = c.Discarded,
            Deleted = c.Cancelled,
            Awaiting = 0,
        };
    }

    public override IList<QueueWithTopEnqueuedJobsDto> Queues() =>
        Wait(Monitor.GetQueuesAsync()).Select(q => new QueueWithTopEnqueuedJobsDto
        {
            Name = q.Name,
            Length = q.Available,
            Fetched = null,
            FirstJobs = q.Available == 0 ? new JobList<EnqueuedJobDto>([]) : List(Wait(Monitor.ListAsync(JobState.Available, 0, FirstJobsPerQueue, q.Name)), HangfireView.Enqueued),
        }).ToList();

    public override IList<ServerDto> Servers() =>
        Wait(Monitor.GetWorkersAsync(TimeSpan.FromHours(1))).Select(w => new ServerDto
        {
            Name = w.Id,
            WorkersCount = w.Slots,
            StartedAt = w.StartedAt.UtcDateTime,
            Queues = w.Queues.Keys.ToList(),
            Heartbeat = w.HeartbeatAt.UtcDateTime,
        }).ToList();

    public override JobDetailsDto? JobDetails(string jobId)
    {
        if (!JobKey.TryParse(jobId, out var id) || Wait(storage.Client.GetAsync(id)) is not { } job)
        {
            return null;
        }

        return new JobDetailsDto
        {
            Job = HangfireView.HangfireJob(job),
            CreatedAt = job.CreatedAt.UtcDateTime,
            Properties = HangfireView.Properties(job, PrettyArgs(job.ArgsJson)),
            History = HangfireView.History(job),
            ExpireAt = ExpireAt(job)?.UtcDateTime,
        };
    }

    // A queue name typed into the URL that no queue can have lists nothing.
    public override long EnqueuedCount(string queue) => OrWhenInvalid(() => Wait(Monitor.CountAvailableAsync(queue)), 0L);

    public override JobList<EnqueuedJobDto> EnqueuedJobs(string queue, int from, int perPage) =>
        OrWhenInvalid(() => Page(JobState.Available, from, perPage, HangfireView.Enqueued, queue), new JobList<EnqueuedJobDto>([]));

    // JobPlatform has no "fetched but not started" stage: a lease starts the job.
    public override long FetchedCount(string queue) => 0;

    public override JobList<FetchedJobDto> FetchedJobs(string queue, int from, int perPage) => new([]);

    public override long ScheduledCount() => storage.Statistics.Get().Counts.Scheduled;

    public override JobList<ScheduledJobDto> ScheduledJobs(int from, int count) => Page(JobState.Scheduled, from, count, HangfireView.Scheduled);

    public override long ProcessingCount() => storage.Statistics.Get().Counts.Running;

    public override JobList<ProcessingJobDto> ProcessingJobs(int from, int count) => Page(JobState.Running, from, count, HangfireView.Processing);

    public override long SucceededListCount() => Wait(Monitor.CountCompletedAsync()).Value;

    public override JobList<SucceededJobDto> SucceededJobs(int from, int count) => Page(JobState.Completed, from, count, HangfireView.Succeeded);

    public override long FailedCount() => storage.Statistics.Get().Counts.Discarded;

    public override JobList<FailedJobDto> FailedJobs(int from, int count) => Page(JobState.Discarded, from, count, HangfireView.Failed);

    public override long DeletedListCount() => storage.Statistics.Get().Counts.Cancelled;

    public override JobList<DeletedJobDto> DeletedJobs(int from, int count) => Page(JobState.Cancelled, from, count, HangfireView.Deleted);

    // JobPlatform has no continuations; the Awaiting menu item is removed, the page (by URL) is empty.
    public override long AwaitingCount() => 0;

    public override JobList<AwaitingJobDto> AwaitingJobs(int from, int count) => new([]);

    public override IDictionary<DateTime, long> HourlySucceededJobs() => Hourly(c => c.Completed);

    public override IDictionary<DateTime, long> HourlyFailedJobs() => Hourly(c => c.Discarded);

    public override IDictionary<DateTime, long> HourlyDeletedJobs() => Hourly(c => c.Cancelled);

    public override IDictionary<DateTime, long> SucceededByDatesCount() => Daily(c => c.Completed);

    public override IDictionary<DateTime, long> FailedByDatesCount() => Daily(c => c.Discarded);

    public override IDictionary<DateTime, long> DeletedByDatesCount() => Daily(c => c.Cancelled);

    /// <summary>When the pruner removes a finished job, as the details page announces it.</summary>
    private DateTimeOffset? ExpireAt(Job job) => job.State switch
    {
        JobState.Completed => job.FinalizedAt + storage.Settings.CompletedRetention,
        JobState.Discarded or JobState.Cancelled => job.FinalizedAt + storage.Settings.DiscardedRetention,
        _ => null,
    };

    /// <summary>The 24 hours up to the current one, oldest first, every hour present.</summary>
    private Dictionary<DateTime, long> Hourly(Func<OutcomeCounts, long> pick)
    {
        var now = storage.Time.GetUtcNow();
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        return Series(end.AddHours(-24), end, TimeSpan.FromHours(1), pick);
    }

    /// <summary>The 7 days up to today (UTC), every day present.</summary>
    private Dictionary<DateTime, long> Daily(Func<OutcomeCounts, long> pick)
    {
        var end = new DateTimeOffset(storage.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        return Series(end.AddDays(-7), end, TimeSpan.FromDays(1), pick);
    }

    private Dictionary<DateTime, long> Series(DateTimeOffset from, DateTimeOffset to, TimeSpan step, Func<OutcomeCounts, long> pick)
    {
        if (!_buckets.TryGetValue((from, to, step), out var buckets))
        {
            _buckets[(from, to, step)] = buckets = Wait(Monitor.GetOutcomesAsync(from, to, step)).ToDictionary(b => b.Start.UtcDateTime, b => b.Counts);
        }

        var series = new Dictionary<DateTime, long>();
        for (var at = from; at < to; at += step)
        {
            series[at.UtcDateTime] = buckets.TryGetValue(at.UtcDateTime, out var counts) ? pick(counts) : 0;
        }

        return series;
    }

    private JobList<TDto> Page<TDto>(JobState state, int from, int count, Func<Job, TDto> map, string? queue = null) =>
        from < 0 || count < 1
            ? new JobList<TDto>([])
            : List(Wait(Monitor.ListAsync(state, from, Math.Min(count, JobMonitor.MaxPageSize), queue)), map);

    private static JobList<TDto> List<TDto>(IEnumerable<Job> jobs, Func<Job, TDto> map) =>
        new(jobs.Select(j => new KeyValuePair<string, TDto>(JobKey.Format(j.Id), map(j))));

    private static T OrWhenInvalid<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (JobValidationException)
        {
            return fallback;
        }
    }

    internal static string PrettyArgs(string json)
    {
        string pretty;
        try
        {
            using var document = JsonDocument.Parse(json);
            pretty = JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            pretty = json;
        }

        return pretty.Length <= MaxArgsShown
            ? pretty
            : pretty[..MaxArgsShown] + $"\n… ({pretty.Length - MaxArgsShown:N0} more characters; jobctl get shows them all)";
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
