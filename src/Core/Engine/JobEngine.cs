using JobPlatform.Core.HandOff;
using JobPlatform.Core.Maintenance;
using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// The processing engine of one worker process: a fetch loop per queue, the batch completer, the NOTIFY
/// listener, the heartbeat and leader-elected maintenance. Start it once; stop it to drain gracefully.
/// </summary>
public sealed class JobEngine : IAsyncDisposable
{
    private readonly JobEngineOptions _options;
    private readonly ILogger _logger;
    private readonly string _kinds;
    private readonly RunningJobs _running = new();
    private readonly BatchCompleter _completer;
    private readonly Dictionary<string, FetchLoop> _processors;
    private readonly NotificationListener? _listener;
    private readonly HandOffReceiver? _handOffs;
    private readonly HandOffStore _handOffStore;
    private readonly WorkerHeartbeat _heartbeat;
    private readonly MaintenanceLoop? _maintenance;
    private readonly CancellationTokenSource _stopFetching = new();
    private readonly CancellationTokenSource _stopBackground = new();
    private readonly CancellationTokenSource _abandonCompletions = new();
    private readonly List<Task> _fetchLoops = [];
    private readonly List<Task> _backgroundLoops = [];
    private int _started;
    private Task? _stopping;

    /// <summary>Creates an engine. Nothing touches the database until <see cref="StartAsync"/>.</summary>
    /// <param name="dataSource">The PostgreSQL data source.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="handlers">The kinds this worker runs (<c>platform.noop</c> is always there).</param>
    /// <param name="loggerFactory">Logging; null for none.</param>
    /// <param name="timeProvider">Clock for timeouts and error times; null for the system clock.</param>
    /// <param name="jitter">Uniform [0, 1) source for backoff jitter; null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad key.</exception>
    public JobEngine(NpgsqlDataSource dataSource, JobEngineOptions options, JobHandlerRegistry? handlers = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid worker settings: " + string.Join(" ", errors), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("JobPlatform.Engine");
        var sql = SqlCatalog.For(options.Schema);
        WorkerId = options.WorkerId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        var time = timeProvider ?? TimeProvider.System;
        var registry = handlers ?? new JobHandlerRegistry();
        _kinds = string.Join(", ", registry.Kinds.Order(StringComparer.Ordinal));
        var executor = new JobExecutor(registry, options, _running, WorkerId, time,
            jitter ?? Random.Shared.NextDouble, loggerFactory.CreateLogger("JobPlatform.Jobs"));
        _completer = new BatchCompleter(new CompletionStore(dataSource, sql, WorkerId, options.AsyncCommit), options, time, _logger);
        _handOffStore = new HandOffStore(dataSource, sql);
        if (!options.PollOnly)
        {
            _handOffs = options.HandOff ? new HandOffReceiver(sql, WorkerId, time) : null;
            // _processors is set below; the listener only calls back once the engine has started.
            _listener = new NotificationListener(dataSource, sql, WakeQueue, id => _running.RequestCancel(id), WakeAll,
                _handOffs, OnHandOff, time, _logger);
        }

        var parts = new EngineParts(new FetchStore(dataSource, sql, WorkerId, options.AsyncCommit), options, executor, _completer, time, _logger);
        var listening = _listener is null ? () => false : (Func<bool>)(() => _listener.Listening);
        _processors = options.Queues.ToDictionary(q => q.Key, q => new FetchLoop(q.Key, q.Value, parts, listening, OffersFor(q.Key, parts)));
        _heartbeat = new WorkerHeartbeat(new WorkerStore(dataSource, sql, WorkerId), _handOffStore, options, WorkerId, _running, _handOffs,
            RecoverHandOffs, time, _logger);
        if (options.RunMaintenance)
        {
            _maintenance = new MaintenanceLoop(
                () => _heartbeat.IsLeader,
                new JobStager(dataSource, sql, options.WorkerLostAfter),
                new JobRescuer(dataSource, sql, options.WorkerLostAfter, WorkerId),
                new JobPruner(dataSource, sql, options),
                options, time, _logger);
        }
    }

    /// <summary>This worker's id, as recorded in <c>attempted_by</c> and the workers table.</summary>
    public string WorkerId { get; }

    /// <summary>The schema this engine works on.</summary>
    public string Schema => _options.Schema;

    /// <summary>Whether this worker currently runs maintenance.</summary>
    public bool IsLeader => _heartbeat.IsLeader;

    /// <summary>Completes once the listener is connected (and, with hand-off on, once offers can be made); at once
    /// in poll-only mode. Tests wait on it instead of a fixed delay.</summary>
    internal async Task WhenListeningAsync(TimeSpan timeout)
    {
        if (_listener is not null)
        {
            await _listener.WhenListening.WaitAsync(timeout).ConfigureAwait(false);
        }
    }

    /// <summary>Jobs running in this process now.</summary>
    public int InFlight => _processors.Values.Sum(p => p.InFlight);

