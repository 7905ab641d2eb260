-- Stored schedules, all or one (@id null for all); removed ones are gone as far as readers are concerned.
-- next_fire_at is the next fire time Quartz computed for the schedule's trigger, which is what fires: the trigger named
-- by the schedule's id in group @trigger_group of scheduler @scheduler (see RecurringSchedules), whose next_fire_time
-- Quartz.NET stores as DateTimeOffset.UtcTicks (100 ns units since 0001-01-01 UTC). It is null while the schedule is
-- paused, while its latest change is not applied (the trigger follows an earlier definition), and when no trigger
-- will fire (none stored, or Quartz holds it paused or in error).
SELECT s.id, s.cron, s.time_zone, s.kind, s.args::text AS args, s.queue, s.priority, s.misfire, s.skip_if_running,
       s.paused, s.source, s.applied_version IS NOT DISTINCT FROM s.version AS applied, s.last_fire_at, s.last_job_id,
       s.last_outcome, s.updated_at, s.created_at,
       CASE WHEN NOT s.paused AND s.applied_version IS NOT DISTINCT FROM s.version
                 AND t.trigger_state IN ('WAITING', 'ACQUIRED', 'EXECUTING', 'BLOCKED') AND t.next_fire_time > 0
            THEN to_timestamp(0) + ((t.next_fire_time - 621355968000000000) / 10) * interval '1 microsecond'
       END AS next_fire_at
FROM {{schema}}.recurring_schedules s
LEFT JOIN {{schema}}.qrtz_triggers t ON t.sched_name = @scheduler AND t.trigger_name = s.id AND t.trigger_group = @trigger_group
WHERE NOT s.removed AND (@id::text IS NULL OR s.id = @id)
ORDER BY s.id
