namespace JobPlatform.Core;

/// <summary>
/// Which states of an existing job with the same unique key block a new insert. The waiting and running
/// states always block (a key held by a job that has not finished is always unique); add the final states
/// to also dedupe against finished jobs still retained.
/// </summary>
[Flags]
public enum UniqueStates : short
{
    /// <summary>available, scheduled, running and retryable: the job has not finished. Always included.</summary>
    Unfinished = 1 | 2 | 4 | 8,

    /// <summary>Also block while a completed job with the key is retained.</summary>
    Completed = 16,

    /// <summary>Also block while a discarded job with the key is retained.</summary>
    Discarded = 32,

    /// <summary>Also block while a cancelled job with the key is retained.</summary>
    Cancelled = 64,

    /// <summary>Unfinished and completed: the default, "run this once".</summary>
    Default = Unfinished | Completed,

    /// <summary>Every state.</summary>
    All = Unfinished | Completed | Discarded | Cancelled,
}
