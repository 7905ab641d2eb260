namespace JobPlatform.FakeGateway;

/// <summary>What an idempotency key stands for: the request's parameters and, once done, the answer to replay.</summary>
internal sealed class IdempotentResult(string fingerprint)
{
    public string Fingerprint { get; } = fingerprint;

    /// <summary>Null while the first request with the key is still being processed.</summary>
    public (int Status, string Body)? Answer { get; set; }
}
