#!/usr/bin/env bash
# The raw-SQL reference for a PostgreSQL job queue on this machine: how fast PostgreSQL itself
# can insert, lease and complete jobs when driven by pgbench with no application in between.
# Usage: pg-ceiling.sh 'postgres://USER@HOST:PORT/DB' [seconds-per-phase]
# Prints one JSON line. Uses a scratch database `pg_ceiling`, dropped at the end.
# scripts/bench.sh runs it on its throwaway PostgreSQL before `jobctl bench` and prints the ratios.
# Needs psql on PATH, pgbench (from $PG_BIN when set, as scripts/pg.sh sets it, else the highest
# /usr/lib/postgresql/*/bin, else PATH) and python3.
set -euo pipefail
url=${1:?usage: pg-ceiling.sh postgres://USER@HOST:PORT/DB [seconds]}
secs=${2:-10}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
pgbench="$bin/pgbench"; [ -x "$pgbench" ] || pgbench=$(command -v pgbench)
base=${url%/*}; db="$base/pg_ceiling"
psql "$url" -qc 'DROP DATABASE IF EXISTS pg_ceiling' -c 'CREATE DATABASE pg_ceiling' >/dev/null 2>&1
dir=$(mktemp -d); trap 'rm -rf "$dir"; psql "$url" -qc "DROP DATABASE IF EXISTS pg_ceiling" >/dev/null 2>&1 || true' EXIT
psql "$db" -q <<'SQL'
CREATE TABLE jobs (
  id bigserial PRIMARY KEY, queue text NOT NULL DEFAULT 'default', kind text NOT NULL,
  args jsonb NOT NULL, state text NOT NULL DEFAULT 'available', priority smallint NOT NULL DEFAULT 1,
  attempt int NOT NULL DEFAULT 0, max_attempts int NOT NULL DEFAULT 25,
  scheduled_at timestamptz NOT NULL DEFAULT now(), attempted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(), finalized_at timestamptz);
CREATE INDEX jobs_fetch ON jobs (queue, priority, scheduled_at, id) WHERE state = 'available';
SQL
echo "INSERT INTO jobs(kind,args) VALUES ('noop','{\"n\":1}');" > "$dir/enq1.sql"
echo "INSERT INTO jobs(kind,args) SELECT 'noop','{\"n\":1}' FROM generate_series(1,1000);" > "$dir/enq1000.sql"
cat > "$dir/work.sql" <<'SQL'
WITH j AS (SELECT id FROM jobs WHERE state='available' AND queue='default' AND scheduled_at <= now()
           ORDER BY priority, scheduled_at, id LIMIT 100 FOR UPDATE SKIP LOCKED),
     u AS (UPDATE jobs SET state='running', attempt=attempt+1, attempted_at=now() FROM j WHERE jobs.id=j.id RETURNING jobs.id)
SELECT quote_literal(coalesce(array_agg(id), '{}')::text) AS ids FROM u \gset
UPDATE jobs SET state='completed', finalized_at=now() WHERE id = ANY(:ids::bigint[]);
SQL
tps() { "$pgbench" "$@" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
single=$(tps -n -c 8 -j 2 -T "$secs" -f "$dir/enq1.sql" "$db")
bulk=$(tps -n -c 2 -j 2 -T "$secs" -f "$dir/enq1000.sql" "$db")
psql "$db" -qc 'VACUUM ANALYZE jobs' >/dev/null
work=$(tps -n -c 4 -j 2 -T "$secs" -f "$dir/work.sql" "$db")
python3 - "$single" "$bulk" "$work" <<'PY'
import json, sys
s, b, w = (float(x or 0) for x in sys.argv[1:4])
print(json.dumps({"enqueue_single_per_s": round(s), "enqueue_bulk_per_s": round(b * 1000),
                  "work_per_s": round(w * 100),
                  "note": "pgbench: single = 1 row/tx over 8 clients; bulk = 1000 rows/tx; work = lease 100 with SKIP LOCKED + complete, 4 clients"}))
PY
