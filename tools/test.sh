#!/usr/bin/env bash
# Sets up, builds and runs every test through ctest. What CI runs.
# Environment: SQLMEND_BUILD_DIR (default .build/test), SQLMEND_SANITIZE=ON|OFF
# (default ON: AddressSanitizer and UBSan), JOBS (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
build=${SQLMEND_BUILD_DIR:-.build/test}
jobs=${JOBS:-$(nproc)}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSQLMEND_WERROR=ON \
  -DSQLMEND_SANITIZE="${SQLMEND_SANITIZE:-ON}" >/dev/null
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" --timeout 600
