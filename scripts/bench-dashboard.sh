#!/usr/bin/env bash
# How fast the operators' dashboard answers over a large job table, and what its statistics polling costs
# PostgreSQL. The target:
#   with 1,000,000 completed and 100,000 available jobs in the table, every page (overview, first page of each
#   state, job details, backlog, a search by kind) answers in under 200 ms at p95, and an open tab's 2-second
#   statistics polling costs PostgreSQL no sequential scan.
#
#   scripts/bench-dashboard.sh                       the target's sizes, 40 timed requests per page
#   scripts/bench-dashboard.sh --completed 200000 --available 20000 --requests 20 --poll-seconds 20
#   scripts/bench-dashboard.sh --explain              also log the plans of statements over 100 ms (auto_explain,
#                                                     with row counts, which slows every statement a little)
#
# One run on one throwaway PostgreSQL (started on a free loopback port, always removed on exit):
#   1. fills jobplatform.jobs with one INSERT … SELECT per state (UUIDv7-shaped ids in creation order, 5 kinds of
#      which ledger.reconcile is rare, 1 in 1,000), 14 days of stats_minute, a live worker, two schedules; then
#      VACUUM ANALYZE (autovacuum is off, so nothing changes the tables' statistics during the run);
#   2. starts the dashboard host (no users, loopback: every request is a local admin) with default settings;
#   3. times every page with curl (--warmup untimed requests, then --requests timed ones, one after another,
#      each page stopped after --page-seconds) and prints p50/p95/max per page, flagging p95 over --budget-ms;
#   4. polls POST /dashboard/stats every 2 s from --tabs simulated tabs for --poll-seconds, with the metrics the
#      overview page itself polls, and prints the seq_scan/idx_scan deltas of every jobplatform table
#      (pg_stat_user_tables) over that window, and the statements it ran (pg_stat_statements);
#   5. lists the slowest statements of the page phase (pg_stat_statements), to find what a slow page waits for.
# Results go to stdout, progress to stderr. Exits 1 when a page is over budget or the polling scanned
# jobs_live, jobs_archive or stats_minute sequentially (after printing everything), 0 otherwise.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
. scripts/pg.sh

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

completed=1000000
available=100000
requests=40
warmup=5
page_seconds=30
poll_seconds=60
tabs=3
budget_ms=200
explain=0
while [ $# -gt 0 ]; do
  case "$1" in
    --completed) completed=$2; shift 2 ;;
    --available) available=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --page-seconds) page_seconds=$2; shift 2 ;;
    --poll-seconds) poll_seconds=$2; shift 2 ;;
    --tabs) tabs=$2; shift 2 ;;
    --budget-ms) budget_ms=$2; shift 2 ;;
    --explain) explain=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-dashboard.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for v in "$completed" "$available" "$requests" "$warmup" "$page_seconds" "$poll_seconds" "$tabs" "$budget_ms"; do
  case "$v" in ''|*[!0-9]*) echo "bench-dashboard.sh: '$v' is not a whole number" >&2; exit 2 ;; esac
done
[ "$completed" -ge 1000 ] && [ "$available" -ge 1000 ] && [ "$requests" -ge 1 ] && [ "$tabs" -ge 1 ] ||
  { echo "bench-dashboard.sh: use at least 1000 completed and available jobs, 1 request and 1 tab" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }

ensure_postgres_installed
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Building jobctl and the dashboard…" >&2
flock "${BUILD_LOCK:-$root/.build.lock}" dotnet build src/Cli -c Release -nologo -v q >&2
flock "${BUILD_LOCK:-$root/.build.lock}" dotnet build src/Dashboard -c Release -nologo -v q >&2

