using System.Text.Json.Serialization;

namespace JobPlatform.Jobs.Billing;

/// <summary>What the gateway answers: a charge on 2xx, an error object otherwise.</summary>
internal sealed record GatewayChargeResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("failure_code")]
    public string? FailureCode { get; init; }

    [JsonPropertyName("failure_message")]
    public string? FailureMessage { get; init; }

    [JsonPropertyName("error")]
    public GatewayError? Error { get; init; }
}
