#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of sqlmend from Debian's
# registry (and the pinned tree-sitter-python grammar from npm). Idempotent and
# non-interactive: packages already present are not fetched again.
#   tools/setup.sh --fuzz   also what tools/fuzz.sh needs: clang, libFuzzer and
#                           the sanitizer runtimes (libclang-rt-dev), and
#                           llvm-symbolizer (llvm) for readable reports
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz=0
[ "${1:-}" = --fuzz ] && fuzz=1

packages=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev libre2-dev libcli11-dev libspdlog-dev libfmt-dev
  nlohmann-json3-dev libtomlplusplus-dev libtree-sitter-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # hashlib and hmac in the interpreter: OpenSSL's digests.
  libssl-dev
  sqlite3 sqlite3-tools alembic python3-sqlalchemy hyperfine time tzdata
  # The Alembic side of the .py corpus runs a revision using SQLAlchemy-Utils,
  # and one using Flask, Flask-Migrate, Flask-Security-Too, Werkzeug and passlib (which the
  # tests of sqlmend's models of them check hashes with).
  python3-sqlalchemy-utils python3-flask python3-flask-migrate python3-flask-security
  python3-werkzeug python3-passlib
  # Build speed: Ninja, a compiler cache and a fast linker (CMakeLists.txt
  # uses ccache and mold when they are installed).
  ninja-build ccache mold
  # The man page, the shell completions and the Debian package, and the
  # tools their tests drive: man, bash-completion, zsh, fish, dpkg-deb and
  # dpkg-shlibdeps (CPack runs the latter with `file`).
  man-db gzip bash-completion zsh fish dpkg-dev file
)
[ $fuzz = 1 ] && packages+=(clang libclang-rt-dev llvm)
# npm is needed only to fetch the grammar; take Debian's when none is installed.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p .build
  log=.build/setup.log
  echo "setup: installing ${missing[*]} (log: $log)"
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    echo "setup: apt-get failed; see $log" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
fi

# The tree-sitter-python grammar's generated C sources, pinned. 0.23.6 is
# grammar ABI 14, which Debian's tree-sitter runtime loads.
grammar_version=0.23.6
cache=.cache
if [ ! -f "$cache/tree-sitter-python-$grammar_version/src/parser.c" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "tree-sitter-python@$grammar_version" >/dev/null)
  rm -rf "$cache/tree-sitter-python-$grammar_version"
  mkdir -p "$cache/tree-sitter-python-$grammar_version"
  tar -xzf "$tmp"/tree-sitter-python-*.tgz -C "$cache/tree-sitter-python-$grammar_version" --strip-components=1
  rm -rf "$tmp"
fi
echo "setup: dependencies ready"
