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
