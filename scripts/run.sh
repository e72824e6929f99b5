#!/usr/bin/env bash
# Quick start: set up, create the SQLite database with the demo year, serve on http://127.0.0.1:5000
set -euo pipefail
source "$(dirname "$0")/setup.sh"
export SMARTCITY_CONFIG="${SMARTCITY_CONFIG:-development}"
flask --app wsgi init
flask --app wsgi demo --if-empty
exec flask --app wsgi run --host 127.0.0.1 --port "${PORT:-5000}"
