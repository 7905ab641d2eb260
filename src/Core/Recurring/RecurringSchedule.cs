namespace JobPlatform.Core;

/// <summary>
/// A recurring schedule: on every fire of <see cref="Cron"/> in <see cref="TimeZone"/>, one job of
/// <see cref="Kind"/> with <see cref="ArgsJson"/> is enqueued, with the unique key
/// <c>recurring:&lt;id&gt;:&lt;scheduled fire time, UTC&gt;</c> so a fire can never produce two jobs.
/// </summary>
/// <param name="Id">Schedule id, 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'.</param>
/// <param name="Cron">Quartz syntax with seconds (<c>0 30 2 * * ?</c>), the 5-field crontab form
/// (<c>30 2 * * *</c>), or a macro such as <c>@daily</c>.</param>
/// <param name="Kind">The kind of the job each fire enqueues.</param>
public sealed record RecurringSchedule(string Id, string Cron, string Kind)
{
    /// <summary>IANA time zone the cron is read in (e.g. <c>Europe/Berlin</c>); default <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The job's args, a JSON object; default <c>{}</c>.</summary>
    public string ArgsJson { get; init; } = "{}";

    /// <summary>The job's queue; null for the client's default queue.</summary>
    public string? Queue { get; init; }

    /// <summary>The job's priority, 0 (runs first) to 9.</summary>
    public int Priority { get; init; }

    /// <summary>What a fire missed while no scheduler ran does; default <see cref="RecurringMisfire.FireOnceNow"/>.</summary>
    public RecurringMisfire Misfire { get; init; } = RecurringMisfire.FireOnceNow;

    /// <summary>Skip a fire while the job of the previous fire is unfinished (waiting, running or retrying).</summary>
    public bool SkipIfRunning { get; init; }
}

/// <summary>What happens to fire times that passed while no scheduler could fire them (the Quartz misfire policies).</summary>
public enum RecurringMisfire
{
    /// <summary>Fire once as soon as possible, however many fire times were missed, then follow the schedule.</summary>
    FireOnceNow,

    /// <summary>Skip the missed fire times and wait for the next one.</summary>
    DoNothing,

    /// <summary>Fire every missed fire time, each with its own unique key, as fast as possible.</summary>
    IgnoreMisfires,
}

/// <summary>Where a schedule's definition comes from.</summary>
public enum RecurringSource
{
    /// <summary><c>JobPlatform:Recurring:&lt;id&gt;</c>, synchronised when a scheduler starts; changed only there.</summary>
    Configuration,

    /// <summary>Added through jobctl, the dashboard or <see cref="RecurringSchedules.AddOrUpdateAsync"/>.</summary>
    Api,
}

/// <summary>What one fire did.</summary>
public enum RecurringFireOutcome
{
    /// <summary>A job was enqueued.</summary>
    Enqueued,

    /// <summary>A job for this fire time already existed (a double fire or a retried enqueue); nothing new was written.</summary>
    Duplicate,

    /// <summary>The previous fire's job is unfinished and the schedule skips while it runs.</summary>
    Skipped,

    /// <summary>The schedule is paused; nothing was enqueued.</summary>
    Paused,

    /// <summary>The schedule no longer exists; nothing was enqueued.</summary>
    NotFound,
}

/// <summary>The outcome of a fire.</summary>
/// <param name="Outcome">What the fire did.</param>
/// <param name="JobId">The enqueued or already existing job; for a skip, the unfinished job that caused it.</param>
/// <param name="UniqueKey">The fire's unique key, <c>recurring:&lt;id&gt;:&lt;fire time&gt;</c>.</param>
public sealed record RecurringFireResult(RecurringFireOutcome Outcome, Guid? JobId, string UniqueKey);

/// <summary>A stored schedule with its state.</summary>
/// <param name="Schedule">The definition.</param>
/// <param name="Source">Where the definition comes from.</param>
/// <param name="Paused">Paused schedules do not fire.</param>
/// <param name="NextFireAt">When the schedule fires next, as the scheduler's Quartz trigger has it (what will fire); null
/// when paused, while its latest change is not applied yet, or when no trigger will fire (no scheduler has applied it, or
/// the cron never fires again).</param>
/// <param name="LastFireAt">The scheduled time of the last fire, if any.</param>
/// <param name="LastJobId">The job the last fire enqueued (or found, or was skipped for).</param>
/// <param name="LastOutcome">What the last fire did.</param>
/// <param name="Applied">Whether the schedulers' Quartz triggers already follow the latest change.</param>
/// <param name="UpdatedAt">When the definition last changed.</param>
public sealed record RecurringScheduleInfo(
    RecurringSchedule Schedule,
    RecurringSource Source,
    bool Paused,
    DateTimeOffset? NextFireAt,
    DateTimeOffset? LastFireAt,
    Guid? LastJobId,
    RecurringFireOutcome? LastOutcome,
    bool Applied,
    DateTimeOffset UpdatedAt)
{
    /// <summary>When the schedule was first stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The shape of one schedule's trigger, as a scheduler host applies it to Quartz.</summary>
/// <param name="Id">Schedule id (the Quartz job and trigger name).</param>
/// <param name="Cron">The cron as stored.</param>
/// <param name="TimeZone">IANA time zone.</param>
/// <param name="Misfire">Misfire policy.</param>
/// <param name="Paused">Whether the trigger must be paused.</param>
/// <param name="Removed">Whether the trigger must be deleted (the row goes once it is).</param>
/// <param name="Version">The definition version this shape belongs to.</param>
public sealed record RecurringTrigger(string Id, string Cron, string TimeZone, RecurringMisfire Misfire, bool Paused, bool Removed, long Version);

/// <summary>Counts of a configuration synchronisation.</summary>
/// <param name="Added">New schedules.</param>
/// <param name="Changed">Schedules whose definition changed.</param>
/// <param name="Removed">Configured schedules no longer in configuration.</param>
public sealed record RecurringSyncResult(int Added, int Changed, int Removed);

/// <summary>
/// Reads cron expressions. Implemented by the scheduler host with Quartz.NET (<c>QuartzTimetable</c> in
/// src/Scheduler.Hosting), so that what is validated is exactly what fires; only the scheduler has one.
/// </summary>
public interface IRecurringTimetable
{
    /// <summary>The first fire time strictly after <paramref name="after"/>, or null when the cron never fires again.</summary>
    /// <exception cref="FormatException">The cron expression is not valid; the message says why.</exception>
    DateTimeOffset? NextFireTime(string cron, TimeZoneInfo timeZone, DateTimeOffset after);
}
