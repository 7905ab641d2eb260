#!/usr/bin/env bash
# PostgreSQL helpers shared by run.sh and test.sh: find or install the server binaries, and run
# cluster commands as the postgres OS user (initdb refuses to run as root).

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

ensure_postgres_installed() {
  if [ -z "$(pg_bin_dir)" ]; then
    echo "Installing PostgreSQL (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  PG_BIN=$(pg_bin_dir)
  [ -n "$PG_BIN" ] || { echo "PostgreSQL binaries not found after install" >&2; exit 1; }
  export PG_BIN
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_cluster DIR PORT [extra server options]: initdb if needed, then start and wait until ready.
start_cluster() {
  local dir=$1 port=$2; shift 2
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir $*" start >/dev/null; then
    echo "PostgreSQL failed to start; last lines of $dir/server.log:" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    return 1
  fi
}

stop_cluster() {
  as_postgres "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null 2>&1 || true
}
