"""sqlmend's model loader: env.py's target_metadata, as JSON.

sqlmend runs this file in a project's own Python (`--python PATH`, or the
project's virtualenv) only for autogenerate, and only when its interpreter
cannot read the project's model modules. It reads one JSON request on stdin,
runs env.py online under a stand-in for `alembic.context` that records
what env.py passes to configure() and runs no migration, and writes one JSON
document on stdout: the tables of target_metadata as SQLAlchemy's SQLite
dialect compiles them, the naming convention, the configure() options
autogenerate reads, and what env.py's include_object / include_name decide
for each object. The comparison itself is sqlmend's.

Whatever env.py or the models print goes to stderr. env.py runs online, as
Alembic's autogenerate runs it (an env.py may configure target_metadata or
its options only there): it may open the database, but begin_transaction()
and run_migrations() do nothing here, so nothing is written.
"""
import configparser
import contextlib
import json
import os
import runpy
import sys
import traceback
import types


def fail(message):
    """Writes the error document and stops."""
    RESULT_STREAM.write(json.dumps({"error": message}))
    RESULT_STREAM.flush()
    sys.exit(0)


class Config:
    """The parts of alembic.config.Config that env.py files use."""

    def __init__(self, request):
        self.config_file_name = request.get("config_file_name")
        self.config_ini_section = request.get("section") or "alembic"
        self.cmd_opts = types.SimpleNamespace(
            autogenerate=bool(request.get("autogenerate")), x=request.get("x") or [],
            sql=False, message=None)
        self.attributes = {}
        self.config_args = {}
        here = os.path.dirname(os.path.abspath(self.config_file_name or "."))
        self.file_config = configparser.ConfigParser({"here": here})
        if self.config_file_name and self.config_file_name.endswith(".ini"):
            self.file_config.read([self.config_file_name])
        if not self.file_config.has_section(self.config_ini_section):
            self.file_config.add_section(self.config_ini_section)
        # The main section as sqlmend read it (also from pyproject.toml).
        for key, value in (request.get("options") or {}).items():
            self.file_config.set(self.config_ini_section, key, value.replace("%", "%%"))

    def get_section(self, name, default=None):
        if not self.file_config.has_section(name):
            return default
        return dict(self.file_config.items(name))

    def get_section_option(self, section, name, default=None):
        if not self.file_config.has_section(section):
            return default
        if self.file_config.has_option(section, name):
            return self.file_config.get(section, name)
        return default

    def get_main_option(self, name, default=None):
        return self.get_section_option(self.config_ini_section, name, default)

    def set_section_option(self, section, name, value):
        if not self.file_config.has_section(section):
            self.file_config.add_section(section)
        self.file_config.set(section, name, value)

    def set_main_option(self, name, value):
        self.set_section_option(self.config_ini_section, name, value)

    def remove_main_option(self, name):
        self.file_config.remove_option(self.config_ini_section, name)

    def print_stdout(self, text, *arg):
        sys.stderr.write((text % arg if arg else text) + "\n")


def make_context(request, captured):
    """A stand-in for the alembic.context module env.py imports, online."""
    context = types.ModuleType("alembic.context")
    context.config = Config(request)
    x_args = list(request.get("x") or [])

    def configure(**kw):
        captured.update(kw)

    def get_x_argument(as_dictionary=False):
        if not as_dictionary:
            return list(x_args)
        return dict(arg.split("=", 1) if "=" in arg else (arg, "") for arg in x_args)

    context.configure = configure
    context.get_x_argument = get_x_argument
    context.is_offline_mode = lambda: False
    context.is_transactional_ddl = lambda: False
    context.requires_connection = lambda: False
    context.run_migrations = lambda **kw: None
    context.begin_transaction = contextlib.nullcontext
    context.execute = lambda *a, **kw: None
    context.get_tag_argument = lambda: None
    context.get_revision_argument = lambda: "heads"
    context.get_starting_revision_argument = lambda: None
    context.get_head_revision = lambda: None
    context.get_head_revisions = lambda: ()
    context.script = None
    return context


def install_context(context):
    try:
        import alembic as package  # the project's own, when it has one
    except Exception:  # noqa: BLE001 - any failure: use a bare package
        package = types.ModuleType("alembic")
        package.__path__ = []
        sys.modules["alembic"] = package
    package.context = context
    sys.modules["alembic.context"] = context


def project_frame(tb):
    """file:line of the innermost frame outside this loader."""
    where = ""
    for frame in traceback.extract_tb(tb):
        if frame.filename != "<string>":
            where = "%s:%d" % (frame.filename, frame.lineno)
    return where


