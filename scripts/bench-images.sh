#!/usr/bin/env bash
# Thumbnails per second: libvips alone versus the same thumbnails as image.thumbnail jobs through a real worker.
#
#   scripts/bench-images.sh                 200 JPEGs of 1600 × 1200 → 320 px wide WebP, 2 at a time
#   scripts/bench-images.sh 500             another number of images
#   BENCH_PARALLEL=4 scripts/bench-images.sh
#
# Three measurements on the same images, same output (320 px wide WebP), same parallelism:
# The libvips runs use as many libvips threads per image as the worker (Images:VipsThreads, default 1: VIPS_CONCURRENCY=1).
#   vips_cli        `vips thumbnail in out.webp 320 --fail-on error`, one process per image (xargs -P)
#   vipsthumbnail   libvips in process: `vipsthumbnail` batches, one process per parallel slot (no job overhead)
#   jobs            N image.thumbnail jobs drained by one worker process (NetVips, queue concurrency 2×P,
#                   Images:MaxConcurrency P); measured from the database, first attempt to last completion,
#                   after a warm-up, while nothing else polls
# The worker's libvips is the one inside the NetVips.Native.linux-x64 package; the two reference runs use
# Debian's (libvips-tools, which only this benchmark needs: it is installed here when missing, not by
# run.sh or test.sh), so the JSON names both versions. Debian's tools also make the test images.
# The database is a throwaway PostgreSQL started here (as scripts/bench.sh does), or, when
# ConnectionStrings__JobPlatform is set, that server with a scratch schema dropped at the end.
# Prints one JSON line on stdout; progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
. scripts/pg.sh
. scripts/deps.sh
ensure_postgres_installed

n=${1:-200}
par=${BENCH_PARALLEL:-2}
width=320
case "$n" in ''|*[!0-9]*) echo "usage: scripts/bench-images.sh [number-of-images]" >&2; exit 2 ;; esac
ensure_packages libvips-tools

echo "Building the worker and jobctl…" >&2
flock "${BUILD_LOCK:-$root/.build.lock}" dotnet build src/Worker -c Release -nologo -v q >&2
flock "${BUILD_LOCK:-$root/.build.lock}" dotnet build src/Cli -c Release -nologo -v q >&2
jobctl() { dotnet src/Cli/bin/Release/net10.0/jobctl.dll "$@"; }

