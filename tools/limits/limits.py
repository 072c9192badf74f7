#!/usr/bin/python3
"""Resource limits: sqlmend on inputs far larger than real projects have.

Generates, under --work (never committed), and runs sqlmend on:

  revisions   a script directory of --revisions plain-SQL revisions in one
              chain (default 100,000): heads, history of the last ten,
              upgrade head on a new database, current;
  big-sql     a .sql revision of --mb MB (default 10) of INSERTs: upgrade
              head, and upgrade head --sql;
  big-py      a .py revision of --mb MB of op.execute() calls: heads and
              upgrade head;
  tables      a database of --tables tables (default 10,000), each with a
              foreign key to the one before, one of them left dangling by a
              rename-first rebuild: check-fk, dump, fix-fk --stamp, doctor;
  columns     a table of 2,000 columns (SQLite's own maximum) left dangling
              by a rename-first rebuild: check-fk, dump, fix-fk; and a
              revision creating such a table: upgrade head.

Each run must either succeed, or stop with an exit code the README's
tables document and one line of message; and stay within --timeout and the
memory bar of tools/bench.sh (--rss-mb, default 100 MB peak RSS, read from
GNU time). Prints one line per run (time, peak RSS, exit code, message) and
exits 1 when any run failed. --quick uses small sizes (the ctest form).
Standard library only.
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 130, 255}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def project(folder):
    write(os.path.join(folder, "alembic.ini"),
          "[alembic]\nscript_location = mig\nsqlalchemy.url = sqlite:///app.db\n")
    os.makedirs(os.path.join(folder, "mig", "versions"), exist_ok=True)


def sql_revision(rid, down, upgrade, downgrade):
    return ("-- revision: %s\n-- down_revision: %s\n-- message: %s\n\n-- upgrade\n%s\n\n"
            "-- downgrade\n%s\n" % (rid, down, rid, upgrade, downgrade))


def make_revisions(folder, count):
    project(folder)
    versions = os.path.join(folder, "mig", "versions")
    for i in range(1, count + 1):
        rid = "r%011d" % i
        if i == 1:
            body = sql_revision(rid, "None", "CREATE TABLE log(x);", "DROP TABLE log;")
        else:
            body = sql_revision(rid, "r%011d" % (i - 1), "INSERT INTO log VALUES (%d);" % i,
                                "DELETE FROM log WHERE x = %d;" % i)
        with open(os.path.join(versions, rid + ".sql"), "w") as f:
            f.write(body)


def filler(mb, template):
    """Lines of `template` (one %s: a distinct 64-byte value) making `mb` MB."""
    lines, size = [], 0
    while size < mb * (1 << 20):
        lines.append(template % ("x%07d" % len(lines) * 8))
        size += len(lines[-1]) + 1
    return lines


def make_big_sql(folder, mb):
    project(folder)
    lines = ["CREATE TABLE big(id INTEGER PRIMARY KEY, payload TEXT);"]
    lines += filler(mb, "INSERT INTO big(payload) VALUES ('%s');")
    write(os.path.join(folder, "mig", "versions", "a1.sql"),
          sql_revision("a1", "None", "\n".join(lines), "DROP TABLE big;"))


def make_big_py(folder, mb):
    project(folder)
    write(os.path.join(folder, "mig", "env.py"),
          "from alembic import context\n\n"
          "context.configure(url=context.config.get_main_option(\"sqlalchemy.url\"))\n"
          "with context.begin_transaction():\n    context.run_migrations()\n")
    lines = ['"""big\n\n"""', "from alembic import op", "", 'revision = "a1"',
             "down_revision = None", "branch_labels = None", "depends_on = None", "", "",
             "def upgrade():", '    op.execute("CREATE TABLE big(id INTEGER PRIMARY KEY, payload TEXT)")']
    lines += filler(mb, "    op.execute(\"INSERT INTO big(payload) VALUES ('%s')\")")
    lines += ["", "", "def downgrade():", '    op.execute("DROP TABLE big")', ""]
    write(os.path.join(folder, "mig", "versions", "a1_big.py"), "\n".join(lines))


def make_tables(path, count):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA legacy_alter_table=OFF")
    db.execute("BEGIN")
    db.execute("CREATE TABLE t0(id INTEGER PRIMARY KEY, name TEXT)")
    for i in range(1, count):
        db.execute("CREATE TABLE t%d(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES t%d(id), "
                   "name TEXT)" % (i, i - 1))
        db.execute("CREATE INDEX t%d_parent ON t%d(parent_id)" % (i, i))
    db.execute("INSERT INTO t0 VALUES (1, 'root')")
    db.execute("COMMIT")
    # A rename-first rebuild of the middle table leaves its child dangling.
    m = count // 2
    db.executescript(
        "ALTER TABLE t{m} RENAME TO t{m}_old;"
        "CREATE TABLE t{m}(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES t{p}(id), name TEXT, extra TEXT);"
        "INSERT INTO t{m}(id, parent_id, name) SELECT id, parent_id, name FROM t{m}_old;"
        "DROP TABLE t{m}_old;".format(m=m, p=m - 1))
    db.close()


def wide_table_sql(name, columns, parent):
    cols = ", ".join("c%d INTEGER DEFAULT %d" % (i, i) for i in range(3, columns + 1))
    return ("CREATE TABLE %s(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES %s(id), %s);"
            % (name, parent, cols))


def make_columns(path, columns):
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        "PRAGMA legacy_alter_table=OFF; CREATE TABLE users(id INTEGER PRIMARY KEY);"
        + wide_table_sql("wide", columns, "users") +
        "INSERT INTO users VALUES (1); INSERT INTO wide(id, user_id) VALUES (1, 1);"
        "ALTER TABLE users RENAME TO users_old; CREATE TABLE users(id INTEGER PRIMARY KEY);"
        "INSERT INTO users SELECT * FROM users_old; DROP TABLE users_old;")
    db.close()


def make_columns_project(folder, columns):
    project(folder)
    write(os.path.join(folder, "mig", "versions", "a1.sql"),
          sql_revision("a1", "None", "CREATE TABLE users(id INTEGER PRIMARY KEY);\n"
                       + wide_table_sql("wide", columns, "users"), "DROP TABLE wide; DROP TABLE users;"))


def run(args, label, argv, cwd, failures):
    """Runs argv under GNU time; prints and checks the figures."""
    stats = os.path.join(args.work, "time.txt")
    command = ["/usr/bin/time", "-o", stats, "-f", "%e %M", args.bin] + argv
    try:
        r = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=args.timeout)
        code = r.returncode
        err = r.stderr.decode("utf-8", "replace")
        # The Alembic-style commands print their failure on stdout.
        err += "".join(line + "\n" for line in r.stdout.decode("utf-8", "replace").splitlines()
                       if line.startswith("FAILED: "))
        with open(stats) as f:
            seconds, kb = f.read().split()[-2:]
        seconds, mb = float(seconds), int(kb) / 1024.0
    except subprocess.TimeoutExpired:
        code, err, seconds, mb = "timeout", "", args.timeout, 0.0
    # Alembic-style commands log INFO lines; the message is what is left.
    message_lines = [line for line in err.splitlines()
                     if line and not line.startswith("INFO  [alembic")]
    problems = []
    if code == "timeout":
        problems.append("no answer within %d s" % args.timeout)
    elif code < 0 or code not in DOCUMENTED:
        problems.append("exit %s is not documented" % code)
    elif code not in (0, 1) and len(message_lines) > 1:
        problems.append("%d lines of message" % len(message_lines))
    if mb > args.rss_mb:
        problems.append("peak RSS %.0f MB over the %d MB bar" % (mb, args.rss_mb))
    verdict = "FAIL" if problems else "ok"
    message = message_lines[0][:110] if message_lines else ""
    print("%-4s %-11s %-40s %7.2f s %6.1f MB  exit %-4s %s"
          % (verdict, label, " ".join(argv)[:40], seconds, mb, code, message))
    sys.stdout.flush()
    for p in problems:
        failures.append("%s: sqlmend %s: %s" % (label, " ".join(argv), p))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (the ctest form)")
    parser.add_argument("--revisions", type=int, default=100000)
    parser.add_argument("--mb", type=float, default=10, help="size of the big revision files")
    parser.add_argument("--tables", type=int, default=10000)
    parser.add_argument("--columns", type=int, default=2000)
    parser.add_argument("--rss-mb", type=int, default=100, help="the memory bar (tools/bench.sh)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for one run")
    parser.add_argument("--bin", default=os.path.join(root, ".build", "release", "sqlmend"))
    parser.add_argument("--work", default=os.path.join(root, ".build", "limits"))
    parser.add_argument("--only", action="append",
                        choices=["revisions", "big-sql", "big-py", "tables", "columns"])
    args = parser.parse_args()
    if args.quick:
        args.revisions, args.mb, args.tables = 2000, 0.25, 1000
    args.bin = os.path.abspath(args.bin)
    if not os.access(args.bin, os.X_OK):
        sys.exit("limits: no sqlmend binary at %s (build it, or pass --bin)" % args.bin)
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    args.work = os.path.abspath(args.work)
    failures = []
    cases = args.only or ["revisions", "big-sql", "big-py", "tables", "columns"]
    if "revisions" in cases:
        folder = os.path.join(args.work, "revisions")
        make_revisions(folder, args.revisions)
        label = "%d revs" % args.revisions
        run(args, label, ["heads"], folder, failures)
        last = "r%011d" % max(1, args.revisions - 10)
        run(args, label, ["history", "-r", "%s:head" % last], folder, failures)
        run(args, label, ["upgrade", "head"], folder, failures)
        run(args, label, ["current"], folder, failures)
    if "big-sql" in cases:
        folder = os.path.join(args.work, "big-sql")
        make_big_sql(folder, args.mb)
        label = "%g MB .sql" % args.mb
        run(args, label, ["upgrade", "head", "--sql"], folder, failures)
        run(args, label, ["upgrade", "head"], folder, failures)
    if "big-py" in cases:
        folder = os.path.join(args.work, "big-py")
        make_big_py(folder, args.mb)
        label = "%g MB .py" % args.mb
        run(args, label, ["heads"], folder, failures)
        run(args, label, ["upgrade", "head"], folder, failures)
    if "tables" in cases:
        folder = os.path.join(args.work, "tables")
        os.makedirs(folder)
        make_tables(os.path.join(folder, "app.db"), args.tables)
        label = "%d tables" % args.tables
        for argv in (["check-fk", "app.db"], ["dump", "-o", "dump.sql", "app.db"],
                     ["doctor", "app.db"], ["fix-fk", "--stamp", "5eed5eed5eed", "app.db"],
                     ["check-fk", "app.db"]):
            run(args, label, argv, folder, failures)
    if "columns" in cases:
        folder = os.path.join(args.work, "columns")
        os.makedirs(folder)
        make_columns(os.path.join(folder, "wide.db"), args.columns)
        label = "%d columns" % args.columns
        for argv in (["check-fk", "wide.db"], ["dump", "-o", "dump.sql", "wide.db"],
                     ["fix-fk", "wide.db"], ["check-fk", "wide.db"]):
            run(args, label, argv, folder, failures)
        migration = os.path.join(args.work, "columns-migration")
        make_columns_project(migration, args.columns)
        run(args, label, ["upgrade", "head"], migration, failures)
        run(args, label, ["check-fk", "app.db"], migration, failures)
    for f in failures:
        print("FAIL " + f)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
