#!/usr/bin/env bash
# Installs, from Debian's registry, what the Alembic side of
# tools/realworld/run.sh needs: alembic 1.8.1 with SQLAlchemy 1.4, and the
# python3-* packages the projects' env.py and model modules import. (sqlmend
# needs none of them.) Third-party modules Debian does not package are
# stand-ins of our own in tools/realworld/standins/. Debian only; idempotent.
set -euo pipefail
packages=(
  git sqlite3 alembic python3-sqlalchemy
  # conda-store's model modules
  python3-pydantic python3-yaml python3-requests python3-platformdirs python3-filelock python3-yarl
  # pgAdmin 4's model module (Flask-SQLAlchemy) and Flask-Migrate-style apps
  python3-flask python3-flask-sqlalchemy python3-flask-migrate python3-flask-security python3-flask-login
  # nbgrader's API module
  python3-traitlets python3-jupyter-core python3-nbformat python3-dateutil python3-tz
  # buildbot's migration helpers
  python3-twisted python3-zope.interface
)
# dpkg-query names every package it does not know, or knows as not installed.
mapfile -t missing < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>&1 |
  awk '$NF != "installed" {print ($1 == "dpkg-query:" ? $NF : $1)}')
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: the Alembic side is ready ($(/usr/bin/alembic --version))"
