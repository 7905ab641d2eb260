namespace JobPlatform.Core.Fetching;

/// <summary>
/// A position in the fetch order (priority, scheduled_at, id): where a queue's next lease starts, so that it
/// skips the dead index entries of jobs leased before. <see cref="Head"/> starts at the beginning.
/// </summary>
internal readonly record struct FetchCursor(short Priority, DateTimeOffset ScheduledAt, Guid Id)
{
    /// <summary>Before every job: priority -1 does not exist.</summary>
    public static readonly FetchCursor Head = new(-1, DateTimeOffset.MinValue, Guid.Empty);

    public bool IsHead => Priority < 0;

    public static FetchCursor Of(FetchedJob job) => new((short)job.Priority, job.ScheduledAt, job.Id);

    /// <summary>The later of two positions, in PostgreSQL's order (uuids compare as big-endian bytes).</summary>
    public static FetchCursor Max(FetchCursor a, FetchCursor b) => Compare(a, b) >= 0 ? a : b;

    public static int Compare(FetchCursor a, FetchCursor b)
    {
        var c = a.Priority.CompareTo(b.Priority);
        if (c != 0)
        {
            return c;
        }

        c = a.ScheduledAt.UtcTicks.CompareTo(b.ScheduledAt.UtcTicks);
        if (c != 0)
        {
            return c;
        }

        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.Id.TryWriteBytes(x, bigEndian: true, out _);
        b.Id.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }
}
