namespace JobPlatform.Core;

/// <summary>
/// Where a job is in its lifecycle. The transitions are listed in one place, <c>JobStateMachine</c>;
/// each member says who moves a job in and out.
/// </summary>
public enum JobState
{
    /// <summary>Ready to run. In: enqueue for now, the leader's promoter (due scheduled/retryable), the
    /// rescuer (lost worker), shutdown release, operator retry. Out: a worker's fetch (→ running), cancel.</summary>
    Available,

    /// <summary>Waiting for its time. In: enqueue at a future time, snooze. Out: the promoter when due
    /// (→ available), cancel, operator retry (→ available now).</summary>
    Scheduled,

    /// <summary>Leased by a worker. In: fetch. Out: the worker's outcome (completed, retryable, discarded,
    /// cancelled, scheduled on snooze, available on shutdown release) or the rescuer when the worker is lost.</summary>
    Running,

    /// <summary>Failed an attempt and waits for its backoff. In: a failed attempt with attempts left.
    /// Out: the promoter when due (→ available), cancel, operator retry.</summary>
    Retryable,

    /// <summary>Final: the handler succeeded. In: a worker. Out: pruned after retention, or operator retry.</summary>
    Completed,

    /// <summary>Final: failed its last attempt, or its handler discarded it. Out: pruned after retention,
    /// operator retry (→ available with one more attempt), or an operator's delete (→ cancelled).</summary>
    Discarded,

    /// <summary>Final: cancelled by an operator or the client, or a failed job an operator deleted. Out: pruned after
    /// retention, or operator retry.</summary>
    Cancelled,
}
