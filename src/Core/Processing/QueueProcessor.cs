using System.Diagnostics;
using JobPlatform.Core.Diagnostics;
using JobPlatform.Core.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobPlatform.Core.Processing;

/// <summary>
/// The fetch loop of one queue: leases as many jobs as there are free slots (up to the batch maximum) in one
/// statement, runs each on the thread pool, and hands outcomes to the completer. When the queue is drained it
/// sleeps until a NOTIFY for the queue, or the poll interval, wakes it.
/// </summary>
internal sealed class QueueProcessor
{
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(5);

    private readonly string _queue;
    private readonly int _concurrency;
    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;
    private readonly JobEngineOptions _options;
    private readonly JobExecutor _executor;
    private readonly BatchCompleter _completer;
    private readonly string _workerId;
    private readonly ILogger _logger;
    private readonly AsyncSignal _workAvailable = new();
    private readonly AsyncSignal _capacityFreed = new();
    private readonly KeyValuePair<string, object?> _queueTag;
    private int _inFlight;
    private FetchCursor _cursor = FetchCursor.Head;
    private long _rescanDue;

    public QueueProcessor(string queue, int concurrency, NpgsqlDataSource dataSource, SqlCatalog sql, JobEngineOptions options,
        JobExecutor executor, BatchCompleter completer, string workerId, ILogger logger)
    {
        (_queue, _concurrency, _dataSource, _sql, _options, _executor, _completer, _workerId, _logger) =
            (queue, concurrency, dataSource, sql, options, executor, completer, workerId, logger);
        _queueTag = new("queue", queue);
    }

    public string Queue => _queue;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Wakes the loop: new jobs may be available (NOTIFY, resume, reconnect).</summary>
    public void Wake() => _workAvailable.Set();

    /// <summary>Fetches until <paramref name="stopFetching"/> fires. Jobs already started keep running.</summary>
    public async Task RunAsync(CancellationToken stopFetching)
    {
        var drained = false;
        var hotUntil = 0L;
        var errorDelay = TimeSpan.FromMilliseconds(200);
        var worthwhile = Math.Max(1, Math.Min(_concurrency, _options.FetchBatchMax) / 4);
        while (!stopFetching.IsCancellationRequested)
        {
            try
            {
                if (_concurrency - InFlight <= 0)
                {
                    await _capacityFreed.WaitAsync(stopFetching).ConfigureAwait(false);
                    continue;
                }

                if (drained)
                {
                    var hot = Stopwatch.GetTimestamp() < hotUntil;
                    if (await _workAvailable.WaitAsync(hot ? _options.HotPollInterval : _options.PollInterval, stopFetching).ConfigureAwait(false))
                    {
                        hotUntil = Stopwatch.GetTimestamp() + (long)(_options.HotPollWindow.TotalSeconds * Stopwatch.Frequency);
                    }
                }
                else
                {
                    await GatherCapacityAsync(worthwhile, stopFetching).ConfigureAwait(false);
                }

                var limit = Math.Min(_concurrency - InFlight, _options.FetchBatchMax);
                var now = Stopwatch.GetTimestamp();
                if (now >= _rescanDue)
                {
                    _cursor = FetchCursor.Head;
                }

                var from = _cursor;
                if (from.IsHead)
                {
                    _rescanDue = now + (long)(_options.FetchRescanInterval.TotalSeconds * Stopwatch.Frequency);
                }

                // Not cancellable: the lease commits with the statement, so a fetch cut off while reading
                // its rows would leave leased jobs that nobody runs until the rescuer finds them.
                var jobs = await FetchAsync(limit, from, CancellationToken.None).ConfigureAwait(false);
                EngineMetrics.FetchBatchSize.Record(jobs.Count, _queueTag);
                foreach (var job in jobs)
                {
                    _cursor = FetchCursor.Max(_cursor, FetchCursor.Of(job));
                    Interlocked.Increment(ref _inFlight);
                    EngineMetrics.InFlight.Add(1, _queueTag);
                    _ = RunJobAsync(job);
                }

                // A short lease past the cursor says nothing about the jobs before it: look from the head next.
                // Only a short lease from the head means the queue is drained.
                drained = jobs.Count < limit && from.IsHead;
                if (jobs.Count < limit)
                {
                    _cursor = FetchCursor.Head;
                }

                if (jobs.Count > 0)
                {
                    hotUntil = Stopwatch.GetTimestamp() + (long)(_options.HotPollWindow.TotalSeconds * Stopwatch.Frequency);
                }
                errorDelay = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stopFetching.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                EngineMetrics.DatabaseErrors.Add(1, new KeyValuePair<string, object?>("component", "fetch"));
                _logger.LogWarning("Fetching from queue {Queue} failed ({Error}); retrying in {Delay}", _queue, e.Message, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, stopFetching).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// The queue has a backlog: wait until <paramref name="worthwhile"/> slots are free, or until the first free
    /// slot has waited <see cref="JobEngineOptions.FetchCooldown"/>, so a busy queue leases in real batches.
    /// </summary>
    private async Task GatherCapacityAsync(int worthwhile, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.FetchCooldown.TotalSeconds * Stopwatch.Frequency);
        while (_concurrency - InFlight < worthwhile)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            await _capacityFreed.WaitAsync(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Completes when no job of this queue is running here any more.</summary>
    public async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (InFlight > 0)
        {
            await _capacityFreed.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<FetchedJob>> FetchAsync(int limit, FetchCursor after, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["fetch_jobs"], _queue, limit, _workerId,
            after.Priority, DbCommands.Typed(after.IsHead ? DateTime.MinValue : after.ScheduledAt.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz), after.Id);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var jobs = new List<FetchedJob>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            jobs.Add(new FetchedJob(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt16(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<string[]>(10), reader.GetNullableString(11),
                reader.GetNullable<int>(12), reader.GetNullableString(13), reader.GetNullableString(14)));
        }

        return jobs;
    }

    private async Task RunJobAsync(FetchedJob job)
    {
        try
        {
            var outcome = await _executor.ExecuteAsync(job).ConfigureAwait(false);
            EngineMetrics.JobsFinished.Add(1, _queueTag, new("kind", job.Kind), new("outcome", outcome.Label));
            await _completer.AddAsync(outcome).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a completer that stopped accepting can land here; the job stays running and is rescued.
            _logger.LogError(e, "Could not record the outcome of job {JobId}; it will be rescued and run again", job.Id);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            EngineMetrics.InFlight.Add(-1, _queueTag);
            _capacityFreed.Set();
        }
    }
}