def main():
    global RESULT_STREAM
    # Only the result goes to the real stdout; print() in the project's
    # modules goes to stderr.
    RESULT_STREAM = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    request = json.load(sys.stdin)
    for folder in reversed(request.get("sys_path") or []):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    captured = {}
    install_context(make_context(request, captured))
    env_path = request["env"]
    try:
        runpy.run_path(env_path, run_name="env_py")
    except SystemExit:
        pass
    except BaseException as error:  # noqa: BLE001 - reported, located
        where = project_frame(sys.exc_info()[2])
        fail("%s: %s: %s" % (where or env_path, type(error).__name__, error))

    try:
        import sqlalchemy as sa
        from sqlalchemy.dialects import sqlite
    except Exception as error:  # noqa: BLE001
        fail("this Python has no SQLAlchemy: %s" % error)

    target = captured.get("target_metadata")
    if target is None:
        fail("%s does not provide a MetaData object or sequence of objects to the context"
             % env_path)
    metadatas = list(target) if isinstance(target, (list, tuple)) else [target]
    for metadata in metadatas:
        if not isinstance(metadata, sa.MetaData):
            fail("target_metadata is a %s, not a MetaData" % type(metadata).__name__)

    dumper = Dumper(sa, sqlite.dialect())
    out = {
        "python": sys.executable,
        "sqlalchemy": sa.__version__,
        "naming_convention": dumper.naming_convention(metadatas[0]),
        "tables": [dumper.table(t) for m in metadatas for t in m.tables.values()],
        "options": {},
        "hooks": sorted(k for k in ("include_object", "include_name",
                                    "process_revision_directives") if captured.get(k)),
        "url": url_of(captured),
    }
    for key in ("compare_type", "compare_server_default", "render_as_batch", "version_table"):
        value = captured.get(key)
        if isinstance(value, (bool, str)):
            out["options"][key] = value
        elif value is not None:
            out["options"][key] = "callable"
    try:
        out["decisions"] = decide(sa, captured, metadatas, request.get("reflected") or [])
    except BaseException as error:  # noqa: BLE001
        fail("%s: %s: %s" % (project_frame(sys.exc_info()[2]) or env_path,
                             type(error).__name__, error))
    RESULT_STREAM.write(json.dumps(out))
    RESULT_STREAM.flush()


def url_of(captured):
    """The database env.py configured: url=, or the connection's engine's."""
    url = captured.get("url")
    connection = captured.get("connection")
    if url is None and connection is not None:
        url = getattr(getattr(connection, "engine", None), "url", None)
    if url is None:
        return None
    render = getattr(url, "render_as_string", None)
    return render(hide_password=False) if render else str(url)


def creation_order(item):
    return getattr(item, "_creation_order", 0)


def name_of(item):
    """{"value": name or None, "conv": whether it is a conv() name}."""
    from sqlalchemy.sql.elements import conv
    name = item.name
    if name is None or type(name).__name__ == "_NoneName":
        return {"value": None, "conv": False}
    return {"value": str(name), "conv": isinstance(name, conv)}


