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
    public static async Task<double[]> RunAsync(JobClient client, int probes, int rate, bool warmup, CancellationToken ct)
    {
        var callMs = new double[probes];
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
            callMs[i] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        }

        return callMs;
    }
}
