#!/usr/bin/env bash
# Starts the platform for a developer. Without ConnectionStrings__JobPlatform it runs a private
# PostgreSQL under .data/pg (installing PostgreSQL if missing), then migrates and runs a worker.
#   ./run.sh           the worker
#   ./run.sh --demo    the worker plus a trickle of platform.noop jobs (some failing, to show retries)
set -euo pipefail
cd "$(dirname "$0")"
. scripts/pg.sh

demo=0
case "${1:-}" in
  --demo) demo=1 ;;
  -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "run.sh: unknown option '$1' (use --demo or --help)" >&2; exit 2 ;;
esac

started_pg=""
if [ -z "${ConnectionStrings__JobPlatform:-}" ]; then
  ensure_postgres_installed
  port=${JOBPLATFORM_PG_PORT:-55499}
  dir="$PWD/.data/pg"
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    mkdir -p .data
    start_cluster "$dir" "$port" -c max_connections=200
    started_pg="$dir"
  fi
  psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'jobplatform'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE jobplatform"
  export ConnectionStrings__JobPlatform="Host=127.0.0.1;Port=$port;Username=postgres;Database=jobplatform"
  where="private PostgreSQL 127.0.0.1:$port (data in .data/pg)"
else
  where="the database in ConnectionStrings__JobPlatform"
fi

echo "Building…"
dotnet build JobPlatform.sln -c Release -nologo -v q
jobctl() { dotnet src/Cli/bin/Release/net10.0/jobctl.dll "$@"; }
jobctl migrate

export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://127.0.0.1:5080}
export JobPlatform__Logging__Format=${JobPlatform__Logging__Format:-text}
url=${ASPNETCORE_URLS%%;*}
cat <<INFO

JobPlatform is starting on $where.
  readiness  $url/health/ready
  metrics    $url/metrics
  logs       this terminal
  jobctl     dotnet src/Cli/bin/Release/net10.0/jobctl.dll stats      (also: list, enqueue, retry, cancel, pause, bench)
Stop with Ctrl-C: running jobs finish (or are released) before the worker exits.

INFO

pids=()
dotnet src/Worker/bin/Release/net10.0/JobPlatform.Worker.dll &
pids+=($!)

if [ "$demo" = 1 ]; then
  (
    round=0
    while sleep 2; do
      round=$((round + 1))
      jobctl enqueue --kind platform.noop --args '{"sleepMs":50}' --count 20 >/dev/null || true
      if [ $((round % 10)) = 0 ]; then
        jobctl enqueue --kind platform.noop --args '{"fail":true}' --max-attempts 3 >/dev/null || true
      fi
    done
  ) &
  pids+=($!)
  echo "Demo: 20 platform.noop jobs every 2 s, and a failing one every 20 s (watch: jobctl stats)."
fi

shutdown() {
  trap - INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  if [ -n "$started_pg" ]; then stop_cluster "$started_pg"; fi
  exit 0
}
trap shutdown INT TERM
wait "${pids[0]}" || true
shutdown
