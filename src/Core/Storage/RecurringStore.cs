using JobPlatform.Core.Sql;
using Npgsql;
using NpgsqlTypes;

namespace JobPlatform.Core.Storage;

/// <summary>
/// The statements of recurring schedules: the definitions (list, add or change, remove, pause, configuration sync), the
/// trigger shapes the scheduler applies, a fire's lock and record, and the advisory lock that keeps syncs apart. One
/// method per statement; <see cref="RecurringSchedules"/> and <see cref="RecurringFirer"/> validate and decide.
/// </summary>
internal sealed class RecurringStore(NpgsqlDataSource dataSource, SqlCatalog sql)
{
    /// <summary>The stored schedules, all or the one of <paramref name="id"/>, by id, each with the next fire time Quartz
    /// stored for its trigger in group <paramref name="triggerGroup"/> of <paramref name="scheduler"/> (<c>recurring_list</c>).</summary>
    public async Task<List<RecurringScheduleInfo>> ListAsync(string? id, string scheduler, string triggerGroup, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_list")
            .With("id", id, NpgsqlDbType.Text)
            .With("scheduler", scheduler)
            .With("trigger_group", triggerGroup)
            .Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int idAt = r.GetOrdinal("id"), cron = r.GetOrdinal("cron"), timeZone = r.GetOrdinal("time_zone"), kind = r.GetOrdinal("kind"),
            args = r.GetOrdinal("args"), queue = r.GetOrdinal("queue"), priority = r.GetOrdinal("priority"), misfire = r.GetOrdinal("misfire"),
            skip = r.GetOrdinal("skip_if_running"), paused = r.GetOrdinal("paused"), source = r.GetOrdinal("source"),
            applied = r.GetOrdinal("applied"), lastFire = r.GetOrdinal("last_fire_at"), lastJob = r.GetOrdinal("last_job_id"),
            lastOutcome = r.GetOrdinal("last_outcome"), updated = r.GetOrdinal("updated_at"), created = r.GetOrdinal("created_at"),
            nextFire = r.GetOrdinal("next_fire_at");
        var list = new List<RecurringScheduleInfo>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var schedule = new RecurringSchedule(r.GetString(idAt), r.GetString(cron), r.GetString(kind))
            {
                TimeZone = r.GetString(timeZone),
                ArgsJson = r.GetString(args),
                Queue = r.GetString(queue),
                Priority = r.GetInt16(priority),
                Misfire = ParseMisfire(r.GetString(misfire)),
                SkipIfRunning = r.GetBoolean(skip),
            };
            var outcome = r.GetNullableString(lastOutcome);
            list.Add(new RecurringScheduleInfo(
                schedule,
                r.GetString(source) == "configuration" ? RecurringSource.Configuration : RecurringSource.Api,
                r.GetBoolean(paused),
                r.GetNullable<DateTimeOffset>(nextFire),
                r.GetNullable<DateTimeOffset>(lastFire),
                r.GetNullable<Guid>(lastJob),
                outcome is null ? null : Enum.Parse<RecurringFireOutcome>(outcome, ignoreCase: true),
                r.GetBoolean(applied),
                r.GetFieldValue<DateTimeOffset>(updated)) { CreatedAt = r.GetFieldValue<DateTimeOffset>(created) });
        }

