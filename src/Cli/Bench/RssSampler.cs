using System.Diagnostics;

namespace JobPlatform.Cli.Bench;

/// <summary>Samples this process's resident set size (the in-process worker's memory) and keeps the peak.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private long _peak;

    public RssSampler()
    {
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            using var process = Process.GetCurrentProcess();
            do
            {
                process.Refresh();
                var rss = process.WorkingSet64;
                long seen;
                while (rss > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, rss, seen) != seen)
                {
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Highest resident set size seen so far, in MiB.</summary>
    public double PeakMiB => Interlocked.Read(ref _peak) / (1024.0 * 1024.0);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
