#!/usr/bin/env bash
# Measures JobPlatform next to the raw-SQL reference, in one run on one throwaway PostgreSQL (durable default
# settings, started and removed here), and prints both JSON lines and their ratios.
#
#   scripts/bench.sh                               default benchmark (100,000 jobs)
#   scripts/bench.sh --jobs 1000000                 extra arguments go to jobctl bench
#   PG_CEILING=/path/to/other-reference.sh scripts/bench.sh
#
# The reference is scripts/pg-ceiling.sh, next to this script (pgbench: single and bulk inserts, leasing and
# completing with SKIP LOCKED, on a plain table); PG_CEILING names another script with the same arguments and
# output. If that file does not exist, only jobctl bench runs and no ratio is printed. docs/performance.md says
# what each figure measures and which targets they are read against.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
. scripts/pg.sh
ensure_postgres_installed
ceiling=${PG_CEILING:-$root/scripts/pg-ceiling.sh}

echo "Building…" >&2
flock .build.lock dotnet build src/Cli -c Release -nologo -v q >&2

dir=$(mktemp -d -t jobplatform-bench-pg.XXXXXX)
cleanup() { local s=$?; stop_cluster "$dir" immediate; rm -rf "$dir"; exit "$s"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
make_cluster_dir "$dir"
init_cluster "$dir"
start_cluster_on_free_port "$dir" -c max_connections=200 -c shared_buffers=256MB
echo "Benchmark PostgreSQL on 127.0.0.1:$PG_PORT (durable defaults: fsync and synchronous_commit on)" >&2
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE jobplatform" >&2

reference=""
if [ -f "$ceiling" ]; then
  echo "Running the raw-SQL reference ($ceiling)…" >&2
  reference=$(PATH="$PG_BIN:$PATH" bash "$ceiling" "postgres://postgres@127.0.0.1:$PG_PORT/postgres" 10 | tail -1)
else
  echo "No reference script at $ceiling (PG_CEILING); skipping the reference." >&2
fi

echo "Running jobctl bench $*…" >&2
ours=$(dotnet src/Cli/bin/Release/net10.0/jobctl.dll bench \
  --database "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=jobplatform" --json "$@")

echo "pg-ceiling: ${reference:-skipped}"
echo "jobctl:     $ours"
if [ -n "$reference" ]; then
  python3 - "$reference" "$ours" <<'PY'
import json, sys
ref, ours = json.loads(sys.argv[1]), json.loads(sys.argv[2])
def ratio(a, b):
    return "n/a" if not ours.get(a) or not ref.get(b) else f"{ours[a] / ref[b]:.2f}"
print(f"ratios:     work {ratio('work_per_s', 'work_per_s')} (target >= 1.0), "
      f"bulk enqueue {ratio('enqueue_per_s', 'enqueue_bulk_per_s')} (>= 0.35), "
      f"single enqueue {ratio('enqueue_single_per_s', 'enqueue_single_per_s')} (>= 0.7)")
PY
fi
python3 - "$ours" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])
def value(key, unit=""):
    return "n/a" if ours.get(key) is None else f"{ours[key]}{unit}"
print(f"absolute:   decay {value('work_slowest_window_ratio')} (target >= 0.7), "
      f"pickup p50 {value('pickup_p50_ms', ' ms')} (<= 1 ms), p99 {value('pickup_p99_ms', ' ms')} (<= 5 ms), "
      f"idle {value('idle_queries_per_s', ' queries/s')} (< 5)")
PY
