using System.Text.Json.Serialization;

namespace JobPlatform.Jobs.Billing;

/// <summary>Source-generated JSON for the gateway's requests and responses.</summary>
[JsonSerializable(typeof(GatewayChargeRequest))]
[JsonSerializable(typeof(GatewayChargeResponse))]
internal sealed partial class BillingJsonContext : JsonSerializerContext;
