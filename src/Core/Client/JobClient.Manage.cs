using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core;

public sealed partial class JobClient
{
    /// <summary>Reads one job, or null when no job has that id (it may have been pruned).</summary>
    public async Task<Job?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["get_job"], id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? JobReader.Read(reader) : null;
    }

    /// <summary>
    /// Cancels a job that has not finished. A waiting job is cancelled at once; a running job's
    /// CancellationToken is fired by its worker within about a second.
    /// </summary>
    public Task<CancelOutcome> CancelAsync(Guid id, CancellationToken cancellationToken = default) =>
        DbCommands.RetryIfRowMovedAsync(() => CancelOnceAsync(id, cancellationToken));

    private async Task<CancelOutcome> CancelOnceAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["cancel_job"], id, _sql.CancelChannel);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return CancelOutcome.NotFound;
        }

        var before = JobStateNames.Parse(reader.GetString(0));
        return before switch
        {
            JobState.Running => CancelOutcome.CancellationRequested,
            _ when before.IsFinal() => CancelOutcome.AlreadyFinal,
            _ => CancelOutcome.Cancelled,
        };
    }

    /// <summary>
    /// Makes a discarded, cancelled, completed, retryable or scheduled job available now. A job that used all
    /// its attempts gets one more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another unfinished job now holds the job's unique key.</exception>
    public async Task<RetryOutcome> RetryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DbCommands.RetryIfRowMovedAsync(() => RetryOnceAsync(id, cancellationToken)).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException(
                $"Job {id} cannot be retried: another job now holds its unique key. Cancel that job first, or enqueue anew.", e);
        }
    }

    private async Task<RetryOutcome> RetryOnceAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = DbCommands.Create(_dataSource, _sql["retry_job"], id, _sql.InsertChannel);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return RetryOutcome.NotFound;
        }

        return reader.GetBoolean(1) ? RetryOutcome.Retried : RetryOutcome.AlreadyPending;
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
            return await DbCommands.RetryIfRowMovedAsync(() => BulkOnceAsync("retry_jobs", distinct, _sql.InsertChannel, null, cancellationToken))
                .ConfigureAwait(false);
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
            : await DbCommands.RetryIfRowMovedAsync(() => BulkOnceAsync("cancel_jobs", distinct, _sql.CancelChannel, includeDiscarded, cancellationToken))
                .ConfigureAwait(false);
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

    private async Task<BulkOutcome> BulkOnceAsync(string statement, Guid[] ids, string channel, bool? includeDiscarded, CancellationToken ct)
    {
        await using var cmd = includeDiscarded is { } discarded
            ? DbCommands.Create(_dataSource, _sql[statement], ids, channel, discarded)
            : DbCommands.Create(_dataSource, _sql[statement], ids, channel);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var unchanged = new Dictionary<JobState, int>();
        int found = 0, changed = 0, running = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var state = JobStateNames.Parse(reader.GetString(0));
            var count = (int)reader.GetInt64(1);
            var done = (int)reader.GetInt64(2);
            found += count;
            changed += done;
            if (includeDiscarded is not null && state == JobState.Running)
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
            Requested = ids.Length, Changed = changed, CancellationRequested = running, NotFound = ids.Length - found, Unchanged = unchanged,
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
            await using var cmd = DbCommands.Create(_dataSource, _sql["get_jobs"], pending.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var state = JobStateNames.Parse(reader.GetString(4));
                unchanged[state] = unchanged.GetValueOrDefault(state) + 1;
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
        await using var cmd = DbCommands.Create(_dataSource, _sql["set_queue_paused"], queue, paused, _sql.InsertChannel);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
