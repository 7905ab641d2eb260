using System.Collections.Concurrent;

namespace JobPlatform.Core;

/// <summary>
/// Combines concurrent single enqueues into one statement and one commit (group commit). One send loop runs
/// while jobs wait: the caller that finds none running starts it on its own thread, so a lone caller pays no
/// wait and no extra hop; callers arriving while a statement is in flight go together in the next one. Each
/// call returns only after its own job is committed. What a batch is written with is <see cref="SingleInserts"/>'s
/// business; this class only groups and completes.
/// <para>
/// After a commit the loop completes its callers inline: each caller's continuation runs on the loop's thread
/// before the next statement is sent, so a caller that enqueues again at once (a loop over work items, a busy
/// request handler) is in that next statement instead of one later; completed through the thread pool, closed-loop
/// producers split into halves that alternate and share fewer statements. A continuation that holds the thread
/// (blocks on another enqueue, computes for long) cannot hold up the others: after <see cref="TakeOverAfter"/>
/// another thread completes the remaining callers and sends what waits.
/// </para>
/// </summary>
internal sealed class GroupCommit
{
    /// <summary>Most jobs written in one statement.</summary>
    public const int MaxBatch = 1000;

    /// <summary>How long a continuation run inline may hold up the send loop before another thread takes over.</summary>
    internal static readonly TimeSpan TakeOverAfter = TimeSpan.FromMilliseconds(2);

    /// <summary>The instance whose callers this thread is completing inline, if any.</summary>
    [ThreadStatic]
    private static GroupCommit? t_completing;

    private readonly Func<IReadOnlyList<PreparedJob>, Task> _write;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly Timer _watchdog;
    private int _loops;
    private Completion? _watched;

    /// <param name="write">Writes and commits one batch; throws when nothing of it was written.</param>
    public GroupCommit(Func<IReadOnlyList<PreparedJob>, Task> write)
    {
        _write = write;
        // The loop serves every caller: it must not carry the ambient context (trace, logging scope) of the one
        // that happened to start it, or of the code that created the client.
        using (ExecutionContext.SuppressFlow())
        {
            _watchdog = new Timer(static state => ((GroupCommit)state!).TakeOver(), this, Timeout.Infinite, Timeout.Infinite);
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

            try
            {
                await _write(batch.ConvertAll(p => p.Job)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Failure = e);
            }

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

        public void Run(GroupCommit owner)
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
