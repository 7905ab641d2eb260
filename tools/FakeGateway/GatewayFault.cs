namespace JobPlatform.FakeGateway;

/// <summary>A fault for the next charge request; see <see cref="FakeGatewayServer.InjectFault"/>.</summary>
/// <param name="Kind">What happens.</param>
public sealed record GatewayFault(GatewayFaultKind Kind)
{
    /// <summary>The Retry-After of <see cref="GatewayFaultKind.RateLimited"/> (sent in whole seconds, at least 1).</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait of <see cref="GatewayFaultKind.Delay"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The decline code of <see cref="GatewayFaultKind.Decline"/>.</summary>
    public string DeclineCode { get; init; } = "insufficient_funds";
}
