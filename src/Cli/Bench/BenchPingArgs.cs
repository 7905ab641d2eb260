using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Cli.Bench;

/// <summary>
/// Args of the benchmark's latency probe. The start time travels in the job itself because the handler
/// can run before <c>EnqueueAsync</c> has returned the id.
/// </summary>
/// <param name="StartTicks"><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> just before the enqueue call.</param>
/// <param name="Warmup">A warm-up probe: run, but not measured.</param>
internal sealed record BenchPingArgs(
    [property: JsonPropertyName("startTicks")] long StartTicks,
    [property: JsonPropertyName("warmup")] bool Warmup = false) : IJobArgs
{
    public static string Kind => "platform.bench.ping";
}
