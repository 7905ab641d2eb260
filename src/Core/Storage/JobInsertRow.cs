using System.Text.Json;
using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The columns an insert writes, next to <see cref="JobRow"/> (what reads return): the parameters every insert
/// statement takes by the column's name (<c>@id</c>, <c>@queue</c>, <c>@kind</c>, <c>@args</c>, <c>@state</c>,
/// <c>@priority</c>, <c>@max_attempts</c>, <c>@scheduled_at</c>, <c>@unique_key</c>, <c>@unique_states</c>,
/// <c>@tags</c>, <c>@tenant_id</c>, <c>@timeout_ms</c>, <c>@trace_context</c>), one job's values or parallel arrays,
/// and the columns and rows of the bulk COPY (copy_jobs.sql).
/// </summary>
internal static class JobInsertRow
{
    /// <summary>Binds one job's values (insert_job.sql, insert_unique_job.sql); without <paramref name="unique"/>
    /// the unique columns are left out, for insert_job_offered.sql, which writes none.</summary>
    public static SqlBinding Bind(SqlStatement statement, PreparedJob job, bool unique = true)
    {
        var b = statement
            .With("id", job.Id)
            .With("queue", job.Queue)
            .With("kind", job.Kind)
            .With("args", job.ArgsJson)
            .With("state", job.State.ToDb())
            .With("priority", job.Priority)
            .With("max_attempts", job.MaxAttempts)
            .With("scheduled_at", job.ScheduledAt, NpgsqlDbType.TimestampTz)
            .With("tags", job.Tags)
            .With("tenant_id", job.TenantId, NpgsqlDbType.Text)
            .With("timeout_ms", job.TimeoutMs, NpgsqlDbType.Integer)
            .With("trace_context", job.TraceContext, NpgsqlDbType.Text);
        return unique
            ? b.With("unique_key", job.UniqueKey, NpgsqlDbType.Text).With("unique_states", job.UniqueStates, NpgsqlDbType.Smallint)
            : b;
    }

    /// <summary>Binds many jobs' values as parallel arrays (insert_jobs.sql, insert_job_batch.sql); tags as JSON
    /// arrays, since arrays of arrays cannot be jagged.</summary>
    public static SqlBinding BindArrays(SqlStatement statement, IReadOnlyList<PreparedJob> jobs)
    {
        var n = jobs.Count;
        var ids = new Guid[n];
        var queues = new string[n];
        var kinds = new string[n];
        var args = new string[n];
        var states = new string[n];
        var priorities = new short[n];
        var maxAttempts = new int[n];
        var scheduledAt = new DateTime?[n];
        var uniqueKeys = new string?[n];
        var uniqueStates = new short?[n];
        var tags = new string[n];
        var tenants = new string?[n];
        var timeouts = new int?[n];
        var traces = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var j = jobs[i];
            (ids[i], queues[i], kinds[i], args[i], states[i], priorities[i], maxAttempts[i]) =
                (j.Id, j.Queue, j.Kind, j.ArgsJson, j.State.ToDb(), j.Priority, j.MaxAttempts);
            (scheduledAt[i], uniqueKeys[i], uniqueStates[i]) = (j.ScheduledAt?.UtcDateTime, j.UniqueKey, j.UniqueStates);
            tags[i] = JsonSerializer.Serialize(j.Tags, PlatformJsonContext.Default.StringArray);
            (tenants[i], timeouts[i], traces[i]) = (j.TenantId, j.TimeoutMs, j.TraceContext);
        }

        return statement
            .With("id", ids)
            .With("queue", queues)
            .With("kind", kinds)
            .With("args", args)
            .With("state", states)
            .With("priority", priorities)
            .With("max_attempts", maxAttempts)
            .With("scheduled_at", scheduledAt, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            .With("unique_key", uniqueKeys, NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With("unique_states", uniqueStates, NpgsqlDbType.Array | NpgsqlDbType.Smallint)
            .With("tags", tags)
            .With("tenant_id", tenants, NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With("timeout_ms", timeouts, NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With("trace_context", traces, NpgsqlDbType.Array | NpgsqlDbType.Text);
    }

    /// <summary>
    /// The shape of one bulk COPY: the columns every job has, then each optional column that some job of the batch
    /// sets. Columns whose values are all defaults are left to PostgreSQL: less to send and parse per row. Jobs due now
    /// take scheduled_at from the column default (the database's clock), not this machine's, whose clock might run
    /// behind and put them behind the jobs workers are leasing.
    /// </summary>
    internal readonly struct Copy
    {
        private readonly bool _scheduled, _tags, _tenants, _timeouts, _traces;

        public Copy(List<PreparedJob> jobs)
        {
            foreach (var job in jobs)
            {
                _scheduled |= job.ScheduledAt is not null;
                _tags |= job.Tags.Length > 0;
                _tenants |= job.TenantId is not null;
                _timeouts |= job.TimeoutMs is not null;
                _traces |= job.TraceContext is not null;
            }
        }

        /// <summary>The column list of copy_jobs.sql for this batch.</summary>
        public string Columns => "id, queue, kind, args, state, priority, max_attempts" + (_scheduled ? ", scheduled_at" : "") +
            (_tags ? ", tags" : "") + (_tenants ? ", tenant_id" : "") + (_timeouts ? ", timeout_ms" : "") + (_traces ? ", trace_context" : "");

        /// <summary>Writes one job's row; <paramref name="now"/> is the due time of jobs due now when the batch has
        /// a scheduled_at column.</summary>
        public async Task WriteAsync(NpgsqlBinaryImporter writer, PreparedJob job, DateTime now, CancellationToken ct)
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
            if (_scheduled)
            {
                await writer.WriteAsync(job.ScheduledAt?.UtcDateTime ?? now, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            }

            if (_tags)
            {
                await writer.WriteAsync(job.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }

            if (_tenants)
            {
                await WriteNullableAsync(writer, job.TenantId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }

            if (_timeouts)
            {
                await WriteNullableAsync(writer, job.TimeoutMs, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            }

            if (_traces)
            {
                await WriteNullableAsync(writer, job.TraceContext, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
        }

        private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) =>
            value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, type, ct);
    }
}
