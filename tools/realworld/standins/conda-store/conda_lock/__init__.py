"""Stand-in for conda-lock (not packaged by Debian), for the Alembic side of
tools/realworld only: conda-store's model module imports
`conda_lock.lockfile.v1.models.Lockfile` to type a pydantic field. Nothing a
migration runs uses it."""
