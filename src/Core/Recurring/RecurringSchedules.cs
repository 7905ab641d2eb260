using System.Text.RegularExpressions;
using JobPlatform.Core.Storage;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// Recurring schedules stored in PostgreSQL: what jobctl, the dashboard and the scheduler hosts share. Lists,
/// adds, changes, removes, pauses and resumes schedules, applies the configured ones, and gives the scheduler the
/// trigger shapes to follow (its Quartz triggers follow within a few seconds). Firing a schedule is
/// <see cref="RecurringFirer"/>'s.
/// </summary>
/// <remarks>
/// Cron expressions are read by an <see cref="IRecurringTimetable"/>. The scheduler's store has one (Quartz's, the
/// parser that fires): it refuses a bad cron when a schedule is written. A store without one (jobctl, the dashboard:
/// they do not reference Quartz) checks everything else and stores the cron as given; the scheduler then checks the
/// cron when it applies the schedule, and refuses it there (<see cref="ValidateTiming"/>, <see cref="RecurringRefusals"/>).
/// Every store reads <see cref="RecurringScheduleInfo.NextFireAt"/> from Quartz's own table, the time its trigger will
/// fire.
/// </remarks>
public sealed partial class RecurringSchedules
{
    /// <summary>The Quartz scheduler (its instance name) whose triggers fire the schedules (src/Scheduler.Hosting).</summary>
    internal const string QuartzSchedulerName = "jobplatform";

    /// <summary>The Quartz group of each schedule's job and trigger, both named by the schedule's id.</summary>
    internal const string QuartzGroup = "recurring";

    private readonly JobClient _client;
    private readonly IRecurringTimetable? _timetable;
    private readonly RecurringStore _store;

    /// <summary>Creates the store on a client's database and schema, without a cron reader: crons are checked by the scheduler.</summary>
    /// <param name="client">The client whose data source, schema and validation rules apply.</param>
    public RecurringSchedules(JobClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = new RecurringStore(client.DataSource, client.Sql);
    }

    /// <summary>Creates the store on a client's database and schema.</summary>
    /// <param name="client">The client whose data source, schema and validation rules apply.</param>
    /// <param name="timetable">Reads cron expressions (the scheduler's Quartz implementation).</param>
    public RecurringSchedules(JobClient client, IRecurringTimetable timetable)
        : this(client)
    {
        _timetable = timetable ?? throw new ArgumentNullException(nameof(timetable));
    }

