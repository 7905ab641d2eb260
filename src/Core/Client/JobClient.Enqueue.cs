using System.Data;
using Npgsql;
using NpgsqlTypes;
using JobPlatform.Core.Sql;

namespace JobPlatform.Core;

public sealed partial class JobClient
{
    /// <summary>Batches at least this large, without unique keys, are written with binary COPY.</summary>
    internal const int CopyThreshold = 100;

    /// <summary>Enqueues a job to run now (or as <paramref name="options"/> schedule it).</summary>
    /// <exception cref="JobValidationException">The args or options are not valid; nothing was written.</exception>
    public Task<JobInsertResult> EnqueueAsync<TArgs>(TArgs args, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueAsync(ToInsert(args, options), cancellationToken);

    /// <summary>Enqueues a job to run at (not before) <paramref name="runAt"/>.</summary>
    public Task<JobInsertResult> EnqueueAsync<TArgs>(TArgs args, DateTimeOffset runAt, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueAsync(ToInsert(args, (options ?? new EnqueueOptions()) with { ScheduledAt = runAt, Delay = null }), cancellationToken);

    /// <summary>Enqueues a job to run after <paramref name="delay"/>.</summary>
    public Task<JobInsertResult> EnqueueAsync<TArgs>(TArgs args, TimeSpan delay, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueAsync(ToInsert(args, (options ?? new EnqueueOptions()) with { Delay = delay, ScheduledAt = null }), cancellationToken);

    /// <summary>Enqueues a job on the caller's connection: when the connection has a transaction open, the job
    /// is part of it and is only visible to workers once it commits (and gone if it rolls back).</summary>
    public Task<JobInsertResult> EnqueueAsync<TArgs>(NpgsqlConnection connection, TArgs args, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueAsync(connection, ToInsert(args, options), cancellationToken);

    /// <summary>Enqueues a job inside the caller's transaction.</summary>
    public Task<JobInsertResult> EnqueueAsync<TArgs>(NpgsqlTransaction transaction, TArgs args, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueAsync(ConnectionOf(transaction), ToInsert(args, options), cancellationToken);

    /// <summary>Enqueues a job given by kind name and JSON args.</summary>
    public async Task<JobInsertResult> EnqueueAsync(JobInsert insert, CancellationToken cancellationToken = default)
    {
        var job = JobValidator.Prepare(insert, _options, _time);
        if (job.UniqueKey is null)
        {
            // Concurrent calls share one insert and one commit (GroupCommit); a lone call goes straight through.
            return new JobInsertResult(await _singles.InsertAsync(job, cancellationToken).ConfigureAwait(false), Duplicate: false);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InsertOneAsync(connection, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enqueues a job given by kind name and JSON args on the caller's connection (and its transaction).</summary>
    public async Task<JobInsertResult> EnqueueAsync(NpgsqlConnection connection, JobInsert insert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var job = JobValidator.Prepare(insert, _options, _time);
        return await InsertOneAsync(connection, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enqueues many jobs of one kind in one round trip (binary COPY for large batches without unique
    /// keys), waking each queue once. Every item is validated before anything is written.</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync<TArgs>(IEnumerable<TArgs> args, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueManyAsync(args.Select(a => ToInsert(a, options)), cancellationToken);

    /// <summary>Enqueues many jobs of any kinds; see <see cref="EnqueueManyAsync{TArgs}(IEnumerable{TArgs}, EnqueueOptions?, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default)
    {
        var jobs = PrepareAll(inserts);
        if (jobs.Count == 0)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var results = await InsertManyAsync(connection, jobs, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>Enqueues many jobs on the caller's connection (and its transaction, if one is open).</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(NpgsqlConnection connection, IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return InsertManyAsync(connection, PrepareAll(inserts), cancellationToken);
    }

    /// <summary>Enqueues many jobs inside the caller's transaction.</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(NpgsqlTransaction transaction, IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default) =>
        EnqueueManyAsync(ConnectionOf(transaction), inserts, cancellationToken);

    private JobInsert ToInsert<TArgs>(TArgs args, EnqueueOptions? options) where TArgs : IJobArgs =>
        new(TArgs.Kind, JobArgsSerializer.Serialize(args, _options.SerializerOptions, TArgs.Kind), options);

    private List<PreparedJob> PrepareAll(IEnumerable<JobInsert> inserts)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        var jobs = new List<PreparedJob>();
        var index = 0;
        foreach (var insert in inserts)
        {
            try
            {
                jobs.Add(JobValidator.Prepare(insert, _options, _time));
            }
            catch (JobValidationException e)
            {
                throw new JobValidationException($"Item {index} of the batch: {e.Message} Nothing was enqueued.", e);
            }

            index++;
        }

        return jobs;
    }

    private static NpgsqlConnection ConnectionOf(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new InvalidOperationException("The transaction has completed; enqueue inside an open transaction.");
    }

    private async Task<JobInsertResult> InsertOneAsync(NpgsqlConnection connection, PreparedJob job, CancellationToken ct)
    {
        var notify = _options.Notify && job.State == JobState.Available;
        // A unique key can be freed between our insert and our look-up (the holder finished); try again then.
        for (var tries = 0; ; tries++)
        {
            await using (var cmd = DbCommands.Create(connection, _sql[job.UniqueKey is null ? "insert_job" : "insert_unique_job"],
                [.. JobRows.Row(job), DbCommands.Typed(notify ? _sql.InsertChannel : null, NpgsqlDbType.Text)]))
            {
                if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is Guid id)
                {
                    return new JobInsertResult(id, Duplicate: false);
                }
            }

            var holders = await FindUniqueAsync(connection, [job.UniqueKey!], ct).ConfigureAwait(false);
            if (holders.TryGetValue(job.UniqueKey!, out var existing))
            {
                return new JobInsertResult(existing, Duplicate: true);
            }

            if (tries >= 3)
            {
                throw new InvalidOperationException($"Unique key '{job.UniqueKey}' kept changing hands during insert; try again.");
            }
        }
    }

    private async Task<IReadOnlyList<JobInsertResult>> InsertManyAsync(NpgsqlConnection connection, List<PreparedJob> jobs, CancellationToken ct)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        var useCopy = jobs.Count >= CopyThreshold && jobs.TrueForAll(j => j.UniqueKey is null);
        HashSet<Guid>? inserted = null;
        if (useCopy)
        {
            await CopyAsync(connection, jobs, ct).ConfigureAwait(false);
        }
        else
        {
            inserted = await InsertArraysAsync(connection, jobs, ct).ConfigureAwait(false);
        }

        if (_options.Notify)
        {
            var queues = jobs.Where(j => j.State == JobState.Available && (inserted is null || inserted.Contains(j.Id)))
                .Select(j => j.Queue).Distinct().ToArray();
            if (queues.Length > 0)
            {
                await using var notify = DbCommands.Create(connection, _sql["notify_queues"], _sql.InsertChannel, queues);
                await notify.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        if (inserted is null)
        {
            return jobs.ConvertAll(j => new JobInsertResult(j.Id, false));
        }

        var missingKeys = jobs.Where(j => !inserted.Contains(j.Id)).Select(j => j.UniqueKey!).Distinct().ToArray();
        var holders = missingKeys.Length == 0 ? new Dictionary<string, Guid>() : await FindUniqueAsync(connection, missingKeys, ct).ConfigureAwait(false);
        return jobs.ConvertAll(j => inserted.Contains(j.Id)
            ? new JobInsertResult(j.Id, false)
            : new JobInsertResult(holders.GetValueOrDefault(j.UniqueKey!), true));
    }

    private async Task CopyAsync(NpgsqlConnection connection, List<PreparedJob> jobs, CancellationToken ct)
    {
        // Columns whose values are all defaults are left to PostgreSQL: less to send and parse per row. Jobs due
        // now take scheduled_at from the column default (the database's clock), not this machine's, whose clock
        // might run behind and put them behind the jobs workers are leasing.
        var scheduled = jobs.Exists(j => j.ScheduledAt is not null);
        var tags = jobs.Exists(j => j.Tags.Length > 0);
        var tenants = jobs.Exists(j => j.TenantId is not null);
        var timeouts = jobs.Exists(j => j.TimeoutMs is not null);
        var traces = jobs.Exists(j => j.TraceContext is not null);
        var columns = "id, queue, kind, args, state, priority, max_attempts" + (scheduled ? ", scheduled_at" : "") +
            (tags ? ", tags" : "") + (tenants ? ", tenant_id" : "") + (timeouts ? ", timeout_ms" : "") + (traces ? ", trace_context" : "");
        var now = _time.GetUtcNow().UtcDateTime;
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"{_sql.Schema}\".jobs_live ({columns}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            await writer.StartRowAsync(ct).ConfigureAwait(false);
            await writer.WriteAsync(job.Id, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
            await writer.WriteAsync(job.Queue, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await writer.WriteAsync(job.Kind, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await writer.WriteAsync(job.ArgsJson, NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
            // An enum's binary form is its label, so the text converter writes it correctly.
            await writer.WriteAsync(job.State.ToDb(), NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await writer.WriteAsync(job.Priority, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            await writer.WriteAsync(job.MaxAttempts, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            if (scheduled)
            {
                await writer.WriteAsync(job.ScheduledAt?.UtcDateTime ?? now, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            }

            if (tags)
            {
                await writer.WriteAsync(job.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }

            if (tenants)
            {
                await WriteNullableAsync(writer, job.TenantId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }

            if (timeouts)
            {
                await WriteNullableAsync(writer, job.TimeoutMs, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            }

            if (traces)
            {
                await WriteNullableAsync(writer, job.TraceContext, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
        }

        await writer.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, type, ct);

    private async Task<HashSet<Guid>> InsertArraysAsync(NpgsqlConnection connection, List<PreparedJob> jobs, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(connection, _sql["insert_jobs"], JobRows.Arrays(jobs));
        var ids = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task<Dictionary<string, Guid>> FindUniqueAsync(NpgsqlConnection connection, string[] keys, CancellationToken ct)
    {
        await using var cmd = DbCommands.Create(connection, _sql["find_unique"], [keys]);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var found = new Dictionary<string, Guid>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found[reader.GetString(0)] = reader.GetGuid(1);
        }

        return found;
    }
}
