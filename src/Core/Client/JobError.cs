using System.Text.Json.Serialization;

namespace JobPlatform.Core;

/// <summary>One failed attempt, as kept on the job.</summary>
public sealed record JobError
{
    /// <summary>The attempt number that failed (1-based).</summary>
    [JsonPropertyName("attempt")] public int Attempt { get; init; }

    /// <summary>When the failure was recorded.</summary>
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }

    /// <summary>The worker that ran the attempt.</summary>
    [JsonPropertyName("worker")] public string? Worker { get; init; }

    /// <summary>The exception type, or a JobPlatform reason such as <c>JobPlatform.Timeout</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }

    /// <summary>The error message.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>The stack trace, truncated.</summary>
    [JsonPropertyName("stack")] public string? Stack { get; init; }
}
