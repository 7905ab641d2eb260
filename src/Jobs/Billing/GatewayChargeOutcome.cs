namespace JobPlatform.Jobs.Billing;

/// <summary>A charge the gateway settled: succeeded with <see cref="ChargeId"/>, or declined with a code.</summary>
internal sealed record GatewayChargeOutcome(bool Succeeded, string? ChargeId, string? FailureCode, string? FailureMessage)
{
    public static GatewayChargeOutcome Success(string chargeId) => new(true, chargeId, null, null);

    public static GatewayChargeOutcome Declined(string? chargeId, string code, string message) => new(false, chargeId, code, message);
}
