namespace JobPlatform.Core.Monitoring;

/// <summary>A count that is exact up to a cap, and the planner's estimate past it.</summary>
/// <param name="Value">The count, or past the cap the estimate (never below the cap).</param>
/// <param name="Exact">Whether <paramref name="Value"/> was counted.</param>
public sealed record ApproximateCount(long Value, bool Exact);
