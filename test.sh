#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster: installs PostgreSQL and the job
# catalogue's packages (aiosmtpd, chromium, poppler-utils) and kubectl if missing,
# builds, starts a cluster on a free loopback port, runs `dotnet test`, and always removes the
# cluster again. Exits with dotnet test's exit code.
#
#   ./test.sh                                   every test
#   ./test.sh --filter "FullyQualifiedName~Crash"   extra arguments go to dotnet test
#
# Tests find the cluster in JOBPLATFORM_TEST_DB (each test creates its own schema) and the server
# binaries in JOBPLATFORM_PG_BIN (tests that restart PostgreSQL start a private cluster with them).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. scripts/pg.sh
. scripts/deps.sh

ensure_postgres_installed
ensure_catalogue_packages
ensure_kubectl

# Build under a lock: two concurrent runs would otherwise compile into the same bin/ and obj/
# directories at once. The second run waits, then finds everything up to date. (Not a lock on the
# solution file itself: MSBuild opens it with .NET's own flock-based sharing and would be refused.)
echo "Building…"
flock .build.lock dotnet build JobPlatform.sln -c Release -nologo -v q

dir=$(mktemp -d -t jobplatform-test-pg.XXXXXX)
cleanup() {
  local status=$?
  # Immediate mode: nothing in this cluster is worth a shutdown checkpoint.
  stop_cluster "$dir" immediate
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
# Turn Ctrl-C and kill into a normal exit so the EXIT trap removes the cluster.
trap 'exit 130' INT
trap 'exit 143' TERM

make_cluster_dir "$dir"
init_cluster "$dir"
# Durability is worthless for a throwaway cluster; speed is not, and parallel tests need connections.
start_cluster_on_free_port "$dir" \
  -c max_connections=400 -c shared_buffers=256MB \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off
echo "Test PostgreSQL on 127.0.0.1:$PG_PORT ($PG_BIN)"

export JOBPLATFORM_TEST_DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export JOBPLATFORM_PG_BIN="$PG_BIN"

status=0
dotnet test JobPlatform.sln -c Release --no-build --logger "console;verbosity=normal" "$@" || status=$?
exit "$status"
