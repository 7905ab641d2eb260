using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// Enqueues single probe jobs at a fixed rate. Each send is due at an absolute time (start + i / rate), so a
/// slow tick is caught up on rather than drifting; sends do not wait for each other, so a slow insert does
/// not lower the rate.
/// </summary>
internal static class PickupProbe
{
    public static async Task RunAsync(JobClient client, int probes, int rate, bool warmup, CancellationToken ct)
    {
        var sends = new List<Task>(probes);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < probes)
        {
            var due = Math.Min(probes, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                sends.Add(SendAsync(client, warmup, ct));
            }

            var wait = TimeSpan.FromSeconds((double)sent / rate) - Stopwatch.GetElapsedTime(start);
            if (sent < probes && wait > TimeSpan.Zero)
            {
                // Task.Delay truncates to whole milliseconds and returns at once for less than one, which would
                // turn this loop into a busy wait; sleeping a little longer is caught up on the next round.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds))), ct).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private static async Task SendAsync(JobClient client, bool warmup, CancellationToken ct)
    {
        // Yield first so the send loop keeps its schedule while this insert runs.
        await Task.Yield();
        await client.EnqueueAsync(new BenchPingArgs(Stopwatch.GetTimestamp(), warmup), cancellationToken: ct).ConfigureAwait(false);
    }
}
