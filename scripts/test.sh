#!/usr/bin/env bash
# Quick start: set up and run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set).
# Browser journeys need Debian's Chromium at /usr/bin/chromium; it is installed here when missing.
set -euo pipefail
EXTRAS=test source "$(dirname "$0")/setup.sh"
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-dejavu-core
fi
[ -x /usr/bin/chromium ] || { echo "FATAL: /usr/bin/chromium is required for the browser tests" >&2; exit 1; }
exec python -m pytest "$@"