pgdir=$(mktemp -d -t jobplatform-bench-dashboard-pg.XXXXXX)   # owned by postgres
work=$(mktemp -d -t jobplatform-bench-dashboard.XXXXXX)       # ours: curl configs, cookies, timings, the host's log
dashboard=""
tab_pids=()
cleanup() {
  local s=$? p
  for p in "${tab_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$dashboard" ]; then kill -TERM "$dashboard" 2>/dev/null || true; wait "$dashboard" 2>/dev/null || true; fi
  if [ "$s" != 0 ] && [ "$s" != 1 ] && [ -f "$work/dashboard.log" ]; then
    echo "Last lines of the dashboard's log:" >&2; tail -n 20 "$work/dashboard.log" >&2 || true
  fi
  stop_cluster "$pgdir" immediate
  rm -rf "$pgdir" "$work"
  exit "$s"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The tables are filled in one go and measured read-only: durability is not what is measured, and autovacuum
# is off so that no ANALYZE changes a plan mid-run. Everything else is PostgreSQL's default (jit included).
preload=pg_stat_statements
pg_opts=(-c shared_buffers=256MB -c max_connections=100 -c fsync=off -c synchronous_commit=off
         -c full_page_writes=off -c autovacuum=off -c track_io_timing=on -c log_min_duration_statement=100)
if [ "$explain" = 1 ]; then
  preload=pg_stat_statements,auto_explain
  pg_opts+=(-c auto_explain.log_min_duration=100ms -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on
            -c auto_explain.log_timing=off -c auto_explain.log_nested_statements=on)
fi
make_cluster_dir "$pgdir"
init_cluster "$pgdir"
start_cluster_on_free_port "$pgdir" -c shared_preload_libraries=$preload "${pg_opts[@]}"
echo "Benchmark PostgreSQL on 127.0.0.1:$PG_PORT" >&2
conn="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=jobplatform"
psql_db() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d jobplatform "$@"; }
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE jobplatform" >&2
dotnet src/Cli/bin/Release/net10.0/jobctl.dll migrate --database "$conn" >&2
psql_db -c "CREATE EXTENSION pg_stat_statements" >&2

echo "Filling: $completed completed, $available available jobs, the other states, 14 days of stats_minute…" >&2
t_fill=$SECONDS
psql_db -v completed="$completed" -v available="$available" >&2 <<'SQL'
SET search_path = jobplatform;
-- A UUIDv7 of a creation time: 48 bits of Unix milliseconds, version 7, variant 10, random rest. Rows are
-- created at least a millisecond apart, so id order is creation order, as with the client library's ids.
CREATE FUNCTION pg_temp.v7(at timestamptz, salt bigint) RETURNS uuid LANGUAGE sql VOLATILE
RETURN (lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || '7' || substr(md5(salt::text || random()::text), 1, 3)
        || '8' || substr(md5(random()::text || salt::text), 1, 15))::uuid;
-- Kinds by row number: ledger.reconcile 1 in 1,000, the others about a quarter each; each kind has its queue.
CREATE FUNCTION pg_temp.kind(i bigint) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE WHEN i % 1000 = 7 THEN 'ledger.reconcile'
            ELSE (ARRAY['email.send', 'report.build', 'image.resize', 'webhook.deliver'])[i % 4 + 1] END;
CREATE FUNCTION pg_temp.queue(kind text) RETURNS text LANGUAGE sql IMMUTABLE
RETURN CASE kind WHEN 'report.build' THEN 'reports' WHEN 'webhook.deliver' THEN 'critical' ELSE 'default' END;

-- Completed, archived: created over the last 14 days up to 2 hours ago, each ran 20 ms after it was created.
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, attempted_at, attempted_by,
                  created_at, finalized_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i),
       jsonb_build_object('n', i % 1000, 'to', 'user' || (i % 5000) || '@example.com'),
       'completed', 1, 25, c, c + interval '20 ms', 'bench-worker-1', c, c + interval '150 ms', true
FROM generate_series(1, :completed) i,
     LATERAL (SELECT now() - interval '14 days' + i * ((interval '14 days' - interval '2 hours') / :completed)) t(c);

-- Available, the backlog: created over the last 3 hours, due when created.
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, created_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i),
       jsonb_build_object('n', i % 1000, 'to', 'user' || (i % 5000) || '@example.com'),
       'available', 0, 25, c, c, false
