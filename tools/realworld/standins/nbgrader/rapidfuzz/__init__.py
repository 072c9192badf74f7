"""Stand-in for rapidfuzz (not packaged by Debian), for the Alembic side of
tools/realworld only: nbgrader's package imports `rapidfuzz.fuzz` (its
exchange and converters, loaded by `nbgrader/__init__.py`); no migration
calls it."""
from . import fuzz  # noqa: F401
