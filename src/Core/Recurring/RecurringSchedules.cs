using System.Globalization;
using System.Text.RegularExpressions;
using JobPlatform.Core.Sql;
using Npgsql;

namespace JobPlatform.Core;

/// <summary>
/// Recurring schedules stored in PostgreSQL: what jobctl, the dashboard and the scheduler hosts share.
/// Changes are picked up by the schedulers (their Quartz triggers follow within a few seconds); each fire
/// enqueues its job through <see cref="FireAsync"/>, in one transaction with the schedule's bookkeeping.
/// </summary>
public sealed partial class RecurringSchedules
{
    /// <summary>Prefix of every recurring job's unique key and tag.</summary>
    public const string KeyPrefix = "recurring:";

    private static readonly string[] UnfinishedStates = ["available", "scheduled", "running", "retryable"];

    private readonly JobClient _client;
    private readonly IRecurringTimetable _timetable;

    /// <summary>Creates the store on a client's database and schema.</summary>
    /// <param name="client">The client whose data source, schema and validation rules apply.</param>
    /// <param name="timetable">Reads cron expressions (the scheduler's Quartz implementation).</param>
    public RecurringSchedules(JobClient client, IRecurringTimetable timetable)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
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
        await using var command = DbCommands.Create(_client.DataSource, _client.Sql["recurring_remove"], (object)new[] { id });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Pauses a schedule (configured or not): it does not fire until resumed. A pause outlives restarts.</summary>
    /// <returns>False when there is no such schedule.</returns>
    public Task<bool> PauseAsync(string id, CancellationToken cancellationToken = default) => SetPausedAsync(id, true, cancellationToken);

    /// <summary>Resumes a paused schedule; fires missed while paused are not made up.</summary>
    /// <returns>False when there is no such schedule.</returns>
    public Task<bool> ResumeAsync(string id, CancellationToken cancellationToken = default) => SetPausedAsync(id, false, cancellationToken);

    /// <summary>
    /// Enqueues the schedule's job now, outside its timetable, even when paused or while its previous job
    /// runs (an operator asked for it). The unique key carries the trigger time.
    /// </summary>
    public Task<RecurringFireResult> TriggerAsync(string id, CancellationToken cancellationToken = default) =>
        FireCoreAsync(id, _client.Time.GetUtcNow(), manual: true, cancellationToken);

    /// <summary>
    /// One scheduled fire, as the scheduler makes it: enqueues the job for <paramref name="scheduledFireTime"/>
    /// unless the schedule is paused, gone, or skips while its previous job is unfinished. Safe to repeat:
    /// a second call for the same fire time finds the first job (<see cref="RecurringFireOutcome.Duplicate"/>).
    /// </summary>
    public Task<RecurringFireResult> FireAsync(string id, DateTimeOffset scheduledFireTime, CancellationToken cancellationToken = default) =>
        FireCoreAsync(id, scheduledFireTime, manual: false, cancellationToken);

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
        await DbCommands.AdvisoryXactLockAsync(connection, "jobplatform.recurring-sync:" + _client.Sql.Schema, cancellationToken).ConfigureAwait(false);

        int added = 0, changed = 0;
        foreach (var schedule in configured)
        {
            switch (await UpsertAsync(connection, schedule, RecurringSource.Configuration, cancellationToken).ConfigureAwait(false))
            {
                case true: added++; break;
                case false: changed++; break;
            }
        }

