using System.Text.Json.Serialization;
using JobPlatform.Core;

namespace JobPlatform.Jobs;

/// <summary>
/// Args of <c>billing.charge</c>: invoices one subscription for one period and charges the customer through
/// the payment gateway, at most once however often it runs. Normally enqueued by <c>billing.run</c>; enqueue it
/// yourself with the unique key from <see cref="UniqueKey"/>.
/// </summary>
public sealed record BillingChargeArgs : IJobArgs
{
    /// <inheritdoc />
    public static string Kind => "billing.charge";

    /// <summary>The subscription's id (<c>billing_subscriptions.id</c>).</summary>
    [JsonPropertyName("subscriptionId")]
    public required long SubscriptionId { get; init; }

    /// <summary>The billing month, <c>yyyy-MM</c>, e.g. <c>2026-11</c>.</summary>
    [JsonPropertyName("period")]
    public required string Period { get; init; }

    /// <summary>The unique key of the charge of <paramref name="subscriptionId"/> for <paramref name="period"/>:
    /// <c>billing.charge:&lt;subscription&gt;:&lt;period&gt;</c>.</summary>
    public static string UniqueKey(long subscriptionId, string period) => $"billing.charge:{subscriptionId}:{period}";
}
