namespace JobPlatform.Core.Monitoring;

/// <summary>One queue as an operator sees it: what waits, what runs, who serves it.</summary>
/// <param name="Name">The queue name.</param>
/// <param name="Available">Jobs ready to run.</param>
/// <param name="Running">Jobs being run.</param>
/// <param name="Scheduled">Jobs waiting for their time.</param>
/// <param name="Retryable">Jobs waiting for a retry.</param>
/// <param name="OldestAvailableDueAt">When the oldest available job became due; null when none is available.</param>
/// <param name="PausedAt">When the queue was paused; null when it is not.</param>
/// <param name="LiveWorkers">Live worker processes that serve the queue.</param>
/// <param name="Slots">Their slots for it (jobs they run at once); 0 when none reports it.</param>
/// <param name="ReadAt">The database's clock when this was read (ages are measured from it).</param>
public sealed record QueueOverview(
    string Name, long Available, long Running, long Scheduled, long Retryable, DateTimeOffset? OldestAvailableDueAt,
    DateTimeOffset? PausedAt, int LiveWorkers, int Slots, DateTimeOffset ReadAt)
{
    /// <summary>Whether workers are told not to fetch from it.</summary>
    public bool Paused => PausedAt is not null;

    /// <summary>How long the oldest available job has waited since it became due (zero when none waits).</summary>
    public TimeSpan OldestAvailableAge =>
        OldestAvailableDueAt is { } due && ReadAt > due ? ReadAt - due : TimeSpan.Zero;
}
