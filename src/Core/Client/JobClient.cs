using JobPlatform.Core.Sql;
using JobPlatform.Core.Storage;
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
    private readonly InsertStore _inserts;
    private readonly GroupCommit _singles;

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
        _inserts = new InsertStore(_dataSource, _sql);
        _singles = new GroupCommit(new SingleInserts(_dataSource, _inserts, new HandOffStore(_dataSource, _sql), _options.Notify,
            _options.HandOff && _options.Notify).WriteAsync);
        if (_options.MaxArgsBytes <= 0)
        {
            throw new ArgumentException($"MaxArgsBytes {_options.MaxArgsBytes} must be positive (JobPlatform:Client:MaxArgsBytes).", nameof(options));
        }
    }

    /// <summary>The options in use.</summary>
    public JobClientOptions Options => _options;

    internal NpgsqlDataSource DataSource => _dataSource;

    internal SqlCatalog Sql => _sql;

    internal TimeProvider Time => _time;

    internal GroupCommit Singles => _singles;
}
