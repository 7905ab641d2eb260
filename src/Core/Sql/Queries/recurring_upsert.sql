-- Adds or changes schedule @id: @cron, @time_zone, @kind, @args (JSON text), @queue, @priority, @misfire,
-- @skip_if_running, @source (configuration or api). The version (what the scheduler syncs to Quartz) moves only when
-- the trigger's shape changes or a removed schedule comes back; a pause survives a change, not a removal.
-- Unchanged definitions write nothing and return no row; returns inserted = true for new schedules.
INSERT INTO {{schema}}.recurring_schedules AS t
    (id, cron, time_zone, kind, args, queue, priority, misfire, skip_if_running, source)
VALUES (@id, @cron, @time_zone, @kind, @args::jsonb, @queue, @priority, @misfire, @skip_if_running, @source)
ON CONFLICT (id) DO UPDATE SET
    cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, args = EXCLUDED.args,
    queue = EXCLUDED.queue, priority = EXCLUDED.priority, misfire = EXCLUDED.misfire,
    skip_if_running = EXCLUDED.skip_if_running, source = EXCLUDED.source,
    paused = t.paused AND NOT t.removed,
    version = t.version + CASE WHEN t.removed OR (t.cron, t.time_zone, t.misfire)
        IS DISTINCT FROM (EXCLUDED.cron, EXCLUDED.time_zone, EXCLUDED.misfire) THEN 1 ELSE 0 END,
    removed = false,
    updated_at = now()
WHERE t.removed
   OR (t.cron, t.time_zone, t.kind, t.args, t.queue, t.priority, t.misfire, t.skip_if_running, t.source)
      IS DISTINCT FROM (EXCLUDED.cron, EXCLUDED.time_zone, EXCLUDED.kind, EXCLUDED.args, EXCLUDED.queue,
                        EXCLUDED.priority, EXCLUDED.misfire, EXCLUDED.skip_if_running, EXCLUDED.source)
RETURNING (xmax = 0) AS inserted
