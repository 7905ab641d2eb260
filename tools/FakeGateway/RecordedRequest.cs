namespace JobPlatform.FakeGateway;

/// <summary>One request the gateway received (the API key itself is never kept).</summary>
/// <param name="At">When it arrived.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, e.g. <c>/v1/charges</c>.</param>
/// <param name="IdempotencyKey">Its Idempotency-Key header, if any.</param>
/// <param name="Authorized">Whether it carried the right Bearer key (always true when no key is configured).</param>
/// <param name="Body">The body as sent.</param>
/// <param name="Status">The status answered; 0 when the connection was aborted.</param>
/// <param name="Outcome">What happened: <c>charged</c>, <c>declined</c>, <c>replayed</c>, <c>fault:server_error</c>, <c>unauthorized</c>, …</param>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string? IdempotencyKey,
    bool Authorized,
    string Body,
    int Status,
    string Outcome);
