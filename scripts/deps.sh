# Sourced by run.sh and test.sh: installs the Debian packages the job catalogue needs when missing.
# (The image kinds need none: libvips comes inside the NetVips.Native.linux-x64 NuGet package.)
#   python3-aiosmtpd  the SMTP server of the tests and of ./run.sh --demo
#   chromium        report.generate prints HTML to PDF with it
#   poppler-utils   pdftotext, which the report tests read PDFs with

# Prints the packages of the list that are not installed.
missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_catalogue_packages() {
  ensure_packages python3-aiosmtpd chromium poppler-utils
}

# Installs the given Debian packages when missing (as root; otherwise says what to run).
ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Missing packages:" $missing "— run as root (or: apt-get install" $missing ") first." >&2
    return 1
  fi
  echo "Installing" $missing "with apt-get…" >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  { apt-get install -y --no-install-recommends $missing || { apt-get update && apt-get install -y --no-install-recommends $missing; }; } >&2
}

# kubectl renders the Kubernetes overlays in the deployment tests (`kubectl kustomize`, offline). It needs a
# kubectl with kustomize 5 (kubectl 1.27 or later); Debian bookworm's kubernetes-client is 1.20 and too old.
ensure_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "kubectl is missing — install kubectl 1.27 or later (https://kubernetes.io/docs/tasks/tools/) first." >&2
    return 1
  fi
  echo "Installing kubectl with apt-get…" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y --no-install-recommends kubectl || { apt-get update && apt-get install -y --no-install-recommends kubectl; }; } >&2 \
    || { echo "kubectl is not in the configured apt sources: install kubectl 1.27 or later, then run this again." >&2; return 1; }
}
