namespace JobPlatform.Core.Audit;

/// <summary>One operator action to record.</summary>
public sealed record AuditEntry
{
    /// <summary>Most job ids stored with one entry; <see cref="JobCount"/> still says how many there were.</summary>
    public const int MaxStoredIds = 1_000;

    /// <summary>Who acted: the signed-in user (or, for jobctl, the operating-system user and host).</summary>
    public required string Actor { get; init; }

    /// <summary>The actor's role, when the tool has roles.</summary>
    public string? Role { get; init; }

    /// <summary>What was done, e.g. <c>jobs.retry</c>, <c>jobs.cancel</c>, <c>queue.pause</c>, <c>recurring.trigger</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to besides jobs: a queue, a schedule, or the search filter of a bulk action.</summary>
    public string? Target { get; init; }

    /// <summary>The jobs acted on (the first <see cref="MaxStoredIds"/> are stored).</summary>
    public IReadOnlyCollection<Guid> JobIds { get; init; } = [];

    /// <summary>How many jobs were acted on; defaults to the number of <see cref="JobIds"/>.</summary>
    public int? JobCount { get; init; }

    /// <summary>What came of it, e.g. "retried 498; 2 running".</summary>
    public string? Outcome { get; init; }

    /// <summary>Where the request came from: a client address, or a host name.</summary>
    public string? Source { get; init; }
}
