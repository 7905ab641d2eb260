namespace JobPlatform.Core.Monitoring;

/// <summary>Outcomes in one time bucket (a minute of one queue, an hour, a day).</summary>
/// <param name="Start">The bucket's start.</param>
/// <param name="Counts">What happened in it.</param>
public sealed record OutcomeBucket(DateTimeOffset Start, OutcomeCounts Counts);
