-- Takes one token from bucket $1 (rate $2 tokens per second, capacity $3), creating a full bucket on first use.
-- The refill uses clock_timestamp() read once after the row lock is held, so concurrent takers are serialized
-- on the row and each sees the tokens its predecessors left. Returns whether a token was granted and, when not,
-- how many seconds until one will be there.
INSERT INTO {{schema}}.jobs_rate_limits AS b (name, tokens, refilled_at, last_granted, granted_total, denied_total)
VALUES ($1, $3 - 1, clock_timestamp(), true, 1, 0)
ON CONFLICT (name) DO UPDATE SET (tokens, refilled_at, last_granted, granted_total, denied_total) = (
    SELECT CASE WHEN s.available >= 1 THEN s.available - 1 ELSE s.available END,
           s.now,
           s.available >= 1,
           b.granted_total + CASE WHEN s.available >= 1 THEN 1 ELSE 0 END,
           b.denied_total + CASE WHEN s.available >= 1 THEN 0 ELSE 1 END
    FROM (
        SELECT least($3, b.tokens + $2 * greatest(0, extract(epoch FROM c.now - b.refilled_at)::double precision)) AS available,
               c.now
        FROM (SELECT clock_timestamp() AS now) c
    ) s)
RETURNING last_granted,
          CASE WHEN last_granted THEN 0 ELSE (1 - tokens) / $2 END AS wait_seconds,
          tokens;
