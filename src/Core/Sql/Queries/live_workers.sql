SELECT count(*) FROM {{schema}}.workers WHERE heartbeat_at > now() - $1 * interval '1 millisecond';
