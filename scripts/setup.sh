#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: a virtualenv in .venv with the project installed.
# Sourced, not run. Installs Debian's python3-venv first when the machine lacks it (as root or via sudo).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv 2>/dev/null || { apt_install python3-venv && rm -rf .venv && python3 -m venv .venv; }
fi
# pip's output is kept out of the way unless something fails
PIP_LOG="$(mktemp)"
if ! { .venv/bin/python -m pip install -q --upgrade pip &&
       .venv/bin/python -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"; } >"$PIP_LOG" 2>&1; then
  cat "$PIP_LOG" >&2
  echo "FATAL: installing the Python packages failed" >&2
  exit 1
fi
.venv/bin/pybabel compile -d smartcity_survey/translations >/dev/null
export PATH="$ROOT/.venv/bin:$PATH"
