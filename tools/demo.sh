#!/usr/bin/env bash
# Shows the repair end to end: sets up, builds, makes a legacy database from
# fixtures/demo by running a real rename-first migration through SQLite,
# shows the failing insert, diagnoses it, repairs and stamps it, and shows the
# insert working. The build is quiet (its output goes to a log that is named
# only if it fails) and shared with tools/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
tools/setup.sh >/dev/null
build=.build/release
echo "demo: building sqlmend (compiler output: $build/build.log)"
sqlmend_configure "$build" "${SQLMEND_PLAIN_FLAGS[@]}" -DSQLMEND_SANITIZE=OFF -DSQLMEND_WERROR=ON \
  -DSQLMEND_BUILD_TESTS=ON
sqlmend_build "$build" "$build/build.log" sqlmend
sqlmend="$PWD/$build/sqlmend"

work=.build/demo-work
rm -rf "$work" && mkdir -p "$work"
db="$work/app.sqlite"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "1. The application database, then its rename-first migration (SQLite $(sqlite3 --version | cut -d' ' -f1))"
sqlite3 "$db" < fixtures/demo/schema.sql
sqlite3 "$db" < fixtures/demo/migration.sql
show sqlite3 "$db" "SELECT sql FROM sqlite_schema WHERE name IN ('posts','comments','post_authors')"
show sqlite3 "$db" "PRAGMA integrity_check"

step "2. Every write to a child now fails once foreign keys are on"
show sqlite3 "$db" "PRAGMA foreign_keys=ON; INSERT INTO posts(user_id, title) VALUES (1, 'hello');" || true

step "3. Diagnose (reads only; exit code 1 = damage found)"
show "$sqlmend" check-fk "$db" || echo "(exit code $?)"

step "4. Repair and stamp the revision in one safe step"
show "$sqlmend" fix-fk "$db" --stamp 0c3414079bfe

step "5. The insert works, the view works, the revision is stamped"
show sqlite3 "$db" "PRAGMA foreign_keys=ON; INSERT INTO posts(user_id, title) VALUES (1, 'hello'); SELECT id, title FROM posts ORDER BY id DESC LIMIT 1;"
show sqlite3 "$db" "SELECT count(*) FROM post_authors"
show sqlite3 "$db" "SELECT version_num FROM alembic_version"
show "$sqlmend" check-fk "$db"
show ls "$work"
