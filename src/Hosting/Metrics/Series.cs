namespace JobPlatform.Hosting;

/// <summary>
/// One labelled series: a running sum, a last value, or histogram buckets. Lock-free: integer measurements are
/// summed with <see cref="Interlocked.Add(ref long, long)"/> (exact, no retry loop), floating ones with a
/// compare-exchange loop on the bits of a double.
/// </summary>
internal sealed class Series(string labels, int bucketCount)
{
    // Non-cumulative counts: bucket i holds values in (bound[i-1], bound[i]]; the last one holds values above every bound.
    private readonly long[] _buckets = new long[bucketCount];
    private long _integerSum;
    private long _floatingSumBits;
    private long _lastValueBits;
    private long _generation;

    /// <summary>The rendered label pairs, sorted by name (<c>a="1",b="2"</c>), empty without labels.</summary>
    public string Labels { get; } = labels;

    public long IntegerSum => Interlocked.Read(ref _integerSum);

    public double FloatingSum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _floatingSumBits));

    public double LastValue => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _lastValueBits));

    /// <summary>The collection in which <see cref="Set"/> was last called, to hide label sets an observable callback stopped reporting.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Add(long value) => Interlocked.Add(ref _integerSum, value);

    public void Add(double value) => AddDouble(ref _floatingSumBits, value);

    public void Set(double value, long generation)
    {
        Interlocked.Exchange(ref _lastValueBits, BitConverter.DoubleToInt64Bits(value));
        Interlocked.Exchange(ref _generation, generation);
    }

    public void Observe(long value, double[] bounds)
    {
        Interlocked.Increment(ref _buckets[BucketOf(value, bounds)]);
        Interlocked.Add(ref _integerSum, value);
    }

    public void Observe(double value, double[] bounds)
    {
        if (double.IsNaN(value))
        {
            return; // Belongs in no bucket and would turn the sum into NaN for good.
        }

        Interlocked.Increment(ref _buckets[BucketOf(value, bounds)]);
        AddDouble(ref _floatingSumBits, value);
    }

    /// <summary>Copies the non-cumulative bucket counts; the last is the overflow bucket.</summary>
    public long[] BucketCounts()
    {
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }

        return counts;
    }

    private static int BucketOf(double value, double[] bounds)
    {
        // An exact hit is in that bucket (le means ≤); a miss gives the first bound above, or bounds.Length (overflow).
        var i = Array.BinarySearch(bounds, value);
        return i >= 0 ? i : ~i;
    }

    private static void AddDouble(ref long bits, double delta)
    {
        var current = Interlocked.Read(ref bits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + delta);
            var seen = Interlocked.CompareExchange(ref bits, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
