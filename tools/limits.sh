#!/usr/bin/env bash
# Resource limits: a 100,000-revision script directory, 10 MB revision files
# (.sql and .py), a database of 10,000 tables and a table of 2,000 columns,
# generated at run time under .build/limits. Each run must succeed or stop
# with a documented exit code and one line, within the memory bar of
# tools/bench.sh (100 MB peak RSS). Options: see tools/limits.sh --help;
# --quick is the small form ctest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 tools/limits/limits.py "$@"
