namespace JobPlatform.Core.Monitoring;

/// <summary>
/// Jobs per unfinished or failed state and the platform's moving parts, counted through partial indexes (cheap
/// enough to poll every two seconds). Completed jobs are not counted here: see <see cref="JobMonitor.CountCompletedAsync"/>
/// and <see cref="JobMonitor.GetOutcomeTotalsAsync"/>.
/// </summary>
/// <param name="Available">Ready to run.</param>
/// <param name="Scheduled">Waiting for their time (not retries).</param>
/// <param name="Retryable">Waiting for a retry after a failed attempt.</param>
/// <param name="Running">Leased by a worker.</param>
/// <param name="Discarded">Failed for good (kept until the pruner's retention).</param>
/// <param name="Cancelled">Cancelled (kept until the pruner's retention).</param>
/// <param name="LiveWorkers">Worker processes whose heartbeat is fresh.</param>
/// <param name="Schedules">Recurring schedules.</param>
/// <param name="Queues">Queues with available jobs, paused or configured, or served by a live worker.</param>
public sealed record StateCounts(
    long Available, long Scheduled, long Retryable, long Running, long Discarded, long Cancelled, int LiveWorkers, int Schedules, int Queues);
