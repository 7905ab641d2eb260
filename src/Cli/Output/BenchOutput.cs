using System.Text.Json;
using JobPlatform.Cli.Bench;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace JobPlatform.Cli.Output;

/// <summary>Renderings of a <see cref="BenchResult"/>.</summary>
internal static class BenchOutput
{
    /// <summary>
    /// One object: <c>jobs</c>, <c>enqueue_per_s</c> (bulk), <c>enqueue_single_per_s</c>, <c>work_per_s</c>,
    /// <c>work_slowest_window_ratio</c>, <c>pickup_p50_ms</c>, <c>pickup_p99_ms</c> (from the enqueue call's start),
    /// <c>pickup_after_commit_p50_ms</c>, <c>pickup_after_commit_p99_ms</c> (from its return), <c>idle_queries_per_s</c>,
    /// <c>rss_mb</c>, <c>prefilled_finished</c>. Rates in whole jobs per second, times to 0.01 ms; a skipped
    /// phase's fields are null.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter w, BenchResult result)
    {
        w.WriteStartObject();
        w.WriteNumber("jobs", result.Jobs);
        w.WriteNumber("enqueue_per_s", Math.Round(result.EnqueuePerSecond));
        WriteRounded(w, "enqueue_single_per_s", result.EnqueueSinglePerSecond, 0);
        w.WriteNumber("work_per_s", Math.Round(result.WorkPerSecond));
        WriteRounded(w, "work_slowest_window_ratio", result.SlowestWindowRatio, 3);
        WriteMs(w, "pickup_p50_ms", result.PickupP50Ms);
        WriteMs(w, "pickup_p99_ms", result.PickupP99Ms);
        WriteMs(w, "pickup_after_commit_p50_ms", result.PickupAfterCommitP50Ms);
        WriteMs(w, "pickup_after_commit_p99_ms", result.PickupAfterCommitP99Ms);
        WriteRounded(w, "idle_queries_per_s", result.IdleQueriesPerSecond, 2);
        w.WriteNumber("rss_mb", Math.Round(result.RssMiB));
        w.WriteNumber("prefilled_finished", result.PrefilledFinished);
        w.WriteEndObject();
    }

    public static IRenderable Table(BenchResult result, BenchSettings settings)
    {
        var table = Formats.Table("Phase", "Result", "Detail");
        table.AddRow(Formats.Cell("enqueue"), Formats.Cell($"{Formats.Number(result.EnqueuePerSecond)} jobs/s"),
            Formats.Cell($"{result.Jobs:N0} jobs in {result.EnqueueTime.TotalSeconds:0.00} s, batches of {settings.Batch:N0} from 2 callers at once (EnqueueManyAsync)"));
        table.AddRow(Formats.Cell("work"), Formats.Cell($"{Formats.Number(result.WorkPerSecond)} jobs/s"),
            Formats.Cell($"{result.Jobs:N0} jobs in {result.WorkTime.TotalSeconds:0.00} s, concurrency {settings.Concurrency:N0}; " +
                $"{result.Fetches:N0} fetches ({result.Fetched / (double)Math.Max(1, result.Fetches):0} jobs each), {result.CompletionBatches:N0} outcome batches"));
        if (result.PickupP50Ms is { } p50 && result.PickupP99Ms is { } p99)
        {
            table.AddRow(Formats.Cell("pickup p50"), Formats.Cell($"{p50:0.00} ms"),
                Formats.Cell($"{result.Probes:N0} single enqueues at {settings.Rate:N0}/s; the enqueue call itself {result.EnqueueCallP50Ms:0.00} ms"));
            table.AddRow(Formats.Cell("pickup p99"), Formats.Cell($"{p99:0.00} ms"), Formats.Cell("enqueue call to handler start"));
            table.AddRow(Formats.Cell("after commit"), Formats.Cell($"{result.PickupAfterCommitP50Ms:0.00} ms"),
                Formats.Cell($"p50 from the enqueue call returning to handler start (p99 {result.PickupAfterCommitP99Ms:0.00} ms): the engine's share"));
        }
        else
        {
            table.AddRow(Formats.Cell("pickup"), Formats.Cell("skipped"), Formats.Cell("--latency-seconds 0"));
        }

        if (result.WindowRates.Count > 1)
        {
            table.AddRow(Formats.Cell("work decay"), Formats.Cell($"{result.SlowestWindowRatio:0.00}"),
                Formats.Cell("slowest 10 s window over the fastest: " + string.Join(", ", result.WindowRates.Select(r => Formats.Number(r)))));
        }

        table.AddRow(Formats.Cell("single enqueue"),
            Formats.Cell(result.EnqueueSinglePerSecond is { } single ? $"{Formats.Number(single)} jobs/s" : "skipped"),
            Formats.Cell(result.EnqueueSinglePerSecond is null ? "--single-seconds 0" : $"{result.Producers} producers calling EnqueueAsync"));
        table.AddRow(Formats.Cell("idle cost"),
            Formats.Cell(result.IdleQueriesPerSecond is { } idle ? $"{idle:0.00} queries/s" : "skipped"),
            Formats.Cell(result.IdleQueriesPerSecond is null ? "--idle-seconds 0" : $"{result.IdleWorkers} idle engines with default settings, together"));
        table.AddRow(Formats.Cell("memory"), Formats.Cell($"{result.RssMiB:0} MiB"), Formats.Cell("peak resident set of this process while working"));
        if (result.PrefilledFinished > 0)
        {
            table.AddRow(Formats.Cell("history"), Formats.Cell($"{result.PrefilledFinished:N0}"), Formats.Cell("completed jobs retained in the table before the run"));
        }

        table.Columns[1].RightAligned();
        return table;
    }

    private static void WriteMs(Utf8JsonWriter w, string name, double? ms) => WriteRounded(w, name, ms, 2);

    private static void WriteRounded(Utf8JsonWriter w, string name, double? value, int digits)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, digits));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
