using System.Collections.Concurrent;
using System.Text;
using JobPlatform.Core.Processing;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core;

/// <summary>
/// Combines concurrent single enqueues into one insert and one commit (group commit). One send loop runs while
/// jobs wait: the caller that finds none running starts it on its own thread, so a lone caller pays no wait and
/// no extra hop; callers arriving while a statement is in flight go together in the next one. Each call returns
/// only after its own job is committed. Jobs with a unique key, and enqueues on the caller's connection, do not
/// come through here.
/// <para>
/// After a commit the loop completes its callers inline: each caller's continuation runs on the loop's thread
/// before the next statement is sent, so a caller that enqueues again at once (a loop over work items, a busy
/// request handler) is in that next statement instead of one later. Completing callers through the thread pool
/// split 8 closed-loop producers into two halves that alternated, about 4 jobs per statement; inline, all 8 go
/// together (measured: 3,300–4,900 against 5,700–8,500 jobs/s on the development machine). A continuation that
/// holds the thread (blocks on another enqueue, computes for long) cannot hold up the others: after
/// <see cref="TakeOverAfter"/> another thread completes the remaining callers and sends what waits.
/// </para>
/// </summary>
internal sealed class InsertBatcher
{
    /// <summary>Most jobs written in one statement.</summary>
    public const int MaxBatch = 1000;

    /// <summary>How long a continuation run inline may hold up the send loop before another thread takes over.</summary>
    internal static readonly TimeSpan TakeOverAfter = TimeSpan.FromMilliseconds(2);

    /// <summary>The batcher whose callers this thread is completing inline, if any.</summary>
    [ThreadStatic]
    private static InsertBatcher? t_completing;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlCatalog _sql;
    private readonly Func<string, bool> _shouldNotify;
    private readonly Func<PreparedJob, QueueProcessor?> _reserveLocal;
    private readonly bool _handOff;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly Timer _watchdog;
    private int _loops;
    private Completion? _watched;