        var removed = 0;
        await using (var command = DbCommands.Create(connection, _client.Sql["recurring_remove_unconfigured"], (object)configured.Select(s => s.Id).ToArray()))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RecurringSyncResult(added, changed, removed);
    }

    /// <summary>For scheduler hosts: the trigger shapes to apply, all of them or only those changed since last applied.</summary>
    public async Task<IReadOnlyList<RecurringTrigger>> GetTriggersAsync(bool changedOnly, CancellationToken cancellationToken = default)
    {
        await using var command = DbCommands.Create(_client.DataSource, _client.Sql["recurring_triggers"], changedOnly);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var triggers = new List<RecurringTrigger>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            triggers.Add(new RecurringTrigger(reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseMisfire(reader.GetString(3)),
                reader.GetBoolean(4), reader.GetBoolean(5), reader.GetInt64(6)));
        }

        return triggers;
    }

    /// <summary>For scheduler hosts: records that Quartz now holds <paramref name="trigger"/> (a removed one: deleted).</summary>
    public async Task MarkAppliedAsync(RecurringTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        await using var command = DbCommands.Create(_client.DataSource,
            _client.Sql[trigger.Removed ? "recurring_delete_removed" : "recurring_mark_applied"], trigger.Id, trigger.Version);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The unique key of a fire: <c>recurring:&lt;id&gt;:&lt;fire time, UTC, ISO 8601&gt;</c>.</summary>
    public static string FireKey(string id, DateTimeOffset fireTime)
    {
        var utc = fireTime.ToUniversalTime();
        var format = utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        return KeyPrefix + id + ":" + utc.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Checks a definition as a fire would use it; the message names the schedule, the input and the fix.</summary>
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

            JobValidator.Prepare(ToInsert(schedule, FireKey(schedule.Id, _client.Time.GetUtcNow())), _client.Options, _client.Time);
            var zone = FindTimeZone(schedule.TimeZone);
            if (string.IsNullOrWhiteSpace(schedule.Cron))
            {
                throw new JobValidationException("cron is empty: give one such as \"0 30 2 * * ?\" (Quartz, with seconds) or \"30 2 * * *\" (crontab).");
            }

            DateTimeOffset? next;
            try
            {
                next = _timetable.NextFireTime(schedule.Cron, zone, _client.Time.GetUtcNow());
            }
            catch (FormatException e)
            {
                throw new JobValidationException(
                    $"cron '{schedule.Cron}' is not valid ({e.Message.TrimEnd('.')}): use Quartz syntax with seconds such as \"0 30 2 * * ?\", " +
                    "the 5-field crontab form such as \"30 2 * * *\", or a macro such as \"@daily\".");
            }

            if (next is null)
            {
                throw new JobValidationException($"cron '{schedule.Cron}' never fires again: check its year field.");
            }
        }
        catch (JobValidationException e) when (!e.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new JobValidationException(prefix + e.Message);
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

    private async Task<RecurringFireResult> FireCoreAsync(string id, DateTimeOffset fireTime, bool manual, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = FireKey(id, fireTime);
        await using var connection = await _client.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        RecurringSchedule schedule;
        bool paused;
        Guid? lastJobId;
        string? lastJobState;
        await using (var command = DbCommands.Create(connection, _client.Sql["recurring_lock"], id))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new RecurringFireResult(RecurringFireOutcome.NotFound, null, key);
            }

            schedule = new RecurringSchedule(id, "", reader.GetString(0))
            {
                ArgsJson = reader.GetString(1),
                Queue = reader.GetString(2),
                Priority = reader.GetInt16(3),
                SkipIfRunning = reader.GetBoolean(4),
            };
            paused = reader.GetBoolean(5);
            lastJobId = reader.GetNullable<Guid>(6);
            lastJobState = reader.GetNullableString(7);
        }

        if (paused && !manual)
        {
            return new RecurringFireResult(RecurringFireOutcome.Paused, null, key);
        }

        RecurringFireResult result;
        if (!manual && schedule.SkipIfRunning && lastJobState is not null && UnfinishedStates.Contains(lastJobState))
        {
            result = new RecurringFireResult(RecurringFireOutcome.Skipped, lastJobId, key);
        }
        else
        {
            var inserted = await _client.EnqueueAsync(connection, ToInsert(schedule, key), cancellationToken).ConfigureAwait(false);
            result = new RecurringFireResult(inserted.Duplicate ? RecurringFireOutcome.Duplicate : RecurringFireOutcome.Enqueued, inserted.Id, key);
        }

        await using (var record = DbCommands.Create(connection, _client.Sql["recurring_record_fire"],
            id, fireTime, result.JobId, result.Outcome.ToString().ToLowerInvariant()))
        {
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static JobInsert ToInsert(RecurringSchedule schedule, string uniqueKey) =>
        new(schedule.Kind, schedule.ArgsJson, new EnqueueOptions
        {
            Queue = schedule.Queue,
            Priority = schedule.Priority,
            Tags = [KeyPrefix + schedule.Id],
            Unique = new UniqueOptions { Key = uniqueKey, States = UniqueStates.All },
        });

    private async Task<bool?> UpsertAsync(NpgsqlConnection connection, RecurringSchedule s, RecurringSource source, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, _client.Sql["recurring_upsert"],
            s.Id, s.Cron.Trim(), s.TimeZone, s.Kind, s.ArgsJson, s.Queue ?? _client.Options.DefaultQueue, (short)s.Priority,
            MisfireName(s.Misfire), s.SkipIfRunning, SourceName(source));
        var inserted = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return inserted as bool?;
    }

    private async Task RefuseConfiguredAsync(string id, string verb, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { Source: RecurringSource.Configuration })
        {
            throw new JobValidationException(
                $"Schedule '{id}' comes from configuration (JobPlatform:Recurring:{id}) and is {verb} there, then applied when a scheduler starts; it can be paused and resumed here.");
        }
    }

    private async Task<bool> SetPausedAsync(string id, bool paused, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(_client.DataSource, _client.Sql["recurring_set_paused"], id, paused);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<List<RecurringScheduleInfo>> ReadAsync(string? id, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(_client.DataSource, _client.Sql["recurring_list"], DbCommands.Typed(id, NpgsqlTypes.NpgsqlDbType.Text));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var now = _client.Time.GetUtcNow();
        var list = new List<RecurringScheduleInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var schedule = new RecurringSchedule(reader.GetString(0), reader.GetString(1), reader.GetString(3))
            {
                TimeZone = reader.GetString(2),
                ArgsJson = reader.GetString(4),
                Queue = reader.GetString(5),
                Priority = reader.GetInt16(6),
                Misfire = ParseMisfire(reader.GetString(7)),
                SkipIfRunning = reader.GetBoolean(8),
            };
            var paused = reader.GetBoolean(9);
            var outcome = reader.GetNullableString(14);
            list.Add(new RecurringScheduleInfo(
                schedule,
                reader.GetString(10) == "configuration" ? RecurringSource.Configuration : RecurringSource.Api,
                paused,
                paused ? null : NextFireOrNull(schedule, now),
                reader.GetNullable<DateTimeOffset>(12),
                reader.GetNullable<Guid>(13),
                outcome is null ? null : Enum.Parse<RecurringFireOutcome>(outcome, ignoreCase: true),
                reader.GetBoolean(11),
                reader.GetFieldValue<DateTimeOffset>(15)) { CreatedAt = reader.GetFieldValue<DateTimeOffset>(16) });
        }

        return list;
    }

    private DateTimeOffset? NextFireOrNull(RecurringSchedule schedule, DateTimeOffset now)
    {
        try
        {
            return _timetable.NextFireTime(schedule.Cron, FindTimeZone(schedule.TimeZone), now);
        }
        catch (Exception e) when (e is FormatException or JobValidationException)
        {
            // Stored by an older build with other rules; listing must still work.
            return null;
        }
    }

    private static string SourceName(RecurringSource source) => source == RecurringSource.Configuration ? "configuration" : "api";

    internal static string MisfireName(RecurringMisfire misfire) => misfire switch
    {
        RecurringMisfire.DoNothing => "do_nothing",
        RecurringMisfire.IgnoreMisfires => "ignore_misfires",
        _ => "fire_once_now",
    };

    private static RecurringMisfire ParseMisfire(string name) => name switch
    {
        "do_nothing" => RecurringMisfire.DoNothing,
        "ignore_misfires" => RecurringMisfire.IgnoreMisfires,
        _ => RecurringMisfire.FireOnceNow,
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}\\z")]
    private static partial Regex IdPattern();
}