FROM generate_series(1, :available) i,
     LATERAL (SELECT now() - interval '3 hours' + i * (interval '3 hours' / :available)) t(c);

-- Discarded (3,000) and cancelled (2,000) over the 14 days; they stay in jobs_live.
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, attempted_at, attempted_by,
                  errors, created_at, finalized_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i), jsonb_build_object('n', i % 1000),
       'discarded', 3, 3, c, c + interval '5 minutes', 'bench-worker-1',
       jsonb_build_array(jsonb_build_object('attempt', 1, 'at', c, 'error', 'System.TimeoutException: the SMTP server did not answer'),
                         jsonb_build_object('attempt', 2, 'at', c, 'error', 'System.TimeoutException: the SMTP server did not answer'),
                         jsonb_build_object('attempt', 3, 'at', c, 'error', 'System.TimeoutException: the SMTP server did not answer')),
       c, c + interval '6 minutes', false
FROM generate_series(1, 3000) i, LATERAL (SELECT now() - interval '14 days' + i * (interval '14 days' / 3000)) t(c);
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, created_at, finalized_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i), jsonb_build_object('n', i % 1000),
       'cancelled', 0, 25, c, c, c + interval '1 minute', false
FROM generate_series(1, 2000) i, LATERAL (SELECT now() - interval '14 days' + i * (interval '14 days' / 2000)) t(c);

-- Scheduled (500, due over the next hours), retryable (300, backing off), running (8 on the worker).
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, created_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i), jsonb_build_object('n', i % 1000),
       'scheduled', 0, 25, now() + i * interval '1 minute', c, false
FROM generate_series(1, 500) i, LATERAL (SELECT now() - interval '1 hour' + i * interval '7 seconds') t(c);
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, attempted_at, attempted_by,
                  errors, created_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i), jsonb_build_object('n', i % 1000),
       'retryable', 1 + i % 3, 25, now() + i * interval '10 seconds', c, 'bench-worker-1',
       jsonb_build_array(jsonb_build_object('attempt', 1, 'at', c, 'error', 'System.Net.Http.HttpRequestException: 503')),
       c, false
FROM generate_series(1, 300) i, LATERAL (SELECT now() - interval '2 hours' + i * interval '20 seconds') t(c);
INSERT INTO jobs (id, queue, kind, args, state, attempt, max_attempts, scheduled_at, attempted_at, attempted_by, created_at, archived)
SELECT pg_temp.v7(c, i), pg_temp.queue(pg_temp.kind(i)), pg_temp.kind(i), jsonb_build_object('n', i % 1000),
       'running', 1, 25, c, now() - i * interval '1 second', 'bench-worker-1', c, false
FROM generate_series(1, 8) i, LATERAL (SELECT now() - interval '2 minutes' + i * interval '1 second') t(c);

-- 14 days of per-minute outcomes, a row per minute per kind (about 50 completions a minute in all).
INSERT INTO stats_minute (minute, queue, kind, completed, failed, discarded, cancelled, snoozed, run_ms_sum)
SELECT m, pg_temp.queue(k.kind), k.kind, c, (random() < 0.05)::int, (random() < 0.01)::int, (random() < 0.007)::int, 0, c * 130
FROM generate_series(date_trunc('minute', now()) - interval '14 days', date_trunc('minute', now()), interval '1 minute') m
CROSS JOIN (VALUES ('email.send', 12), ('report.build', 12), ('image.resize', 12), ('webhook.deliver', 12), ('ledger.reconcile', 1)) k(kind, rate),
LATERAL (SELECT (k.rate * (0.5 + random()))::bigint) r(c);

INSERT INTO workers (id, host, pid, queues, concurrency, started_at, heartbeat_at)
VALUES ('bench-worker-1', 'bench-host', 4242, '{default,critical,reports}', '{8,4,2}', now() - interval '3 hours', now());

