namespace JobPlatform.Jobs.Reports;

/// <summary>Discarded jobs of one queue and kind that ended with the same error message.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Kind">The job kind.</param>
/// <param name="Message">The last error's message (first 300 characters).</param>
/// <param name="Jobs">How many jobs.</param>
/// <param name="LastAt">When the latest of them was discarded.</param>
public sealed record FailureGroup(string Queue, string Kind, string Message, long Jobs, DateTimeOffset LastAt);
