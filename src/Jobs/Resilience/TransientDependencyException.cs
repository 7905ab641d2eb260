namespace JobPlatform.Jobs.Resilience;

/// <summary>
/// A fault of an external dependency that may pass: a 4xx SMTP reply, an HTTP 5xx, a refused connection.
/// Thrown inside <see cref="Dependency.ExecuteAsync{T}"/>, it is retried in process, counts towards the
/// breaker, and finally fails the job attempt (which the engine retries with backoff). With a
/// <see cref="RetryAfter"/> (an HTTP 429), it is a rate limit instead: waited out or snoozed, never counted
/// towards the breaker.
/// </summary>
public sealed class TransientDependencyException(string message, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(message, inner)
{
    /// <summary>How long the dependency asked us to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