-- Two schedules, each with its last job.
INSERT INTO recurring_schedules (id, cron, kind, args, queue, source, applied_version, last_fire_at, last_job_id, last_outcome)
SELECT s.id, s.cron, s.kind, '{}', pg_temp.queue(s.kind), 'configuration', 1, j.created_at, j.id, 'enqueued'
FROM (VALUES ('nightly-report', '30 2 * * *', 'report.build'), ('reconcile-hourly', '0 * * * *', 'ledger.reconcile')) s(id, cron, kind)
CROSS JOIN LATERAL (SELECT id, created_at FROM jobs_archive a WHERE a.kind = s.kind ORDER BY id DESC LIMIT 1) j;
SQL
psql_db -c "VACUUM (ANALYZE) jobplatform.jobs_live, jobplatform.jobs_archive, jobplatform.stats_minute, jobplatform.workers, jobplatform.recurring_schedules, jobplatform.queues" >&2
psql_db -c "ANALYZE jobplatform.jobs" >&2
echo "Filled in $((SECONDS - t_fill)) s:" >&2
psql_db -c "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) AS size
            FROM pg_stat_user_tables WHERE schemaname = 'jobplatform' AND n_live_tup > 0 ORDER BY relname" >&2

# Jobs the details pages show: a completed one from the middle of the archive, an available one.
key_completed=$(psql_db -At -c "SELECT 'j' || replace(id::text, '-', '') FROM jobplatform.jobs_archive ORDER BY id OFFSET $((completed / 2)) LIMIT 1")
key_available=$(psql_db -At -c "SELECT 'j' || replace(id::text, '-', '') FROM jobplatform.jobs_live WHERE state = 'available' ORDER BY id OFFSET $((available / 2)) LIMIT 1")

dash_port=$(free_port)
base="http://127.0.0.1:$dash_port/dashboard"
echo "Starting the dashboard on 127.0.0.1:$dash_port…" >&2
(cd src/Dashboard/bin/Release/net10.0 &&
  exec env ConnectionStrings__JobPlatform="$conn" ASPNETCORE_URLS="http://127.0.0.1:$dash_port" \
    'Logging__LogLevel__Microsoft.AspNetCore=Warning' dotnet JobPlatform.Dashboard.dll) >"$work/dashboard.log" 2>&1 &
dashboard=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$dash_port/health/ready" 2>/dev/null && break
  kill -0 "$dashboard" 2>/dev/null || { echo "The dashboard exited:" >&2; tail -n 30 "$work/dashboard.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$dash_port/health/ready" || { echo "The dashboard is not ready after 60 s" >&2; exit 1; }

# Stops the run when the dashboard host has exited, with the end of its log.
dashboard_alive() {
  kill -0 "$dashboard" 2>/dev/null && return 0
  echo "The dashboard exited; last lines of its log:" >&2; tail -n 40 "$work/dashboard.log" >&2; exit 1
}

# seq_scan and idx_scan per jobplatform table. A backend reports its counters when it goes idle, at most once a
# second, else within 10 s (PGSTAT_IDLE_INTERVAL): the dashboard's pooled connections sit idle, so wait 11 s first.
scan_counts() {
  sleep 11
  psql_db -At -F ' ' -c "SELECT relname, seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables
                         WHERE schemaname = 'jobplatform' ORDER BY relname"
}
# scan_delta BEFORE AFTER [verdict]: the tables whose counters moved; "!" marks a seq scan of a big table. With
# "verdict", also a verdict line and exit status 1 when jobs_live, jobs_archive or stats_minute was scanned.
scan_delta() {
  python3 - "$@" <<'PY'
import sys
read = lambda f: {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(f) if l.strip()}
before, after = read(sys.argv[1]), read(sys.argv[2])
verdict = len(sys.argv) > 3
watched = {"jobs_live", "jobs_archive", "stats_minute"}
rows = [(t, a[0] - before.get(t, (0, 0))[0], a[1] - before.get(t, (0, 0))[1]) for t, a in sorted(after.items())]
moved = [r for r in rows if r[1] or r[2]]
print(f"  {'table':<22} {'seq_scan':>9} {'idx_scan':>9}")
for t, s, i in moved:
    print(f"  {t:<22} {s:>9} {i:>9}{'   ! sequential scan of a big table' if s and t in watched else ''}")
if not moved:
    print("  (no counter moved)")
bad = [t for t, s, _ in rows if s and t in watched]
if verdict:
    print("  verdict: " + ("FAIL, sequential scans of " + ", ".join(bad) if bad else "ok, no sequential scan of jobs_live, jobs_archive or stats_minute"))
    sys.exit(1 if bad else 0)
PY
}
# top_statements N ORDER: the statements pg_stat_statements saw since its last reset (this script's own left out).
top_statements() {
  psql_db -P pager=off -P footer=off -c "
    SELECT calls, round(mean_exec_time::numeric, 1) AS mean_ms, round(max_exec_time::numeric, 1) AS max_ms,
           round(total_exec_time::numeric) AS total_ms, shared_blks_hit + shared_blks_read AS blocks,
           round((jit_generation_time + jit_inlining_time + jit_optimization_time + jit_emission_time)::numeric) AS jit_ms,
           left(regexp_replace(regexp_replace(query, '--[^\n]*', '', 'g'), '\s+', ' ', 'g'), 110) AS statement
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'jobplatform')
      AND query !~* 'pg_stat|pg_database|pg_advisory_unlock_all|^\s*(SET|SHOW|BEGIN|COMMIT|DISCARD|RESET|UNLISTEN|CLOSE)\y'
    ORDER BY $2 LIMIT $1"
}

