using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using JobPlatform.Core;

namespace JobPlatform.Dashboard.Storage;

/// <summary>
/// The reads the dashboard makes through a storage connection: jobs and their current state, the "retries" and
/// "recurring-jobs" sets and each schedule's hash. A page asks for a range of a set and then for each member's
/// data one by one; the range is read with everything the page will ask next (the retryable jobs themselves,
/// the schedules with their last jobs), so a page is a few statements, not one per row. One connection serves
/// one page. Writes are JobPlatform operations, reached through the client factories: every write member throws.
/// </summary>
internal sealed class JobPlatformConnection(JobPlatformStorage storage) : JobStorageConnection
{
    private const string RetriesSet = "retries";
    private const string RecurringSet = "recurring-jobs";
    private const string RecurringHashPrefix = "recurring-job:";

    private readonly Dictionary<Guid, Core.Job?> _jobs = [];
    private List<RecurringScheduleInfo>? _schedules;

    public override JobData? GetJobData(string jobId) => Find(jobId) is { } job ? HangfireView.JobData(job) : null;

    public override StateData? GetStateData(string jobId) => Find(jobId) is { } job ? HangfireView.StateData(job) : null;

    public override long GetSetCount(string key) => key switch
    {
        RetriesSet => storage.Statistics.Get().Counts.Retryable,
        RecurringSet => Schedules().Count,
        _ => 0,
    };

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt)
    {
        var count = endingAt - startingFrom + 1;
        if (startingFrom < 0 || count < 1)
        {
            return [];
        }

        switch (key)
        {
            case RetriesSet:
                var jobs = Wait(storage.Monitor.ListAsync(JobState.Retryable, startingFrom, Math.Min(count, Core.Monitoring.JobMonitor.MaxPageSize)));
                foreach (var job in jobs)
                {
                    _jobs[job.Id] = job;
                }

                return jobs.Select(j => JobKey.Format(j.Id)).ToList();
            case RecurringSet:
                var page = Schedules().Skip(startingFrom).Take(count).ToList();
                Prefetch(page.Select(s => s.LastJobId).OfType<Guid>());
                return page.Select(s => s.Schedule.Id).ToList();
            default:
                return [];
        }
    }

    public override HashSet<string> GetAllItemsFromSet(string key)
    {
        if (key != RecurringSet)
        {
            return [];
        }

        Prefetch(Schedules().Select(s => s.LastJobId).OfType<Guid>());
        return Schedules().Select(s => s.Schedule.Id).ToHashSet(StringComparer.Ordinal);
    }

    public override Dictionary<string, string>? GetAllEntriesFromHash(string key)
    {
        if (!key.StartsWith(RecurringHashPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = key[RecurringHashPrefix.Length..];
        return Schedules().FirstOrDefault(s => s.Schedule.Id == id) is { } info ? RecurringHash(info) : null;
    }

    public override DateTime GetUtcDateTime() => Wait(storage.Monitor.GetDatabaseTimeAsync()).UtcDateTime;

    /// <summary>A schedule as the Recurring page reads it: Hangfire's hash fields. A paused schedule has no next
    /// execution, which the page shows as "Disabled".</summary>
    private static Dictionary<string, string> RecurringHash(RecurringScheduleInfo info)
    {
        var schedule = info.Schedule;
        var hash = new Dictionary<string, string>
        {
            ["Cron"] = schedule.Cron,
            ["Job"] = InvocationData.SerializeJob(JobPlatformKind.For(schedule.Kind, schedule.ArgsJson)).SerializePayload(),
            ["Queue"] = schedule.Queue ?? "",
            ["TimeZoneId"] = schedule.TimeZone,
            ["CreatedAt"] = JobHelper.SerializeDateTime(info.CreatedAt.UtcDateTime),
        };
        if (info.NextFireAt is { } next)
        {
            hash["NextExecution"] = JobHelper.SerializeDateTime(next.UtcDateTime);
        }

        if (info.LastFireAt is { } last)
        {
            hash["LastExecution"] = JobHelper.SerializeDateTime(last.UtcDateTime);
        }

        if (info.LastJobId is { } lastJob)
        {
            hash["LastJobId"] = JobKey.Format(lastJob);
        }

        return hash;
    }

    private List<RecurringScheduleInfo> Schedules() => _schedules ??= Wait(storage.Schedules.ListAsync()).ToList();

    private void Prefetch(IEnumerable<Guid> ids)
    {
        var missing = ids.Where(id => !_jobs.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var found = Wait(storage.Monitor.GetManyAsync(missing)).ToDictionary(j => j.Id);
        foreach (var id in missing)
        {
            _jobs[id] = found.GetValueOrDefault(id);
        }
    }

    private Core.Job? Find(string key)
    {
        if (!JobKey.TryParse(key, out var id))
        {
            return null;
        }

        if (!_jobs.TryGetValue(id, out var job))
        {
            _jobs[id] = job = Wait(storage.Client.GetAsync(id));
        }

        return job;
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static NotSupportedException ReadOnly() =>
        new("The JobPlatform storage only serves the dashboard's reads; jobs are created and changed through JobPlatform's client.");

    public override IWriteOnlyTransaction CreateWriteTransaction() => throw ReadOnly();

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) => throw ReadOnly();

    public override string CreateExpiredJob(Hangfire.Common.Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) => throw ReadOnly();

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) => throw ReadOnly();

    public override void SetJobParameter(string id, string name, string value) => throw ReadOnly();

    public override string? GetJobParameter(string id, string name) => null;

    public override void AnnounceServer(string serverId, ServerContext context) => throw ReadOnly();

    public override void RemoveServer(string serverId) => throw ReadOnly();

    public override void Heartbeat(string serverId) => throw ReadOnly();

    public override int RemoveTimedOutServers(TimeSpan timeOut) => throw ReadOnly();

    public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) => throw ReadOnly();

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => throw ReadOnly();
}
