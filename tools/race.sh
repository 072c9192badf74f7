#!/usr/bin/env bash
# Concurrent sqlmend processes on one database and fleets over one folder:
# `upgrade head`, `downgrade -1` and `stamp` raced on one database, `fix-fk`
# on one file from many processes, and fleets of `fix-fk` over one folder.
# Checks that each revision was applied exactly once (counted in a log table
# the revisions write), that alembic_version stays consistent, that each
# file was repaired once with one backup of the original, and that every
# process that did not succeed exited with the documented lock message.
# Options: see tools/race.sh --help; e.g. tools/race.sh --processes 100
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 tools/race/race.py "$@"
