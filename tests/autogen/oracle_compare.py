#!/usr/bin/python3
"""Reference comparison of a model against a SQLite database.

Usage: /usr/bin/python3 oracle_compare.py CASE_DIR DB_PATH [--compare-server-default]

CASE_DIR holds `models.py`, which defines `target_metadata` (a MetaData).
The script compares that metadata with the database at DB_PATH the way
Alembic's autogenerate does (compare_type on; compare_server_default only
with the flag) and prints one JSON document on stdout:

    {"differences": [ ... ]}

Each difference is a flat object (see `normalize` below for every shape);
the list is sorted by the item's JSON text with sorted keys, so two runs
give the same bytes. When the comparison itself fails (for example a
foreign key that names a table the database lacks), the document is
{"error": "<ExceptionClass>: <message>"} and the exit code is still 0.
Warnings (expression indexes that cannot be reflected, and the like) go to
stderr. Needs Debian's alembic and SQLAlchemy (run with /usr/bin/python3).

Shapes (TYPE: the type compiled for SQLite; names: a string or null):
  add_table: table, table_columns (each {name, type, nullable}, in order);
  remove_table: table
  add_column: table, column, type, nullable;  remove_column: table, column
  modify_nullable / modify_type / modify_default: table, column, existing
    (the database's side), then nullable / type / default (the model's);
    a default is its SQL text as the comparison saw it
  add_index / remove_index: table, name, columns (a name, or the SQL of an
    expression), unique
  add_constraint / remove_constraint: kind ("unique"), table, name, columns
  add_fk / remove_fk: table, name, columns, referred_table, referred_columns

Where the output is not the comparison's raw tuples:
  - the modify tuples Alembic groups per column are flattened;
  - a remove_index's `unique` is the database index's (the tuple's rebuilt
    Index always says non-unique);
  - the column_reflect fix-up is applied to every reflected table, so a
    server default compares the same under any PYTHONHASHSEED (see
    compare_document);
  - a DB_PATH that does not exist is compared as an empty database (what
    `sqlite3 db < empty.sql` leaves: no file); an existing one is opened
    read-only.

Other tools import it: compare_document() runs the same comparison in a
MigrationContext they configured, normalize() and render() shape it.
"""
import argparse
import json
import logging
import os
import sys
import warnings

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

DIALECT = sqlite_dialect.dialect()


def type_text(coltype):
    if coltype is None:
        return None
    return str(coltype.compile(dialect=DIALECT))


def name_text(name):
    # A name from a naming convention is a str subclass; a deferred
    # "no name yet" marker is not a str and counts as no name.
    if name is None or not isinstance(name, str):
        return None
    return str(name)


def expression_text(expr):
    if isinstance(expr, sa.Column):
        return str(expr.name)
    if isinstance(expr, str):
        return expr
    return str(expr.compile(dialect=DIALECT, compile_kwargs={"literal_binds": True}))


def default_text(default):
    """The text of a server default: the string given, or the SQL of the clause."""
    if default is None or default is False:
        return None
    arg = getattr(default, "arg", default)
    if isinstance(arg, str):
        return arg
    text = getattr(arg, "text", None)
    if isinstance(text, str):
        return text
    return expression_text(arg)


def index_columns(index):
    return [expression_text(e) for e in index.expressions]


def constraint_columns(constraint):
    return [str(c.name) for c in constraint.columns]


def fk_referred(fk):
    tables, columns = [], []
    for element in fk.elements:
        spec = element.target_fullname
        table, _, column = spec.rpartition(".")
        tables.append(table)
        columns.append(column)
    referred = tables[0] if tables else None
    return referred, columns


def table_name_of(item):
    table = getattr(item, "table", None)
    return None if table is None else str(table.name)


# The inspector of the database being compared, for database_index_unique.
INSPECTOR = None


def database_index_unique(table, name, fallback):
    if INSPECTOR is None or table is None or name is None:
        return fallback
    for reflected in INSPECTOR.get_indexes(table):
        if reflected.get("name") == name:
            return bool(reflected.get("unique"))
    return fallback


