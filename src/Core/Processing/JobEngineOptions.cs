namespace JobPlatform.Core;

/// <summary>Settings of a worker's engine (configuration section <c>JobPlatform:Worker</c>).</summary>
public sealed class JobEngineOptions
{
    /// <summary>Default concurrency of a queue: 100.</summary>
    public const int DefaultConcurrency = 100;

    /// <summary>Default <see cref="FetchBatchMax"/>.</summary>
    public const int DefaultFetchBatchMax = 1000;

    /// <summary>Default <see cref="CompletionBatchMax"/>.</summary>
    public const int DefaultCompletionBatchMax = 2000;

    /// <summary>The schema holding the job tables; default <c>jobplatform</c>.</summary>
    public string Schema { get; set; } = Sql.SchemaName.Default;

    /// <summary>Queues to work and the concurrency of each (jobs running at once in this process).
    /// Default: <c>{"default": 100}</c>.</summary>
    public Dictionary<string, int> Queues { get; set; } = new() { ["default"] = DefaultConcurrency };

    /// <summary>A stable worker id; default host name, process id and a random suffix.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Most jobs leased in one fetch.</summary>
    public int FetchBatchMax { get; set; } = DefaultFetchBatchMax;

    /// <summary>
    /// While a queue has a backlog, a freed slot waits at most this long for more slots to free before the next
    /// fetch (a fetch also starts as soon as a quarter of the queue's capacity is free). Leasing a few jobs per
    /// round trip costs far more per job than leasing hundreds; slow jobs lose at most this long per slot.
    /// </summary>
    public TimeSpan FetchCooldown { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Each lease starts after the last job this worker leased, skipping the dead index entries of everything
    /// leased before. At least this often the lease starts from the head instead, so a job that sorts before
    /// that position waits at most about this long. (Wake-ups for such jobs, such as promoted ones or a higher
    /// priority than the cursor's, start a lease from the head within 100 ms.)
    /// </summary>
    public TimeSpan FetchRescanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an idle queue checks for jobs when notifications cannot arrive: poll-only mode, or while
    /// the LISTEN connection is down.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often an idle queue checks for jobs itself while notifications arrive. Lost notifications are covered
    /// by the leader's stager, which wakes every queue with waiting jobs once per <see cref="PromoteInterval"/>
    /// (as Oban's stager does), so this poll is only a last resort and idle workers cost almost nothing.
    /// </summary>
    public TimeSpan ListeningPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a wake-up or a fetch that found jobs, keep polling this long at <see cref="HotPollInterval"/>.
    /// Default zero: clients announce every insert statement. Set it (e.g. 25 ms) when clients throttle their
    /// NOTIFYs (<see cref="JobClientOptions.NotifyThrottle"/>), so unannounced jobs wait milliseconds.</summary>
    public TimeSpan HotPollWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Let a <see cref="JobClient"/> of this process that was given this engine (<see cref="JobClient.UseLocalEngine"/>;
    /// the worker host does it for its own client) insert a job already leased here when this engine serves its
    /// queue and kind, the queue is idle and a slot is free: the job starts without a NOTIFY and a lease round trip.
    /// </summary>
    public bool LocalHandOff { get; set; } = true;

    /// <summary>
    /// Let producers in any process hand single jobs straight to this worker: each idle queue with a free slot
    /// offers it in the database, and an insert that finds the offer writes its job already leased here and
    /// sends it on this worker's own NOTIFY channel, so it starts without a lease round trip. Needs LISTEN
    /// (ignored with <see cref="PollOnly"/>) and clients with <see cref="JobClientOptions.HandOff"/>.
    /// </summary>
    public bool HandOff { get; set; } = true;

    /// <summary>Poll interval inside the <see cref="HotPollWindow"/>.</summary>
    public TimeSpan HotPollInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Do not LISTEN; rely on polling only (for PgBouncer in transaction mode).</summary>
    public bool PollOnly { get; set; }

    /// <summary>
    /// Leases and outcomes commit without waiting for their WAL flush (<c>synchronous_commit = off</c> for those
    /// transactions only; enqueues keep the caller's setting). Only a crash of PostgreSQL itself can then lose
    /// the last few hundred milliseconds of them, and a lost lease or outcome means the job runs again: delivery
    /// stays at-least-once, as after a worker crash. Measured: +5 % work rate and -0.3 ms pickup latency. Turn off
    /// for synchronous-replication setups that must not re-run jobs after a failover.
    /// </summary>
    public bool AsyncCommit { get; set; } = true;

    /// <summary>Most outcomes written in one statement.</summary>
    public int CompletionBatchMax { get; set; } = DefaultCompletionBatchMax;

    /// <summary>How long the completer lets outcomes gather before writing a batch.</summary>
    public TimeSpan CompletionFlushInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How often this worker refreshes its heartbeat row.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A worker silent for this long is lost: its running jobs are rescued.</summary>
    public TimeSpan WorkerLostAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long running jobs may take to finish before they are cancelled and released.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a job's token fires, how long its handler may take to stop before the slot is freed anyway.</summary>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Per-attempt time limit when neither the job nor its kind sets one.</summary>
    public TimeSpan DefaultJobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Backoff between failed attempts when the kind sets none.</summary>
    public RetryPolicy Retry { get; set; } = RetryPolicy.Default;

    /// <summary>Whether this worker takes part in leader election (maintenance).</summary>
    public bool RunMaintenance { get; set; } = true;

    /// <summary>The leader's lease length; renewed with every heartbeat, so it must exceed two heartbeat intervals.</summary>
    public TimeSpan LeaderLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the leader promotes due scheduled and retryable jobs and wakes queues with waiting jobs.</summary>
    public TimeSpan PromoteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the leader rescues jobs of lost workers.</summary>
    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the leader prunes finished jobs.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long completed jobs are kept.</summary>
    public TimeSpan CompletedRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long discarded and cancelled jobs are kept.</summary>
    public TimeSpan DiscardedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long per-minute statistics are kept.</summary>
    public TimeSpan StatsRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Rows deleted per pruning statement (small batches keep locks short).</summary>
    public int PruneBatchSize { get; set; } = 1000;

    /// <summary>Checks every setting; returns one message per problem, naming the configuration key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"JobPlatform:Worker:{key} is {value}; it must be positive.");
            }
        }

