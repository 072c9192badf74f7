#!/usr/bin/env bash
# Heavy benchmarks of sqlmend against the tools users reach for today; never
# run by CI. Builds sqlmend in Release (.build/bench), generates damaged
# databases with tools/bench/make_bigdb.sh into .build/bench-data (kept and
# reused while the generator is unchanged), warms the page cache, times with
# hyperfine and prints medians, ratios and the bars the project set itself
# (VACUUM INTO, SQLite rebuilding every b-tree, is the floor for a reload):
#   fixfk_sizes  fix-fk end to end (default verification, fsync included)
#                against cp, VACUUM INTO and .dump | sqlite3, at each size,
#                on two databases (make_bigdb.sh's shop shape, and its
#                index-heavy shape with many orphan rows);
#                bar: fix-fk <= 1.3x VACUUM INTO.
#   fixfk_rss    fix-fk's peak RSS (GNU time) at each size;
#                bar: under 100 MB and flat.
#   fleet        fix-fk --stamp over a tree of --fleet-files copies of a 1 MiB
#                application database (60 % broken, 30 % healthy, 5 %
#                unresolvable, 5 % truncated) against the manual procedure
#                (sqlite3 .dump | sed | sqlite3, mv, alembic stamp) as a shell
#                loop over a deterministic 10 % sample of the same tree (it
#                costs ~0.4 s a file); medians of 3 (--fleet-runs);
#                bars: -j 2 >= 20x the loop's files/s, -j 2 >= 1.7x -j 1.
#   alembic_startup  `current`, `heads`, `history` on a 50-revision project:
#                sqlmend against alembic (hyperfine -N, medians); bar: >= 30x.
#                Then checks that --json gives one line per file and a summary
#                matching the tree, and that a run killed halfway and started
#                again ends right without touching the files it had finished.
#   upgrade_head `upgrade head` from an empty database on two 50-revision
#                chains of autogenerate-style .py revisions made by
#                tools/bench/make_py_chain.sh (create_table with foreign
#                keys and an index; the second chain adds a batch rebuild
#                every fifth revision): sqlmend against alembic (hyperfine -N,
#                the database removed before each run, medians); bar: >= 20x
#                on each. Then checks both left the same schema (table
#                constraints in any order). Then the
#                same for a real project of tools/realworld/
#                (SQLMEND_BENCH_PROJECT, default pgadmin4, the largest) from
#                its seeded start database, read from the fetch mirror
#                (SQLMEND_BENCH_MIRROR, default the .mirror folder beside
#                the checkout).
#   autogenerate `revision --autogenerate -m bench` on a project of 60 models
#                over six modules made by tools/bench/make_autogen_project.py,
#                against an empty database (so all 60 tables are written):
#                sqlmend against /usr/bin/alembic (hyperfine -N, medians; the
#                revision files, __pycache__ and the database removed before
#                each run); bar: >= 20x. One untimed run of each first: it
#                must succeed and create the 60 tables (sqlmend's the same
#                ones as alembic's), or the benchmark stops with why.
# Usage: tools/bench.sh [--mb "256 1024"] [--runs 5] [--dump-runs 3]
#                       [--only fixfk_sizes|fixfk_rss|fleet|alembic_startup|upgrade_head|autogenerate]
#                       [--jobs 2]
#                       [--fleet-files 2000] [--fleet-runs 3]
# The .dump | sqlite3 reference takes ~15 s per run at 1 GB, so it runs
# min(--runs, --dump-runs) times. Exit status: 0 when every bar that was
# measured passes (a missing fix-fk subcommand is a skip, not a failure),
# 1 when a bar, the Release build or a fix-fk run fails, 2 on a usage or
# environment error.
# SQLMEND_BENCH_BIN=path times another sqlmend binary (the Release build still
# runs). A new benchmark is a bench_<name> function plus its name in
# `benchmarks`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

benchmarks=(fixfk_sizes fixfk_rss fleet alembic_startup upgrade_head autogenerate)
sizes="256 1024"
runs=5
dump_runs=3
only=""
jobs=2
fleet_files=2000
fleet_runs=3

