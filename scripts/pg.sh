# shellcheck shell=bash
# PostgreSQL helpers sourced by run.sh and test.sh: find or install the server binaries, start and
# stop a cluster of our own on the loopback interface. Server commands run as the postgres OS user
# because initdb and postgres refuse to run as root.

# The bin directory of the highest installed PostgreSQL major version, or nothing.
pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true
}

# Sets and exports PG_BIN, installing the Debian package first when no server is installed.
ensure_postgres_installed() {
  PG_BIN=$(pg_bin_dir)
  if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed; run as root (or: apt-get install postgresql) first." >&2
      return 1
    fi
    echo "PostgreSQL is not installed; installing it with apt-get…" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Progress goes to stderr so callers capturing stdout are not disturbed.
    apt-get update >&2 && apt-get install -y postgresql >&2
    PG_BIN=$(pg_bin_dir)
    [ -n "$PG_BIN" ] || { echo "PostgreSQL binaries still missing after apt-get install." >&2; return 1; }
  fi
  export PG_BIN
}

# Runs a command as the postgres OS user when we are root. Starts from / so a working directory
# that postgres cannot read does not produce warnings.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# True when nothing accepts connections on 127.0.0.1:PORT.
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a random free loopback port in 5433-65000. Random rather than sequential so that two
# runs started at the same moment rarely pick the same one; start_cluster retries if they do.
free_port() {
  local port _
  for _ in $(seq 1 200); do
    port=$((5433 + (RANDOM * 32768 + RANDOM) % (65000 - 5433 + 1)))
    if port_is_free "$port"; then echo "$port"; return 0; fi
  done
  echo "No free loopback port found in 5433-65000." >&2
  return 1
}

# Creates DIR owned by postgres (postgres must be able to write its data, log and socket there).
make_cluster_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$1"; fi
  chmod 700 "$1"
  if ! as_postgres test -w "$1"; then
    echo "The postgres user cannot reach $1: every parent directory must be searchable (chmod o+x)." >&2
    return 1
  fi
}

# init_cluster DIR: initdb into DIR/data unless a cluster is already there. Trust authentication
# keeps tests and local runs password-free; the server only ever listens on 127.0.0.1.
init_cluster() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] && return 0
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale --no-sync >/dev/null
}

# start_cluster DIR PORT [-c name=value …]: starts the cluster in DIR/data on 127.0.0.1:PORT with
# its log in DIR/server.log and its Unix socket in DIR, then waits until it accepts connections.
# Prints the server log's tail when it does not come up.
start_cluster() {
  local dir=$1 port=$2; shift 2
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' $*" start >/dev/null; then
    echo "PostgreSQL failed to start on 127.0.0.1:$port; last lines of $dir/server.log:" >&2
    tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
    return 1
  fi
  local _
  for _ in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && return 0
    sleep 0.5
  done
  echo "PostgreSQL started but does not accept connections on 127.0.0.1:$port; log tail:" >&2
  tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
  return 1
}

# start_cluster_on_free_port DIR [-c name=value …]: like start_cluster on a random free port, trying
# another port when a concurrent run grabbed the same one first. Sets PG_PORT.
start_cluster_on_free_port() {
  local dir=$1 _; shift
  for _ in 1 2 3 4 5; do
    PG_PORT=$(free_port)
    if start_cluster "$dir" "$PG_PORT" "$@" 2>"$dir/start.err"; then
      rm -f "$dir/start.err"
      return 0
    fi
    # Only a lost race for the port is worth another try; any other failure is reported as is.
    if ! grep -q "could not bind IPv4 address\|could not create any TCP/IP sockets\|Address already in use" \
        "$dir/server.log" 2>/dev/null; then
      cat "$dir/start.err" >&2
      return 1
    fi
    echo "Port $PG_PORT was taken meanwhile; trying another." >&2
    : >"$dir/server.log"
  done
  cat "$dir/start.err" >&2
  return 1
}

# True when the cluster in DIR/data is running.
cluster_running() {
  as_postgres "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# The port a running cluster in DIR/data listens on (line 4 of postmaster.pid).
cluster_port() {
  sed -n 4p "$1/data/postmaster.pid"
}

# stop_cluster DIR [mode]: stops the cluster (default: fast, i.e. roll back open transactions and
# shut down cleanly). Never fails, so it is safe in exit traps.
stop_cluster() {
  as_postgres "$PG_BIN/pg_ctl" -D "$1/data" -m "${2:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}