# The antiforgery token of the session in the cookie jar, as Hangfire's script sends it with each POST.
cookies="$work/cookies.txt"
overview_html=$(curl -fsS -c "$cookies" -b "$cookies" "$base/")
csrf=$(sed -n 's/.*<meta name="csrf-token" content="\([^"]*\)".*/\1/p' <<<"$overview_html" | head -1)
# What an open tab polls: every data-metric on the overview page (menu counters, sidebar), as jQuery posts it.
metrics=$(grep -o 'data-metric="[^"]*"' <<<"$overview_html" | sed 's/data-metric="\(.*\)"/\1/' | sort -u | tr '\n' ' ')
[ -n "$metrics" ] || metrics="succeeded:count failed:count deleted:count enqueued:count-or-null retries:count servers:count"
stats_body=$(for m in $metrics; do printf 'metrics%%5B%%5D=%s&' "$m"; done | sed 's/&$//')
stats_code=$(curl -sS -o "$work/stats.json" -w '%{http_code}' -b "$cookies" -H "RequestVerificationToken: $csrf" \
  -H 'X-Requested-With: XMLHttpRequest' --data "$stats_body" "$base/stats")
[ "$stats_code" = 200 ] || { echo "POST /dashboard/stats answered $stats_code: $(head -c 300 "$work/stats.json")" >&2; exit 1; }
echo "Statistics polling: POST $base/stats with metrics $metrics" >&2
echo "  answer: $(head -c 400 "$work/stats.json")" >&2

pages=(
  "overview|/"
  "overview week|/?period=week"
  "enqueued (queues)|/jobs/enqueued"
  "enqueued default|/jobs/enqueued/default"
  "scheduled|/jobs/scheduled"
  "processing|/jobs/processing"
  "succeeded|/jobs/succeeded"
  "failed|/jobs/failed"
  "deleted|/jobs/deleted"
  "retries|/retries"
  "recurring|/recurring"
  "servers|/servers"
  "details completed|/jobs/details/$key_completed"
  "details available|/jobs/details/$key_available"
  "backlog|/backlog"
  "backlog table|/backlog/table"
  "search kind|/search?kind=email.send"
  "search kind completed|/search?kind=email.send&state=completed"
  "search kind available|/search?kind=email.send&state=available"
  "search rare kind|/search?kind=ledger.reconcile"
  "search kind without jobs|/search?kind=billing.refund"
  "search rare kind completed|/search?kind=ledger.reconcile&state=completed"
  "search args|/search?args=%7B%22n%22%3A5%7D"
  "stats poll (POST)|POST /stats"
)