    /// <summary>Registers the worker and starts fetching.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The engine has already been started.");
        }

        await _heartbeat.BeatAsync(cancellationToken).ConfigureAwait(false);
        _completer.Start(_abandonCompletions.Token);
        _backgroundLoops.Add(Task.Run(() => _heartbeat.RunAsync(_stopBackground.Token), CancellationToken.None));
        if (_listener is not null)
        {
            _backgroundLoops.Add(Task.Run(() => _listener.RunAsync(_stopBackground.Token), CancellationToken.None));
        }

        if (_maintenance is not null)
        {
            _backgroundLoops.Add(Task.Run(() => _maintenance.RunAsync(_stopBackground.Token), CancellationToken.None));
        }

        foreach (var processor in _processors.Values)
        {
            processor.StartAccepting();
            _fetchLoops.Add(Task.Run(() => processor.RunAsync(_stopFetching.Token), CancellationToken.None));
        }

        _logger.LogInformation("Worker {WorkerId} started on queues {Queues} ({Mode}), running kinds {Kinds}", WorkerId,
            string.Join(", ", _options.Queues.Select(q => $"{q.Key}×{q.Value}")), _options.PollOnly ? "poll only" : "LISTEN/NOTIFY with fallback poll", _kinds);
    }

    /// <summary>
    /// Drains gracefully: stops fetching, lets running jobs finish for up to
    /// <see cref="JobEngineOptions.ShutdownTimeout"/> (or until <paramref name="cancellationToken"/> fires), then
    /// cancels the rest and releases them without spending their attempt, writes every pending outcome,
    /// resigns leadership and unregisters.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopFetching)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _started) == 1)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stopFetching.Dispose();
        _stopBackground.Dispose();
        _abandonCompletions.Dispose();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Worker {WorkerId} stopping: {InFlight} jobs running", WorkerId, InFlight);
        foreach (var processor in _processors.Values)
        {
            processor.StopAccepting();
        }

        await _stopFetching.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_fetchLoops).ConfigureAwait(false);
        if (_handOffs is not null)
        {
            // Jobs handed before this returns still arrive, and are released (the engine no longer accepts).
            await BestEffortAsync("withdraw slot offers", ct => _handOffStore.WithdrawAllAsync(WorkerId, ct)).ConfigureAwait(false);
        }

        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            drain.CancelAfter(_options.ShutdownTimeout);
            try
            {
                await Task.WhenAll(_processors.Values.Select(p => p.WaitIdleAsync(drain.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("Shutdown timeout reached with {InFlight} jobs running; cancelling them and releasing their attempts", InFlight);
                _running.CancelAllForShutdown();
                await Task.WhenAll(_processors.Values.Select(p => p.WaitIdleAsync(CancellationToken.None))).ConfigureAwait(false);
            }
        }

        // Pending outcomes get a bounded chance to reach an unreachable database; after that the rescuer covers them.
        _abandonCompletions.CancelAfter(TimeSpan.FromSeconds(15));
        await _completer.StopAsync().ConfigureAwait(false);
        await _stopBackground.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_backgroundLoops).ConfigureAwait(false);
        await BestEffortAsync("resign leadership and unregister", _heartbeat.ResignAndUnregisterAsync).ConfigureAwait(false);
        _logger.LogInformation("Worker {WorkerId} stopped", WorkerId);
    }

    private async Task BestEffortAsync(string what, Func<CancellationToken, Task> action)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await action(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning("Could not {What} on shutdown: {Error}", what, e.Message);
        }
    }

    /// <summary>A producer handed a job to one of this worker's slot offers (listener thread).</summary>
    private void OnHandOff(string payload)
    {
        FetchedJob job;
        long generation;
        try
        {
            (job, generation) = HandOffReceiver.Parse(payload);
        }
        catch (FormatException e)
        {
            // Left running here: the heartbeat finds it among the jobs never received and starts it.
            _logger.LogWarning("Ignored a hand-off notification: {Error}", e.Message);
            return;
        }

        Accept(job, generation);
    }

    /// <summary>Handed jobs whose notification was lost, found by the heartbeat.</summary>
    private void RecoverHandOffs(IReadOnlyList<FetchedJob> jobs)
    {
        foreach (var job in jobs)
        {
            _logger.LogWarning("Job {JobId} was handed to worker {WorkerId} but its notification never arrived; starting it now", job.Id, WorkerId);
            Accept(job, generation: null);
        }
    }

    /// <summary>Starts a handed job once; <paramref name="generation"/> null for one found by the heartbeat.</summary>
    private void Accept(FetchedJob job, long? generation)
    {
        if (!_handOffs!.TryReceive(job.Id))
        {
            return;
        }

        if (_processors.TryGetValue(job.Queue, out var processor))
        {
            processor.AcceptHandOff(job, generation);
        }
        else
        {
            // Offers are only made for served queues; a job for another one goes back to its queue.
            _ = _completer.AddAsync(JobStateMachine.Released(job)).AsTask();
        }
    }

    /// <summary>The slot offers of a queue: none unless hand-off is on and notifications can arrive.</summary>
    private SlotOffers OffersFor(string queue, EngineParts parts) =>
        _handOffs is null || _listener is null
            ? SlotOffers.None
            : new SlotOffers(queue, WorkerId, _handOffStore, _handOffs, () => _listener.HandOffReady, _options.Tuning.HeartbeatInterval, parts.Time);

    private void WakeQueue(string queue, bool mayBeBehindCursor)
    {
        if (_processors.TryGetValue(queue, out var processor))
        {
            processor.Wake(mayBeBehindCursor);
        }
    }

    /// <summary>The listener connected or dropped: notifications may have been missed.</summary>
    private void WakeAll()
    {
        foreach (var processor in _processors.Values)
        {
            processor.Wake(mayBeBehindCursor: true);
        }
    }
}
