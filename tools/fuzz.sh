#!/usr/bin/env bash
# Fuzzes sqlmend's parsers with libFuzzer (tests/fuzz), built by clang with
# AddressSanitizer and UBSan in .build/fuzz:
#   tools/fuzz.sh [TARGET...] [--seconds N] [--timeout S] [--rss-mb M]
# runs each TARGET (default: all, one after another) for N seconds (default
# 60) and prints its executions. A crash, a sanitizer finding, a leak, an
# input that runs longer than S seconds (default 30; 150 for python, see
# below) or needs more than M MB (default 2048) fails the run: the input is saved under
# .build/fuzz/artifacts/TARGET/ and the script exits 1. Replay one with
#   .build/fuzz/tests/fuzz/fuzz_TARGET .build/fuzz/artifacts/TARGET/crash-...
# Seeds come from fixtures/ and are written anew each run into
# .build/fuzz/corpus/TARGET/seed; the inputs libFuzzer finds interesting are
# kept in .build/fuzz/corpus/TARGET/found for the next run. `--list` prints
# the targets. Environment: JOBS (build parallelism, default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
all_targets=(tokenizer splice rewriter ini pyproject revision_header sql_revision mako python check_fk)
seconds=60
timeout=
rss_mb=2048
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs a number}; shift 2 ;;
    --rss-mb) rss_mb=${2:?--rss-mb needs a number}; shift 2 ;;
    --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *)
      if [[ " ${all_targets[*]} " != *" $1 "* ]]; then
        echo "fuzz: no target '$1' (tools/fuzz.sh --list)" >&2
        exit 2
      fi
      targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

tools/setup.sh --fuzz
build=.build/fuzz
sqlmend_configure "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1" -DCMAKE_UNITY_BUILD=ON \
  -DSQLMEND_SANITIZE=ON -DSQLMEND_FUZZ=ON -DSQLMEND_BUILD_TESTS=OFF -DSQLMEND_WERROR=ON
echo "fuzz: building ${targets[*]} in $build"
sqlmend_build "$build" "$build/build.log" "${targets[@]/#/fuzz_}"

# seed_files TARGET: the fixture files a target starts from, one a line.
seed_files() {
  case $1 in
    tokenizer | splice | rewriter) find fixtures -name '*.sql' ;;
    ini) find fixtures -name '*.ini' ;;
    pyproject) find fixtures -name '*.toml' ;;
    revision_header | python) find fixtures -name '*.py' ;;
    mako) find fixtures -name '*.mako' ;;
  esac
}

# make_seeds TARGET DIR: fills DIR with the target's seeds.
make_seeds() {
  local target=$1 dir=$2 file n=0
  rm -rf "$dir"
  mkdir -p "$dir"
  while IFS= read -r file; do
    n=$((n + 1))
    cp "$file" "$dir/$n-$(basename "$file")"
  done < <(seed_files "$target" | sort)
  case $target in
    sql_revision)
      # No fixture is a .sql revision; these are the two forms sqlmend writes
      # and reads (script/sql_revision.h).
      printf '%s\n' '-- revision: 0c3414079bfe' '-- down_revision: 1a2b3c4d5e6f, 9f8e7d6c5b4a' \
        '-- branch_labels: auth' '-- depends_on: 5e6f7a8b9c0d' '-- message: add users.email' \
        '-- create_date: 2026-11-24 23:18:07.123456' '' '-- upgrade' \
        'ALTER TABLE users ADD COLUMN email TEXT;' \
        "CREATE TRIGGER t AFTER INSERT ON users BEGIN UPDATE users SET email = 'x;'; END;" '' \
        '-- downgrade' 'ALTER TABLE users DROP COLUMN email;' >"$dir/merge.sql"
      printf '%s\n' '-- revision: 1a2b3c4d5e6f' '-- down_revision: None' '' '-- upgrade' '' \
        '-- downgrade' >"$dir/base.sql"
      ;;
    pyproject)
      printf '%s\n' '[tool.alembic]' 'script_location = "%(here)s/alembic"' \
        'version_locations = ["%(here)s/alembic/versions", "other"]' \
        'prepend_sys_path = ["."]' 'revision_environment = "yes"' 'truncate_slug_length = 40' '' \
        '[[tool.alembic.post_write_hooks]]' 'name = "black"' 'type = "console_scripts"' \
        'entrypoint = "black"' >"$dir/alembic.toml"
      ;;
    check_fk)
      # The fixtures/fk databases, built by the sqlite3 shell; those the
      # shell cannot build alone (a fixture that needs a test's own set-up)
      # are skipped.
      for file in fixtures/fk/*.sql; do
        sqlite3 "$dir/$(basename "$file" .sql).sqlite" <"$file" >/dev/null 2>&1 ||
          rm -f "$dir/$(basename "$file" .sql).sqlite"
        rm -f "$dir"/*-wal "$dir"/*-shm "$dir"/*-journal
      done
      ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  artifacts=$build/artifacts/$target
  make_seeds "$target" "$corpus/seed"
  mkdir -p "$corpus/found" "$artifacts" "$build/tmp"
  # The interpreter stops a script after kMaxSteps (2 million) loop
  # iterations and calls (python/interpreter.h); built for fuzzing (-O1,
  # ASan, UBSan, coverage) a step cost up to 50 us on a busy 2-core
  # machine, so `x = 1` / `while True: x = x + 1` ran 100 s before the cap
  # ended it.
  target_timeout=${timeout:-30}
  [ -z "$timeout" ] && [ "$target" = python ] && target_timeout=150
  log=$build/logs/$target.log
  mkdir -p "$(dirname "$log")"
  echo "fuzz: $target for $seconds s (log: $log)"
  # -rss_limit_mb also caps single allocations (malloc_limit_mb defaults to
  # it); a leak is reported by LeakSanitizer at the end of the input that
  # made it.
  if TMPDIR=$PWD/$build/tmp "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
      -timeout="$target_timeout" -rss_limit_mb="$rss_mb" -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus/found" "$corpus/seed" >"$log" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 executions in \2 s/p' "$log" | tail -n 1)
    echo "fuzz: $target: ${runs:-? executions}, nothing found"
  else
    status=1
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz: $target: FAILED after ${runs:-?} executions:" >&2
    grep -E '^==[0-9]+==(ERROR|WARNING)|^SUMMARY|invariant failed|ALARM|Test unit written|out-of-memory' \
      "$log" | head -n 8 >&2 || tail -n 20 "$log" >&2
  fi
done
exit $status
