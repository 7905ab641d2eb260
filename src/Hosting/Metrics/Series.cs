namespace JobPlatform.Hosting;

/// <summary>One labelled series: a running sum or last value, or histogram buckets. Lock-free on the hot path.</summary>
internal sealed class Series(int buckets)
{
    private readonly long[] _bucketCounts = new long[buckets];
    private long _valueBits;
    private long _count;
    private long _sumBits;

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _valueBits));

    public void Add(double delta) => AddDouble(ref _valueBits, delta);

    public void Set(double value) => Interlocked.Exchange(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    public void Observe(double value, double[] bounds)
    {
        // Bucket i counts values ≤ bounds[i] and > bounds[i-1]; the +Inf bucket is the total count.
        var i = Array.BinarySearch(bounds, value);
        if (i < 0)
        {
            i = ~i;
        }

        if (i < bounds.Length)
        {
            Interlocked.Increment(ref _bucketCounts[i]);
        }

        AddDouble(ref _sumBits, value);
        Interlocked.Increment(ref _count);
    }

    public (long[] Counts, long Count, double Sum) Snapshot()
    {
        var counts = new long[_bucketCounts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _bucketCounts[i]);
        }

        var count = Interlocked.Read(ref _count);
        // Keep the exposition consistent if observations raced with the snapshot.
        count = Math.Max(count, counts.Sum());
        return (counts, count, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)));
    }

    private static void AddDouble(ref long bits, double delta)
    {
        while (true)
        {
            var current = Interlocked.Read(ref bits);
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + delta);
            if (Interlocked.CompareExchange(ref bits, next, current) == current)
            {
                return;
            }
        }
    }
}
