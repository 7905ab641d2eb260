namespace JobPlatform.FakeGateway;

/// <summary>What an injected fault does to one <c>POST /v1/charges</c>.</summary>
public enum GatewayFaultKind
{
    /// <summary>Answers 500 without charging (control API name <c>server_error</c> or <c>500</c>).</summary>
    ServerError,

    /// <summary>Answers 429 with a Retry-After header without charging (<c>rate_limit</c> or <c>429</c>).</summary>
    RateLimited,

    /// <summary>Waits <see cref="GatewayFault.Delay"/>, then charges and answers even if the client gave up (<c>delay</c>).</summary>
    Delay,

    /// <summary>Charges, then aborts the connection without an answer (<c>lost_response</c>).</summary>
    LostResponse,

    /// <summary>Declines the card: answers 402, records a failed charge, and replays the decline for the same key (<c>decline</c> or <c>402</c>).</summary>
    Decline,
}
