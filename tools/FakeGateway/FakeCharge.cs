namespace JobPlatform.FakeGateway;

/// <summary>A charge the gateway made.</summary>
/// <param name="Id">The charge id, <c>ch_…</c>.</param>
/// <param name="Amount">Amount in minor units.</param>
/// <param name="Currency">Currency code as sent.</param>
/// <param name="Customer">The customer id as sent.</param>
/// <param name="Description">The description as sent.</param>
/// <param name="IdempotencyKey">The key it was made with, if any.</param>
/// <param name="Status"><c>succeeded</c> or <c>failed</c> (declined).</param>
/// <param name="Created">When it was made.</param>
public sealed record FakeCharge(
    string Id,
    long Amount,
    string Currency,
    string Customer,
    string? Description,
    string? IdempotencyKey,
    string Status,
    DateTimeOffset Created);
