using System.Diagnostics;

namespace JobPlatform.Cli.Bench;

/// <summary>Samples a running count once per window, to see whether the work rate decays as a backlog drains.</summary>
internal sealed class WorkWindows(Func<long> count, TimeSpan window)
{
    private readonly List<double> _rates = [];
    private readonly Lock _lock = new();

    /// <summary>Starts sampling; dispose the result to stop. Only full windows are kept.</summary>
    public IDisposable Start()
    {
        var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            var last = count();
            var started = Stopwatch.GetTimestamp();
            using var timer = new PeriodicTimer(window);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    var now = count();
                    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    lock (_lock)
                    {
                        _rates.Add((now - last) / seconds);
                    }

                    (last, started) = (now, Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the partial window in progress is dropped.
            }
        }, CancellationToken.None);
        return new Stopper(stop);
    }

    public IReadOnlyList<double> FullWindowRates()
    {
        lock (_lock)
        {
            return [.. _rates];
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