build_dir=$root/.build/bench
data_dir=$root/.build/bench-data
results_dir=$data_dir/results
out_dir=$data_dir/out       # every timed command writes $out_dir/x.sqlite
sqlmend=${SQLMEND_BENCH_BIN:-$build_dir/sqlmend}
generator=$root/tools/bench/make_bigdb.sh
failed_bars=0
build_ok=0

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "bench: $*" >&2; exit 2; }
say() { printf '\n== %s\n' "$*"; }

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --mb) sizes=${2:?--mb needs a list of sizes}; shift 2 ;;
      --runs) runs=${2:?--runs needs a number}; shift 2 ;;
      --dump-runs) dump_runs=${2:?--dump-runs needs a number}; shift 2 ;;
      --only) only=${2:?--only needs a benchmark name}; shift 2 ;;
      --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
      --fleet-files) fleet_files=${2:?--fleet-files needs a number}; shift 2 ;;
      --fleet-runs) fleet_runs=${2:?--fleet-runs needs a number}; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  local n
  for n in $sizes; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "--mb: '$n' is not a size in MiB"; done
  [ -n "${sizes// /}" ] || die "--mb: no size given"
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs: '$runs' is not a positive number"
  [[ $dump_runs =~ ^[1-9][0-9]*$ ]] || die "--dump-runs: '$dump_runs' is not a positive number"
  [[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs: '$jobs' is not a positive number"
  [[ $fleet_files =~ ^[1-9][0-9]*$ ]] && [ "$fleet_files" -ge 20 ] || die "--fleet-files: '$fleet_files' is not a number >= 20"
  [[ $fleet_runs =~ ^[1-9][0-9]*$ ]] || die "--fleet-runs: '$fleet_runs' is not a positive number"
  if [ -n "$only" ] && ! declare -F "bench_$only" >/dev/null; then
    die "--only: no benchmark '$only' (known: ${benchmarks[*]})"
  fi
}

# ---------------------------------------------------------------- helpers

build_sqlmend() {
  say "setup and Release build in ${build_dir#"$root"/}"
  tools/setup.sh
  for tool in sqlite3 hyperfine /usr/bin/time awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (tools/setup.sh should have installed it)"
  done
  # NOTE: a failed build skips the fix-fk measurements (and makes the exit
  # status 1) rather than stopping the script: the references still run, and
  # a stale binary is never timed.
  if cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DSQLMEND_BUILD_TESTS=OFF >/dev/null &&
     cmake --build "$build_dir" --target sqlmend -j "$jobs"; then
    build_ok=1
  else
    build_ok=0
    failed_bars=$((failed_bars + 1))
    echo "bench: the Release build failed; fix-fk measurements will be skipped" >&2
  fi
}

# Whether the built sqlmend has `fix-fk ... --output`; says why not otherwise.
# NOTE: CLI11 prints the top-level help, exit 0, for an unknown subcommand
# followed by --help, so the exit code alone proves nothing.
have_fixfk() {
  local help
  if [ "$build_ok" = 0 ] && [ -z "${SQLMEND_BENCH_BIN:-}" ]; then
    echo "SKIPPED: the Release build of sqlmend failed (see the build output above)"
    return 1
  fi
  if ! help=$("$sqlmend" fix-fk --help 2>&1) || ! grep -q -- '--output' <<<"$help"; then
    echo "SKIPPED: $sqlmend has no 'fix-fk ... --output' yet ('sqlmend fix-fk --help' does not list --output)"
    return 1
  fi
}

# The generated database for $1 MiB; generated unless a copy made by the
# current generator with a plausible size is already there.
db_for() {  # MiB [SHAPE]: the generated database, made again when stale
  local mb=$1 shape=${2:-shop}
  local db=$data_dir/big-$1.sqlite
  [ "$shape" = shop ] || db=$data_dir/big-$1-$shape.sqlite
  local stamp="$(sha256sum <"$generator" | cut -c1-16) $mb $shape"
  if [ -f "$db" ] && [ "$(cat "$db.stamp" 2>/dev/null)" = "$stamp" ] && size_is_plausible "$db" "$mb"; then
    echo "$db"
    return
  fi
  rm -f "$db" "$db.stamp"
  "$generator" "$db" "$mb" "$shape" >&2
  size_is_plausible "$db" "$mb" || die "$db: size $(stat -c %s "$db") bytes is not about $mb MiB"
  echo "$stamp" >"$db.stamp"
  echo "$db"
}

size_is_plausible() {  # file, MiB: within 15% (small sizes carry fixed overhead)
  local bytes
  bytes=$(stat -c %s "$1")
  awk -v b="$bytes" -v mb="$2" 'BEGIN { r = b / (mb * 1048576); exit !(r > 0.85 && r < 1.15) }'
}

# A cheap identity of a file: a benchmark must not change its input.
file_identity() { stat -c '%s %Y %Z' "$1"; }

warm() { cat "$@" >/dev/null; }

mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }

# hyperfine NAME RUNS COMMAND: the median in seconds, also kept as
# $results_dir/NAME.csv. Each run starts with an empty $out_dir.
time_median() {
  local name=$1 n=$2 command=$3 csv=$results_dir/$1.csv
  local warmup=1
  [ "$n" -lt 3 ] && warmup=0
  hyperfine --style basic --runs "$n" --warmup "$warmup" \
    --prepare "rm -rf '$out_dir' && mkdir -p '$out_dir'" \
    --command-name "$name" --export-csv "$csv" "$command" >&2
  # columns: command,mean,stddev,median,user,system,min,max
  awk -F, 'NR == 2 { print $4 }' "$csv"
}

# Tables whose REFERENCES name a table that does not exist.
dangling_tables() {
  sqlite3 "$1" "SELECT count(DISTINCT m.name) FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f
    WHERE m.type = 'table' AND f.\"table\" NOT IN (SELECT name FROM sqlite_schema WHERE type = 'table')"
}