        return list;
    }

    /// <summary>Adds or changes a schedule on <paramref name="connection"/>; true when new, false when changed, null
    /// when nothing changed (<c>recurring_upsert</c>).</summary>
    public async Task<bool?> UpsertAsync(NpgsqlConnection connection, RecurringSchedule s, string queue, RecurringSource source, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_upsert")
            .With("id", s.Id)
            .With("cron", s.Cron.Trim())
            .With("time_zone", s.TimeZone)
            .With("kind", s.Kind)
            .With("args", s.ArgsJson)
            .With("queue", queue)
            .With("priority", (short)s.Priority)
            .With("misfire", MisfireName(s.Misfire))
            .With("skip_if_running", s.SkipIfRunning)
            .With("source", source == RecurringSource.Configuration ? "configuration" : "api")
            .Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? r.GetBoolean(r.GetOrdinal("inserted")) : null;
    }

    /// <summary>Marks schedule <paramref name="id"/> removed; false when there is none (<c>recurring_remove</c>).</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_remove").With("ids", new[] { id }).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Marks configured schedules not in <paramref name="configured"/> removed; returns how many
    /// (<c>recurring_remove_unconfigured</c>).</summary>
    public async Task<int> RemoveUnconfiguredAsync(NpgsqlConnection connection, string[] configured, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_remove_unconfigured").With("configured", configured).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var removed = 0;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            removed++;
        }

        return removed;
    }

    /// <summary>Pauses or resumes schedule <paramref name="id"/>; false when there is none (<c>recurring_set_paused</c>).</summary>
    public async Task<bool> SetPausedAsync(string id, bool paused, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_set_paused").With("id", id).With("paused", paused).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The trigger shapes to apply, all or only those Quartz does not hold yet (<c>recurring_triggers</c>).</summary>
    public async Task<List<RecurringTrigger>> TriggersAsync(bool changedOnly, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_triggers").With("changed_only", changedOnly).Command(dataSource);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        int id = r.GetOrdinal("id"), cron = r.GetOrdinal("cron"), timeZone = r.GetOrdinal("time_zone"), misfire = r.GetOrdinal("misfire"),
            paused = r.GetOrdinal("paused"), removed = r.GetOrdinal("removed"), version = r.GetOrdinal("version");
        var triggers = new List<RecurringTrigger>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            triggers.Add(new RecurringTrigger(r.GetString(id), r.GetString(cron), r.GetString(timeZone), ParseMisfire(r.GetString(misfire)),
                r.GetBoolean(paused), r.GetBoolean(removed), r.GetInt64(version)));
        }

        return triggers;
    }

    /// <summary>Records that Quartz holds version <paramref name="version"/> of schedule <paramref name="id"/>'s trigger
    /// (<c>recurring_mark_applied</c>).</summary>
    public async Task MarkAppliedAsync(string id, long version, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_mark_applied").With("id", id).With("version", version).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes removed schedule <paramref name="id"/> unless it changed after <paramref name="version"/>
    /// (<c>recurring_delete_removed</c>).</summary>
    public async Task DeleteRemovedAsync(string id, long version, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_delete_removed").With("id", id).With("version", version).Command(dataSource);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Locks schedule <paramref name="id"/> for a fire in <paramref name="connection"/>'s transaction; null when it
    /// does not exist (<c>recurring_lock</c>).</summary>
    public async Task<RecurringFireState?> LockForFireAsync(NpgsqlConnection connection, string id, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_lock").With("id", id).Command(connection);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var schedule = new RecurringSchedule(id, "", r.GetString(r.GetOrdinal("kind")))
        {
            ArgsJson = r.GetString(r.GetOrdinal("args")),
            Queue = r.GetString(r.GetOrdinal("queue")),
            Priority = r.GetInt16(r.GetOrdinal("priority")),
            SkipIfRunning = r.GetBoolean(r.GetOrdinal("skip_if_running")),
        };
        return new RecurringFireState(schedule, r.GetBoolean(r.GetOrdinal("paused")), r.GetNullable<Guid>(r.GetOrdinal("last_job_id")),
            r.GetNullableString(r.GetOrdinal("last_job_state")));
    }

    /// <summary>Records what the fire of <paramref name="fireTime"/> did (<c>recurring_record_fire</c>).</summary>
    public async Task RecordFireAsync(NpgsqlConnection connection, string id, DateTimeOffset fireTime, RecurringFireResult result, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_record_fire")
            .With("id", id)
            .With("fire_at", fireTime)
            .With("job_id", result.JobId, NpgsqlDbType.Uuid)
            .With("outcome", result.Outcome.ToString().ToLowerInvariant())
            .Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Waits for the advisory lock <paramref name="name"/> until <paramref name="connection"/>'s transaction ends
    /// (<c>recurring_sync_lock</c>).</summary>
    public async Task LockSyncAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var cmd = sql.Statement("recurring_sync_lock").With("name", name).Command(connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string MisfireName(RecurringMisfire misfire) => misfire switch
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
}

/// <summary>A schedule as a fire finds it under its lock: what to enqueue, whether it is paused, and the previous fire's
/// job with its state (null when none, or pruned).</summary>
internal sealed record RecurringFireState(RecurringSchedule Schedule, bool Paused, Guid? LastJobId, string? LastJobState);
