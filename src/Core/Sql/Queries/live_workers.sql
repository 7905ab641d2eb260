-- Workers whose last heartbeat is less than @live_window_ms old.
SELECT count(*) AS workers FROM {{schema}}.workers WHERE heartbeat_at > now() - @live_window_ms * interval '1 millisecond';
