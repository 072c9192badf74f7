"""Stand-in for the names SQLAlchemy 1.3 had and 1.4 removed, for the Alembic
side of tools/realworld only, for projects pinned to SQLAlchemy 1.3
(securedrop's requirements pin 1.3.3; its revisions use `sa.Binary`).
Python imports sitecustomize at startup when it is on the path."""
import sqlalchemy

if not hasattr(sqlalchemy, "Binary"):
    # 1.3: `class Binary(LargeBinary)`, deprecated, same DDL (BLOB on SQLite).
    class Binary(sqlalchemy.LargeBinary):
        pass

    sqlalchemy.Binary = Binary
    sqlalchemy.types.Binary = Binary
