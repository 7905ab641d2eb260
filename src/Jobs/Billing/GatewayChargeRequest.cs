using System.Text.Json.Serialization;

namespace JobPlatform.Jobs.Billing;

/// <summary>The body of <c>POST /v1/charges</c> (JSON; amounts in minor units, currency lower case as Stripe writes it).</summary>
internal sealed record GatewayChargeRequest(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("customer")] string Customer,
    [property: JsonPropertyName("description")] string Description);