# One untimed fix-fk run: it must succeed and repair every reference, or its
# timing means nothing. Prints why not on failure.
check_fixfk_once() {
  local db=$1 out=$out_dir/x.sqlite rc=0 err
  rm -rf "$out_dir" && mkdir -p "$out_dir"
  err=$("$sqlmend" fix-fk "$db" --output "$out" 2>&1 >/dev/null) || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "fix-fk failed (exit $rc): $err"
    return 1
  fi
  if [ ! -f "$out" ] || [ "$(dangling_tables "$out")" != 0 ]; then
    echo "fix-fk exited 0 but $out is missing or still has dangling REFERENCES"
    return 1
  fi
}

# Sets $verdict from a 1/0 bar result and counts failures (no subshell, so
# the count survives).
verdict=""
judge() { if [ "$1" = 1 ]; then verdict=PASS; else verdict=FAIL; failed_bars=$((failed_bars + 1)); fi; }

# One line of the timing table: operation, median, runs, ratio to $2's ref.
table_row() {
  awk -v op="$1" -v t="$2" -v n="$3" -v v="$4" 'BEGIN { printf "%-30s %10.3f %6d %15.2fx\n", op, t, n, t / v }'
}

# ------------------------------------------------------------- benchmarks

# fix-fk end to end against the three references, at every size.
bench_fixfk_sizes() {
  local fixfk=1 mb db before shape
  have_fixfk || fixfk=0
  local summary=()
  for mb in $sizes; do
  for shape in shop index-heavy; do
    db=$(db_for "$mb" "$shape")
    before=$(file_identity "$db")
    say "fixfk_sizes: --mb $mb, $shape: ${db#"$root"/} is $(mib "$(stat -c %s "$db")"), $(sqlite3 "$db" 'PRAGMA page_count') pages"
    warm "$db"
    local x=$out_dir/x.sqlite
    local t_cp t_vacuum t_dump t_fix="" n_dump=$((runs < dump_runs ? runs : dump_runs))
    t_cp=$(time_median "cp-$mb" "$runs" "cp '$db' '$x'")
    t_vacuum=$(time_median "vacuum-into-$mb" "$runs" "sqlite3 '$db' \"VACUUM INTO '$x'\"")
    t_dump=$(time_median "dump-pipe-$mb" "$n_dump" "sqlite3 '$db' .dump | sqlite3 '$x'")
    local fix_note=""
    if [ "$fixfk" = 1 ]; then
      if fix_note=$(check_fixfk_once "$db"); then
        t_fix=$(time_median "fix-fk-$mb" "$runs" "'$sqlmend' fix-fk '$db' --output '$x'")
      fi
    else
      fix_note="SKIPPED: no fix-fk subcommand"
    fi
    [ "$(file_identity "$db")" = "$before" ] || { rm -f "$db.stamp"; die "$db changed during the benchmark"; }
    rm -rf "$out_dir"

    printf '\n%-30s %10s %6s %16s\n' operation "median s" runs "vs VACUUM INTO"
    table_row "cp big x" "$t_cp" "$runs" "$t_vacuum"
    table_row "sqlite3 big \"VACUUM INTO 'x'\"" "$t_vacuum" "$runs" "$t_vacuum"
    table_row "sqlite3 big .dump | sqlite3 x" "$t_dump" "$n_dump" "$t_vacuum"
    if [ -n "$t_fix" ]; then
      table_row "sqlmend fix-fk big --output x" "$t_fix" "$runs" "$t_vacuum"
      local ok
      ok=$(awk -v f="$t_fix" -v v="$t_vacuum" 'BEGIN { print (f <= 1.3 * v) ? 1 : 0 }')
      awk -v f="$t_fix" -v v="$t_vacuum" -v d="$t_dump" -v c="$t_cp" 'BEGIN {
        printf "fix-fk: %.2fx VACUUM INTO, %.2fx .dump|sqlite3, %.1fx cp\n", f / v, f / d, f / c }'
      judge "$ok"
      echo "bar: fix-fk <= 1.3x VACUUM INTO: $verdict"
      summary+=("$(printf '%6s MiB %-11s  fix-fk %.3f s  VACUUM INTO %.3f s  ratio %.2fx  %s' "$mb" "$shape" "$t_fix" "$t_vacuum" \
        "$(awk -v f="$t_fix" -v v="$t_vacuum" 'BEGIN { print f / v }')" "$verdict")")
    else
      echo "sqlmend fix-fk: $fix_note"
      echo "bar: fix-fk <= 1.3x VACUUM INTO: not measured"
      [ "$fixfk" = 1 ] && failed_bars=$((failed_bars + 1))
    fi
  done
  done
  if [ ${#summary[@]} -gt 0 ]; then
    say "fixfk_sizes summary (bar: fix-fk <= 1.3x VACUUM INTO)"
    printf '%s\n' "${summary[@]}"
  fi
}

# fix-fk's peak resident set at every size, with VACUUM INTO for scale.
bench_fixfk_rss() {
  say "fixfk_rss: peak RSS (GNU time %M), one run per size after a warm-up"
  local fixfk=1 mb db x=$out_dir/x.sqlite
  have_fixfk || fixfk=0
  local rss_list=() kb_fix kb_vacuum
  printf '%8s %16s %18s\n' size "fix-fk peak RSS" "VACUUM INTO (ref)"
  for mb in $sizes; do
    db=$(db_for "$mb")
    warm "$db"
    rm -rf "$out_dir" && mkdir -p "$out_dir"
    /usr/bin/time -f %M -o "$results_dir/rss-vacuum-$mb.txt" sqlite3 "$db" "VACUUM INTO '$x'"
    kb_vacuum=$(tail -1 "$results_dir/rss-vacuum-$mb.txt")
    kb_fix=""
    if [ "$fixfk" = 1 ]; then
      rm -rf "$out_dir" && mkdir -p "$out_dir"
      if /usr/bin/time -f %M -o "$results_dir/rss-fix-fk-$mb.txt" \
          "$sqlmend" fix-fk "$db" --output "$x" >/dev/null 2>"$results_dir/rss-fix-fk-$mb.err"; then
        kb_fix=$(tail -1 "$results_dir/rss-fix-fk-$mb.txt")
        rss_list+=("$kb_fix")
      else
        echo "fix-fk failed at $mb MiB: $(head -c 500 "$results_dir/rss-fix-fk-$mb.err")"
        failed_bars=$((failed_bars + 1))
      fi
    fi
    rm -rf "$out_dir"
    awk -v mb="$mb" -v f="$kb_fix" -v v="$kb_vacuum" 'BEGIN {
      printf "%4d MiB %16s %15.1f MB\n", mb, (f == "" ? "-" : sprintf("%.1f MB", f / 1024)), v / 1024 }'
  done
  if [ "$fixfk" = 0 ]; then
    echo "bar: fix-fk peak RSS under 100 MB and flat: not measured"
    return
  fi
  [ ${#rss_list[@]} -gt 0 ] || return 0
  # Flat: the largest size costs at most max(10 MB, 25%) more than the smallest.
  judge "$(printf '%s\n' "${rss_list[@]}" | awk '
    NR == 1 { min = max = $1 } { if ($1 < min) min = $1; if ($1 > max) max = $1 }
    END { slack = (0.25 * min > 10240) ? 0.25 * min : 10240
          print (max < 100 * 1024 && max - min <= slack) ? 1 : 0 }')"
  echo "bar: fix-fk peak RSS under 100 MB and flat (growth <= max(10 MB, 25%) across sizes): $verdict"
}

# ------------------------------------------------------------------ fleet

fleet_dir=$data_dir/fleet
fleet_rev=fleet0001
# The manual procedure's edit: make_bigdb.sh leaves these three names.
fleet_sed=(-e 's/"users__old"/"users"/g' -e 's/"accounts_old"/"accounts"/g'
           -e 's/"products_backup"/"products"/g')

# The four kinds of file in $fleet_dir/kinds, made once per generator:
# broken (make_bigdb.sh 1), healthy (the same data, never damaged: the broken
# file after the manual procedure), unresolvable (plus a table referencing
# ledger__old, a leftover with no ledger table) and damaged (truncated).
fleet_kinds() {
  local kinds=$fleet_dir/kinds stamp
  stamp="$(sha256sum <"$generator" | cut -c1-16) fleet-1"
  if [ "$(cat "$kinds/stamp" 2>/dev/null)" = "$stamp" ]; then return; fi
  rm -rf "$kinds" && mkdir -p "$kinds"
  "$generator" "$kinds/broken.db" 1 >&2
  sqlite3 "$kinds/broken.db" .dump | sed "${fleet_sed[@]}" | sqlite3 "$kinds/healthy.db"
  [ "$(dangling_tables "$kinds/healthy.db")" = 0 ] || die "fleet: the healthy copy still dangles"
  cp "$kinds/broken.db" "$kinds/unresolvable.db"
  sqlite3 "$kinds/unresolvable.db" \
    "CREATE TABLE ledger_links(id INTEGER PRIMARY KEY, entry INTEGER REFERENCES ledger__old(id))"
  head -c $(( $(stat -c %s "$kinds/broken.db") / 2 + 100 )) "$kinds/broken.db" >"$kinds/damaged.db"
  echo "$stamp" >"$kinds/stamp"
}

# The kind of file number $1 of the tree: 60 % broken, 30 % healthy, 5 %
# unresolvable, 5 % damaged, interleaved.
fleet_kind_of() {
  case $(($1 % 20)) in
    0|1|2|3|4|5|6|7|8|9|10|11) echo broken ;;
    12|13|14|15|16|17) echo healthy ;;
    18) echo unresolvable ;;
    *) echo damaged ;;
  esac
}

