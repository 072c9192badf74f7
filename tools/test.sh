#!/usr/bin/env bash
# Sets up, builds and runs every test through ctest. What CI runs, in two
# passes (.ci/run), the plain one first:
#   tools/test.sh              a plain optimized build (.build/release, shared
#                              with tools/demo.sh and tools/package.sh) and the
#                              whole suite
#   tools/test.sh --sanitize   the same suite built with AddressSanitizer and
#                              UBSan, leak detection on, any finding fatal
#                              (.build/sanitize); file by file rather than in
#                              unity batches, so CI also proves each file
#                              compiles on its own, as a plain cmake build
#                              compiles it
# Compiler output goes to <build>/build.log, shown only when the build fails.
# Environment: JOBS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
sanitize=0
case ${1:-} in
  "") ;;
  --sanitize) sanitize=1 ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

tools/setup.sh
jobs=${JOBS:-$(nproc)}
if [ $sanitize = 1 ]; then
  build=.build/sanitize
  # -O1 and line tables only: what ASan's reports need, at a fraction of
  # -O2 -g's compile time.
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
         "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1" -DSQLMEND_SANITIZE=ON)
else
  build=.build/release
  flags=("${SQLMEND_PLAIN_FLAGS[@]}" -DSQLMEND_SANITIZE=OFF)
fi
start=$SECONDS
sqlmend_configure "$build" "${flags[@]}" -DSQLMEND_WERROR=ON -DSQLMEND_BUILD_TESTS=ON
echo "test: building in $build"
sqlmend_build "$build" "$build/build.log"
echo "test: built in $((SECONDS - start)) s; running the suite"
cd "$build"
ctest --output-on-failure -j "$jobs" --timeout 600
