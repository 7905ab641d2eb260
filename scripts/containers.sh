#!/usr/bin/env bash
# Builds the four images from deploy/images/*.Dockerfile with podman and runs them against a throwaway
# PostgreSQL on this machine: the jobctl image migrates, then the worker, scheduler and dashboard images start
# read-only as their unprivileged user, each must report ready on /health/ready, a job enqueued with the jobctl
# image must complete on the worker image, and every container must stop cleanly on SIGTERM. Stops by itself.
#
#   scripts/containers.sh
#
# Needs root (podman, buildah and debootstrap are installed with apt-get when missing). Where the base images
# (mcr.microsoft.com/dotnet/sdk and aspnet) cannot be pulled, as on a machine that reaches only package
# registries, local stand-ins under the same names are made first: a Debian bookworm root filesystem with what
# the official images carry (ICU, OpenSSL, zlib, tzdata; debootstrap) and this machine's .NET SDK or runtime
# copied in. The Dockerfiles are then built unchanged.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
. scripts/pg.sh
ensure_postgres_installed

[ "$(id -u)" = 0 ] || { echo "containers.sh: run as root (podman builds and runs rootful here)." >&2; exit 1; }
for tool in podman buildah debootstrap runc; do
  command -v "$tool" >/dev/null || { echo "Installing $tool with apt-get…" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >&2; }
done
# runc with cgroupfs, and limits below this machine's hard ones: crun refuses hosts whose cgroups are in hybrid
# mode, and podman's default limits are above what an unprivileged parent may set. Build steps run chrooted.
CONTAINERS_CONF=$(mktemp -t jobplatform-containers.XXXXXX.conf)
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
export CONTAINERS_CONF
export BUILDAH_ISOLATION=chroot

arg() { sed -n "s/^ARG $1=//p" deploy/images/worker.Dockerfile | head -1; }
sdk_image="mcr.microsoft.com/dotnet/sdk:$(arg DOTNET_SDK)"
runtime_image="mcr.microsoft.com/dotnet/aspnet:$(arg DOTNET_RUNTIME)"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime_version=$(arg DOTNET_RUNTIME | cut -d- -f1)

# A stand-in for a .NET base image: Debian bookworm with .NET copied from this machine, the image's user (app,
# uid 1654, in $APP_UID) and its environment, under the official image's name.
stand_in() {
  local name=$1 what=$2 rootfs=/var/tmp/jobplatform-rootfs
  podman image exists "$name" && return 0
  podman pull -q "$name" >/dev/null 2>&1 && return 0
  echo "No $name to pull: making a local stand-in ($what)…" >&2
  [ -x "$rootfs/bin/bash" ] || debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,zlib1g,libstdc++6,tzdata bookworm "$rootfs" http://deb.debian.org/debian >&2
  local c; c=$(buildah from scratch)
  buildah copy -q "$c" "$rootfs" / >/dev/null
  if [ "$what" = sdk ]; then
    buildah copy -q "$c" "$dotnet_root" /usr/share/dotnet >/dev/null
  else
    for part in dotnet LICENSE.txt host "shared/Microsoft.NETCore.App/$runtime_version" "shared/Microsoft.AspNetCore.App/$runtime_version"; do
      buildah copy -q "$c" "$dotnet_root/$part" "/usr/share/dotnet/$part" >/dev/null
    done
  fi
  # This machine's certificate authorities, so that a restore reaches the package registry as it does here.
  buildah copy -q "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
  buildah run --isolation chroot "$c" -- sh -c 'ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && groupadd -g 1654 app && useradd -u 1654 -g app -m -s /usr/sbin/nologin app' >&2
  buildah config --env APP_UID=1654 --env DOTNET_RUNNING_IN_CONTAINER=true --env ASPNETCORE_HTTP_PORTS=8080 \
    --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --label "org.opencontainers.image.description=local stand-in for $name" "$c"
  buildah commit -q "$c" "$name" >/dev/null
  buildah rm "$c" >/dev/null
}
stand_in "$sdk_image" sdk
stand_in "$runtime_image" runtime

