#!/usr/bin/env bash
# CPU per job, for sizing (docs/operations.md): enqueues and drains N no-op jobs with `jobctl bench` on a
# throwaway PostgreSQL (durable defaults) and prints the CPU seconds the worker process and PostgreSQL each
# spent, per 1,000 jobs. Both run on this machine, so the figures are CPU time, not wall time: they hold
# whatever else the machine is doing.
#
#   scripts/bench-cpu.sh            300,000 jobs
#   scripts/bench-cpu.sh 1000000
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
. scripts/pg.sh
ensure_postgres_installed
jobs=${1:-300000}

echo "Building…" >&2
flock .build.lock dotnet build src/Cli -c Release -nologo -v q >&2

dir=$(mktemp -d -t jobplatform-bench-cpu.XXXXXX)
cleanup() { local s=$?; stop_cluster "$dir" immediate; rm -rf "$dir"; exit "$s"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
make_cluster_dir "$dir"
init_cluster "$dir"
start_cluster_on_free_port "$dir" -c max_connections=200 -c shared_buffers=256MB
"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE jobplatform" >&2
postmaster=$(head -1 "$dir/data/postmaster.pid")

# CPU seconds of PostgreSQL so far: the postmaster, its exited children (cutime, cstime) and its live ones.
pg_cpu() {
  python3 - "$postmaster" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
def fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
pm = sys.argv[1]
f = fields(pm)
total = sum(int(x) for x in f[11:15])
for pid in os.listdir("/proc"):
    if pid.isdigit() and pid != pm:
        try:
            c = fields(pid)
        except OSError:
            continue
        if c[1] == pm:
            total += int(c[11]) + int(c[12])
print(total / tick)
PY
}

before=$(pg_cpu)
echo "jobctl bench: $jobs jobs, bulk enqueue and drain only…" >&2
worker=$(python3 - "$jobs" "$PG_PORT" <<'PY'
import resource, subprocess, sys
jobs, port = sys.argv[1], sys.argv[2]
out = subprocess.run(["dotnet", "src/Cli/bin/Release/net10.0/jobctl.dll", "bench",
                      "--database", f"Host=127.0.0.1;Port={port};Username=postgres;Database=jobplatform",
                      "--jobs", jobs, "--latency-seconds", "0", "--single-seconds", "0", "--idle-seconds", "0", "--json"],
                     check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime} {out}")
PY
)
after=$(pg_cpu)
python3 - "$jobs" "$before" "$after" "$worker" <<'PY'
import json, sys
jobs = int(sys.argv[1]); pg = float(sys.argv[3]) - float(sys.argv[2])
cpu, result = sys.argv[4].split(" ", 1)
ours = json.loads(result); cpu = float(cpu)
print(json.dumps({"jobs": jobs, "work_per_s": ours["work_per_s"], "enqueue_per_s": ours["enqueue_per_s"],
                  "worker_cpu_s": round(cpu, 2), "postgres_cpu_s": round(pg, 2),
                  "worker_cpu_ms_per_1000_jobs": round(cpu * 1e6 / jobs, 1),
                  "postgres_cpu_ms_per_1000_jobs": round(pg * 1e6 / jobs, 1)}))
PY
