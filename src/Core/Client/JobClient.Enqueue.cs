using JobPlatform.Core.Diagnostics;
using Npgsql;

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
        using var activity = JobTracing.StartEnqueue(insert?.Kind);
        try
        {
            var job = JobValidator.Prepare(insert!, _options, _time);
            if (job.UniqueKey is null)
            {
                // Concurrent calls share one insert and one commit (GroupCommit); a lone call goes straight through.
                return Traced(activity, new JobInsertResult(await _singles.InsertAsync(job, cancellationToken).ConfigureAwait(false), Duplicate: false));
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return Traced(activity, await InsertOneAsync(connection, job, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (JobTracing.RecordError(activity, e))
        {
            throw;
        }
    }

    /// <summary>Enqueues a job given by kind name and JSON args on the caller's connection (and its transaction).</summary>
    public async Task<JobInsertResult> EnqueueAsync(NpgsqlConnection connection, JobInsert insert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var activity = JobTracing.StartEnqueue(insert?.Kind);
        try
        {
            var job = JobValidator.Prepare(insert!, _options, _time);
            return Traced(activity, await InsertOneAsync(connection, job, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (JobTracing.RecordError(activity, e))
        {
            throw;
        }
    }

    /// <summary>Enqueues many jobs of one kind in one round trip (binary COPY for large batches without unique
    /// keys), waking each queue once. Every item is validated before anything is written.</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync<TArgs>(IEnumerable<TArgs> args, EnqueueOptions? options = null, CancellationToken cancellationToken = default)
        where TArgs : IJobArgs =>
        EnqueueManyAsync(args.Select(a => ToInsert(a, options)), cancellationToken);

    /// <summary>Enqueues many jobs of any kinds; see <see cref="EnqueueManyAsync{TArgs}(IEnumerable{TArgs}, EnqueueOptions?, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default)
    {
        using var activity = JobTracing.StartEnqueue(kind: null);
        try
        {
            var jobs = PrepareAll(inserts);
            activity?.SetTag(JobTracing.CountTag, jobs.Count);
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
        catch (Exception e) when (JobTracing.RecordError(activity, e))
        {
            throw;
        }
    }

    /// <summary>Enqueues many jobs on the caller's connection (and its transaction, if one is open).</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(NpgsqlConnection connection, IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return JobTracing.Source.HasListeners()
            ? EnqueueManyTracedAsync(connection, inserts, cancellationToken)
            : InsertManyAsync(connection, PrepareAll(inserts), cancellationToken);
    }

    /// <summary>As <see cref="EnqueueManyAsync(NpgsqlConnection, IEnumerable{JobInsert}, CancellationToken)"/>, in an
    /// enqueue activity started here, in an async method, so that it is not left current in the caller.</summary>
    private async Task<IReadOnlyList<JobInsertResult>> EnqueueManyTracedAsync(NpgsqlConnection connection, IEnumerable<JobInsert> inserts, CancellationToken cancellationToken)
    {
        using var activity = JobTracing.StartEnqueue(kind: null);
        try
        {
            var jobs = PrepareAll(inserts);
            activity?.SetTag(JobTracing.CountTag, jobs.Count);
            return await InsertManyAsync(connection, jobs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (JobTracing.RecordError(activity, e))
        {
            throw;
        }
    }

    /// <summary>Enqueues many jobs inside the caller's transaction.</summary>
    public Task<IReadOnlyList<JobInsertResult>> EnqueueManyAsync(NpgsqlTransaction transaction, IEnumerable<JobInsert> inserts, CancellationToken cancellationToken = default) =>
        EnqueueManyAsync(ConnectionOf(transaction), inserts, cancellationToken);

    /// <summary>Puts the job's id on the enqueue's activity, when there is one.</summary>
    private static JobInsertResult Traced(System.Diagnostics.Activity? activity, JobInsertResult result)
    {
        activity?.SetTag(JobTracing.IdTag, result.Id.ToString());
        return result;
    }

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
            var id = job.UniqueKey is null
                ? await _inserts.InsertAsync(connection, job, notify, ct).ConfigureAwait(false)
                : await _inserts.InsertUniqueAsync(connection, job, notify, ct).ConfigureAwait(false);
            if (id is { } inserted)
            {
                return new JobInsertResult(inserted, Duplicate: false);
            }

            var holders = await _inserts.FindUniqueAsync(connection, [job.UniqueKey!], ct).ConfigureAwait(false);
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
            await _inserts.CopyAsync(connection, jobs, _time.GetUtcNow().UtcDateTime, ct).ConfigureAwait(false);
        }
        else
        {
            inserted = await _inserts.InsertManyAsync(connection, jobs, ct).ConfigureAwait(false);
        }

        if (_options.Notify)
        {
            var queues = jobs.Where(j => j.State == JobState.Available && (inserted is null || inserted.Contains(j.Id)))
                .Select(j => j.Queue).Distinct().ToArray();
            if (queues.Length > 0)
            {
                await _inserts.NotifyQueuesAsync(connection, queues, ct).ConfigureAwait(false);
            }
        }

        if (inserted is null)
        {
            return jobs.ConvertAll(j => new JobInsertResult(j.Id, false));
        }

        var missingKeys = jobs.Where(j => !inserted.Contains(j.Id)).Select(j => j.UniqueKey!).Distinct().ToArray();
        var holders = missingKeys.Length == 0 ? new Dictionary<string, Guid>() : await _inserts.FindUniqueAsync(connection, missingKeys, ct).ConfigureAwait(false);
        return jobs.ConvertAll(j => inserted.Contains(j.Id)
            ? new JobInsertResult(j.Id, false)
            : new JobInsertResult(holders.GetValueOrDefault(j.UniqueKey!), true));
    }
}
