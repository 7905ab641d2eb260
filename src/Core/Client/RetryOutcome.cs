namespace JobPlatform.Core;

/// <summary>What <see cref="JobClient.RetryAsync"/> did.</summary>
public enum RetryOutcome
{
    /// <summary>No job has that id.</summary>
    NotFound,

    /// <summary>The job is available to run now.</summary>
    Retried,

    /// <summary>The job is already available or running; nothing changed.</summary>
    AlreadyPending,
}
