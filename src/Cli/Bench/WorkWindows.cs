using System.Diagnostics;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// Samples a running count once a second, to see whether the work rate decays as a backlog drains: the rate of
/// every full window of the given length that starts at a sample, so a drain only twice as long as the window
/// still has many windows to compare (disjoint windows would give one or two).
/// </summary>
internal sealed class WorkWindows(Func<long> count, TimeSpan window, TimeSpan? step = null)
{
    private readonly TimeSpan _step = step ?? TimeSpan.FromSeconds(1);
    private readonly List<(long Timestamp, long Count)> _samples = [];
    private readonly Lock _lock = new();

    /// <summary>Starts sampling; dispose the result to stop.</summary>
    public IDisposable Start()
    {
        var stop = new CancellationTokenSource();
        Sample();
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_step);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    Sample();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the windows still open are dropped.
            }
        }, CancellationToken.None);
        return new Stopper(stop);
    }

    /// <summary>The rate of every full window, in order of its start (one per sampling step, a second by default).</summary>
    public IReadOnlyList<double> FullWindowRates()
    {
        var perWindow = (int)Math.Round(window / _step);
        lock (_lock)
        {
            return [.. Enumerable.Range(0, Math.Max(0, _samples.Count - perWindow)).Select(i =>
            {
                var (from, to) = (_samples[i], _samples[i + perWindow]);
                return (to.Count - from.Count) / Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
            })];
        }
    }

    private void Sample()
    {
        var sample = (Stopwatch.GetTimestamp(), count());
        lock (_lock)
        {
            _samples.Add(sample);
        }
    }

    private sealed class Stopper(CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
