using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// Concurrent producers each calling <see cref="JobClient.EnqueueAsync(JobInsert, CancellationToken)"/> one job at a
/// time, as request handlers of a web application would: the single-insert rate the client sustains. The jobs
/// go to a queue no engine serves, so only the inserts are measured.
/// </summary>
internal static class SingleEnqueuePhase
{
    public const string Queue = "bench_single";

    /// <summary>Returns jobs enqueued per second over <paramref name="duration"/>.</summary>
    public static async Task<double> RunAsync(JobClient client, int producers, TimeSpan duration, CancellationToken ct)
    {
        var insert = new JobInsert(NoopArgs.Kind, "{}", new EnqueueOptions { Queue = Queue });
        // Warm the pool first: opening connections is not what is measured.
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => client.EnqueueAsync(insert, ct))).ConfigureAwait(false);
        long total = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            long mine = 0;
            while (watch.Elapsed < duration)
            {
                await client.EnqueueAsync(insert, ct).ConfigureAwait(false);
                mine++;
            }

            Interlocked.Add(ref total, mine);
        }, ct))).ConfigureAwait(false);
        return total / watch.Elapsed.TotalSeconds;
    }
}
