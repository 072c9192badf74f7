#!/usr/bin/env bash
# Builds the Debian package sqlmend_<version>_amd64.deb into .build/package
# with CPack, from the plain optimized build (.build/release, shared with
# tools/test.sh): the binary, sqlmend(1), the bash, zsh and fish completions,
# README and changelog; Depends computed by dpkg-shlibdeps from the libraries
# the binary links. Install it with `sudo apt install ./.build/package/sqlmend_*.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib.sh
tools/setup.sh >/dev/null
build=.build/release
out=.build/package
echo "package: building sqlmend (compiler output: $build/build.log)"
sqlmend_configure "$build" "${SQLMEND_PLAIN_FLAGS[@]}" -DSQLMEND_SANITIZE=OFF -DSQLMEND_WERROR=ON \
  -DSQLMEND_BUILD_TESTS=ON
sqlmend_build "$build" "$build/build.log" sqlmend sqlmend_docs
mkdir -p "$out"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || {
  echo "package: cpack failed; see $out/cpack.log" >&2
  tail -n 20 "$out/cpack.log" >&2
  exit 1
}
ls "$out"/sqlmend_*.deb
