namespace JobPlatform.Core.Execution;

/// <summary>
/// The result of one attempt, to be written by the batch completer: the new state, when the job is due
/// again, the error to append, and whether the attempt is given back.
/// </summary>
/// <param name="Id">The job.</param>
/// <param name="Attempt">The attempt this outcome belongs to (guards against stale writes).</param>
/// <param name="State">The state to move to.</param>
/// <param name="DelayMs">Milliseconds from now until scheduled_at; null keeps it.</param>
/// <param name="ErrorJson">An error object to append, or null.</param>
/// <param name="Refund">1 when the attempt is not spent (snooze, shutdown release), else 0.</param>
/// <param name="Label">The metrics label of the outcome.</param>
internal sealed record JobOutcome(Guid Id, int Attempt, JobState State, long? DelayMs, string? ErrorJson, int Refund, string Label);
