# Shared by tools/test.sh, demo.sh, package.sh and bench.sh: configures and
# builds sqlmend the same way everywhere, so a build made by one is reused by
# the others. Source it; it defines functions only.
#
#   sqlmend_configure DIR [CMAKE_ARGS...]   configure DIR (Ninja when installed)
#   sqlmend_build DIR LOG [TARGET...]       build quietly: compiler output goes
#                                           to LOG, named only when it fails

# The plain optimized build: -O2 without debug information (a third less
# compile time than RelWithDebInfo's -O2 -g), compiled as unity batches
# (half the CPU time again; see CMakeLists.txt).
SQLMEND_PLAIN_FLAGS=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
                     "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON)

sqlmend_configure() {
  local dir=$1
  shift
  local generator=()
  # Keep the generator a folder was first configured with.
  if [ ! -f "$dir/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
  fi
  cmake -S . -B "$dir" "${generator[@]}" "$@" >/dev/null
}

sqlmend_build() {
  local dir=$1 log=$2
  shift 2
  local targets=()
  local t
  for t in "$@"; do targets+=(--target "$t"); done
  mkdir -p "$(dirname "$log")"
  if ! cmake --build "$dir" -j "${JOBS:-$(nproc)}" "${targets[@]}" >"$log" 2>&1; then
    echo "build failed; the compiler's output is in $log:" >&2
    { grep -E -A 12 '^FAILED|error:' "$log" || tail -n 40 "$log"; } | head -n 200 >&2
    return 1
  fi
}
