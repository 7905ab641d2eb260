using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// What application code uses to enqueue and manage jobs. Thread-safe; create one per process and share it.
/// Inserts can run on the caller's own connection and transaction, so a job commits or rolls back with the
/// caller's data.
/// </summary>
public sealed partial class JobClient
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly JobClientOptions _options;
    private readonly SqlCatalog _sql;
    private readonly TimeProvider _time;
    private readonly NotifyThrottle _notifyThrottle;
    private readonly InsertBatcher _batcher;
    private volatile JobEngine? _localEngine;

    /// <summary>Creates a client on a data source (one per process; Npgsql pools connections).</summary>
    /// <param name="dataSource">The PostgreSQL data source.</param>
    /// <param name="options">Settings; null for defaults.</param>
    /// <param name="timeProvider">Clock for schedules; null for the system clock.</param>
    public JobClient(NpgsqlDataSource dataSource, JobClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _options = options ?? new JobClientOptions();
        _sql = SqlCatalog.For(_options.Schema);
        _time = timeProvider ?? TimeProvider.System;
        _notifyThrottle = new NotifyThrottle(_options.NotifyThrottle);
        _batcher = new InsertBatcher(_dataSource, _sql, queue => _options.Notify && _notifyThrottle.ShouldNotify(queue),
            job => _localEngine?.TryReserve(job.Queue, job.Kind), _options.HandOff && _options.Notify);
        if (_options.MaxArgsBytes <= 0)
        {
            throw new ArgumentException($"MaxArgsBytes {_options.MaxArgsBytes} must be positive (JobPlatform:Client:MaxArgsBytes).", nameof(options));
        }
    }

    /// <summary>
    /// Lets single jobs this client enqueues start on <paramref name="engine"/>, in this process, without a NOTIFY
    /// and a lease round trip: when the engine serves the job's queue and kind, that queue's last fetch found
    /// nothing waiting, and a slot is free, the job is inserted already leased to the engine and handed to it
    /// once committed. Otherwise (and for jobs enqueued together with others, scheduled, unique or on the
    /// caller's connection) enqueueing is unchanged. The worker host calls this for its own client; turn it off
    /// with <see cref="JobEngineOptions.LocalHandOff"/>. A crash between the commit and the start leaves the job
    /// leased to a dead worker, which the rescuer returns to the queue as for any leased job.
    /// </summary>
    /// <param name="engine">An engine on the same database and schema.</param>
    public void UseLocalEngine(JobEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (!string.Equals(engine.Schema, _options.Schema, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The engine works on schema '{engine.Schema}', this client on '{_options.Schema}'.", nameof(engine));
        }

        _localEngine = engine;
    }

    /// <summary>The options in use.</summary>
    public JobClientOptions Options => _options;

    internal NpgsqlDataSource DataSource => _dataSource;

    internal SqlCatalog Sql => _sql;

    internal TimeProvider Time => _time;

    internal InsertBatcher Batcher => _batcher;
}
