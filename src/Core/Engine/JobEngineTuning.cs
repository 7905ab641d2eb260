namespace JobPlatform.Core;

/// <summary>
/// Internal tuning of a worker's engine (configuration section <c>JobPlatform:Worker:Tuning</c>). The defaults
/// suit nearly every deployment; <c>docs/performance.md</c> says what each one trades.
/// </summary>
public sealed class JobEngineTuning
{
    /// <summary>Default <see cref="FetchBatchMax"/>: 1000.</summary>
    public const int DefaultFetchBatchMax = 1000;

    /// <summary>Default <see cref="CompletionBatchMax"/>: 2000.</summary>
    public const int DefaultCompletionBatchMax = 2000;

    /// <summary>Default <see cref="PruneBatchSize"/>: 1000.</summary>
    public const int DefaultPruneBatchSize = 1000;

    /// <summary>Default <see cref="FetchCooldown"/>: 5 ms.</summary>
    public static readonly TimeSpan DefaultFetchCooldown = TimeSpan.FromMilliseconds(5);

    /// <summary>Default <see cref="FetchRescanInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultFetchRescanInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="ListeningPollInterval"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultListeningPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="CompletionFlushInterval"/>: 2 ms.</summary>
    public static readonly TimeSpan DefaultCompletionFlushInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>Default <see cref="HeartbeatInterval"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="LeaderLease"/>: 15 seconds.</summary>
    public static readonly TimeSpan DefaultLeaderLease = TimeSpan.FromSeconds(15);

    /// <summary>Default <see cref="PromoteInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultPromoteInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="RescueInterval"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultRescueInterval = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="PruneInterval"/>: 1 minute.</summary>
    public static readonly TimeSpan DefaultPruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>Most jobs leased in one fetch.</summary>
    public int FetchBatchMax { get; set; } = DefaultFetchBatchMax;

    /// <summary>
    /// While a queue has a backlog, a freed slot waits at most this long for more slots to free before the next
    /// fetch (a fetch also starts as soon as a quarter of the queue's capacity is free): leasing a few jobs per
    /// round trip costs far more per job than leasing hundreds; slow jobs lose at most this long per slot.
    /// </summary>
    public TimeSpan FetchCooldown { get; set; } = DefaultFetchCooldown;

    /// <summary>
    /// Each lease starts after the last job this worker leased, skipping the dead index entries of everything
    /// leased before. At least this often the lease starts from the head instead, so a job that sorts before
    /// that position waits at most about this long. (Wake-ups for such jobs, such as promoted ones or a higher
    /// priority than the cursor's, start a lease from the head within 100 ms.)
    /// </summary>
    public TimeSpan FetchRescanInterval { get; set; } = DefaultFetchRescanInterval;

    /// <summary>
    /// How often an idle queue checks for jobs itself while notifications arrive. Lost notifications are covered
    /// by the leader's stager, which wakes every queue with waiting jobs once per <see cref="PromoteInterval"/>,
    /// so this poll is only a last resort and idle workers cost almost nothing.
    /// </summary>
    public TimeSpan ListeningPollInterval { get; set; } = DefaultListeningPollInterval;

    /// <summary>Most outcomes written in one statement.</summary>
    public int CompletionBatchMax { get; set; } = DefaultCompletionBatchMax;

    /// <summary>How long the completer lets outcomes gather before writing a batch.</summary>
    public TimeSpan CompletionFlushInterval { get; set; } = DefaultCompletionFlushInterval;

    /// <summary>How often this worker refreshes its heartbeat row.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>The leader's lease length; renewed with every heartbeat, so it must exceed two heartbeat intervals.</summary>
    public TimeSpan LeaderLease { get; set; } = DefaultLeaderLease;

    /// <summary>How often the leader promotes due scheduled and retryable jobs and wakes queues with waiting jobs.</summary>
    public TimeSpan PromoteInterval { get; set; } = DefaultPromoteInterval;

    /// <summary>How often the leader rescues jobs of lost workers.</summary>
    public TimeSpan RescueInterval { get; set; } = DefaultRescueInterval;

    /// <summary>How often the leader prunes finished jobs.</summary>
    public TimeSpan PruneInterval { get; set; } = DefaultPruneInterval;

    /// <summary>Rows deleted per pruning statement (small batches keep locks short).</summary>
    public int PruneBatchSize { get; set; } = DefaultPruneBatchSize;

    internal void Check(SettingsCheck check)
    {
        check.InRange(nameof(FetchBatchMax), FetchBatchMax, 1, 10_000);
        check.InRange(nameof(CompletionBatchMax), CompletionBatchMax, 1, 50_000);
        check.InRange(nameof(PruneBatchSize), PruneBatchSize, 1, 100_000);
        check.InRange(nameof(FetchCooldown), FetchCooldown, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        check.Positive(nameof(FetchRescanInterval), FetchRescanInterval);
        check.Positive(nameof(ListeningPollInterval), ListeningPollInterval);
        check.NotNegative(nameof(CompletionFlushInterval), CompletionFlushInterval);
        check.Positive(nameof(HeartbeatInterval), HeartbeatInterval);
        check.Positive(nameof(LeaderLease), LeaderLease);
        check.Positive(nameof(PromoteInterval), PromoteInterval);
        check.Positive(nameof(RescueInterval), RescueInterval);
        check.Positive(nameof(PruneInterval), PruneInterval);
        if (LeaderLease <= HeartbeatInterval * 2)
        {
            check.Fail(nameof(LeaderLease), $"({LeaderLease}) must be more than twice HeartbeatInterval ({HeartbeatInterval}), which renews it.");
        }
    }
}