tag=containers-check
for image in jobctl worker scheduler dashboard; do
  echo "Building jobplatform-$image:$tag…" >&2
  podman build -q --isolation chroot --network host -f "deploy/images/$image.Dockerfile" -t "jobplatform-$image:$tag" \
    --build-arg VERSION="$tag" --build-arg REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" . >/dev/null
done
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "jobplatform-.*:$tag" >&2

dir=$(mktemp -d -t jobplatform-containers-pg.XXXXXX)
containers=()
cleanup() {
  local s=$?
  for c in "${containers[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  stop_cluster "$dir" immediate; rm -rf "$dir" "$CONTAINERS_CONF"; exit "$s"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
make_cluster_dir "$dir"
init_cluster "$dir"
start_cluster_on_free_port "$dir"
db="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"

# Host networking: the containers reach the cluster on 127.0.0.1 and serve on free loopback ports.
run() { podman run --rm --network host --read-only --tmpfs /tmp -e "ConnectionStrings__JobPlatform=$db" "$@"; }
echo "jobctl image: migrate" >&2
run "jobplatform-jobctl:$tag" migrate >&2
run "jobplatform-jobctl:$tag" migrate --check >&2

mkdir -p "$dir/blobs"
declare -A ports=([worker]=$(free_port) [scheduler]=$(free_port) [dashboard]=$(free_port))
hash=$(printf '%s\n' "containers-check-$RANDOM" | run -i "jobplatform-jobctl:$tag" dashboard hash-password)
for service in worker scheduler dashboard; do
  extra=()
  [ "$service" = worker ] && extra=(-e JobPlatform__Worker__MigrateOnStart=false -v "$dir/blobs:/var/lib/jobplatform/blobs:U")
  [ "$service" = dashboard ] && extra=(-e "Dashboard__Users__admin__PasswordHash=$hash" -e Dashboard__Users__admin__Role=admin)
  podman run -d --name "jobplatform-check-$service" --network host --read-only --tmpfs /tmp \
    -e "ConnectionStrings__JobPlatform=$db" -e "ASPNETCORE_HTTP_PORTS=${ports[$service]}" "${extra[@]}" \
    "jobplatform-$service:$tag" >/dev/null
  containers+=("jobplatform-check-$service")
done
for service in worker scheduler dashboard; do
  url="http://127.0.0.1:${ports[$service]}/health/ready"
  for _ in $(seq 60); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 1; done
  curl -fsS -o /dev/null "$url" || { podman logs "jobplatform-check-$service" >&2; echo "$service did not become ready" >&2; exit 1; }
  user=$(podman exec "jobplatform-check-$service" id -u)
  echo "$service image: ready on /health/ready, running as uid $user, root filesystem read-only" >&2
  [ "$user" = 1654 ] || { echo "$service runs as uid $user, not 1654" >&2; exit 1; }
done

id=$(run "jobplatform-jobctl:$tag" enqueue --kind platform.noop --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["ids"][0])')
for _ in $(seq 30); do
  state=$(run "jobplatform-jobctl:$tag" get "$id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" = completed ] && break
  sleep 1
done
[ "$state" = completed ] || { podman logs jobplatform-check-worker >&2; echo "job $id is $state, not completed" >&2; exit 1; }
echo "job $id enqueued with the jobctl image completed on the worker image" >&2

for service in worker scheduler dashboard; do
  podman stop -t 90 "jobplatform-check-$service" >/dev/null
  code=$(podman inspect -f '{{.State.ExitCode}}' "jobplatform-check-$service")
  [ "$code" = 0 ] || { podman logs "jobplatform-check-$service" >&2; echo "$service exited with $code on SIGTERM" >&2; exit 1; }
done
echo "containers.sh: the four images build and run: migrate, ready, a job worked, clean stops"