def normalize_one(diff):
    op = diff[0]
    if op == "add_table":
        return {
            "op": op,
            "table": str(diff[1].name),
            "table_columns": [
                {"name": str(c.name), "type": type_text(c.type), "nullable": bool(c.nullable)}
                for c in diff[1].columns
            ],
        }
    if op == "remove_table":
        return {"op": op, "table": str(diff[1].name)}
    if op == "add_column":
        column = diff[3]
        return {
            "op": op,
            "table": str(diff[2]),
            "column": str(column.name),
            "type": type_text(column.type),
            "nullable": bool(column.nullable),
        }
    if op == "remove_column":
        return {"op": op, "table": str(diff[2]), "column": str(diff[3].name)}
    if op in ("add_index", "remove_index"):
        index = diff[1]
        table = table_name_of(index)
        unique = bool(index.unique)
        if op == "remove_index":
            # The Index of a "remove_index" tuple is rebuilt from the drop
            # operation, which keeps the name and columns but not UNIQUE;
            # the database's own index says whether it is unique.
            unique = database_index_unique(table, index.name, unique)
        return {
            "op": op,
            "table": table,
            "name": name_text(index.name),
            "columns": index_columns(index),
            "unique": unique,
        }
    if op in ("add_constraint", "remove_constraint"):
        constraint = diff[1]
        if isinstance(constraint, sa.UniqueConstraint):
            kind = "unique"
        else:
            kind = type(constraint).__name__
        return {
            "op": op,
            "kind": kind,
            "table": table_name_of(constraint),
            "name": name_text(constraint.name),
            "columns": constraint_columns(constraint),
        }
    if op in ("add_fk", "remove_fk"):
        fk = diff[1]
        referred_table, referred_columns = fk_referred(fk)
        return {
            "op": op,
            "table": table_name_of(fk),
            "name": name_text(fk.name),
            "columns": [str(k) for k in fk.column_keys],
            "referred_table": referred_table,
            "referred_columns": referred_columns,
        }
    if op == "modify_nullable":
        return {
            "op": op,
            "table": str(diff[2]),
            "column": str(diff[3]),
            "existing": bool(diff[5]),
            "nullable": bool(diff[6]),
        }
    if op == "modify_type":
        return {
            "op": op,
            "table": str(diff[2]),
            "column": str(diff[3]),
            "existing": type_text(diff[5]),
            "type": type_text(diff[6]),
        }
    if op == "modify_default":
        return {
            "op": op,
            "table": str(diff[2]),
            "column": str(diff[3]),
            "existing": default_text(diff[5]),
            "default": default_text(diff[6]),
        }
    # Anything else (comments are not compared on SQLite) is kept by name
    # so that it shows up rather than vanishing.
    return {"op": str(op), "repr": repr(diff[1:])}


def normalize(diffs):
    items = []
    for diff in diffs:
        if isinstance(diff, list):
            for sub in diff:
                items.append(normalize_one(sub))
        else:
            items.append(normalize_one(diff))
    items.sort(key=lambda item: json.dumps(item, sort_keys=True))
    return items


def compare_document(context, metadata):
    """Alembic's compare_metadata() of METADATA with the database of CONTEXT
    (a MigrationContext, online, configured as the caller wants), as the
    document main prints: {"differences": [...]} normalized, or {"error":
    "<ExceptionClass>: <message>"} when the comparison raises."""
    global INSPECTOR
    INSPECTOR = sa.inspect(context.bind)
    # The comparison reflects the database's tables in the order of a Python
    # set and hooks its column_reflect fix-up (which wraps an unquoted SQL
    # default in parentheses) onto each table it reflects first; a table
    # reached earlier through another table's foreign key misses the hook.
    # Whether a default compares equal then changes with PYTHONHASHSEED.
    # Hooking the same fix-up onto every reflected table gives the result of
    # the order in which no table is reached through a key first.
    hook = context.impl._compat_autogen_column_reflect(INSPECTOR)
    sa.event.listen(sa.Table, "column_reflect", hook)
    try:
        diffs = compare_metadata(context, metadata)
    except Exception as error:  # the comparison's failure is a result too
        return {"error": "%s: %s" % (type(error).__name__, error)}
    return {"differences": normalize(diffs)}


def render(document):
    """One JSON document, one difference a line (easy to read and to diff)."""
    if "differences" not in document:
        return json.dumps(document, sort_keys=True)
    lines = [json.dumps(item, sort_keys=True) for item in document["differences"]]
    if not lines:
        return '{"differences": []}'
    return '{"differences": [\n ' + ",\n ".join(lines) + "\n]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case_dir")
    parser.add_argument("db_path")
    parser.add_argument("--compare-server-default", action="store_true")
    args = parser.parse_args()

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    warnings.simplefilter("always")
    warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: print(
        "%s: %s" % (category.__name__, message), file=sys.stderr
    )

    sys.dont_write_bytecode = True  # no __pycache__ in the fixture folder
    sys.path.insert(0, os.path.abspath(args.case_dir))
    import models  # noqa: E402  (the case's own module)

    metadata = models.target_metadata
    if os.path.exists(args.db_path):
        # Read-only: the comparison must leave the file as it found it.
        url = "sqlite:///file:%s?mode=ro&uri=true" % os.path.abspath(args.db_path)
    else:
        # `sqlite3 db < empty.sql` makes no file; Alembic would have made an
        # empty one. An empty in-memory database is the same schema.
        print("%s does not exist: comparing with an empty database" % args.db_path, file=sys.stderr)
        url = "sqlite://"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": args.compare_server_default,
                    "target_metadata": metadata,
                },
            )
            document = compare_document(context, metadata)
    finally:
        engine.dispose()
    print(render(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
