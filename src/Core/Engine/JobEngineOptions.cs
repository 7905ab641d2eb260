namespace JobPlatform.Core;

/// <summary>
/// Settings of a worker's engine (configuration section <c>JobPlatform:Worker</c>): the ones users set. Internal
/// tuning, which the defaults cover for nearly every deployment, is under <see cref="Tuning"/>.
/// </summary>
public sealed class JobEngineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "JobPlatform:Worker";

    /// <summary>Default concurrency of a queue: 100.</summary>
    public const int DefaultConcurrency = 100;

    /// <summary>Highest concurrency of one queue.</summary>
    public const int MaxConcurrency = 10_000;

    /// <summary>Default <see cref="PollInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="WorkerLostAfter"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultWorkerLostAfter = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="ShutdownTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="CancelGrace"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultCancelGrace = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="DefaultJobTimeout"/>: 30 minutes.</summary>
    public static readonly TimeSpan DefaultDefaultJobTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Default <see cref="CompletedRetention"/>: 24 hours.</summary>
    public static readonly TimeSpan DefaultCompletedRetention = TimeSpan.FromHours(24);

    /// <summary>Default <see cref="DiscardedRetention"/>: 7 days.</summary>
    public static readonly TimeSpan DefaultDiscardedRetention = TimeSpan.FromDays(7);

    /// <summary>Default <see cref="StatsRetention"/>: 14 days.</summary>
    public static readonly TimeSpan DefaultStatsRetention = TimeSpan.FromDays(14);

    /// <summary>The schema holding the job tables; default <c>jobplatform</c>.</summary>
    public string Schema { get; set; } = Sql.SchemaName.Default;

    /// <summary>Queues to work and the concurrency of each (jobs running at once in this process).
    /// Default: <c>{"default": 100}</c>.</summary>
    public Dictionary<string, int> Queues { get; set; } = new() { ["default"] = DefaultConcurrency };

    /// <summary>A stable worker id; default host name, process id and a random suffix.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Do not LISTEN; rely on polling only (for PgBouncer in transaction mode).</summary>
    public bool PollOnly { get; set; }

    /// <summary>How often an idle queue checks for jobs when notifications cannot arrive: poll-only mode, or while
    /// the LISTEN connection is down.</summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>
    /// Let producers hand single jobs straight to this worker (direct hand-off): each idle queue with a free slot
    /// offers it in the database, and an insert that finds the offer writes its job already leased here and
    /// sends it on this worker's own NOTIFY channel, so it starts without a lease round trip. Needs LISTEN
    /// (ignored with <see cref="PollOnly"/>) and clients with <see cref="JobClientOptions.HandOff"/>.
    /// </summary>
    public bool HandOff { get; set; } = true;

    /// <summary>
    /// Leases and outcomes commit without waiting for their WAL flush (<c>synchronous_commit = off</c> for those
    /// transactions only; enqueues keep the caller's setting). Only a crash of PostgreSQL itself can then lose
    /// the last few hundred milliseconds of them, and a lost lease or outcome means the job runs again: delivery
    /// stays at-least-once, as after a worker crash. Turn off for synchronous-replication setups that must not
    /// re-run jobs after a failover.
    /// </summary>
    public bool AsyncCommit { get; set; } = true;

    /// <summary>A worker silent for this long is lost: its running jobs are rescued.</summary>
    public TimeSpan WorkerLostAfter { get; set; } = DefaultWorkerLostAfter;

    /// <summary>On shutdown, how long running jobs may take to finish before they are cancelled and released.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;

    /// <summary>After a job's token fires, how long its handler may take to stop before the slot is freed anyway.</summary>
    public TimeSpan CancelGrace { get; set; } = DefaultCancelGrace;

    /// <summary>Per-attempt time limit when neither the job nor its kind sets one.</summary>
    public TimeSpan DefaultJobTimeout { get; set; } = DefaultDefaultJobTimeout;

    /// <summary>Backoff between failed attempts when the kind sets none.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>Whether this worker takes part in leader election (maintenance).</summary>
    public bool RunMaintenance { get; set; } = true;

    /// <summary>How long completed jobs are kept.</summary>
    public TimeSpan CompletedRetention { get; set; } = DefaultCompletedRetention;

    /// <summary>How long discarded and cancelled jobs are kept.</summary>
    public TimeSpan DiscardedRetention { get; set; } = DefaultDiscardedRetention;

    /// <summary>How long per-minute statistics are kept.</summary>
    public TimeSpan StatsRetention { get; set; } = DefaultStatsRetention;

    /// <summary>Internal tuning (<c>JobPlatform:Worker:Tuning</c>).</summary>
    public JobEngineTuning Tuning { get; set; } = new();

    /// <summary>Checks every setting; returns one message per problem, naming the configuration key and the fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var check = new SettingsCheck(SectionName);
        if (Queues.Count == 0)
        {
            check.Fail("Queues", "is empty; name at least one queue, e.g. JobPlatform:Worker:Queues:default=100.");
        }

        foreach (var (name, concurrency) in Queues)
        {
            try
            {
                JobValidator.ValidateQueue(name);
            }
            catch (JobValidationException e)
            {
                check.Fail($"Queues:{name}", e.Message);
            }

            if (concurrency is < 1 or > MaxConcurrency)
            {
                check.Fail($"Queues:{name}", $"is {concurrency}; concurrency must be 1 to {MaxConcurrency}.");
            }
        }

        check.Positive(nameof(PollInterval), PollInterval);
        check.Positive(nameof(WorkerLostAfter), WorkerLostAfter);
        check.Positive(nameof(DefaultJobTimeout), DefaultJobTimeout);
        check.Positive(nameof(CompletedRetention), CompletedRetention);
        check.Positive(nameof(DiscardedRetention), DiscardedRetention);
        check.Positive(nameof(StatsRetention), StatsRetention);
        check.NotNegative(nameof(ShutdownTimeout), ShutdownTimeout);
        check.NotNegative(nameof(CancelGrace), CancelGrace);
        Tuning.Check(check.Under("Tuning"));
        if (WorkerLostAfter <= Tuning.HeartbeatInterval * 2)
        {
            check.Fail(nameof(WorkerLostAfter),
                $"({WorkerLostAfter}) must be more than twice Tuning:HeartbeatInterval ({Tuning.HeartbeatInterval}), or live workers would be rescued.");
        }

        try
        {
            Sql.SchemaName.Validate(Schema);
        }
        catch (ArgumentException e)
        {
            check.Fail("", e.Message);
        }

        return check.Errors;
    }
}
