using JobPlatform.Core.Storage;

namespace JobPlatform.Core;

public sealed partial class JobClient
{
    /// <summary>How recent a heartbeat must be for a worker to count as live in <see cref="GetStatsAsync"/>.</summary>
    internal static readonly TimeSpan LiveWorkerWindow = TimeSpan.FromSeconds(30);

    /// <summary>Lists jobs, newest first, filtered by kind, state and queue.</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(JobListQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new JobListQuery();
        if (query.Limit is < 1 or > JobListQuery.MaxLimit)
        {
            throw new JobValidationException($"Limit {query.Limit} is out of range: use 1 to {JobListQuery.MaxLimit}.");
        }

        if (query.Queue is not null)
        {
            JobValidator.ValidateQueue(query.Queue);
        }

        return await Jobs.ListAsync(query.Kind, query.State, query.Queue, query.Limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts jobs per state and per queue, and live workers.</summary>
    public Task<PlatformStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        new MonitorStore(_dataSource, _sql).GetStatsAsync(LiveWorkerWindow, cancellationToken);
}