# $fleet_dir/pristine: $fleet_files files in 20 host folders, never modified;
# every timed run works on a fresh copy ($fleet_dir/work).
fleet_tree() {
  local tree=$fleet_dir/pristine i kind want
  want="$(cat "$fleet_dir/kinds/stamp") $fleet_files"
  if [ "$(cat "$fleet_dir/pristine.stamp" 2>/dev/null)" = "$want" ]; then return; fi
  rm -rf "$tree" "$fleet_dir/pristine.stamp"
  for ((i = 0; i < fleet_files; i++)); do
    kind=$(fleet_kind_of "$i")
    mkdir -p "$tree/host-$((i % 20))"
    cp "$fleet_dir/kinds/$kind.db" "$tree/host-$((i % 20))/nightly-$(printf %05d "$i").db"
  done
  echo "$want" >"$fleet_dir/pristine.stamp"
}

fleet_fresh_copy() { rm -rf "$fleet_dir/work" && cp -r "$fleet_dir/pristine" "$fleet_dir/work" && sync; }

# A tiny alembic project whose env.py takes the database URL from -x url=...
fleet_alembic_project() {
  local project=$fleet_dir/alembic
  mkdir -p "$project/versions"
  printf '[alembic]\nscript_location = %%(here)s\n' >"$project/alembic.ini"
  cat >"$project/env.py" <<'PY'
from alembic import context
from sqlalchemy import create_engine
url = context.get_x_argument(as_dictionary=True)["url"]
with create_engine(url).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
PY
  : >"$project/script.py.mako"
  printf 'revision = "%s"\ndown_revision = None\ndef upgrade(): pass\ndef downgrade(): pass\n' \
    "$fleet_rev" >"$project/versions/${fleet_rev}_fleet.py"
}

