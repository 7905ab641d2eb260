using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements that read jobs (by id, lists, pages per state, searches) and that operators use to act on jobs
/// and queues (cancel, retry, pause). One method per statement; the callers validate their input.
/// </summary>
internal sealed class JobStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>One job, or null (<c>get_job</c>).</summary>
    public async Task<Job?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = sql.Statement("get_job").With("id", id).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? JobRow.Read(r, new JobRow.Ordinals(r)) : null;
    }

    /// <summary>The jobs of <paramref name="ids"/> that exist, in no order (<c>get_jobs</c>).</summary>
    public async Task<List<Job>> GetManyAsync(Guid[] ids, CancellationToken ct)
    {
        await using var cmd = sql.Statement("get_jobs").With("ids", ids).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await JobRow.ReadAllAsync(r, ct).ConfigureAwait(false);
    }

    /// <summary>Newest first, each filter optional (<c>list_jobs</c>).</summary>
    public async Task<List<Job>> ListAsync(string? kind, JobState? state, string? queue, int limit, CancellationToken ct)
    {
        await using var cmd = sql.Statement("list_jobs")
            .With("kind", kind, NpgsqlDbType.Text)
            .With("state", state?.ToDb(), NpgsqlDbType.Text)
            .With("queue", queue, NpgsqlDbType.Text)
            .With("limit", limit)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await JobRow.ReadAllAsync(r, ct).ConfigureAwait(false);
    }

    /// <summary>Available jobs of a queue in fetch order (<c>monitor_list_available</c>).</summary>
    public Task<List<Job>> PageAvailableAsync(string queue, int offset, int count, CancellationToken ct) =>
        ReadJobsAsync(sql.Statement("monitor_list_available").With("queue", queue).With("offset", offset).With("count", count), ct);

    /// <summary>Scheduled or retryable jobs, soonest due first (<c>monitor_list_waiting</c>).</summary>
    public Task<List<Job>> PageWaitingAsync(JobState state, int offset, int count, CancellationToken ct) =>
        ReadJobsAsync(sql.Statement("monitor_list_waiting").With("state", state.ToDb()).With("offset", offset).With("count", count), ct);

    /// <summary>Running jobs, longest running first (<c>monitor_list_running</c>).</summary>
    public Task<List<Job>> PageRunningAsync(int offset, int count, CancellationToken ct) =>
        ReadJobsAsync(sql.Statement("monitor_list_running").With("offset", offset).With("count", count), ct);

    /// <summary>Completed jobs, latest first, from both partitions (<c>monitor_list_completed</c>).</summary>
    public Task<List<Job>> PageCompletedAsync(int offset, int count, CancellationToken ct) =>
        ReadJobsAsync(sql.Statement("monitor_list_completed").With("offset", offset).With("count", count), ct);

    /// <summary>Discarded or cancelled jobs, latest first (<c>monitor_list_finalized</c>).</summary>
    public Task<List<Job>> PageFinalizedAsync(JobState state, int offset, int count, CancellationToken ct) =>
        ReadJobsAsync(sql.Statement("monitor_list_finalized").With("state", state.ToDb()).With("offset", offset).With("count", count), ct);

    /// <summary>Ids of the jobs matching a search, newest first, below its cursor (<c>search_job_ids</c>).</summary>
    public async Task<List<Guid>> SearchIdsAsync(JobIdSearch search, CancellationToken ct)
    {
        await using var cmd = sql.Statement("search_job_ids")
            .With("kind", search.Kind, NpgsqlDbType.Text)
            .With("queue", search.Queue, NpgsqlDbType.Text)
            .With("states", search.States, NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With("tag", search.Tag, NpgsqlDbType.Text)
            .With("tenant", search.TenantId, NpgsqlDbType.Text)
            .With("args", search.ArgsContain, NpgsqlDbType.Jsonb)
            .With("created_from", search.CreatedFrom, NpgsqlDbType.TimestampTz)
            .With("created_before", search.CreatedBefore, NpgsqlDbType.TimestampTz)
            .With("after", search.After, NpgsqlDbType.Uuid)
            .With("low_id", search.LowId, NpgsqlDbType.Uuid)
            .With("high_id", search.HighId, NpgsqlDbType.Uuid)
            .With("archive", search.States is null || search.States.Contains(JobState.Completed.ToDb()))
            .With("limit", search.Limit)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var id = r.GetOrdinal("id");
        var ids = new List<Guid>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(r.GetGuid(id));
        }

        return ids;
    }

    /// <summary>Cancels one job; returns its state before, or null when it does not exist (<c>cancel_job</c>).</summary>
    public Task<JobState?> CancelAsync(Guid id, CancellationToken ct) => MovedRow.RetryAsync(async () =>
    {
        await using var cmd = sql.Statement("cancel_job").With("id", id).With("cancel_channel", sql.CancelChannel).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? JobStateNames.Parse(r.GetString(r.GetOrdinal("before"))) : (JobState?)null;
    });

    /// <summary>Makes one job available now; returns whether it changed, or null when it does not exist (<c>retry_job</c>).</summary>
    /// <exception cref="PostgresException">A unique violation: another unfinished job holds its unique key.</exception>
    public Task<bool?> RetryAsync(Guid id, CancellationToken ct) => MovedRow.RetryAsync(async () =>
    {
        await using var cmd = sql.Statement("retry_job").With("id", id).With("insert_channel", sql.InsertChannel).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? r.GetBoolean(r.GetOrdinal("changed")) : (bool?)null;
    });

    /// <summary>Cancels many jobs; per state before, how many were found and changed (<c>cancel_jobs</c>).</summary>
    public Task<List<StateChange>> CancelManyAsync(Guid[] ids, bool includeDiscarded, CancellationToken ct) =>
        MovedRow.RetryAsync(() => ReadStateChangesAsync(sql.Statement("cancel_jobs")
            .With("ids", ids).With("cancel_channel", sql.CancelChannel).With("include_discarded", includeDiscarded), ct));

    /// <summary>Retries many jobs; per state before, how many were found and changed (<c>retry_jobs</c>).</summary>
    /// <exception cref="PostgresException">A unique violation: one of the jobs' unique key is held by another job.</exception>
    public Task<List<StateChange>> RetryManyAsync(Guid[] ids, CancellationToken ct) =>
        MovedRow.RetryAsync(() => ReadStateChangesAsync(sql.Statement("retry_jobs")
            .With("ids", ids).With("insert_channel", sql.InsertChannel), ct));

    /// <summary>Pauses or resumes a queue and wakes its workers (<c>set_queue_paused</c>).</summary>
    public async Task SetQueuePausedAsync(string queue, bool paused, CancellationToken ct)
    {
        await using var cmd = sql.Statement("set_queue_paused")
            .With("queue", queue).With("paused", paused).With("insert_channel", sql.InsertChannel).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<List<Job>> ReadJobsAsync(SqlBinding statement, CancellationToken ct)
    {
        await using var cmd = statement.Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await JobRow.ReadAllAsync(r, ct).ConfigureAwait(false);
    }

    private async Task<List<StateChange>> ReadStateChangesAsync(SqlBinding statement, CancellationToken ct)
    {
        await using var cmd = statement.Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int state = r.GetOrdinal("state"), found = r.GetOrdinal("found"), changed = r.GetOrdinal("changed");
        var rows = new List<StateChange>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new StateChange(JobStateNames.Parse(r.GetString(state)), (int)r.GetInt64(found), (int)r.GetInt64(changed)));
        }

        return rows;
    }
}
