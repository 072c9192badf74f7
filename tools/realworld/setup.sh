#!/usr/bin/env bash
# Installs, from Debian's registry, what the Alembic side of
# tools/realworld/run.sh needs: alembic 1.8.1 with SQLAlchemy 1.4, and the
# python3-* packages the projects' env.py and model modules import. (sqlmend
# needs none of them.) Third-party modules Debian does not package are
# stand-ins of our own in tools/realworld/standins/. Debian only; idempotent.
set -euo pipefail
packages=(
  git sqlite3 alembic python3-sqlalchemy
  # What each project's env.py, model modules and revisions import under
  # alembic (measured with python3 -X importtime over `upgrade heads`).
  # securedrop
  python3-flask python3-flask-sqlalchemy python3-flask-babel python3-flaskext.wtf python3-argon2
  python3-cryptography python3-redis python3-rq python3-qrcode python3-psutil python3-lxml python3-pil
  python3-png python3-email-validator python3-dnspython python3-simplejson
  # pgAdmin 4
  python3-flask-migrate python3-flask-security python3-flask-login python3-flask-mail
  python3-flask-paranoid python3-flask-principal python3-flask-socketio python3-authlib python3-eventlet
  python3-passlib python3-bcrypt python3-openssl python3-zmq python3-tornado python3-websocket python3-wsaccel
  # nbgrader
  python3-traitlets python3-jupyter-core python3-jupyter-client python3-jupyter-server python3-nbformat
  python3-nbconvert python3-nbclient python3-jsonschema python3-bs4 python3-yaml python3-requests
  # buildbot
  python3-twisted python3-zope.interface python3-service-identity
  # quetz
  python3-fastapi python3-starlette python3-pydantic python3-pluggy python3-toml python3-appdirs
  python3-fsspec python3-aiofiles python3-tenacity python3-ujson python3-zstandard python3-lz4 python3-snappy
  # conda-store
  python3-platformdirs python3-filelock python3-yarl
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
