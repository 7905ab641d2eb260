using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements that write new jobs: single inserts (with or without a unique key), the group commit's batch, bulk
/// inserts (arrays or binary COPY), the look-up of unique keys' holders, and the wake-up of queues that follows. One
/// method per statement; <c>JobClient</c> and <c>SingleInserts</c> decide which runs. The statements of the enqueue
/// path are looked up once, when the store is made.
/// </summary>
internal sealed class InsertStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    private readonly SqlStatement _insert = sql.Statement("insert_job");
    private readonly SqlStatement _insertBatch = sql.Statement("insert_job_batch");
    private readonly SqlStatement _notifyQueues = sql.Statement("notify_queues");

    /// <summary>Inserts one job without a unique key on <paramref name="connection"/> (in its transaction, if one is
    /// open); when <paramref name="wake"/>, an available job wakes its queue in the same transaction (<c>insert_job</c>).</summary>
    public async Task<Guid> InsertAsync(NpgsqlConnection connection, PreparedJob job, bool wake, CancellationToken ct)
    {
        await using var cmd = Insert(job, wake ? sql.InsertChannel : null).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return r.GetGuid(r.GetOrdinal("id"));
    }

    /// <summary>Inserts one job with a unique key as <see cref="InsertAsync"/> does; null when a job in a masked state
    /// holds the key (<c>insert_unique_job</c>).</summary>
    public async Task<Guid?> InsertUniqueAsync(NpgsqlConnection connection, PreparedJob job, bool wake, CancellationToken ct)
    {
        await using var cmd = JobInsertRow.Bind(sql.Statement("insert_unique_job"), job)
            .With("notify_channel", wake ? sql.InsertChannel : null, NpgsqlDbType.Text)
            .Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? r.GetGuid(r.GetOrdinal("id")) : null;
    }

    /// <summary>
    /// Writes one group commit's jobs (none with a unique key) in one statement and one commit (<c>insert_job_batch</c>,
    /// or <c>insert_job</c> for a lone job), then wakes <paramref name="wake"/> in a transaction of its own in the same
    /// round trip (<see cref="InsertThenWakeAsync"/>).
    /// </summary>
    public async Task InsertGroupAsync(NpgsqlConnection connection, IReadOnlyList<PreparedJob> jobs, string[] wake)
    {
        await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        send.BatchCommands.Add(jobs.Count == 1
            ? Insert(jobs[0], channel: null).BatchCommand()
            : JobInsertRow.BindArrays(_insertBatch, jobs).BatchCommand());
        if (wake.Length > 0)
        {
            send.BatchCommands.Add(NotifyQueues(wake).BatchCommand());
        }

        await InsertThenWakeAsync(send).ConfigureAwait(false);
    }

    /// <summary>Inserts many jobs from parallel arrays in one statement, skipping duplicates of a unique key; returns
    /// the ids inserted (<c>insert_jobs</c>).</summary>
    public async Task<HashSet<Guid>> InsertManyAsync(NpgsqlConnection connection, IReadOnlyList<PreparedJob> jobs, CancellationToken ct)
    {
        await using var cmd = JobInsertRow.BindArrays(sql.Statement("insert_jobs"), jobs).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var id = r.GetOrdinal("id");
        var ids = new HashSet<Guid>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(r.GetGuid(id));
        }

        return ids;
    }

    /// <summary>Writes many jobs without unique keys by binary COPY, with the columns the batch needs
    /// (<see cref="JobInsertRow.Copy"/>); <paramref name="now"/> dates jobs due now when some job is scheduled
    /// (<c>copy_jobs</c>).</summary>
    public async Task CopyAsync(NpgsqlConnection connection, List<PreparedJob> jobs, DateTime now, CancellationToken ct)
    {
        var copy = new JobInsertRow.Copy(jobs);
        await using var writer = await sql.Statement("copy_jobs").Splice("columns", copy.Columns)
            .BeginBinaryImportAsync(connection, ct).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            await copy.WriteAsync(writer, job, now, ct).ConfigureAwait(false);
        }

        await writer.CompleteAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The job holding each of <paramref name="keys"/> now, by key (<c>find_unique</c>).</summary>
    public async Task<Dictionary<string, Guid>> FindUniqueAsync(NpgsqlConnection connection, string[] keys, CancellationToken ct)
    {
        await using var cmd = sql.Statement("find_unique").With("keys", keys).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int key = r.GetOrdinal("unique_key"), id = r.GetOrdinal("id");
        var found = new Dictionary<string, Guid>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            found[r.GetString(key)] = r.GetGuid(id);
        }

        return found;
    }

    /// <summary>Wakes the workers of each distinct queue of <paramref name="queues"/> on <paramref name="connection"/>
    /// (in its transaction, if one is open), or on a pooled connection when it is null: the bulk insert and the
    /// rescuer; the group commit's wake-up rides in its insert's round trip instead (<see cref="InsertGroupAsync"/>).
    /// Both are the one binding of <c>notify_queues</c>, <see cref="NotifyQueues"/>.</summary>
    public async Task NotifyQueuesAsync(NpgsqlConnection? connection, string[] queues, CancellationToken ct)
    {
        var statement = NotifyQueues(queues);
        await using var cmd = connection is null ? statement.Command(dataSource) : statement.Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an insert and then its wake-up as two transactions in one round trip (a Sync after each). A NOTIFY
    /// takes a database-wide lock from its commit until the commit is flushed, so inside the insert's transaction
    /// it would make concurrent enqueues of every client wait for each other's WAL flushes in turn; a transaction
    /// that only notifies writes no data and holds the lock briefly. If the wake-up fails, the insert is committed
    /// all the same and workers' polls find the jobs.
    /// </summary>
    internal static async Task InsertThenWakeAsync(NpgsqlBatch send)
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

    /// <summary><c>insert_job</c>, with the wake-up channel or none.</summary>
    private SqlBinding Insert(PreparedJob job, string? channel) =>
        JobInsertRow.Bind(_insert, job).With("notify_channel", channel, NpgsqlDbType.Text);

    /// <summary><c>notify_queues</c> for <paramref name="queues"/> on the insert channel.</summary>
    private SqlBinding NotifyQueues(string[] queues) =>
        _notifyQueues.With("channel", sql.InsertChannel).With("queues", queues);
}
