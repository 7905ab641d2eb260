using System.Diagnostics;
using JobPlatform.Core;
using Npgsql;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// What idle workers cost the database: several engines with default settings and nothing to do, each with its
/// own data source as separate worker processes would have, and every command they send counted through
/// Npgsql's tracing (one activity per command, LISTEN waits excluded: they send nothing).
/// </summary>
internal static class IdlePhase
{
    /// <summary>Time for the engines to register and elect a leader before counting starts.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Returns commands per second over <paramref name="duration"/>, all engines together.</summary>
    public static async Task<double> RunAsync(Func<NpgsqlDataSource> createDataSource, string schema, int workers, TimeSpan duration, CancellationToken ct)
    {
        long commands = 0;
        var counting = false;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = _ =>
            {
                if (Volatile.Read(ref counting))
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var sources = Enumerable.Range(0, workers).Select(_ => createDataSource()).ToList();
        var engines = sources.Select(s => new JobEngine(s, new JobEngineOptions { Schema = schema })).ToList();
        try
        {
            foreach (var engine in engines)
            {
                await engine.StartAsync(ct).ConfigureAwait(false);
            }

            await Task.Delay(Settle, ct).ConfigureAwait(false);
            Volatile.Write(ref counting, true);
            var watch = Stopwatch.StartNew();
            await Task.Delay(duration, ct).ConfigureAwait(false);
            Volatile.Write(ref counting, false);
            return Interlocked.Read(ref commands) / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var source in sources)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
