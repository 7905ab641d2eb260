using System.Text;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core.HandOff;

/// <summary>
/// The producer's side of direct hand-off: a lone job due now is inserted through insert_job_offered.sql, which
/// gives it to a slot an idle worker of its queue offers, if there is one, writing it leased to that worker and
/// sending it on the worker's channel in the insert's transaction.
/// </summary>
internal sealed class HandOffInsert(SqlCatalog sql)
{
    /// <summary>PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; this leaves room for the envelope.</summary>
    private const int MaxPayload = 7600;

    /// <summary>
    /// Whether a lone job may be handed off: due now, no unique key, and small enough that the notification
    /// carrying it stays within <see cref="MaxPayload"/> (jsonb's text may add a space after each comma and colon
    /// of the args, hence twice their size). One that exceeds it all the same is inserted the ordinary way.
    /// </summary>
    public static bool MayHandOff(PreparedJob job)
    {
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
    /// Inserts the job, handed to an offered slot if one is live, and then (own transaction, same round trip)
    /// wakes its queue when <paramref name="wake"/> and it was not handed. False, with nothing written, when the
    /// notification would exceed PostgreSQL's payload limit after all (jsonb's text of the args can outgrow their
    /// JSON): the caller inserts it the ordinary way.
    /// The hand-off's NOTIFY is inside the insert's transaction so that the worker is told at the commit rather
    /// than a statement later; such a commit holds PostgreSQL's notification lock until its WAL flush, but only
    /// hand-offs do, at most one per slot an idle worker offers.
    /// </summary>
    public async Task<bool> TryInsertAsync(NpgsqlConnection connection, PreparedJob job, bool wake)
    {
        await using var send = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
        send.BatchCommands.Add(DbCommands.BatchCommand(sql["insert_job_offered"], JobRows.Row(job)));
        if (wake)
        {
            send.BatchCommands.Add(DbCommands.BatchCommand(sql["notify_offered"], sql.InsertChannel, job.Id));
        }

        try
        {
            await SingleInserts.InsertThenWakeAsync(send).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // From the insert's transaction (the wake-up's errors are absorbed), where only pg_notify raises this
            // code: the payload was too long. The transaction rolled back; nothing was written.
            return false;
        }
    }
}
