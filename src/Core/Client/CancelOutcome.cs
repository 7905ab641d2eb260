namespace JobPlatform.Core;

/// <summary>What <see cref="JobClient.CancelAsync"/> did.</summary>
public enum CancelOutcome
{
    /// <summary>No job has that id.</summary>
    NotFound,

    /// <summary>The job was waiting and is now cancelled.</summary>
    Cancelled,

    /// <summary>The job is running: its worker was told to cancel its token; it becomes cancelled when the
    /// handler stops (or completes, if the handler ignores the token).</summary>
    CancellationRequested,

    /// <summary>The job had already finished; nothing changed.</summary>
    AlreadyFinal,
}
