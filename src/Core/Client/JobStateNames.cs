namespace JobPlatform.Core;

/// <summary>The database spelling of <see cref="JobState"/> values (lower case, as in the job_state enum).</summary>
public static class JobStateNames
{
    /// <summary>Every state in enum order.</summary>
    public static IReadOnlyList<JobState> All { get; } = Enum.GetValues<JobState>();

    /// <summary>The lower-case database name of a state.</summary>
    public static string ToDb(this JobState state) => state switch
    {
        JobState.Available => "available",
        JobState.Scheduled => "scheduled",
        JobState.Running => "running",
        JobState.Retryable => "retryable",
        JobState.Completed => "completed",
        JobState.Discarded => "discarded",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a database or user spelling (case-insensitive).</summary>
    /// <exception cref="JobValidationException">Not a state name.</exception>
    public static JobState Parse(string name) =>
        TryParse(name, out var state)
            ? state
            : throw new JobValidationException(
                $"'{name}' is not a job state; use one of: {string.Join(", ", All.Select(s => s.ToDb()))}.");

    /// <summary>Parses a state name (case-insensitive).</summary>
    public static bool TryParse(string? name, out JobState state)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToDb(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for completed, discarded and cancelled: states no worker moves a job out of.</summary>
    public static bool IsFinal(this JobState state) => state is JobState.Completed or JobState.Discarded or JobState.Cancelled;
}
