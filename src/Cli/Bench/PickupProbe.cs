using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// One producer enqueueing single probe jobs at a fixed rate, as an application's request handler would: each
/// enqueue is awaited, and is due at an absolute time (start + i / rate) so that a slow one is caught up on
/// rather than lowering the rate. Each probe carries the time its enqueue call began.
/// </summary>
internal static class PickupProbe
{
    /// <summary>Returns each call's duration, and when each call returned by the timestamp it began.</summary>
    public static async Task<(double[] CallMs, Dictionary<long, long> CallEnded)> RunAsync(JobClient client, int probes, int rate, bool warmup, CancellationToken ct)
    {
        var callMs = new double[probes];
        var ended = new Dictionary<long, long>(probes);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < probes; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                // Task.Delay has millisecond granularity; a send due sooner than that goes now.
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            var began = Stopwatch.GetTimestamp();
            await client.EnqueueAsync(new BenchPingArgs(began, warmup), cancellationToken: ct).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            callMs[i] = Stopwatch.GetElapsedTime(began, end).TotalMilliseconds;
            ended[began] = end;
        }

        return (callMs, ended);
    }
}