# time_page NAME PATH: warm-up, then timed requests one after another, stopped after $page_seconds; prints
# "code seconds" lines into $work/t.
time_page() {
  local path=$2 i start=$SECONDS
  local -a req=(curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 -b "$cookies")
  if [ "${path#POST }" != "$path" ]; then
    req+=(-H "RequestVerificationToken: $csrf" -H 'X-Requested-With: XMLHttpRequest' --data "$stats_body" "$base${path#POST }")
  else
    req+=("$base$path")
  fi
  for ((i = 0; i < warmup; i++)); do "${req[@]}" >/dev/null || true; done
  dashboard_alive
  : >"$work/t"
  for ((i = 0; i < requests; i++)); do
    "${req[@]}" >>"$work/t" || echo "000 30" >>"$work/t"   # a timeout counts as 30 s
    if [ $((SECONDS - start)) -ge "$page_seconds" ] && [ "$i" -ge 4 ]; then break; fi
  done
}

log_offset=$(stat -c %s "$pgdir/server.log")   # auto_explain's plans of the fill are not of interest
echo "Timing ${#pages[@]} pages: $warmup warm-up + $requests timed requests each…" >&2
psql_db -c "UPDATE jobplatform.workers SET heartbeat_at = now()" >/dev/null
scan_counts >"$work/pages.before"
psql_db -c "SELECT pg_stat_statements_reset()" >/dev/null
: >"$work/pages.txt"
for entry in "${pages[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  echo "  $name" >&2
  time_page "$name" "$path"
  python3 - "$name" "$budget_ms" "$work/t" >>"$work/pages.txt" <<'PY'
import sys
name, budget, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = [l.split() for l in open(path) if l.strip()]
codes = sorted({r[0] for r in rows})
ms = sorted(float(r[1]) * 1000 for r in rows)
q = lambda p: ms[min(len(ms) - 1, max(0, round(p * len(ms) + 0.5) - 1))]   # nearest rank
p50, p95 = q(0.50), q(0.95)
flags = (["OVER"] if p95 > budget else []) + (["HTTP " + ",".join(codes)] if codes != ["200"] else [])
flag = " ".join(flags) or "ok"
print(f"{name}\t{len(ms)}\t{p50:.1f}\t{p95:.1f}\t{ms[-1]:.1f}\t{flag}")
PY
done
top_statements 15 "max_exec_time DESC" >"$work/pages.statements"
scan_counts >"$work/pages.after"

echo "Polling POST /dashboard/stats every 2 s from $tabs tabs for $poll_seconds s…" >&2
psql_db -c "UPDATE jobplatform.workers SET heartbeat_at = now()" >/dev/null
scan_counts >"$work/poll.before"
poll_hour_start=$(date -u +%H)
psql_db -c "SELECT pg_stat_statements_reset()" >/dev/null
now_ms() { date +%s%3N; }
# poll_tab N: one open tab, opened 2 s × N / tabs after the first, polling every 2 s until the window ends.
poll_tab() {
  local tab=$1 start next end wait_ms
  start=$(now_ms); next=$((start + 2000 * tab / tabs)); end=$((start + poll_seconds * 1000))
  while [ "$next" -lt "$end" ]; do
    wait_ms=$((next - $(now_ms)))
    if [ "$wait_ms" -gt 0 ]; then sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"; fi
    curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 -b "$cookies" \
      -H "RequestVerificationToken: $csrf" -H 'X-Requested-With: XMLHttpRequest' --data "$stats_body" "$base/stats" \
      >>"$work/tab.$tab" || true
    next=$((next + 2000))
  done
}
for ((t = 0; t < tabs; t++)); do poll_tab "$t" & tab_pids+=($!); done
wait "${tab_pids[@]}"
tab_pids=()
poll_hour_end=$(date -u +%H)
top_statements 15 "calls DESC" >"$work/poll.statements"
scan_counts >"$work/poll.after"

