using System.Diagnostics;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// Runs the benchmark in its own schema: (0) optionally, retained completed jobs; (1) bulk enqueue; (2) drain
/// with a real <see cref="JobEngine"/> (lease, deserialize, dispatch, batched completion, as in the worker),
/// rated per 10-second window; (3) pickup latency of single enqueues at a fixed rate while the engine keeps
/// running; (4) single enqueues from concurrent producers; (5) the queries of idle engines. The schema is
/// dropped at the end.
/// </summary>
internal sealed class BenchRunner(CliDatabase db, BenchSettings settings, Action<string> status)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Concurrent EnqueueManyAsync callers of the bulk phase, as the raw-SQL reference's two clients.</summary>
    private const int BulkCallers = 2;

    /// <summary>Where the bulk path is warmed up: a queue the engine does not serve, emptied before the load.</summary>
    private const string BulkWarmupQueue = "bench_warmup";

    /// <summary>Jobs written to warm up the bulk path (at most the run's own number).</summary>
    private const int BulkWarmupJobs = 20_000;

    /// <summary>Windows over which the work rate is compared for decay as a backlog drains.</summary>
    private static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(10);

    public async Task<BenchResult> RunAsync(CancellationToken ct)
    {
        await BenchSchema.CreateAsync(db, status, ct).ConfigureAwait(false);
        try
        {
            return await RunPhasesAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            if (settings.Keep)
            {
                status($"kept schema '{db.Target.Schema}' (drop it with: DROP SCHEMA \"{db.Target.Schema}\" CASCADE)");
            }
            else
            {
                // Even after Ctrl+C: the scratch schema must not outlive the run.
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await BenchSchema.DropAsync(db, cleanup.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Enqueues <paramref name="count"/> copies of the job in chunks of the run's batch size, from
    /// <see cref="BulkCallers"/> callers at once.</summary>
    private Task BulkEnqueueAsync(JobInsert insert, long count, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, BulkCallers).Select(i =>
            Enqueueing.ChunkedEnqueuer.EnqueueAsync(db.Client, insert, count / BulkCallers + (i < count % BulkCallers ? 1 : 0),
                settings.Batch, collectIds: false, null, ct)));

    private async Task<BenchResult> RunPhasesAsync(CancellationToken ct)
    {
        if (settings.PrefillFinished > 0)
        {
            status($"writing {settings.PrefillFinished:N0} completed jobs as retained history");
            await BenchSchema.PrefillFinishedAsync(db, settings.PrefillFinished, ct).ConfigureAwait(false);
        }

        // A process's first bulk enqueues pay for its start (the COPY path's first use, code not yet compiled at
        // its best tier): 150-340 ms a chunk of 10,000 against 80-110 ms later, which weighed on short runs. The
        // rate is measured once the path is warm, as the pickup is; the warm-up's jobs are deleted unrun.
        var warmup = (int)Math.Min(settings.Jobs, BulkWarmupJobs);
        status($"warming up the bulk path: {warmup:N0} jobs into queue '{BulkWarmupQueue}', deleted afterwards");
        await BulkEnqueueAsync(JobInsert.From(new NoopArgs(), new EnqueueOptions { Queue = BulkWarmupQueue }), warmup, ct).ConfigureAwait(false);
        await BenchSchema.DeleteQueueAsync(db, BulkWarmupQueue, ct).ConfigureAwait(false);

        status($"enqueueing {settings.Jobs:N0} platform.noop jobs in batches of {settings.Batch:N0}, {BulkCallers} callers at once");
        var watch = Stopwatch.StartNew();
        await BulkEnqueueAsync(JobInsert.From(new NoopArgs()), settings.Jobs, ct).ConfigureAwait(false);
        var enqueueTime = watch.Elapsed;

        // A backlog in production builds up over minutes and autovacuum analyzes it meanwhile; measured right after
        // the load, the drain would depend on whether autovacuum happened to analyze yet, and the planner sees a
        // different table.
        status("refreshing the table's statistics (ANALYZE), as autovacuum does while a backlog builds up");
        await BenchSchema.AnalyzeAsync(db, ct).ConfigureAwait(false);

        var handlers = new BenchHandlers(settings.Jobs, settings.Warmups, settings.Probes);
        var options = new JobEngineOptions
        {
            Schema = db.Target.Schema,
            Queues = new() { [db.Client.Options.DefaultQueue] = settings.Concurrency },
            HandOff = !settings.NoHandOff,
        };
        await using var engine = new JobEngine(db.DataSource, options, handlers.CreateRegistry());

        status($"working them off with an in-process engine (concurrency {settings.Concurrency:N0})");
        using var probe = new EngineProbe();
        using var rss = new RssSampler();
        watch.Restart();
        await engine.StartAsync(ct).ConfigureAwait(false);
        var windows = new WorkWindows(() => handlers.JobsRan, WindowLength);
        using (windows.Start())
        {
            await WaitAsync(handlers.AllJobsRan, () => handlers.JobsRan, settings.Jobs, "jobs ran", ct).ConfigureAwait(false);
        }

        var windowRates = windows.FullWindowRates();
        if (windowRates.Count > 1)
        {
            status($"work rate per {WindowLength.TotalSeconds:0} s window (one starting every second): slowest {windowRates.Min():N0}, " +
                   $"fastest {windowRates.Max():N0}; back to back: {string.Join(", ", windowRates.Where((_, i) => i % WindowLength.TotalSeconds == 0).Select(r => r.ToString("N0")))} jobs/s");
        }

        // Handlers finishing is not the end: their outcomes must be committed too.
        await WaitUntilFinishedAsync(ct).ConfigureAwait(false);
        var workTime = watch.Elapsed;
        var (fetches, fetched, completionBatches) = probe.Snapshot();

        var result = new BenchResult
        {
            Jobs = settings.Jobs, EnqueueTime = enqueueTime, WorkTime = workTime,
            Fetches = fetches, Fetched = fetched, CompletionBatches = completionBatches,
            WindowRates = windowRates,
            PrefilledFinished = settings.PrefillFinished,
        };
        if (settings.Probes > 0)
        {
            status($"measuring pickup latency: {settings.Rate:N0} single enqueues/s for {settings.LatencySeconds:0.##} s, after 1 s of warm-up");
            await PickupProbe.RunAsync(db.Client, settings.Warmups, settings.Rate, warmup: true, ct).ConfigureAwait(false);
            await WaitAsync(handlers.AllWarmupsRan, () => handlers.WarmupsRan, settings.Warmups, "warm-up probes ran", ct).ConfigureAwait(false);
            var notified = await MeasurePickupAsync(handlers, ct).ConfigureAwait(false);
            result = result with
            {
                Probes = handlers.ProbesRan,
                PickupP50Ms = notified.P50, PickupP99Ms = notified.P99, EnqueueCallP50Ms = notified.CallP50,
                PickupAfterCommitP50Ms = notified.AfterCommitP50, PickupAfterCommitP99Ms = notified.AfterCommitP99,
            };
        }

        status("stopping the engine");
        await engine.StopAsync(CancellationToken.None).ConfigureAwait(false);
        result = result with { RssMiB = rss.PeakMiB };

        if (settings.SingleSeconds > 0)
        {
            status($"single enqueues: {settings.Producers} producers calling EnqueueAsync for {settings.SingleSeconds:0.##} s");
            result = result with
            {
                Producers = settings.Producers,
                EnqueueSinglePerSecond = await SingleEnqueuePhase.RunAsync(db.Client, settings.Producers, TimeSpan.FromSeconds(settings.SingleSeconds), ct).ConfigureAwait(false),
            };
        }

        if (settings.IdleSeconds > 0)
        {
            status($"idle cost: {settings.IdleWorkers} idle engines with default settings, commands counted for {settings.IdleSeconds:0.##} s");
            result = result with
            {
                IdleWorkers = settings.IdleWorkers,
                IdleQueriesPerSecond = await IdlePhase.RunAsync(db.Target.CreateDataSource, db.Target.Schema, settings.IdleWorkers,
                    TimeSpan.FromSeconds(settings.IdleSeconds), ct).ConfigureAwait(false),
            };
        }

        return result;
    }

    private sealed record PickupFigures(double? P50, double? P99, double? CallP50, double? AfterCommitP50, double? AfterCommitP99);

    /// <summary>One round of latency probes: from the enqueue call's start, and from its return.</summary>
    private async Task<PickupFigures> MeasurePickupAsync(BenchHandlers handlers, CancellationToken ct)
    {
        var (callMs, callEnded) = await PickupProbe.RunAsync(db.Client, settings.Probes, settings.Rate, warmup: false, ct).ConfigureAwait(false);
        await WaitAsync(handlers.AllProbesRan, () => handlers.ProbesRan, settings.Probes, "latency probes ran", ct).ConfigureAwait(false);
        var afterCommit = handlers.AfterCommitMs(callEnded);
        return new PickupFigures(Percentile.Of(handlers.PickupMs, 50), Percentile.Of(handlers.PickupMs, 99), Percentile.Of(callMs, 50),
            Percentile.Of(afterCommit, 50), Percentile.Of(afterCommit, 99));
    }

    /// <summary>Waits for <paramref name="done"/>, failing when <paramref name="progress"/> stops moving.</summary>
    private static async Task WaitAsync(Task done, Func<long> progress, long expected, string what, CancellationToken ct)
    {
        var last = progress();
        var lastMoved = Stopwatch.StartNew();
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1), ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var now = progress();
            if (now != last)
            {
                (last, lastMoved) = (now, Stopwatch.StartNew());
            }
            else if (lastMoved.Elapsed > BenchLimits.StallTimeout)
            {
                throw new CliFailureException(
                    $"benchmark stalled: {now:N0} of {expected:N0} {what}, none in the last {BenchLimits.StallTimeout.TotalSeconds:0} s");
            }
        }
    }

    private async Task WaitUntilFinishedAsync(CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (await BenchSchema.HasUnfinishedAsync(db, ct).ConfigureAwait(false))
        {
            if (waited.Elapsed > BenchLimits.StallTimeout)
            {
                throw new CliFailureException(
                    $"benchmark stalled: every handler ran, but jobs were still available or running after {BenchLimits.StallTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }
}