class Dumper:
    """One table of a MetaData as JSON, as SQLite's DDL would hold it."""

    def __init__(self, sa, dialect):
        self.sa = sa
        self.dialect = dialect

    def sql(self, element):
        compiler = self.dialect.statement_compiler(self.dialect, None)
        return compiler.process(element, include_table=False, literal_binds=True)

    def naming_convention(self, metadata):
        kinds = {self.sa.PrimaryKeyConstraint: "pk", self.sa.UniqueConstraint: "uq",
                 self.sa.CheckConstraint: "ck", self.sa.ForeignKeyConstraint: "fk",
                 self.sa.Index: "ix"}
        out = {}
        for key, value in (metadata.naming_convention or {}).items():
            key = kinds.get(key, key)
            if isinstance(key, str) and isinstance(value, str):
                out[key] = value
        return out

    def type_repr(self, type_):
        """The type as Alembic's autogenerate writes it, and its import."""
        module = type(type_).__module__
        if module.startswith("sqlalchemy.dialects."):
            dialect = module.split(".")[2]
            return "%s.%r" % (dialect, type_), ["from sqlalchemy.dialects import %s" % dialect]
        if module.startswith("sqlalchemy."):
            return "sa.%r" % (type_,), []
        return "%s.%r" % (module, type_), ["import %s" % module]

    def server_default(self, column):
        default = column.server_default
        arg = getattr(default, "arg", None)
        if arg is None:
            return None
        if isinstance(arg, str):
            return {"kind": "string", "text": arg}
        if isinstance(arg, self.sa.sql.elements.TextClause):
            return {"kind": "text", "text": arg.text}
        text = self.sql(arg)
        if text == "CURRENT_TIMESTAMP":
            return {"kind": "now", "text": ""}
        return {"kind": "expression", "text": text}

    def column(self, column):
        try:
            compiled = column.type.compile(dialect=self.dialect)
        except Exception:  # noqa: BLE001 - NullType: no SQL type
            compiled = ""
        type_repr, imports = self.type_repr(column.type)
        autoincrement = column.autoincrement
        return {
            "name": column.name,
            "type": compiled,
            "repr": type_repr,
            "imports": imports,
            "nullable": bool(column.nullable),
            "primary_key": bool(column.primary_key),
            "autoincrement": autoincrement if isinstance(autoincrement, bool) else "auto",
            "unique": bool(column.unique),
            "index": bool(column.index),
            "server_default": self.server_default(column),
            "comment": column.comment,
        }

    def constraint(self, constraint):
        sa = self.sa
        out = {"name": name_of(constraint)}
        for key in ("deferrable", "initially"):
            value = getattr(constraint, key, None)
            if value is not None:
                out[key] = value
        if isinstance(constraint, sa.ForeignKeyConstraint):
            out["kind"] = "foreign_key"
            out["columns"] = list(constraint.column_keys)
            targets = [element.target_fullname.split(".") for element in constraint.elements]
            out["target_table"] = targets[0][-2] if targets else ""
            out["target_columns"] = [t[-1] for t in targets]
            for key in ("ondelete", "onupdate", "match"):
                value = getattr(constraint, key, None)
                if value is not None:
                    out[key] = value
        elif isinstance(constraint, sa.UniqueConstraint):
            out["kind"] = "unique"
            out["columns"] = [c.name for c in constraint.columns]
        elif isinstance(constraint, sa.CheckConstraint):
            out["kind"] = "check"
            out["sqltext"] = self.sql(constraint.sqltext)
        else:
            return None
        return out

    def index(self, index):
        elements = []
        for expression in index.expressions:
            if isinstance(expression, self.sa.Column):
                elements.append({"text": expression.name, "expression": False})
            else:
                elements.append({"text": self.sql(expression), "expression": True})
        out = {"name": name_of(index), "unique": bool(index.unique), "elements": elements}
        where = index.dialect_options["sqlite"].get("where")
        if where is not None:
            out["sqlite_where"] = self.sql(where)
        return out

    def table(self, table):
        sa = self.sa
        constraints = []
        for constraint in sorted(table.constraints, key=creation_order):
            if isinstance(constraint, sa.PrimaryKeyConstraint):
                continue
            # Made by unique=True or a type (Enum, Boolean): the column or
            # the type stands for it.
            if getattr(constraint, "_column_flag", False):
                continue
            if getattr(constraint, "_type_bound", False):
                continue
            dumped = self.constraint(constraint)
            if dumped is not None:
                constraints.append(dumped)
        primary_key = table.primary_key
        return {
            "name": table.name,
            "columns": [self.column(c) for c in table.columns],
            "primary_key": {"name": name_of(primary_key),
                            "columns": [c.name for c in primary_key.columns]},
            "constraints": constraints,
            "indexes": [self.index(i) for i in sorted(table.indexes, key=creation_order)
                        if not getattr(i, "_column_flag", False)],
            "sqlite_autoincrement": bool(table.dialect_options["sqlite"].get("autoincrement")),
        }


def decide(sa, captured, metadatas, reflected):
    """[kind, name, table, reflected, keep] for each object a hook rules on."""
    include_object = captured.get("include_object")
    include_name = captured.get("include_name")
    if not include_object and not include_name:
        return []
    out = []
    for kind, name, table in reflected:
        keep = True
        if include_name:
            parents = {"schema_name": None}
            if kind != "table":
                parents["table_name"] = table
            keep = bool(include_name(name, kind, parents))
        if keep and include_object:
            keep = bool(include_object(stand_in(sa, kind, name, table), name, kind, True, None))
        out.append([kind, name, table, True, keep])
    if not include_object:
        return out
    for metadata in metadatas:
        for t in metadata.tables.values():
            out.append(["table", t.name, "", False,
                        bool(include_object(t, t.name, "table", False, None))])
            for c in t.columns:
                out.append(["column", c.name, t.name, False,
                            bool(include_object(c, c.name, "column", False, None))])
            for i in t.indexes:
                if i.name is not None:
                    out.append(["index", str(i.name), t.name, False,
                                bool(include_object(i, i.name, "index", False, None))])
            for k in t.constraints:
                kind = ("unique_constraint" if isinstance(k, sa.UniqueConstraint) else
                        "foreign_key_constraint" if isinstance(k, sa.ForeignKeyConstraint)
                        else None)
                if kind and k.name is not None and type(k.name).__name__ != "_NoneName":
                    out.append([kind, str(k.name), t.name, False,
                                bool(include_object(k, k.name, kind, False, None))])
    return out


def stand_in(sa, kind, name, table):
    """An object like the one Alembic reflects, carrying the name."""
    if kind == "table":
        return sa.Table(name, sa.MetaData())
    owner = sa.Table(table, sa.MetaData())
    if kind == "column":
        column = sa.Column(name, sa.types.NullType())
        owner.append_column(column)
        return column
    if kind == "index":
        return sa.Index(name or None)
    if kind == "unique_constraint":
        return sa.UniqueConstraint(name=name or None)
    return sa.ForeignKeyConstraint([], [], name=name or None)


RESULT_STREAM = sys.stdout
main()
