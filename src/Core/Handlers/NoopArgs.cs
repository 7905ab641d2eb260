using System.Text.Json.Serialization;

namespace JobPlatform.Core;

/// <summary>Args of the built-in <c>platform.noop</c> kind every worker runs, for smoke tests and benchmarks.</summary>
/// <param name="SleepMs">Wait this long (honouring cancellation) before finishing.</param>
/// <param name="Fail">Throw after the wait, to exercise retries.</param>
public sealed record NoopArgs(
    [property: JsonPropertyName("sleepMs")] int? SleepMs = null,
    [property: JsonPropertyName("fail")] bool? Fail = null) : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "platform.noop";
}