work=$(mktemp -d -t jobplatform-bench-images.XXXXXX)
pgdir=""; worker=""; schema=""; pgurl=""
cleanup() {
  local s=$?
  if [ -n "$worker" ]; then kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; fi
  if [ -n "$pgdir" ]; then stop_cluster "$pgdir" immediate; rm -rf "$pgdir"; fi
  if [ -n "$schema" ]; then "$PG_BIN/psql" -X -q "$pgurl" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  exit "$s"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "Generating $n JPEGs of 1600 × 1200…" >&2
blobs="$work/blobs"; mkdir -p "$blobs/in" "$work/cli" "$work/batch"
vips gaussnoise "$work/n.v" 1600 1200 --mean 128 --sigma 40
vips bandjoin "$work/n.v $work/n.v $work/n.v" "$work/rgb.v"
# A different brightness each, so no two files are alike.
seq 1 "$n" | xargs -P "$par" -I{} sh -c 'vips linear "$1" "$2/in/img-$3.jpg[Q=85]" 1 $(( $3 % 50 )) --uchar' _ "$work/rgb.v" "$blobs" {}
rm -f "$work"/*.v

# Same libvips threads per image as the worker, so the comparison is of the job path, not of thread settings.
vips_threads=${Images__VipsThreads:-1}
if [ "$vips_threads" != 0 ]; then export VIPS_CONCURRENCY="$vips_threads"; fi

secs() { python3 -c 'import sys,time; print(time.monotonic())'; }
rate() { python3 -c "import sys; print(round($n / ($2 - $1), 1))"; }

echo "libvips CLI, a process per image, $par at a time…" >&2
t0=$(secs)
ls "$blobs/in" | xargs -P "$par" -I{} vips thumbnail "$blobs/in/{}" "$work/cli/{}.webp" "$width" --fail-on error
t1=$(secs)
cli_rate=$(rate "$t0" "$t1")

echo "libvips in process (vipsthumbnail batches), $par processes…" >&2
per=$(( (n + par - 1) / par ))
t0=$(secs)
(cd "$blobs/in" && ls | xargs -P "$par" -n "$per" vipsthumbnail -s "${width}x" -o "$work/batch/%s.webp")
t1=$(secs)
batch_rate=$(rate "$t0" "$t1")
[ "$(ls "$work/cli" | wc -l)" = "$n" ] && [ "$(ls "$work/batch" | wc -l)" = "$n" ] || { echo "libvips runs made the wrong number of files" >&2; exit 1; }

if [ -n "${ConnectionStrings__JobPlatform:-}" ]; then
  schema="bench_images_$$"
  pgurl=$(python3 - <<'PY'
import os
kv = dict(p.split("=", 1) for p in os.environ["ConnectionStrings__JobPlatform"].split(";") if "=" in p)
kv = {k.strip().lower(): v.strip() for k, v in kv.items()}
print(f"postgres://{kv.get('username', 'postgres')}@{kv.get('host', '127.0.0.1')}:{kv.get('port', '5432')}/{kv.get('database', 'postgres')}")
PY
)
  export JobPlatform__Schema="$schema"
else
  pgdir=$(mktemp -d -t jobplatform-bench-images-pg.XXXXXX)
  make_cluster_dir "$pgdir"; init_cluster "$pgdir"; start_cluster_on_free_port "$pgdir" -c max_connections=100
  pgurl="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  export ConnectionStrings__JobPlatform="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export JobPlatform__Schema="jobplatform"
fi
jobctl migrate >&2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "Starting a worker (queue concurrency $((par * 2)), Images:MaxConcurrency $par)…" >&2
ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_ENVIRONMENT=Production Blobs__Root="$blobs" \
  JobPlatform__Worker__Queues__default=$((par * 2)) Images__MaxConcurrency="$par" Logging__LogLevel__Default=Warning \
  dotnet src/Worker/bin/Release/net10.0/JobPlatform.Worker.dll >"$work/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$worker" 2>/dev/null || { echo "the worker exited:" >&2; tail -30 "$work/worker.log" >&2; exit 1; }
  sleep 0.5
done

sql() { "$PG_BIN/psql" -X -qAt "$pgurl" -c "$1"; }
jobs="\"$JobPlatform__Schema\".jobs"
wait_done() { # wait_done COUNT: until COUNT image.thumbnail jobs are completed; fails on any discarded one
  local done bad
  for _ in $(seq 1 1200); do
    done=$(sql "SELECT count(*) FROM $jobs WHERE kind = 'image.thumbnail' AND state = 'completed'")
    bad=$(sql "SELECT count(*) FROM $jobs WHERE kind = 'image.thumbnail' AND state IN ('discarded', 'retryable')")
    [ "$bad" = 0 ] || { echo "image jobs failed:" >&2; sql "SELECT errors FROM $jobs WHERE state IN ('discarded','retryable') LIMIT 3" >&2; exit 1; }
    [ "$done" -ge "$1" ] && return 0
    sleep 1
  done
  echo "timed out waiting for $1 completed image jobs" >&2; exit 1
}

echo "Warm-up: 4 jobs…" >&2
for i in 1 2 3 4; do
  jobctl enqueue --kind image.thumbnail --args "{\"source\":\"in/img-$i.jpg\",\"destination\":\"warm/img-$i.webp\",\"width\":$width}" >/dev/null
done
wait_done 4

echo "Enqueueing $n jobs on the paused queue…" >&2
jobctl pause --queue default >/dev/null
ls "$blobs/in" | xargs -P "$par" -I{} dotnet src/Cli/bin/Release/net10.0/jobctl.dll enqueue --kind image.thumbnail \
  --args "{\"source\":\"in/{}\",\"destination\":\"jobs/{}.webp\",\"width\":$width}" >/dev/null
echo "Draining…" >&2
jobctl resume --queue default >/dev/null
wait_done $((n + 4))
[ "$(ls "$blobs/jobs" | wc -l)" = "$n" ] || { echo "the jobs made the wrong number of files" >&2; exit 1; }
span=$(sql "SELECT extract(epoch FROM max(finalized_at) - min(attempted_at)) FROM $jobs WHERE kind = 'image.thumbnail' AND args->>'destination' LIKE 'jobs/%'")
jobs_rate=$(python3 -c "print(round($n / $span, 1))")

worker_vips=$(python3 -c '
import json, sys
libs = json.load(open(sys.argv[1]))["libraries"]
print(next(k.split("/")[1] for k in libs if k.startswith("NetVips.Native.linux-x64/")))' src/Worker/bin/Release/net10.0/JobPlatform.Worker.deps.json)

python3 - "$n" "$par" "$cli_rate" "$batch_rate" "$jobs_rate" "$(vips --version)" "$worker_vips" <<'PY'
import json, os, sys
n, par, cli, batch, jobs, version, worker = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:6]), sys.argv[6], sys.argv[7]
print(json.dumps({"images": n, "size": "1600x1200 jpeg -> 320w webp", "parallel": par,
                  "libvips_cli": version, "libvips_worker": worker,
                  "vips_threads_per_image": os.environ.get("VIPS_CONCURRENCY", "default"),
                  "vips_cli_per_s": cli, "vipsthumbnail_in_process_per_s": batch, "jobs_per_s": jobs,
                  "jobs_vs_cli": round(jobs / cli, 2), "jobs_vs_in_process": round(jobs / batch, 2)}))
PY
