namespace JobPlatform.Core.Audit;

/// <summary>A recorded operator action.</summary>
/// <param name="Id">Its number (newer entries have higher ones).</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Role">The actor's role, if any.</param>
/// <param name="Action">What was done.</param>
/// <param name="Target">A queue, schedule or filter, if any.</param>
/// <param name="JobIds">The jobs acted on (at most <see cref="AuditEntry.MaxStoredIds"/>).</param>
/// <param name="JobCount">How many jobs were acted on.</param>
/// <param name="Outcome">What came of it.</param>
/// <param name="Source">Where the request came from.</param>
public sealed record AuditRecord(
    long Id, DateTimeOffset At, string Actor, string? Role, string Action, string? Target, IReadOnlyList<Guid> JobIds,
    int JobCount, string? Outcome, string? Source);
