namespace JobPlatform.Core;

/// <summary>A snapshot of the whole platform, for <c>jobctl stats</c>, the dashboard and alerts.</summary>
/// <param name="States">Job count per state (every state present, zero included).</param>
/// <param name="Queues">Per-queue figures, by name.</param>
/// <param name="Workers">Worker processes whose heartbeat is fresh.</param>
public sealed record PlatformStats(IReadOnlyDictionary<JobState, long> States, IReadOnlyList<QueueStats> Queues, int Workers);

/// <summary>One queue's figures.</summary>
/// <param name="Name">The queue name.</param>
/// <param name="Available">Jobs ready to run.</param>
/// <param name="Running">Jobs being run.</param>
/// <param name="Waiting">Scheduled and retryable jobs.</param>
/// <param name="OldestAvailableAgeSeconds">How long the oldest available job has been ready (0 when none).</param>
/// <param name="Paused">Whether workers are told not to fetch from it.</param>
public sealed record QueueStats(string Name, long Available, long Running, long Waiting, double OldestAvailableAgeSeconds, bool Paused);