    /// <param name="dataSource">Where jobs are written.</param>
    /// <param name="sql">The schema's statements.</param>
    /// <param name="shouldNotify">Whether a queue gets a wake-up now (the client's throttle).</param>
    /// <param name="reserveLocal">A slot of an engine in this process for a lone job, if one may take it at once.</param>
    /// <param name="handOff">Whether a lone job may take a slot an idle worker offers (direct hand-off).</param>
    public InsertBatcher(NpgsqlDataSource dataSource, SqlCatalog sql, Func<string, bool> shouldNotify, Func<PreparedJob, QueueProcessor?> reserveLocal,
        bool handOff)
    {
        (_dataSource, _sql, _shouldNotify, _reserveLocal, _handOff) = (dataSource, sql, shouldNotify, reserveLocal, handOff);
        // The loop serves every caller: it must not carry the ambient context (trace, logging scope) of the one
        // that happened to start it, or of the code that created the client.
        using (ExecutionContext.SuppressFlow())
        {
            _watchdog = new Timer(static state => ((InsertBatcher)state!).TakeOver(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>Jobs waiting for a statement (tests use it to line callers up).</summary>
    internal int Waiting => _queue.Count;

    /// <summary>Inserts the job, alone or with others; returns once it is committed.</summary>
    /// <remarks>Cancelling stops the wait; a job already handed to the database may still be enqueued.</remarks>
    public async Task<Guid> InsertAsync(PreparedJob job, CancellationToken cancellationToken)
    {
        var mine = new Pending(job);
        _queue.Enqueue(mine);
        // A caller that the loop is completing on this very thread leaves the sending to it: the loop sends again
        // as soon as it has completed its callers, with this job in the statement.
        if (t_completing != this && Interlocked.CompareExchange(ref _loops, 1, 0) == 0)
        {
            // Its first statement carries this caller's context (it holds this caller's job); later ones none.
            using (ExecutionContext.SuppressFlow())
            {
                _ = SendLoopAsync(null);
            }
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await mine.Task.ConfigureAwait(false);
        }

        try
        {
            return await mine.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            mine.Abandon();
            throw;
        }
    }

    /// <summary>Sends what is queued, statement after statement, until the queue is empty. Never throws.</summary>
    /// <param name="held">A completion that held up another loop: its remaining callers are completed first.</param>
    private async Task SendLoopAsync(Completion? held)
    {
        held?.Run(this);
        while (true)
        {
            var batch = Take();
            if (batch.Count == 0)
            {
                Interlocked.Decrement(ref _loops);
                // A caller may have queued a job after Take and seen this loop still running: look once more.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _loops, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await WriteAsync(batch).ConfigureAwait(false);
            new Completion(batch).Run(this);
        }
    }

    private List<Pending> Take()
    {
        var batch = new List<Pending>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            if (next.Take())
            {
                batch.Add(next);
            }
        }

        return batch;
    }

    /// <summary>Writes the batch and records each caller's outcome (not yet delivered); never throws.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        if (batch.Count == 1 && batch[0].Job.State == JobState.Available && _reserveLocal(batch[0].Job) is { } slot)
        {
            await HandOffAsync(batch[0], slot).ConfigureAwait(false);
            return;
        }

        try
        {
            // One wake-up per queue with jobs due now (the client's throttle may skip it).
            var queues = batch.Where(p => p.Job.State == JobState.Available).Select(p => p.Job.Queue).Distinct()
                .Where(_shouldNotify).ToArray();
            await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            if (batch.Count == 1 && _handOff && MayHandOff(batch[0].Job) && await TryOfferedAsync(connection, batch[0].Job, queues.Length > 0).ConfigureAwait(false))
            {
                return;
            }

            await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
            send.BatchCommands.Add(batch.Count == 1
                ? DbCommands.BatchCommand(_sql["insert_job"], [.. JobRows.Row(batch[0].Job), DbCommands.Typed<string?>(null, NpgsqlDbType.Text)])
                : DbCommands.BatchCommand(_sql["insert_job_batch"], JobRows.Arrays(batch.ConvertAll(p => p.Job))));
            if (queues.Length > 0)
            {
                send.BatchCommands.Add(DbCommands.BatchCommand(_sql["notify_queues"], _sql.InsertChannel, queues));
            }

            await ExecuteAsync(send).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var p in batch)
            {
                p.Failure = e;
            }
        }
    }

    /// <summary>
    /// Inserts a lone job through insert_job_offered.sql, which hands it to a slot an idle worker offers if there
    /// is one, and then (own transaction, same round trip) wakes its queue if it was not handed. False, with
    /// nothing written, when the job's notification would exceed PostgreSQL's payload limit after all (jsonb's
    /// text of the args can outgrow their JSON: numbers in exponent form are written out): the caller inserts it
    /// the ordinary way.
    /// The hand-off's NOTIFY is inside the insert's transaction, so that the worker is told at the commit, not a
    /// statement later (`jobctl bench`, pickup from the commit p50 0.12–0.32 ms against 0.27–0.33 with it in its own transaction): such a commit holds PostgreSQL's notification lock until its
    /// WAL flush (see <see cref="ExecuteAsync"/>), but only hand-offs do, one per slot an idle worker offers.
    /// </summary>
    private async Task<bool> TryOfferedAsync(NpgsqlConnection connection, PreparedJob job, bool wake)
    {
        await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        send.BatchCommands.Add(DbCommands.BatchCommand(_sql["insert_job_offered"], JobRows.Row(job)));
        if (wake)
        {
            send.BatchCommands.Add(DbCommands.BatchCommand(_sql["notify_offered"], _sql.InsertChannel, job.Id));
        }

        try
        {
            await ExecuteAsync(send).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // From the insert's transaction (ExecuteAsync absorbs the wake-up's errors), where only pg_notify
            // raises this code: the payload was too long. The transaction rolled back; nothing was written.
            return false;
        }
    }

    /// <summary>
    /// Whether a lone job may be handed to a worker's offered slot: due now, no unique key, and small enough that
    /// the notification carrying it stays within PostgreSQL's 8000-byte payload (jsonb's text may add a space
    /// after each comma and colon of the args). One that exceeds it all the same is inserted the ordinary way
    /// (<see cref="TryOfferedAsync"/>).
    /// </summary>
    internal static bool MayHandOff(PreparedJob job)
    {
        const int MaxPayload = 7600;
        if (job.State != JobState.Available || job.ScheduledAt is not null || job.UniqueKey is not null || job.ArgsJson.Length > MaxPayload / 2)
        {
            return false;
        }

        var bytes = 2 * Encoding.UTF8.GetByteCount(job.ArgsJson) + Encoding.UTF8.GetByteCount(job.Kind) + Encoding.UTF8.GetByteCount(job.Queue)
            + 2 * (job.Tags.Sum(t => Encoding.UTF8.GetByteCount(t) + 4) + Encoding.UTF8.GetByteCount(job.TenantId ?? "") + Encoding.UTF8.GetByteCount(job.TraceContext ?? ""))
            + 400; // the id, numbers, three timestamps, quotes and commas
        return bytes <= MaxPayload;
    }

    /// <summary>
    /// Inserts a lone job already leased to the local engine's reserved slot and starts it there once the
    /// commit is confirmed: no NOTIFY, no lease round trip. A paused queue gets it as available instead.
    /// </summary>
    private async Task HandOffAsync(Pending pending, QueueProcessor slot)
    {
        var job = pending.Job;
        FetchedJob? leased = null;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var cmd = DbCommands.Create(connection, _sql["insert_job_leased"], [.. JobRows.Row(job), slot.WorkerId]);
            await using (var reader = await cmd.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if (reader.GetString(0) == "running")
                {
                    leased = new FetchedJob(job.Id, job.Queue, job.Kind, job.ArgsJson, job.Priority, Attempt: 1, job.MaxAttempts,
                        reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                        job.Tags, job.TenantId, job.TimeoutMs, job.TraceContext, UniqueKey: null);
                }

                // Closing reads on to the end of the statement, past its commit: the job may not start before.
            }
        }
        catch (Exception e)
        {
            pending.Failure = e;
            slot.CancelReservation();
            return;
        }

        if (leased is null)
        {
            slot.CancelReservation();
        }
        else
        {
            slot.RunReserved(leased);
        }
    }

    /// <summary>
    /// Runs the insert and then the wake-up as two transactions in one round trip (a Sync after each). A NOTIFY
    /// takes a database-wide lock from its commit until the commit is flushed, so inside the insert's
    /// transaction it would make concurrent enqueues (of every client) wait for each other's WAL flushes in
    /// turn (pgbench, 8 clients: 4,500 inserts/s with the NOTIFY in the transaction, 7,300 with it in its own).
    /// A transaction that only notifies writes no data and commits without waiting for a flush, so it holds the
    /// lock briefly. The wake-up still reaches workers right after the insert commits; if it fails, the jobs are
    /// committed all the same and workers' polls find them.
    /// </summary>
    private static async Task ExecuteAsync(NpgsqlBatch send)
    {
        await using var reader = await send.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException e) when (send.BatchCommands.Count > 1 && ReferenceEquals(e.BatchCommand, send.BatchCommands[1]))
        {
            // Only the wake-up failed; the insert had committed.
        }
    }

