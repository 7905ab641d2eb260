#!/usr/bin/env bash
# Starts JobPlatform on a developer machine: a PostgreSQL (a private one under .data/pg unless
# ConnectionStrings__JobPlatform points elsewhere), the migrations, one worker, one scheduler and the
# operators' dashboard in this terminal, and what the job catalogue talks to: a local SMTP sink (mail lands
# in .data/mail) and a fake payment gateway, unless Email__Smtp__Host / Billing__Gateway__BaseUrl point at
# real ones.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. scripts/pg.sh
. scripts/deps.sh

usage() {
  cat <<'USAGE'
Usage: ./run.sh [--demo]

Builds the solution, migrates the database and runs a worker, a scheduler and the dashboard until
Ctrl-C (running jobs are drained first; a second Ctrl-C stops at once).

  --demo      also enqueue 20 platform.noop jobs every 2 s, plus a failing one every 20 s,
              to watch jobs flow and retry, add two recurring schedules to the scheduler
              (demo-heartbeat every 15 s, demo-nightly at 02:30 Europe/Berlin), and a mix of
              catalogue jobs: emails, thumbnails of generated sample images, a billing run over
              demo customers (charged at the fake gateway), and an operations report PDF
  -h, --help  this text

Environment:
  ConnectionStrings__JobPlatform  database to use; when unset, a private PostgreSQL is created
                                  under .data/pg (installing PostgreSQL if missing) and reused
  JOBPLATFORM_PG_PORT             port of that private PostgreSQL on 127.0.0.1 [55499]
  ASPNETCORE_URLS                 where the worker serves health and metrics [http://127.0.0.1:5080]
  JOBPLATFORM_SCHEDULER_URLS      where the scheduler serves them [http://127.0.0.1:5081]
  JOBPLATFORM_DASHBOARD_URLS      where the dashboard listens [http://127.0.0.1:5082]; its admin login is
                                  made once and kept in .data/dashboard-admin-password, unless
                                  Dashboard__Users__<name>__PasswordHash/__Role are set
  JobPlatform__Logging__Format    text or json [text]
  Email__Smtp__Host (and __Port)  a real SMTP server; when unset, a local sink on 127.0.0.1:$JOBPLATFORM_SMTP_PORT
                                  [2525] stores every message under .data/mail/new
  Billing__Gateway__BaseUrl       a real payment gateway (with Billing__Gateway__ApiKey); when unset, the
                                  fake gateway on 127.0.0.1:$JOBPLATFORM_GATEWAY_PORT [5090]
  Blobs__Root                     blob store of images and reports [.data/blobs]
  Alerts__Slack__WebhookUrl       a Slack incoming webhook for backlog alerts; when unset, alerts show on the
                                  dashboard's Alerts page only (docs/alerts.md)
USAGE
}

demo=0
for arg in "$@"; do
  case "$arg" in
    --demo) demo=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

cli=src/Cli/bin/Release/net10.0/jobctl.dll
jobctl() { dotnet "$cli" "$@"; }

started_pg=""   # the private cluster's directory, set only when this script started it
worker=""       # the worker's PID
scheduler=""    # the scheduler's PID
dashboard=""    # the dashboard's PID
pids=()         # background children still to stop: the worker, the scheduler, the SMTP sink, the fake
                # gateway, the dashboard and the demo loop

# Asks every child to stop (the worker drains its running jobs on SIGTERM) and waits for them.
stop_children() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null; do wait "$p" 2>/dev/null || true; done
  done
  pids=()
}

# A second Ctrl-C while draining: stop everything now.
force_stop() {
  echo "Stopping immediately." >&2
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}

# Runs on every exit, including failures during build or migration: nothing is left running, and
# PostgreSQL is stopped only if this script started it (a cluster it found running is left alone).
on_exit() {
  local status=$?
  trap force_stop INT TERM
  if { [ -n "${worker:-}" ] && kill -0 "$worker" 2>/dev/null; } || { [ -n "${scheduler:-}" ] && kill -0 "$scheduler" 2>/dev/null; } ||
     { [ -n "${dashboard:-}" ] && kill -0 "$dashboard" 2>/dev/null; }; then
    echo "Stopping: running jobs finish first (Ctrl-C again to stop at once)…" >&2
  fi
  stop_children
  if [ -n "$started_pg" ]; then
    echo "Stopping the private PostgreSQL." >&2
    stop_cluster "$started_pg"
  fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Database ---------------------------------------------------------------------------------
if [ -z "${ConnectionStrings__JobPlatform:-}" ]; then
  ensure_postgres_installed
  dir="$PWD/.data/pg"
  port=${JOBPLATFORM_PG_PORT:-55499}
  if cluster_running "$dir"; then
    # Reuse it (e.g. another ./run.sh is up) on the port it already listens on.
    port=$(cluster_port "$dir")
    echo "Using the private PostgreSQL already running on 127.0.0.1:$port."
  else
    # postgres must be able to pass through .data to reach its own directory inside.
    mkdir -p .data
    chmod 755 .data
    make_cluster_dir "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then echo "Creating a private PostgreSQL cluster in .data/pg…"; fi
    init_cluster "$dir"
    echo "Starting the private PostgreSQL on 127.0.0.1:$port…"
    started_pg=$dir   # set first, so a half-started server is stopped on exit too
    # Unlike test.sh's cluster this one keeps PostgreSQL's durability defaults: its data is kept.
    start_cluster "$dir" "$port" -c max_connections=400 -c shared_buffers=256MB
  fi
  psql() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"; }
  if [ -z "$(psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'jobplatform'")" ]; then
    psql -c "CREATE DATABASE jobplatform"
  fi
  export ConnectionStrings__JobPlatform="Host=127.0.0.1;Port=$port;Username=postgres;Database=jobplatform"
  where="the private PostgreSQL on 127.0.0.1:$port (data in .data/pg)"
  # Passwordless and loopback-only, so it is safe to show; another terminal needs it for jobctl.
  env_hint="  in another terminal: export ConnectionStrings__JobPlatform='$ConnectionStrings__JobPlatform'"
else
  # Never echo this connection string: it may carry a password.
  where="the database in ConnectionStrings__JobPlatform"
  env_hint="  in another terminal: set ConnectionStrings__JobPlatform as here"
fi

ensure_catalogue_packages

# --- Build and migrate ------------------------------------------------------------------------
echo "Building…"
# The lock keeps a concurrent ./test.sh from compiling into the same bin/obj (the same lock file).
flock .build.lock dotnet build JobPlatform.sln -c Release -v q -nologo
echo "Migrating…"
jobctl migrate

# --- What the job catalogue talks to ---------------------------------------------------------
export Blobs__Root=${Blobs__Root:-$PWD/.data/blobs}
mkdir -p "$Blobs__Root"
if [ -z "${Email__Smtp__Host:-}" ]; then
  smtp_port=${JOBPLATFORM_SMTP_PORT:-2525}
  mkdir -p .data/mail/cur .data/mail/new .data/mail/tmp
  # aiosmtpd's Mailbox handler: one file per message in .data/mail/new.
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$PWD/.data/mail" &
  pids+=("$!")
  export Email__Smtp__Host=127.0.0.1 Email__Smtp__Port=$smtp_port
  mail_where="the local SMTP sink on 127.0.0.1:$smtp_port (messages in .data/mail/new)"
else
  mail_where="the SMTP server in Email__Smtp__Host"
fi
if [ -z "${Billing__Gateway__BaseUrl:-}" ]; then
  gateway_url="http://127.0.0.1:${JOBPLATFORM_GATEWAY_PORT:-5090}"
  # --urls, not ASPNETCORE_URLS: that variable is the worker's.
  dotnet tools/FakeGateway/bin/Release/net10.0/JobPlatform.FakeGateway.dll --urls "$gateway_url" --ApiKey sk_test_demo &
  pids+=("$!")
  export Billing__Gateway__BaseUrl=$gateway_url Billing__Gateway__ApiKey=sk_test_demo
  gateway_where="the fake payment gateway at $gateway_url (charges: curl -H 'Authorization: Bearer sk_test_demo' $gateway_url/v1/charges)"
else
  gateway_where="the payment gateway in Billing__Gateway__BaseUrl"
fi

# --- Dashboard login ---------------------------------------------------------------------------
# One admin for this machine's setup, made on the first run and kept (the file is readable by its owner only);
# set Dashboard__Users__<name>__PasswordHash and __Role to use your own users instead.
dashboard_env=()
if env | grep -q '^Dashboard__Users__'; then
  login_hint="the users in Dashboard__Users__*"
else
  password_file=.data/dashboard-admin-password
  if [ ! -s "$password_file" ]; then
    mkdir -p .data
    (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20 > "$password_file")
  fi
  dashboard_password=$(cat "$password_file")
  dashboard_env=(
    "Dashboard__Users__admin__PasswordHash=$(printf '%s\n' "$dashboard_password" | jobctl dashboard hash-password)"
    "Dashboard__Users__admin__Role=admin"
  )
  login_hint="user admin, password $dashboard_password (kept in $password_file)"
fi

# --- Worker, scheduler and dashboard ------------------------------------------------------------
export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://127.0.0.1:5080}
scheduler_urls=${JOBPLATFORM_SCHEDULER_URLS:-http://127.0.0.1:5081}
dashboard_urls=${JOBPLATFORM_DASHBOARD_URLS:-http://127.0.0.1:5082}
export JobPlatform__Logging__Format=${JobPlatform__Logging__Format:-text}
url=${ASPNETCORE_URLS%%;*}
scheduler_url=${scheduler_urls%%;*}
dashboard_url=${dashboard_urls%%;*}
cat <<INFO

JobPlatform worker, scheduler and dashboard starting on $where.
  dashboard  $dashboard_url/  (log in: $login_hint)
  alerts     ${Alerts__Slack__WebhookUrl:+to Slack and }on $dashboard_url/dashboard/alerts (scripts/jobctl alerts list)
  readiness  worker $url/health/ready, scheduler $scheduler_url/health/ready, dashboard $dashboard_url/health/ready
  metrics    worker $url/metrics, scheduler $scheduler_url/metrics
  logs       this terminal
  email      $mail_where
  billing    $gateway_where
  blobs      $Blobs__Root (images, report PDFs)
$env_hint
  jobctl     scripts/jobctl stats
             scripts/jobctl enqueue --kind platform.noop --args '{"sleepMs":50}'
             scripts/jobctl recurring list
             scripts/jobctl --help    (list, retry, pause, recurring, bench, …)
Stop with Ctrl-C: running jobs finish before the worker exits.

INFO

# Each host runs from its output directory, where its appsettings.json is (the content root).
(cd src/Worker/bin/Release/net10.0 && exec dotnet JobPlatform.Worker.dll) &
worker=$!
pids+=("$worker")

demo_schedules=()
if [ "$demo" = 1 ]; then
  # Configured schedules: a scheduler started later without --demo removes them again.
  demo_schedules=(
    "JobPlatform__Recurring__demo-heartbeat__Cron=*/15 * * * * ?"
    "JobPlatform__Recurring__demo-heartbeat__Kind=platform.noop"
    'JobPlatform__Recurring__demo-heartbeat__Args={"sleepMs":100}'
    "JobPlatform__Recurring__demo-nightly__Cron=30 2 * * *"
    "JobPlatform__Recurring__demo-nightly__TimeZone=Europe/Berlin"
    "JobPlatform__Recurring__demo-nightly__Kind=platform.noop"
    "JobPlatform__Recurring__demo-nightly__SkipIfRunning=true"
  )
fi
# Alerts link to this dashboard; without Alerts__Slack__WebhookUrl they show on its Alerts page only.
(cd src/Scheduler/bin/Release/net10.0 && exec env ASPNETCORE_URLS="$scheduler_urls" Alerts__DashboardUrl="${Alerts__DashboardUrl:-$dashboard_url}" \
  "${demo_schedules[@]}" dotnet JobPlatform.Scheduler.dll) &
scheduler=$!
pids+=("$scheduler")
(cd src/Dashboard/bin/Release/net10.0 && exec env ASPNETCORE_URLS="$dashboard_urls" "${dashboard_env[@]}" dotnet JobPlatform.Dashboard.dll) &
dashboard=$!
pids+=("$dashboard")

if [ "$demo" = 1 ]; then
  # Each step runs in the background and is waited for, so Ctrl-C or SIGTERM ends the loop and
  # the step it is in at once.
  # The catalogue part of the demo: needs the worker's tables (it migrates the catalogue at start).
  demo_catalogue_setup() {
    local i period
    for i in $(seq 1 120); do
      curl -fs "$url/health/ready" >/dev/null 2>&1 && break
      sleep 0.5
    done
    mkdir -p "$Blobs__Root/demo/in"
    for i in 1 2 3 4; do
      [ -f "$Blobs__Root/demo/in/sample-$i.png" ] ||
        python3 scripts/sample-image.py "$Blobs__Root/demo/in/sample-$i.png" $((800 * i)) $((600 * i))
    done
    if declare -F psql >/dev/null; then
      # Four customers with five subscriptions (written once), billed for this month at the gateway.
      "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d jobplatform -f tools/FakeGateway/billing-demo.sql >/dev/null
      period=$(date -u +%Y-%m)
      jobctl enqueue --kind billing.run --args "{\"period\":\"$period\"}" >/dev/null
      echo "demo: billing.run for $period enqueued (charges: curl -s -H 'Authorization: Bearer sk_test_demo' $gateway_url/v1/charges)" >&2
    else
      echo "demo: billing demo data is loaded only into the private PostgreSQL (see tools/FakeGateway/billing-demo.sql)" >&2
    fi
  }

  demo_catalogue_round() {
    local round=$1 n=$(( (round / 5) % 4 + 1 ))
    if [ $((round % 5)) = 0 ]; then
      jobctl enqueue --kind email.send --args "{\"to\":\"ada@example.com\",\"subject\":\"Demo message $round\",\"text\":\"Hello from the demo.\",\"html\":\"<p>Hello from the <b>demo</b>.</p>\"}" >/dev/null
      jobctl enqueue --kind image.thumbnail --args "{\"source\":\"demo/in/sample-$n.png\",\"destination\":\"demo/out/sample-$n-{width}.webp\",\"widths\":[160,320,640]}" >/dev/null
    fi
    if [ $((round % 30)) = 1 ]; then
      jobctl enqueue --kind report.generate --args '{"report":"operations","emailTo":"ops@example.com"}' >/dev/null
    fi
  }

  demo_loop() {
    local round=0 step=""
    trap '[ -z "$step" ] || kill -TERM "$step" 2>/dev/null; exit 0' INT TERM
    demo_catalogue_setup & step=$!
    wait "$step" || echo "demo: catalogue setup failed" >&2
    while :; do
      sleep 2 & step=$!; wait "$step" || true
      round=$((round + 1))
      jobctl enqueue --kind platform.noop --args '{"sleepMs":50}' --count 20 >/dev/null & step=$!
      wait "$step" || echo "demo: enqueue failed" >&2
      if [ $((round % 5)) = 0 ]; then
        # A summary line every 10 s, so the flow of work shows in this terminal too.
        jobctl stats --json 2>/dev/null | sed -E 's/.*"states":\{([^}]*)\}.*/demo: jobs by state: \1/; s/"//g; s/,/, /g' >&2 & step=$!
        wait "$step" || true
      fi
      demo_catalogue_round "$round" & step=$!
      wait "$step" || echo "demo: catalogue enqueue failed" >&2
      if [ $((round % 10)) = 0 ]; then
        # Few attempts, so its retries and final discard show within a minute or so.
        jobctl enqueue --kind platform.noop --args '{"fail":true}' --max-attempts 3 >/dev/null & step=$!
        wait "$step" || echo "demo: enqueue failed" >&2
      fi
    done
  }
  demo_loop &
  pids+=("$!")
  echo "Demo: watch it on the dashboard, $dashboard_url/ (Backlog, Jobs, Recurring Jobs). 20 platform.noop jobs every 2 s and a failing one every 20 s, recurring schedules, an email and a thumbnail job every 10 s, a billing run, an operations report every minute (watch: scripts/jobctl stats, scripts/jobctl list, ls .data/mail/new $Blobs__Root/demo/out $Blobs__Root/reports)."
fi

# Wait for the hosts; a signal interrupts the wait, and the traps above take over from there.
# If one exits by itself (a bad setting, say), the others are stopped and this script exits with its status.
status=0
wait -n "$worker" "$scheduler" "$dashboard" || status=$?
exit "$status"
