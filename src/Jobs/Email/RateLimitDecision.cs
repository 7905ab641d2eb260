namespace JobPlatform.Jobs.Email;

/// <summary>The outcome of one take from a <see cref="SharedRateLimiter"/> bucket.</summary>
/// <param name="Granted">A token was taken.</param>
/// <param name="Wait">When not granted, how long until the bucket holds a token again (zero when granted).</param>
internal readonly record struct RateLimitDecision(bool Granted, TimeSpan Wait);
