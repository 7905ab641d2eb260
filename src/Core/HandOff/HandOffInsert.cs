using System.Text;

namespace JobPlatform.Core.HandOff;

/// <summary>
/// The producer's side of direct hand-off: which lone jobs may be handed off. Such a job is inserted through
/// insert_job_offered.sql (<c>HandOffStore.InsertOfferedAsync</c>), which gives it to a slot an idle worker of its queue
/// offers, if there is one, writing it leased to that worker and sending it on the worker's channel in the insert's
/// transaction.
/// </summary>
internal static class HandOffInsert
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
}
