namespace JobPlatform.Jobs.Billing;

/// <summary>An invoice with what charging it needs to know about its customer.</summary>
internal sealed record Invoice(
    Guid Id,
    long SubscriptionId,
    string Period,
    long AmountMinor,
    string Currency,
    string Status,
    string CustomerEmail,
    string CustomerName,
    string GatewayCustomer)
{
    public const string Open = "open";
    public const string Paid = "paid";
    public const string Failed = "failed";

    /// <summary>The Idempotency-Key of this invoice's charge: every attempt sends the same one, so the gateway
    /// answers a repeat with the original charge instead of charging again.</summary>
    public string IdempotencyKey => $"invoice-{Id:D}";
}
