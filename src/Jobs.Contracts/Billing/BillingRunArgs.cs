using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>billing.run</c>: bills one period. Enqueues one <see cref="BillingChargeArgs"/> job per
/// subscription due in <see cref="Period"/>, each with the unique key <c>billing.charge:&lt;subscription&gt;:&lt;period&gt;</c>,
/// so running it twice for a period never enqueues a second charge.
/// </summary>
public sealed record BillingRunArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "billing.run";

    /// <summary>The billing month, <c>yyyy-MM</c>, e.g. <c>2026-11</c>.</summary>
    [JsonPropertyName("period")]
    public required string Period { get; init; }
}