# The manual procedure over the files listed on stdin, one after the other.
fleet_manual_loop() {
  local f new
  while IFS= read -r f; do
    new=$f.manual-new
    rm -f "$new"
    if sqlite3 "$f" .dump </dev/null | sed "${fleet_sed[@]}" | sqlite3 "$new" && mv "$new" "$f"; then
      alembic -c "$fleet_dir/alembic/alembic.ini" -x "url=sqlite:///$f" stamp --purge "$fleet_rev" \
        >/dev/null 2>&1 || true
    fi
    rm -f "$new"
  done
}

# Seconds taken by a command (wall clock), its output discarded.
seconds_of() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# "path<TAB>mtime<TAB>sha256" of each file named on stdin.
fleet_identities() { while IFS= read -r f; do printf '%s\t%s\t%s\n' "$f" "$(stat -c %y "$f")" "$(sha256sum <"$f" | cut -c1-64)"; done; }

bench_fleet() {
  say "fleet: fix-fk --stamp over $fleet_files copies of a 1 MiB database vs the manual loop"
  if [ "$build_ok" = 0 ] && [ -z "${SQLMEND_BENCH_BIN:-}" ]; then
    echo "SKIPPED: the Release build of sqlmend failed"; return
  fi
  command -v alembic >/dev/null || die "alembic is missing (tools/setup.sh should have installed it)"
  mkdir -p "$fleet_dir"
  fleet_kinds
  fleet_tree
  fleet_alembic_project
  local work=$fleet_dir/work sample=$fleet_dir/sample.txt n_sample t run rc
  local want_fixed=0 want_healthy=0 want_refused=0 want_unusable=0 i
  for ((i = 0; i < fleet_files; i++)); do
    case $(fleet_kind_of "$i") in
      broken) want_fixed=$((want_fixed + 1)) ;; healthy) want_healthy=$((want_healthy + 1)) ;;
      unresolvable) want_refused=$((want_refused + 1)) ;; damaged) want_unusable=$((want_unusable + 1)) ;;
    esac
  done
  echo "tree: $fleet_files files ($want_fixed broken, $want_healthy healthy, $want_refused unresolvable, $want_unusable truncated), $(du -sh "$fleet_dir/pristine" | cut -f1)"

  # The manual loop on a deterministic 10 % sample: in each block of 100
  # files, those whose last digit is the block's number mod 10.
  fleet_fresh_copy
  find "$work" -name '*.db' | sort | awk -F'nightly-' '{ n = $2 + 0; if (n % 10 == int(n / 10) % 10) print }' >"$sample"
  n_sample=$(wc -l <"$sample")
  local loop_times=()
  for ((run = 1; run <= fleet_runs; run++)); do
    fleet_fresh_copy
    loop_times+=("$(seconds_of fleet_manual_loop <"$sample")")
  done
  local t_loop loop_rate
  t_loop=$(printf '%s\n' "${loop_times[@]}" | median)
  loop_rate=$(awk -v n="$n_sample" -v t="$t_loop" 'BEGIN { printf "%.2f", n / t }')
  echo "manual loop: $n_sample-file sample (10 %), median ${t_loop} s of $fleet_runs: $loop_rate files/s"

  # sqlmend over the whole tree, -j 1 and -j 2.
  local j rates=()
  for j in 1 2; do
    local times=()
    for ((run = 1; run <= fleet_runs; run++)); do
      fleet_fresh_copy
      times+=("$(seconds_of "$sqlmend" fix-fk "$work" --stamp "$fleet_rev" -j "$j")")
    done
    t=$(printf '%s\n' "${times[@]}" | median)
    rates[$j]=$(awk -v n="$fleet_files" -v t="$t" 'BEGIN { printf "%.2f", n / t }')
    echo "sqlmend fix-fk TREE --stamp $fleet_rev -j $j: median ${t} s of $fleet_runs (${times[*]}): ${rates[$j]} files/s"
  done
  local vs_loop scaling
  vs_loop=$(awk -v a="${rates[2]}" -v b="$loop_rate" 'BEGIN { printf "%.1f", a / b }')
  scaling=$(awk -v a="${rates[2]}" -v b="${rates[1]}" 'BEGIN { printf "%.2f", a / b }')
  judge "$(awk -v r="$vs_loop" 'BEGIN { print (r >= 20) ? 1 : 0 }')"
  echo "bar: -j 2 >= 20x the manual loop's files/s: ${vs_loop}x: $verdict"
  judge "$(awk -v r="$scaling" 'BEGIN { print (r >= 1.7) ? 1 : 0 }')"
  echo "bar: -j 2 >= 1.7x -j 1: ${scaling}x: $verdict"

  # --json: one line per file and a summary matching the tree.
  fleet_fresh_copy
  local json=$fleet_dir/run.jsonl lines counts
  "$sqlmend" fix-fk "$work" --stamp "$fleet_rev" --json >"$json" 2>/dev/null || true
  lines=$(grep -c '"outcome"' "$json" || true)
  counts=$(tail -1 "$json" | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["files"], s["fixed"], s["healthy"], s["refused"], s["unusable"])')
  judge "$([ "$lines" = "$fleet_files" ] && [ "$counts" = "$fleet_files $want_fixed $want_healthy $want_refused $want_unusable" ] && echo 1 || echo 0)"
  echo "json: $lines file lines; summary files/fixed/healthy/refused/unusable = $counts: $verdict"

  # Kill halfway, start again: the finished files untouched, all files right.
  fleet_fresh_copy
  local journal=$work/.sqlmend-journal.jsonl before=$fleet_dir/finished-before.txt after=$fleet_dir/finished-after.txt pid
  "$sqlmend" fix-fk "$work" --stamp "$fleet_rev" -j 2 >/dev/null 2>&1 &
  pid=$!
  while [ "$(wc -l 2>/dev/null <"$journal" || echo 0)" -lt $((fleet_files / 2)) ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  { grep -o '"path":"[^"]*"' "$journal" 2>/dev/null || true; } | sed 's/^"path":"//; s/"$//' | sort -u >"$fleet_dir/finished.txt"
  fleet_identities <"$fleet_dir/finished.txt" >"$before"
  "$sqlmend" fix-fk "$work" --stamp "$fleet_rev" --json >"$json" 2>/dev/null || true
  fleet_identities <"$fleet_dir/finished.txt" >"$after"
  local finished done_earlier final ok=1
  finished=$(wc -l <"$fleet_dir/finished.txt")
  done_earlier=$(tail -1 "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["done-earlier"])')
  cmp -s "$before" "$after" || ok=0
  [ "$done_earlier" = "$finished" ] || ok=0
  final=$({ "$sqlmend" check-fk "$work" --json --no-resume 2>/dev/null || true; } | tail -1 |
    python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["healthy"], s["refused"], s["unusable"])')
  [ "$final" = "$((want_fixed + want_healthy)) $want_refused $want_unusable" ] || ok=0
  [ -z "$(find "$work" -name '*.sqlmend-tmp-*' | head -1)" ] || ok=0
  judge "$ok"
  echo "kill -9 after $finished of $fleet_files files, then rerun: $done_earlier done earlier and untouched (mtime + sha256), final healthy/refused/unusable = $final, no temporaries: $verdict"
  rm -rf "$work"
}

# ------------------------------------------------------- alembic commands

# `current`, `heads` and `history` on a 50-revision project, sqlmend against
# Debian's alembic, in the same run (hyperfine -N, medians). Bar: >= 30x.
bench_alembic_startup() {
  say "alembic-compatible commands on a 50-revision project"
  if [ "$build_ok" = 0 ] && [ -z "${SQLMEND_BENCH_BIN:-}" ]; then
    echo "SKIPPED: the Release build of sqlmend failed"
    return
  fi
  local proj=$data_dir/alembic-project i prev=None id
  rm -rf "$proj" && mkdir -p "$proj"
  (cd "$proj" && alembic init -t generic alembic >/dev/null &&
    sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' alembic.ini)
  for i in $(seq 1 50); do
    id=$(printf 'rev%04d' "$i")
    printf '"""step %d\n\nRevision ID: %s\n"""\nfrom alembic import op\n\nrevision = "%s"\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute("CREATE TABLE t%d(id INTEGER PRIMARY KEY)")\n\n\ndef downgrade():\n    op.execute("DROP TABLE t%d")\n' \
      "$i" "$id" "$id" "$prev" "$i" "$i" >"$proj/alembic/versions/${id}_step.py"
    prev="\"$id\""
  done
  (cd "$proj" && "$sqlmend" upgrade head 2>/dev/null)
  local verb t_alembic t_sqlmend ratio
  printf '%-10s %12s %12s %10s\n' command "alembic s" "sqlmend s" ratio
  for verb in current heads history; do
    t_alembic=$(cd "$proj" && hyperfine -N --style none --warmup 2 --runs "$runs" \
      --export-csv "$results_dir/alembic-$verb.csv" "alembic $verb" >/dev/null &&
      awk -F, 'NR == 2 { print $4 }' "$results_dir/alembic-$verb.csv")
    t_sqlmend=$(cd "$proj" && hyperfine -N --style none --warmup 3 --runs $((runs * 10)) \
      --export-csv "$results_dir/sqlmend-$verb.csv" "$sqlmend $verb" >/dev/null &&
      awk -F, 'NR == 2 { print $4 }' "$results_dir/sqlmend-$verb.csv")
    ratio=$(awk -v a="$t_alembic" -v s="$t_sqlmend" 'BEGIN { printf "%.1f", a / s }')
    printf '%-10s %12.4f %12.4f %9sx\n' "$verb" "$t_alembic" "$t_sqlmend" "$ratio"
    judge "$(awk -v r="$ratio" 'BEGIN { print (r >= 30) ? 1 : 0 }')"
    echo "bar: sqlmend $verb >= 30x faster than alembic $verb: ${ratio}x: $verdict"
  done
}

bench_upgrade_head() {
  say "upgrade head from empty on 50-revision .py chains"
  if [ "$build_ok" = 0 ] && [ -z "${SQLMEND_BENCH_BIN:-}" ]; then
    echo "SKIPPED: the Release build of sqlmend failed"
    return
  fi
  printf '%-22s %12s %12s %10s\n' chain "alembic s" "sqlmend s" ratio
  local every name proj t_alembic t_sqlmend ratio
  # Two chains: what autogenerate writes for new tables (create_table,
  # create_index), and the same with a batch rebuild every fifth revision.
  for every in 0 5; do
    name=$([ "$every" = 0 ] && echo plain || echo "batch-every-$every")
    proj=$data_dir/py-chain-$name
    BATCH_EVERY=$every tools/bench/make_py_chain.sh "$proj" 50
    t_alembic=$(cd "$proj" && hyperfine -N --style none --warmup 1 --runs "$runs" \
      --prepare "rm -f app.db" --export-csv "$results_dir/alembic-upgrade-$name.csv" \
      "alembic upgrade head" >/dev/null &&
      awk -F, 'NR == 2 { print $4 }' "$results_dir/alembic-upgrade-$name.csv")
    sqlite3 "$proj/app.db" .schema >"$results_dir/alembic-upgrade-$name.schema"
    t_sqlmend=$(cd "$proj" && hyperfine -N --style none --warmup 3 --runs $((runs * 6)) \
      --prepare "rm -f app.db" --export-csv "$results_dir/sqlmend-upgrade-$name.csv" \
      "$sqlmend upgrade head" >/dev/null &&
      awk -F, 'NR == 2 { print $4 }' "$results_dir/sqlmend-upgrade-$name.csv")
    sqlite3 "$proj/app.db" .schema >"$results_dir/sqlmend-upgrade-$name.schema"
    report_upgrade "$name" "$t_alembic" "$t_sqlmend"
  done
  # A real project of tools/realworld/ (pgadmin4, the largest, with ORM
  # data migrations), from its seeded start database. Its code is
  # read from the fetch mirror; without it the row says what to fetch.
  local project=${SQLMEND_BENCH_PROJECT:-pgadmin4} times
  local mirror=${SQLMEND_BENCH_MIRROR:-$(dirname "$root")/.mirror}
  if ! times=$(/usr/bin/python3 -B tools/realworld/harness.py --mirror "$mirror" --bin "$sqlmend" \
      --work "$data_dir/realworld" --bench-upgrade "$results_dir" --runs "$runs" "$project" \
      2>"$results_dir/realworld-upgrade.err"); then
    echo "SKIPPED: realworld $project: $(tail -n 3 "$results_dir/realworld-upgrade.err" | tr '\n' ' ')"
    return
  fi
  report_upgrade "$project" "${times% *}" "${times#* }"
}

# One row of upgrade_head: the times, the 20x bar and the schema check
# (the two .schema files bench_upgrade_head left for NAME).
report_upgrade() {
  local name=$1 t_alembic=$2 t_sqlmend=$3 ratio
  ratio=$(awk -v a="$t_alembic" -v s="$t_sqlmend" 'BEGIN { printf "%.1f", a / s }')
  printf '%-22s %12.4f %12.4f %9sx\n' "$name" "$t_alembic" "$t_sqlmend" "$ratio"
  judge "$(awk -v r="$ratio" 'BEGIN { print (r >= 20) ? 1 : 0 }')"
  echo "bar: sqlmend upgrade head ($name) >= 20x faster than alembic: ${ratio}x: $verdict"
  # Table constraints compared in any order (tools/bench/same_schema.py):
  # Alembic's batch mode writes them in Python's set order.
  if /usr/bin/python3 tools/bench/same_schema.py "$results_dir/alembic-upgrade-$name.schema" \
      "$results_dir/sqlmend-upgrade-$name.schema" 2>"$results_dir/schema-$name.diff"; then
    judge 1
  else
    judge 0
  fi
  echo "check: both left the same schema ($name): $verdict"
}

# ------------------------------------------------------------ autogenerate

# What each autogenerate run starts from, run in the project folder: no
# revision file, no __pycache__, no database (both tools create it empty).
autogen_reset='rm -rf app.db migrations/versions && mkdir migrations/versions && find . -name __pycache__ -prune -exec rm -rf {} +'

# One untimed `revision --autogenerate` in the project $1 by the command
# $3... (named $2 in messages), from the reset state. Stops the script with
# a one-line reason when it fails or writes anything but one revision with
# 60 create_table calls; otherwise prints the sorted table names it creates.
autogen_once() {
  local proj=$1 who=$2 rc=0 output files count
  shift 2
  (cd "$proj" && sh -c "$autogen_reset")
  # Both tools print a failure ("FAILED: ...") on stdout, a traceback on
  # stderr: the last line of either says why.
  output=$(cd "$proj" && "$@" 2>&1) || rc=$?
  if [ "$rc" -ne 0 ]; then
    die "autogenerate: '$who revision --autogenerate' failed (exit $rc): $(grep -v '^[[:space:]]*$' <<<"$output" | tail -n 1)"
  fi
  files=("$proj"/migrations/versions/*.py)
  [ ${#files[@]} = 1 ] && [ -f "${files[0]}" ] ||
    die "autogenerate: '$who revision --autogenerate' exited 0 but wrote ${#files[@]} revision files, not 1"
  count=$(grep -c 'op\.create_table(' "${files[0]}" || true)
  [ "$count" = 60 ] ||
    die "autogenerate: $who's revision ${files[0]##*/} has $count create_table calls, not 60"
  grep -o "op\.create_table([\"'][^\"']*" "${files[0]}" | cut -c18- | sort
}

# `revision --autogenerate -m bench` on a 60-table model package against an
# empty database, sqlmend against Debian's alembic in the same run
# (hyperfine -N, medians). Bar: >= 20x.
bench_autogenerate() {
  say "revision --autogenerate on a 60-table model package"
  if [ "$build_ok" = 0 ] && [ -z "${SQLMEND_BENCH_BIN:-}" ]; then
    echo "SKIPPED: the Release build of sqlmend failed"
    return
  fi
  [ -x /usr/bin/alembic ] || die "/usr/bin/alembic is missing (tools/setup.sh should have installed it)"
  local proj=$data_dir/autogen-project ini t_alembic t_sqlmend ratio
  /usr/bin/python3 -B tools/bench/make_autogen_project.py "$proj"
  ini=$proj/alembic.ini
  local alembic_cmd=(/usr/bin/alembic -c "$ini" revision --autogenerate -m bench)
  local sqlmend_cmd=("$sqlmend" -c "$ini" revision --autogenerate -m bench)
  local prepare="sh -c '$autogen_reset'"
  autogen_once "$proj" alembic "${alembic_cmd[@]}" >"$results_dir/alembic-autogenerate.tables"
  t_alembic=$(cd "$proj" && hyperfine -N --style none --warmup 1 --runs "$runs" \
    --prepare "$prepare" --export-csv "$results_dir/alembic-autogenerate.csv" \
    "/usr/bin/alembic -c '$ini' revision --autogenerate -m bench" >/dev/null &&
    awk -F, 'NR == 2 { print $4 }' "$results_dir/alembic-autogenerate.csv")
  printf 'alembic revision --autogenerate: median %.4f s of %d runs\n' "$t_alembic" "$runs"
  autogen_once "$proj" sqlmend "${sqlmend_cmd[@]}" >"$results_dir/sqlmend-autogenerate.tables"
  t_sqlmend=$(cd "$proj" && hyperfine -N --style none --warmup 3 --runs $((runs * 6)) \
    --prepare "$prepare" --export-csv "$results_dir/sqlmend-autogenerate.csv" \
    "'$sqlmend' -c '$ini' revision --autogenerate -m bench" >/dev/null &&
    awk -F, 'NR == 2 { print $4 }' "$results_dir/sqlmend-autogenerate.csv")
  ratio=$(awk -v a="$t_alembic" -v s="$t_sqlmend" 'BEGIN { printf "%.1f", a / s }')
  printf '%-24s %12s %12s %10s\n' command "alembic s" "sqlmend s" ratio
  printf '%-24s %12.4f %12.4f %9sx\n' "revision --autogenerate" "$t_alembic" "$t_sqlmend" "$ratio"
  judge "$(awk -v r="$ratio" 'BEGIN { print (r >= 20) ? 1 : 0 }')"
  echo "bar: sqlmend revision --autogenerate >= 20x faster than alembic: ${ratio}x: $verdict"
  if cmp -s "$results_dir/alembic-autogenerate.tables" "$results_dir/sqlmend-autogenerate.tables"; then
    judge 1
  else
    judge 0
  fi
  echo "check: both revisions create the same 60 tables: $verdict"
}

main() {
  parse_args "$@"
  build_sqlmend
  mkdir -p "$data_dir" "$results_dir"
  local name
  for name in "${benchmarks[@]}"; do
    if [ -z "$only" ] || [ "$only" = "$name" ]; then
      "bench_$name"
    fi
  done
  say "done: raw hyperfine results in ${results_dir#"$root"/}"
  [ "$failed_bars" -eq 0 ] || { echo "bench: $failed_bars failure(s): a bar, the build or a fix-fk run" >&2; exit 1; }
}

main "$@"
