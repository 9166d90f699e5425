#!/usr/bin/env bash
# Installs the system programs a make target needs, when they are missing.
#   scripts/system-packages.sh test    PostgreSQL, Redis, Chromium, gettext, Java, Node.js and npm
#   scripts/system-packages.sh bench   PostgreSQL, Redis and wrk
# As root with apt-get it installs them (apt-get update first); otherwise it prints the
# one command to run and fails, so nothing starts half-equipped.
set -euo pipefail

purpose="${1:?usage: scripts/system-packages.sh test|bench}"
python="${PYTHON:-python3}"
missing=()

has() { command -v "$1" >/dev/null 2>&1; }
has_postgres() { has initdb || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
need() { missing+=("$1"); }

# Every target builds a virtualenv first.
"$python" -c "import venv, ensurepip" >/dev/null 2>&1 || need python3-venv
has_postgres || need postgresql
has redis-server || need redis-server

case "$purpose" in
  test)
    [ -x /usr/bin/chromium ] || need chromium
    { has xgettext && has msgfmt; } || need gettext
    has java || need default-jre-headless
    has node || need nodejs
    # Node.js from NodeSource brings its own npm; Debian's nodejs does not.
    has npm || need npm
    ;;
  bench)
    has wrk || need wrk
    ;;
  *)
    echo "unknown purpose '$purpose': use test or bench" >&2
    exit 2
    ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && has apt-get; then
  echo "Installing the system packages 'make $purpose' needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends ${missing[*]}
  exit 0
fi

echo "'make $purpose' needs these system packages, which are missing: ${missing[*]}" >&2
if has apt-get; then
  echo "Install them with this one command, then run 'make $purpose' again:" >&2
  echo "    sudo apt-get update && sudo $command" >&2
else
  echo "This is not a Debian-like system: install the equivalents of these Debian packages with your package manager." >&2
fi
exit 1
