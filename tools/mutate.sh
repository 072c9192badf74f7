#!/usr/bin/env bash
# Mutated databases through check-fk, dump and fix-fk: builds the fixtures/fk
# databases, damages copies of them and checks every run ends in an exit code
# the README documents, with one line on stderr, no crash or hang, and the
# input unchanged unless fix-fk succeeded. Options: see
#   tools/mutate.sh --help
# e.g. tools/mutate.sh --count 10000 --jobs 6 --seed 1 --keep .build/mutate-kept
# and, to replay one case of that run, tools/mutate.sh --seed 1 --case 4795
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 tools/mutate/mutate.py "$@"
