"""Stand-in for conda (not packaged by Debian), for the Alembic side of
tools/realworld only: conda-store's schema module asks conda's context for
the platform at import time (`conda.base.context.context.subdir`)."""
