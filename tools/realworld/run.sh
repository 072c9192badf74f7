#!/usr/bin/env bash
# Runs real projects' Alembic revision trees through Debian's alembic and
# through sqlmend, step by step, and compares the databases after each step.
#
#   tools/realworld/run.sh [--mirror DIR] [PROJECT...]
#
# PROJECT: one or more of the names `tools/realworld/run.sh --list` prints
# (all when none is named). DIR holds the projects' copies as the search
# tool's `fetch` writes them (DIR/<owner>+<name>/repo, a bare git directory);
# it defaults to the `.mirror` folder beside this checkout. SQLMEND_BIN names
# the binary to test; without it a fresh plain build is made. Work files go to
# .build/realworld/ (ignored). Exit status: 0 when every check passes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mirror="$(dirname "$root")/.mirror"
projects=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mirror) mirror=$2; shift 2 ;;
    --mirror=*) mirror=${1#--mirror=}; shift ;;
    --list) /usr/bin/python3 -B -c "import sys; sys.path.insert(0, '$here'); import projects; [print(p.name, p.repo, p.commit) for p in projects.PROJECTS]"; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) projects+=("$1"); shift ;;
  esac
done

if [ ! -x /usr/bin/alembic ] || ! /usr/bin/python3 -c 'import sqlalchemy, alembic' 2>/dev/null; then
  echo "run.sh: Debian's alembic is missing: run tools/realworld/setup.sh" >&2
  exit 2
fi

cd "$root"
if [ -z "${SQLMEND_BIN:-}" ]; then
  # shellcheck source=../lib.sh
  source tools/lib.sh
  echo "run.sh: building sqlmend (log: .build/release/build.log)" >&2
  sqlmend_configure .build/release "${SQLMEND_PLAIN_FLAGS[@]}" -DSQLMEND_SANITIZE=OFF
  JOBS=${JOBS:-1} sqlmend_build .build/release .build/release/build.log sqlmend
  SQLMEND_BIN=$root/.build/release/sqlmend
fi
SQLMEND_BIN=$(realpath "$SQLMEND_BIN")
mkdir -p .build/realworld
exec /usr/bin/python3 -B "$here/harness.py" --mirror "$mirror" --bin "$SQLMEND_BIN" \
  --work "$root/.build/realworld" "${projects[@]}"