# Results.
status=0
echo "Dashboard over $completed completed and $available available jobs (PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(nproc) cores, load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg))"
echo "Pages: $requests timed requests each after $warmup warm-up, sequential; budget p95 < $budget_ms ms"
python3 - "$work/pages.txt" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"  {'page':<28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  verdict")
for name, n, p50, p95, mx, flag in rows:
    print(f"  {name:<28} {n:>4} {p50:>8} {p95:>8} {mx:>8}  {flag}")
PY
over=$(awk -F'\t' '$6 != "ok" {print $1}' "$work/pages.txt" | paste -sd, -)
if [ -n "$over" ]; then echo "  over budget or failing: $over"; status=1; else echo "  every page within budget"; fi
echo "Scans of jobplatform tables while timing the pages (all pages together):"
scan_delta "$work/pages.before" "$work/pages.after"
echo "Slowest statements while timing the pages (pg_stat_statements, by max):"
sed 's/^/  /' "$work/pages.statements"
cat "$work"/tab.* >"$work/t"
polls=$(grep -c . "$work/t" || true)
echo "Statistics polling: $tabs tabs × every 2 s × $poll_seconds s = $polls POSTs (metrics: $metrics)"
python3 - "$work/t" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ms = sorted(float(r[1]) * 1000 for r in rows)
codes = sorted({r[0] for r in rows})
q = lambda p: ms[min(len(ms) - 1, max(0, round(p * len(ms) + 0.5) - 1))]
print(f"  answers: HTTP {','.join(codes)}, p50 {q(.5):.1f} ms, p95 {q(.95):.1f} ms, max {ms[-1]:.1f} ms")
PY
echo "Scans of jobplatform tables during the polling:"
if [ "$poll_hour_start" != "$poll_hour_end" ]; then
  echo "  (the window crossed an hour: the statistics cache then re-reads the outcome totals of every earlier hour from stats_minute)"
fi
scan_delta "$work/poll.before" "$work/poll.after" verdict || status=1
echo "Statements PostgreSQL ran for the polling (pg_stat_statements, by calls):"
sed 's/^/  /' "$work/poll.statements"
if [ "$explain" = 1 ]; then
  echo "Plans of statements over 100 ms while the dashboard was measured (auto_explain; per statement: how often, the slowest plan):"
  tail -c +"$((log_offset + 1))" "$pgdir/server.log" | python3 -c '
import re, sys
entries, current = [], None
for line in sys.stdin:
    m = re.match(r"\S+ \S+ \S+ \[\d+\] LOG:  duration: ([\d.]+) ms  plan:", line)
    if m:
        current = [float(m.group(1)), []]; entries.append(current); continue
    if re.match(r"\d{4}-\d\d-\d\d ", line):
        current = None
    elif current is not None:
        current[1].append(line.rstrip("\n"))
def statement(lines):   # the first lines of SQL after the comments
    sql = [l.replace("Query Text:", "").strip() for l in lines[:40]]
    return " ".join([l for l in sql if l and not l.startswith("--")][:3]) or "?"
groups = {}
for ms, lines in entries:
    groups.setdefault(statement(lines), []).append((ms, lines))
for key, items in sorted(groups.items(), key=lambda g: -max(ms for ms, _ in g[1])):
    ms, lines = max(items, key=lambda e: e[0])
    print(f"  {len(items)} × over 100 ms, slowest {ms:.0f} ms: {key[:100]}")
    plan = [l for l in lines if not l.strip().startswith("Query Text:")]
    start = next((i for i, l in enumerate(plan) if re.match(r"\s*(Limit|Merge|Sort|Group|Hash|Aggregate|Nested|Result|Append|Gather|Seq|Index|Bitmap|Function|Subquery|CTE|WindowAgg|Unique)\b", l)), 0)
    for l in plan[start:start + 60]:
        print("    " + l.strip("\t").replace("\t", "  "))
'
fi
exit "$status"