    private void Watch(Completion completion)
    {
        Volatile.Write(ref _watched, completion);
        _watchdog.Change(TakeOverAfter, Timeout.InfiniteTimeSpan);
    }

    private void Unwatch(Completion completion)
    {
        if (Interlocked.CompareExchange(ref _watched, null, completion) == completion)
        {
            _watchdog.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>A completion has been running callers' continuations for <see cref="TakeOverAfter"/>: one of
    /// them holds the thread. Another loop, on the thread pool, finishes the completion and sends what waits.</summary>
    private void TakeOver()
    {
        var held = Volatile.Read(ref _watched);
        if (held is null || Interlocked.CompareExchange(ref _watched, null, held) != held)
        {
            return;
        }

        Interlocked.Increment(ref _loops);
        _ = Task.Run(() => SendLoopAsync(held));
    }

    /// <summary>Delivers a written batch's outcomes. Several threads may share the work (see <see cref="TakeOver"/>);
    /// each caller is completed exactly once.</summary>
    private sealed class Completion(List<Pending> batch)
    {
        private int _next;
        private int _runners;

        public void Run(InsertBatcher owner)
        {
            var previous = t_completing;
            t_completing = owner;
            Interlocked.Increment(ref _runners);
            owner.Watch(this);
            try
            {
                for (var i = Interlocked.Increment(ref _next) - 1; i < batch.Count; i = Interlocked.Increment(ref _next) - 1)
                {
                    batch[i].Finish();
                }
            }
            finally
            {
                // While another thread still runs callers of this batch, the watchdog keeps watching it.
                if (Interlocked.Decrement(ref _runners) == 0)
                {
                    owner.Unwatch(this);
                }

                t_completing = previous;
            }
        }
    }

    /// <summary>One caller's job and its outcome. A job is taken for sending at most once, and never after
    /// its caller gave up waiting.</summary>
    private sealed class Pending(PreparedJob job)
    {
        // Continuations run inline on the completing thread (see the class remarks).
        private readonly TaskCompletionSource<Guid> _done = new();
        private int _state; // 0 queued, 1 taken, 2 abandoned

        public PreparedJob Job { get; } = job;

        public Task<Guid> Task => _done.Task;

        /// <summary>Why the write failed; null once it committed.</summary>
        public Exception? Failure { get; set; }

        public bool Take() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public void Abandon() => Interlocked.CompareExchange(ref _state, 2, 0);

        public void Finish()
        {
            if (Failure is null)
            {
                _done.TrySetResult(Job.Id);
            }
            else
            {
                _done.TrySetException(Failure);
            }
        }
    }
}
