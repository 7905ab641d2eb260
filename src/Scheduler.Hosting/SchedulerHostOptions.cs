namespace JobPlatform.Scheduler.Hosting;

/// <summary>Scheduler host settings (section <c>JobPlatform:Scheduler</c>).</summary>
public sealed class SchedulerHostOptions
{
    /// <summary>Apply pending schema migrations before starting (under an advisory lock, so replicas starting together are safe).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How often schedule changes made through jobctl or the dashboard are applied to the triggers; default 5 s.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each replica records that it is alive in the Quartz cluster; a replica silent for
    /// about this long plus 7.5 s is considered dead and its fires are taken over. Default 7.5 s (Quartz's).</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>How late a fire may be before it counts as missed and the schedule's misfire policy decides; default 60 s.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Fires (and platform tasks) run at once per replica; default 10.</summary>
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>How long a fire retries its enqueue while PostgreSQL is unreachable before giving up; default 30 s.</summary>
    public TimeSpan FireRetryWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every setting's problems, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, nameof(SyncInterval), SyncInterval);
        Positive(errors, nameof(ClusterCheckinInterval), ClusterCheckinInterval);
        Positive(errors, nameof(MisfireThreshold), MisfireThreshold);
        Positive(errors, nameof(FireRetryWindow), FireRetryWindow);
        if (MaxConcurrency is < 1 or > 1000)
        {
            errors.Add($"JobPlatform:Scheduler:MaxConcurrency is {MaxConcurrency}; use 1 to 1000.");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"JobPlatform:Scheduler:{name} is {value}; it must be positive, e.g. 00:00:05.");
        }
    }
}
