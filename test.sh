#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL: installs the server if missing, starts a cluster on a
# free loopback port, exports its address for the tests, runs `dotnet test`, and always stops it.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter CrashTests).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/pg.sh

ensure_postgres_installed
dir=$(mktemp -d /tmp/jobplatform-test-pg.XXXXXX)
chmod 755 "$dir"
cleanup() { stop_cluster "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
# Durability is irrelevant for a throwaway cluster; speed and enough connections for parallel tests are not.
start_cluster "$dir" "$port" -c max_connections=400 -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c shared_buffers=256MB
echo "Test PostgreSQL on 127.0.0.1:$port ($PG_BIN)"

export JOBPLATFORM_TEST_DB="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
export JOBPLATFORM_PG_BIN="$PG_BIN"
dotnet build JobPlatform.sln -c Release -nologo -v q
dotnet test JobPlatform.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
