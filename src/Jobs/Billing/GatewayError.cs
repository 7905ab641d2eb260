using System.Text.Json.Serialization;

namespace JobPlatform.Jobs.Billing;

/// <summary>The gateway's <c>error</c> object (Stripe's shape: type, code, decline_code, message).</summary>
internal sealed record GatewayError
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("decline_code")]
    public string? DeclineCode { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("charge")]
    public string? Charge { get; init; }
}
