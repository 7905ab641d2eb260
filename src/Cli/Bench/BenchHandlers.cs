using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// The benchmark's handlers: <c>platform.noop</c> replaced by a counter, and the latency probe, which records
/// how long after its enqueue call it started.
/// </summary>
internal sealed class BenchHandlers
{
    private readonly int _jobs;
    private readonly int _warmups;
    private readonly double[] _pickupMs;
    private readonly (long Began, long Ran)[] _probeTimes;
    private readonly TaskCompletionSource _allJobsRan = NewSignal();
    private readonly TaskCompletionSource _allWarmupsRan = NewSignal();
    private TaskCompletionSource _allProbesRan = NewSignal();
    private long _jobsRan;
    private int _warmupsRan;
    private int _probesRan;

    public BenchHandlers(int jobs, int warmups, int probes)
    {
        _jobs = jobs;
        _warmups = warmups;
        _pickupMs = new double[probes];
        _probeTimes = new (long, long)[probes];
        if (warmups == 0)
        {
            _allWarmupsRan.TrySetResult();
        }

        if (probes == 0)
        {
            _allProbesRan.TrySetResult();
        }
    }

    public long JobsRan => Interlocked.Read(ref _jobsRan);

    public int WarmupsRan => Volatile.Read(ref _warmupsRan);

    public int ProbesRan => Math.Min(Volatile.Read(ref _probesRan), _pickupMs.Length);

    public Task AllJobsRan => _allJobsRan.Task;

    public Task AllWarmupsRan => _allWarmupsRan.Task;

    public Task AllProbesRan => _allProbesRan.Task;

    /// <summary>Pickup latencies in milliseconds of the measured probes that ran.</summary>
    public ReadOnlySpan<double> PickupMs => _pickupMs.AsSpan(0, ProbesRan);

    /// <summary>
    /// Time from each measured probe's commit (its enqueue call returning) to its handler start: the engine's
    /// share of the pickup. Zero when the handler started before the call returned, as the notification can
    /// reach the worker before the commit's reply reaches the producer.
    /// </summary>
    /// <param name="callEnded">When each probe's enqueue call returned, by the timestamp it began.</param>
    public double[] AfterCommitMs(IReadOnlyDictionary<long, long> callEnded) =>
        _probeTimes.AsSpan(0, ProbesRan).ToArray()
            .Where(t => callEnded.ContainsKey(t.Began))
            .Select(t => Math.Max(0, Stopwatch.GetElapsedTime(callEnded[t.Began], t.Ran).TotalMilliseconds))
            .ToArray();

    public JobHandlerRegistry CreateRegistry()
    {
        var registry = new JobHandlerRegistry();
        registry.Register<NoopArgs>((_, _, _) =>
        {
            if (Interlocked.Increment(ref _jobsRan) == _jobs)
            {
                _allJobsRan.TrySetResult();
            }

            return Task.CompletedTask;
        });
        registry.Register<BenchPingArgs>((args, _, _) =>
        {
            var ran = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(args.StartTicks, ran).TotalMilliseconds;
            if (args.Warmup)
            {
                if (Interlocked.Increment(ref _warmupsRan) == _warmups)
                {
                    _allWarmupsRan.TrySetResult();
                }

                return Task.CompletedTask;
            }

            var slot = Interlocked.Increment(ref _probesRan) - 1;
            // Delivery is at least once: a probe run twice must not write past the end.
            if (slot < _pickupMs.Length)
            {
                _pickupMs[slot] = elapsed;
                _probeTimes[slot] = (args.StartTicks, ran);
                if (slot == _pickupMs.Length - 1)
                {
                    _allProbesRan.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        return registry;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
