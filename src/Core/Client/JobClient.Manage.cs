using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core;

public sealed partial class JobClient
{
    private JobStore? _jobs;

    /// <summary>The statements on jobs and queues, made on first use (the constructor lives with the enqueue path).</summary>
    private JobStore Jobs => _jobs ??= new JobStore(_dataSource, _sql);

    /// <summary>Reads one job, or null when no job has that id (it may have been pruned).</summary>
    public Task<Job?> GetAsync(Guid id, CancellationToken cancellationToken = default) => Jobs.GetAsync(id, cancellationToken);

    /// <summary>
    /// Cancels a job that has not finished. A waiting job is cancelled at once; a running job's
    /// CancellationToken is fired by its worker within about a second.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(Guid id, CancellationToken cancellationToken = default) =>
        await Jobs.CancelAsync(id, cancellationToken).ConfigureAwait(false) switch
        {
            null => CancelOutcome.NotFound,
            JobState.Running => CancelOutcome.CancellationRequested,
            { } before when before.IsFinal() => CancelOutcome.AlreadyFinal,
            _ => CancelOutcome.Cancelled,
        };

    /// <summary>
    /// Makes a discarded, cancelled, completed, retryable or scheduled job available now. A job that used all
    /// its attempts gets one more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another unfinished job now holds the job's unique key.</exception>
    public async Task<RetryOutcome> RetryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Jobs.RetryAsync(id, cancellationToken).ConfigureAwait(false) switch
            {
                null => RetryOutcome.NotFound,
                true => RetryOutcome.Retried,
                false => RetryOutcome.AlreadyPending,
            };
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException(
                $"Job {id} cannot be retried: another job now holds its unique key. Cancel that job first, or enqueue anew.", e);
        }
    }

    /// <summary>Most ids one <see cref="RetryManyAsync"/> or <see cref="CancelManyAsync"/> call takes.</summary>
    public const int MaxBulkIds = 10_000;

    /// <summary>
    /// Retries many jobs in one statement, each as <see cref="RetryAsync"/> would: discarded, cancelled, completed,
    /// retryable and scheduled jobs become available now; others are left as they are and counted by state.
    /// </summary>
    /// <exception cref="JobValidationException">More than <see cref="MaxBulkIds"/> ids; nothing changed.</exception>
    public async Task<BulkOutcome> RetryManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        var distinct = DistinctBulkIds(ids);
        if (distinct.Length == 0)
        {
            return EmptyBulk;
        }

        try
        {
            return Summarize(distinct.Length, await Jobs.RetryManyAsync(distinct, cancellationToken).ConfigureAwait(false), cancelling: false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A job whose unique key another unfinished job now holds fails the whole statement: retry one by one
            // to do all the others and count the refusals.
            return await RetryEachAsync(distinct, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Cancels many jobs in one statement, each as <see cref="CancelAsync"/> would: waiting jobs are cancelled at
    /// once, running ones are told to stop. With <paramref name="includeDiscarded"/>, failed (discarded) jobs are
    /// cancelled too, as an operator clearing failures they have seen.
    /// </summary>
    /// <exception cref="JobValidationException">More than <see cref="MaxBulkIds"/> ids; nothing changed.</exception>
    public async Task<BulkOutcome> CancelManyAsync(IReadOnlyCollection<Guid> ids, bool includeDiscarded = false, CancellationToken cancellationToken = default)
    {
        var distinct = DistinctBulkIds(ids);
        return distinct.Length == 0
            ? EmptyBulk
            : Summarize(distinct.Length, await Jobs.CancelManyAsync(distinct, includeDiscarded, cancellationToken).ConfigureAwait(false), cancelling: true);
    }

    private static readonly BulkOutcome EmptyBulk = new() { Requested = 0, Changed = 0, NotFound = 0, Unchanged = new Dictionary<JobState, int>() };

    private static Guid[] DistinctBulkIds(IReadOnlyCollection<Guid> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length > MaxBulkIds)
        {
            throw new JobValidationException(
                $"{distinct.Length} jobs were given to one bulk action; the limit is {MaxBulkIds}: act on them in parts.");
        }

        return distinct;
    }

    /// <summary>A bulk action's outcome from its rows per state before; a cancel of running jobs only requests it.</summary>
    private static BulkOutcome Summarize(int requested, List<StateChange> rows, bool cancelling)
    {
        var unchanged = new Dictionary<JobState, int>();
        int found = 0, changed = 0, running = 0;
        foreach (var (state, count, done) in rows)
        {
            found += count;
            changed += done;
            if (cancelling && state == JobState.Running)
            {
                running += done;
            }

            if (count > done)
            {
                unchanged[state] = count - done;
            }
        }

        return new BulkOutcome
        {
            Requested = requested, Changed = changed, CancellationRequested = running, NotFound = requested - found, Unchanged = unchanged,
        };
    }

    private async Task<BulkOutcome> RetryEachAsync(Guid[] ids, CancellationToken ct)
    {
        int changed = 0, notFound = 0, conflicts = 0;
        var pending = new List<Guid>();
        foreach (var id in ids)
        {
            try
            {
                switch (await RetryAsync(id, ct).ConfigureAwait(false))
                {
                    case RetryOutcome.Retried: changed++; break;
                    case RetryOutcome.NotFound: notFound++; break;
                    default: pending.Add(id); break;
                }
            }
            catch (InvalidOperationException)
            {
                conflicts++;
            }
        }

        var unchanged = new Dictionary<JobState, int>();
        if (pending.Count > 0)
        {
            foreach (var job in await Jobs.GetManyAsync(pending.ToArray(), ct).ConfigureAwait(false))
            {
                unchanged[job.State] = unchanged.GetValueOrDefault(job.State) + 1;
            }
        }

        return new BulkOutcome { Requested = ids.Length, Changed = changed, NotFound = notFound, Unchanged = unchanged, UniqueKeyConflicts = conflicts };
    }

    /// <summary>Stops workers from fetching new jobs from a queue; running jobs finish.</summary>
    public Task PauseQueueAsync(string queue, CancellationToken cancellationToken = default) => SetPausedAsync(queue, true, cancellationToken);

    /// <summary>Lets workers fetch from a paused queue again (they are woken at once).</summary>
    public Task ResumeQueueAsync(string queue, CancellationToken cancellationToken = default) => SetPausedAsync(queue, false, cancellationToken);

    private async Task SetPausedAsync(string queue, bool paused, CancellationToken ct)
    {
        JobValidator.ValidateQueue(queue);
        await Jobs.SetQueuePausedAsync(queue, paused, ct).ConfigureAwait(false);
    }
}