    /// <summary>Every schedule, by id.</summary>
    public async Task<IReadOnlyList<RecurringScheduleInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>One schedule, or null.</summary>
    public async Task<RecurringScheduleInfo?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(id, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Adds a schedule, or changes one added the same way (a pause is kept).</summary>
    /// <returns>True when the schedule is new.</returns>
    /// <exception cref="JobValidationException">The definition is not valid, or the id belongs to a configured
    /// schedule (change that in configuration); nothing was written.</exception>
    public async Task<bool> AddOrUpdateAsync(RecurringSchedule schedule, CancellationToken cancellationToken = default)
    {
        Validate(schedule);
        await RefuseConfiguredAsync(schedule.Id, "changed", cancellationToken).ConfigureAwait(false);
        await using var connection = await _client.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await UpsertAsync(connection, schedule, RecurringSource.Api, cancellationToken).ConfigureAwait(false);
        return outcome == true;
    }

    /// <summary>Removes a schedule added through the API; the schedulers delete its trigger.</summary>
    /// <returns>False when there is no such schedule.</returns>
    /// <exception cref="JobValidationException">The schedule comes from configuration (remove it there); nothing changed.</exception>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await RefuseConfiguredAsync(id, "removed", cancellationToken).ConfigureAwait(false);
        return await _store.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses a schedule (configured or not): it does not fire until resumed. A pause outlives restarts.</summary>
    /// <returns>False when there is no such schedule.</returns>
    public Task<bool> PauseAsync(string id, CancellationToken cancellationToken = default) => SetPausedAsync(id, true, cancellationToken);

    /// <summary>Resumes a paused schedule; fires missed while paused are not made up.</summary>
    /// <returns>False when there is no such schedule.</returns>
    public Task<bool> ResumeAsync(string id, CancellationToken cancellationToken = default) => SetPausedAsync(id, false, cancellationToken);

    /// <summary>
    /// Makes the configured schedules those of <paramref name="configured"/>: adds new ones, changes changed
    /// ones (keeping a pause) and removes configured ones no longer listed; schedules added through the API stay.
    /// Every definition is validated first; any error fails the whole call, naming each bad schedule.
    /// </summary>
    /// <exception cref="JobValidationException">A definition is not valid; nothing was written.</exception>
    public async Task<RecurringSyncResult> SyncConfigurationAsync(IReadOnlyCollection<RecurringSchedule> configured, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var errors = new List<string>();
        foreach (var schedule in configured)
        {
            try
            {
                Validate(schedule);
            }
            catch (JobValidationException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new JobValidationException(string.Join(Environment.NewLine, errors));
        }

        await using var connection = await _client.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Replicas starting together apply their configuration one after the other, not interleaved.
        await _store.LockSyncAsync(connection, "jobplatform.recurring-sync:" + _client.Sql.Schema, cancellationToken).ConfigureAwait(false);

        int added = 0, changed = 0;
        foreach (var schedule in configured)
        {
            switch (await UpsertAsync(connection, schedule, RecurringSource.Configuration, cancellationToken).ConfigureAwait(false))
            {
                case true: added++; break;
                case false: changed++; break;
            }
        }

        var removed = await _store.RemoveUnconfiguredAsync(connection, configured.Select(s => s.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RecurringSyncResult(added, changed, removed);
    }

    /// <summary>For scheduler hosts: the trigger shapes to apply, all of them or only those changed since last applied.</summary>
    public async Task<IReadOnlyList<RecurringTrigger>> GetTriggersAsync(bool changedOnly, CancellationToken cancellationToken = default) =>
        await _store.TriggersAsync(changedOnly, cancellationToken).ConfigureAwait(false);

    /// <summary>For scheduler hosts: records that Quartz now holds <paramref name="trigger"/> (a removed one: deleted).</summary>
    public async Task MarkAppliedAsync(RecurringTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.Removed)
        {
            await _store.DeleteRemovedAsync(trigger.Id, trigger.Version, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _store.MarkAppliedAsync(trigger.Id, trigger.Version, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>For scheduler hosts: waits, in <paramref name="connection"/>'s transaction, for the lock that lets one
    /// replica at a time apply triggers.</summary>
    internal Task LockTriggerSyncAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        _store.LockSyncAsync(connection, "jobplatform.recurring-triggers:" + _client.Sql.Schema, cancellationToken);

    /// <summary>Checks a definition as a fire would use it; the message names the schedule, the input and the fix.
    /// Without a timetable the cron is only checked for being there (the scheduler reads it).</summary>
    /// <exception cref="JobValidationException">The definition is not valid.</exception>
    public void Validate(RecurringSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Id is null || !IdPattern().IsMatch(schedule.Id))
        {
            throw new JobValidationException(
                $"Schedule id '{schedule.Id}' is not valid: use 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-' (e.g. \"nightly-report\").");
        }

        var prefix = $"Schedule '{schedule.Id}': ";
        try
        {
            if (!Enum.IsDefined(schedule.Misfire))
            {
                throw new JobValidationException($"misfire policy {(int)schedule.Misfire} is not known: use {MisfireNames}.");
            }

            JobValidator.Prepare(RecurringFirer.ToInsert(schedule, RecurringFirer.FireKey(schedule.Id, _client.Time.GetUtcNow())), _client.Options, _client.Time);
            CheckTiming(schedule.Cron, schedule.TimeZone);
        }
        catch (JobValidationException e) when (!e.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new JobValidationException(prefix + e.Message);
        }
    }

    /// <summary>
    /// Checks when a schedule fires, as the scheduler reads it before building its trigger: the time zone, and the
    /// cron with the timetable (without one, only that it is not empty). The message is <see cref="Validate"/>'s.
    /// </summary>
    /// <exception cref="JobValidationException">The time zone or the cron is not valid, or the cron never fires again.</exception>
    public void ValidateTiming(string id, string cron, string timeZone)
    {
        try
        {
            CheckTiming(cron, timeZone);
        }
        catch (JobValidationException e)
        {
            throw new JobValidationException($"Schedule '{id}': " + e.Message);
        }
    }

    private void CheckTiming(string cron, string timeZone)
    {
        var zone = FindTimeZone(timeZone);
        if (string.IsNullOrWhiteSpace(cron))
        {
            throw new JobValidationException("cron is empty: give one such as \"0 30 2 * * ?\" (Quartz, with seconds) or \"30 2 * * *\" (crontab).");
        }

        if (_timetable is null)
        {
            return;
        }

        DateTimeOffset? next;
        try
        {
            next = _timetable.NextFireTime(cron, zone, _client.Time.GetUtcNow());
        }
        catch (FormatException e)
        {
            throw new JobValidationException(
                $"cron '{cron}' is not valid ({e.Message.TrimEnd('.')}): use Quartz syntax with seconds such as \"0 30 2 * * ?\", " +
                "the 5-field crontab form such as \"30 2 * * *\", or a macro such as \"@daily\".");
        }

        if (next is null)
        {
            throw new JobValidationException($"cron '{cron}' never fires again: check its year field.");
        }
    }

    /// <summary>The misfire policy names, for messages.</summary>
    public const string MisfireNames = "FireOnceNow, DoNothing or IgnoreMisfires";

    /// <summary>Reads a misfire policy by name, ignoring case (<see cref="MisfireNames"/>).</summary>
    public static bool TryParseMisfire(string? text, out RecurringMisfire misfire) =>
        Enum.TryParse(text, ignoreCase: true, out misfire) && Enum.IsDefined(misfire);

    /// <summary>Finds an IANA (or Windows) time zone by id.</summary>
    /// <exception cref="JobValidationException">No such time zone on this machine.</exception>
    public static TimeZoneInfo FindTimeZone(string? id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id ?? "");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new JobValidationException($"time zone '{id}' is not known: use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\".");
        }
    }

    private Task<bool?> UpsertAsync(NpgsqlConnection connection, RecurringSchedule s, RecurringSource source, CancellationToken cancellationToken) =>
        _store.UpsertAsync(connection, s, s.Queue ?? _client.Options.DefaultQueue, source, cancellationToken);

    private async Task RefuseConfiguredAsync(string id, string verb, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { Source: RecurringSource.Configuration })
        {
            throw new JobValidationException(
                $"Schedule '{id}' comes from configuration (JobPlatform:Recurring:{id}) and is {verb} there, then applied when a scheduler starts; it can be paused and resumed here.");
        }
    }

    private Task<bool> SetPausedAsync(string id, bool paused, CancellationToken cancellationToken) =>
        _store.SetPausedAsync(id, paused, cancellationToken);

    private Task<List<RecurringScheduleInfo>> ReadAsync(string? id, CancellationToken cancellationToken) =>
        _store.ListAsync(id, QuartzSchedulerName, QuartzGroup, cancellationToken);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}\\z")]
    private static partial Regex IdPattern();
}
