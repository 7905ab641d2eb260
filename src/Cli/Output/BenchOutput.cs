using System.Text.Json;
using JobPlatform.Cli.Bench;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace JobPlatform.Cli.Output;

/// <summary>Renderings of a <see cref="BenchResult"/>.</summary>
internal static class BenchOutput
{
    /// <summary><c>{"jobs":N,"enqueue_per_s":x,"work_per_s":x,"pickup_p50_ms":x,"pickup_p99_ms":x}</c>: rates in
    /// whole jobs per second, latencies to 0.01 ms (null when the latency phase was skipped).</summary>
    public static void WriteJson(Utf8JsonWriter w, BenchResult result)
    {
        w.WriteStartObject();
        w.WriteNumber("jobs", result.Jobs);
        w.WriteNumber("enqueue_per_s", Math.Round(result.EnqueuePerSecond));
        w.WriteNumber("work_per_s", Math.Round(result.WorkPerSecond));
        WriteMs(w, "pickup_p50_ms", result.PickupP50Ms);
        WriteMs(w, "pickup_p99_ms", result.PickupP99Ms);
        w.WriteEndObject();
    }

    public static IRenderable Table(BenchResult result, BenchSettings settings)
    {
        var table = Formats.Table("Phase", "Result", "Detail");
        table.AddRow(Formats.Cell("enqueue"), Formats.Cell($"{Formats.Number(result.EnqueuePerSecond)} jobs/s"),
            Formats.Cell($"{result.Jobs:N0} jobs in {result.EnqueueTime.TotalSeconds:0.00} s, batches of {settings.Batch:N0}"));
        table.AddRow(Formats.Cell("work"), Formats.Cell($"{Formats.Number(result.WorkPerSecond)} jobs/s"),
            Formats.Cell($"{result.Jobs:N0} jobs in {result.WorkTime.TotalSeconds:0.00} s, concurrency {settings.Concurrency:N0}; " +
                $"{result.Fetches:N0} fetches ({result.Fetched / (double)Math.Max(1, result.Fetches):0} jobs each), {result.CompletionBatches:N0} outcome batches"));
        if (result.PickupP50Ms is { } p50 && result.PickupP99Ms is { } p99)
        {
            table.AddRow(Formats.Cell("pickup p50"), Formats.Cell($"{p50:0.00} ms"),
                Formats.Cell($"{result.Probes:N0} single enqueues at {settings.Rate:N0}/s; the enqueue call itself {result.EnqueueCallP50Ms:0.00} ms"));
            table.AddRow(Formats.Cell("pickup p99"), Formats.Cell($"{p99:0.00} ms"), Formats.Cell("enqueue call to handler start"));
        }
        else
        {
            table.AddRow(Formats.Cell("pickup"), Formats.Cell("skipped"), Formats.Cell("--latency-seconds 0"));
        }

        table.Columns[1].RightAligned();
        return table;
    }

    private static void WriteMs(Utf8JsonWriter w, string name, double? ms)
    {
        if (ms is { } value)
        {
            w.WriteNumber(name, Math.Round(value, 2));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