        if (Queues.Count == 0)
        {
            errors.Add("JobPlatform:Worker:Queues is empty; name at least one queue, e.g. JobPlatform:Worker:Queues:default=100.");
        }

        foreach (var (name, concurrency) in Queues)
        {
            try
            {
                JobValidator.ValidateQueue(name);
            }
            catch (JobValidationException e)
            {
                errors.Add($"JobPlatform:Worker:Queues:{name}: {e.Message}");
            }

            if (concurrency is < 1 or > 10_000)
            {
                errors.Add($"JobPlatform:Worker:Queues:{name} is {concurrency}; concurrency must be 1 to 10000.");
            }
        }

        if (FetchBatchMax is < 1 or > 10_000)
        {
            errors.Add($"JobPlatform:Worker:FetchBatchMax is {FetchBatchMax}; use 1 to 10000.");
        }

        if (CompletionBatchMax is < 1 or > 50_000)
        {
            errors.Add($"JobPlatform:Worker:CompletionBatchMax is {CompletionBatchMax}; use 1 to 50000.");
        }

        if (PruneBatchSize is < 1 or > 100_000)
        {
            errors.Add($"JobPlatform:Worker:PruneBatchSize is {PruneBatchSize}; use 1 to 100000.");
        }

        Positive(PollInterval, nameof(PollInterval));
        Positive(FetchRescanInterval, nameof(FetchRescanInterval));
        Positive(ListeningPollInterval, nameof(ListeningPollInterval));
        if (FetchCooldown < TimeSpan.Zero || FetchCooldown > TimeSpan.FromSeconds(1))
        {
            errors.Add($"JobPlatform:Worker:FetchCooldown is {FetchCooldown}; use 0 to 1 second.");
        }

        Positive(HotPollInterval, nameof(HotPollInterval));
        if (HotPollWindow < TimeSpan.Zero)
        {
            errors.Add($"JobPlatform:Worker:HotPollWindow is {HotPollWindow}; it must not be negative.");
        }

        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(WorkerLostAfter, nameof(WorkerLostAfter));
        Positive(DefaultJobTimeout, nameof(DefaultJobTimeout));
        Positive(LeaderLease, nameof(LeaderLease));
        Positive(PromoteInterval, nameof(PromoteInterval));
        Positive(RescueInterval, nameof(RescueInterval));
        Positive(PruneInterval, nameof(PruneInterval));
        Positive(CompletedRetention, nameof(CompletedRetention));
        Positive(DiscardedRetention, nameof(DiscardedRetention));
        Positive(StatsRetention, nameof(StatsRetention));
        if (ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add($"JobPlatform:Worker:ShutdownTimeout is {ShutdownTimeout}; it must not be negative.");
        }

        if (CompletionFlushInterval < TimeSpan.Zero)
        {
            errors.Add($"JobPlatform:Worker:CompletionFlushInterval is {CompletionFlushInterval}; it must not be negative.");
        }

        if (LeaderLease <= HeartbeatInterval * 2)
        {
            errors.Add($"JobPlatform:Worker:LeaderLease ({LeaderLease}) must be more than twice HeartbeatInterval ({HeartbeatInterval}), which renews it.");
        }

        if (WorkerLostAfter <= HeartbeatInterval * 2)
        {
            errors.Add($"JobPlatform:Worker:WorkerLostAfter ({WorkerLostAfter}) must be more than twice HeartbeatInterval ({HeartbeatInterval}), or live workers would be rescued.");
        }

        try
        {
            Sql.SchemaName.Validate(Schema);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        return errors;
    }
}
