#!/usr/bin/python3
"""Concurrent sqlmend processes on one database, and fleets over one folder.

Each scenario starts --processes sqlmend processes at once (all but the
`fresh` one behind a barrier: this script holds the database's write lock
while they start, so they read the database and plan before any of them can
write) and then checks what they left, not just their exit codes:

  fresh     `upgrade head` on a database that does not exist yet.
  upgrade   `upgrade head` on a database at base, all planned from base.
  mixed     `upgrade head`, `downgrade -1` and `stamp REV` on a database at
            head; triggers on alembic_version log every row change.
  fix-fk    `fix-fk --stamp REV` on one broken file (one in rollback mode,
            one in WAL mode).
  fleets    --fleets concurrent `fix-fk --stamp REV -j 2 FOLDER` over one
            folder of broken and healthy files.

Every revision's upgrade and downgrade insert a row into a log table in the
revision's own transaction, so "applied exactly once" is counted, not
assumed. A process either succeeds or exits with the lock message the README
documents (`FAILED: FILE: database is locked by another migration; waited N s`,
exit 255; `sqlmend: FILE: database is locked by another process`, exit 5);
any other outcome is a failure. The repair scenarios check that exactly one
process repaired each file, that exactly one backup of it was kept and that
it is byte-identical to the original, that the result's `sqlmend dump`
equals that of a repair run alone, and that nothing else was left behind.

Prints one line per scenario with its figures and exits 1 when any check
failed. Standard library only.
"""

import argparse
import glob
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time

MIGRATE_LOCKED = re.compile(r"^FAILED: .*: database is locked by (another migration|its readers); waited [0-9.]+ s$")
REPAIR_LOCKED = re.compile(r"^sqlmend: .*: database is locked by another process$")
INFO_LINE = re.compile(r"^INFO  \[alembic\.runtime\.migration\] ")
STAMP = "5eed5eed5eed"


class Failures:
    def __init__(self):
        self.items = []

    def add(self, scenario, message):
        self.items.append("%s: %s" % (scenario, message))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------- processes

def start_all(commands, cwd, work):
    """Starts every command at once; output goes to files (no pipe can fill)."""
    procs = []
    for i, argv in enumerate(commands):
        out = open(os.path.join(work, "p%03d.out" % i), "w+b")
        err = open(os.path.join(work, "p%03d.err" % i), "w+b")
        procs.append((argv, subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err), out, err))
    return procs


def wait_all(procs, timeout):
    results = []
    deadline = time.monotonic() + timeout
    for argv, proc, out, err in procs:
        try:
            code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "timeout"
        out.seek(0)
        err.seek(0)
        results.append({"argv": argv, "code": code,
                        "out": out.read().decode("utf-8", "replace"),
                        "err": err.read().decode("utf-8", "replace")})
        out.close()
        err.close()
    return results


class Barrier:
    """Holds `paths`' write locks (BEGIN IMMEDIATE) until released: readers
    go on, every writer waits, so all processes plan from the same state."""

    def __init__(self, paths):
        self.connections = []
        for path in paths:
            db = sqlite3.connect(path, isolation_level=None, timeout=60)
            db.execute("BEGIN IMMEDIATE")
            self.connections.append(db)

    def release(self):
        for db in self.connections:
            db.execute("ROLLBACK")
            db.close()
        self.connections = []


def barrier_seconds(processes):
    # Long enough for every process to start and reach the lock on 2 cores.
    return 0.3 + 0.03 * processes


# ---------------------------------------------------------------- migrations

def revision_id(i):
    return "r%011d" % i


def make_project(folder, revisions):
    """An Alembic project of plain-SQL revisions r1 -> r2 -> ... whose bodies
    log themselves into race_log and keep the lock a few milliseconds."""
    os.makedirs(os.path.join(folder, "mig", "versions"))
    with open(os.path.join(folder, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = mig\nsqlalchemy.url = sqlite:///app.db\n")
    busy = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
            "SELECT count(*) FROM c;")
    for i in range(1, revisions + 1):
        rid = revision_id(i)
        down = revision_id(i - 1) if i > 1 else "None"
        with open(os.path.join(folder, "mig", "versions", rid + ".sql"), "w") as f:
            f.write("-- revision: %s\n-- down_revision: %s\n-- message: step %d\n\n"
                    "-- upgrade\nCREATE TABLE IF NOT EXISTS race_log(seq INTEGER PRIMARY KEY, "
                    "kind TEXT, rev TEXT, old TEXT, new TEXT);\n"
                    "INSERT INTO race_log(kind, rev) VALUES ('up', '%s');\n%s\n\n"
                    "-- downgrade\nINSERT INTO race_log(kind, rev) VALUES ('down', '%s');\n%s\n"
                    % (rid, down, i, rid, busy, rid, busy))


def migrate_command(binary, verb, timeout):
    return [binary] + verb + ["--lock-timeout", "%g" % timeout]


def lock_timeouts(rng, processes):
    """Most processes wait long; a few give up soon (they must lose with the
    lock message, never half-apply)."""
    return [60 if rng.random() < 0.7 else rng.choice([0, 0.05, 0.2, 0.5])
            for _ in range(processes)]


def check_migrate_exits(name, results, failures):
    """Every process succeeded or lost with the lock message. Returns the
    losers' messages."""
    losers = []
    for r in results:
        out_lines = [line for line in r["out"].splitlines() if line]
        err_lines = [line for line in r["err"].splitlines() if line]
        stray = [line for line in err_lines if not INFO_LINE.match(line)]
        if r["code"] == 0 and not out_lines and not stray:
            continue
        if r["code"] == 255 and len(out_lines) == 1 and MIGRATE_LOCKED.match(out_lines[0]) \
                and not stray:
            losers.append(out_lines[0])
            continue
        failures.add(name, "%s: exit %s, stdout %r, stderr %r"
                     % (" ".join(r["argv"][1:]), r["code"], r["out"][-300:], r["err"][-300:]))
    return losers


def query(path, sql):
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def leftovers(folder, keep):
    return sorted(n for n in os.listdir(folder) if n not in keep)


def scenario_upgrade(args, rng, failures, fresh):
    name = "fresh" if fresh else "upgrade"
    work = os.path.join(args.work, name)
    project = os.path.join(work, "project")
    make_project(project, args.revisions)
    db = os.path.join(project, "app.db")
    if not fresh:
        sqlite3.connect(db).close()  # an empty database: at base
    commands = [migrate_command(args.bin, ["upgrade", "head"], t)
                for t in lock_timeouts(rng, args.processes)]
    started = time.monotonic()
    barrier = None if fresh else Barrier([db])
    procs = start_all(commands, project, work)
    if barrier:
        time.sleep(barrier_seconds(args.processes))
        barrier.release()
    results = wait_all(procs, args.timeout)
    seconds = time.monotonic() - started
    losers = check_migrate_exits(name, results, failures)
    applied = {}
    if os.path.exists(db):
        try:
            for rev, count in query(db, "SELECT rev, count(*) FROM race_log WHERE kind = 'up' "
                                        "GROUP BY rev"):
                applied[rev] = count
        except sqlite3.Error as e:
            failures.add(name, "race_log: %s" % e)
    double = sum(c - 1 for c in applied.values() if c > 1)
    missing = [revision_id(i) for i in range(1, args.revisions + 1)
               if revision_id(i) not in applied]
    if double:
        failures.add(name, "%d double-applies: %r" % (double, applied))
    if missing:
        failures.add(name, "never applied (or lost): %s" % ", ".join(missing))
    heads = query(db, "SELECT version_num FROM alembic_version") if os.path.exists(db) else []
    if heads != [(revision_id(args.revisions),)]:
        failures.add(name, "alembic_version holds %r" % heads)
    # Each "Running upgrade" line was logged by exactly one process.
    runs = {}
    for r in results:
        for line in r["err"].splitlines():
            m = re.search(r"Running upgrade \S* -> (\S+),", line)
            if m and r["code"] == 0:
                runs[m.group(1)] = runs.get(m.group(1), 0) + 1
    if any(c != 1 for c in runs.values()) or len(runs) != args.revisions:
        failures.add(name, "revisions reported run: %r" % runs)
    left = leftovers(project, {"alembic.ini", "mig", "app.db"})
    if left:
        failures.add(name, "left behind: %s" % ", ".join(left))
    winners = sum(1 for r in results if r["code"] == 0)
    print("%-8s %3d processes x upgrade head, %d revisions: %d double-applies, %d missing; "
          "%d succeeded, %d lost the lock%s; %.1f s"
          % (name, args.processes, args.revisions, double, len(missing), winners, len(losers),
             (" (%s)" % losers[0]) if losers else "", seconds))


VERSION_TRIGGERS = """
CREATE TRIGGER race_version_ins AFTER INSERT ON alembic_version BEGIN
  INSERT INTO race_log(kind, new) VALUES ('ins', NEW.version_num); END;
CREATE TRIGGER race_version_del AFTER DELETE ON alembic_version BEGIN
  INSERT INTO race_log(kind, old) VALUES ('del', OLD.version_num); END;
CREATE TRIGGER race_version_upd AFTER UPDATE ON alembic_version BEGIN
  INSERT INTO race_log(kind, old, new) VALUES ('upd', OLD.version_num, NEW.version_num); END;
"""


def replay(log, revisions):
    """Checks race_log is a serial history: each body ran exactly when the
    database stood at its parent (upgrade) or at itself (downgrade), and was
    followed by its own version change; every version change started from
    the rows then present. Returns (problems, final heads, ups, downs)."""
    problems = []
    heads = {revision_id(revisions)}
    ups = downs = 0
    pending = None  # the version change a body must be followed by
    for seq, kind, rev, old, new in log:
        if kind in ("up", "down"):
            if pending:
                problems.append("seq %d: body of %s after a body with no version change" % (seq, rev))
            i = int(rev[1:])
            parent = {revision_id(i - 1)} if i > 1 else set()
            if kind == "up":
                ups += 1
                if heads != parent:
                    problems.append("seq %d: %s applied at %s (double-apply)" % (seq, rev, sorted(heads)))
                pending = (min(parent) if parent else None, rev)
            else:
                downs += 1
                if heads != {rev}:
                    problems.append("seq %d: %s downgraded at %s" % (seq, rev, sorted(heads)))
                pending = (rev, min(parent) if parent else None)
            continue
        if kind == "ins":
            if new in heads:
                problems.append("seq %d: %s inserted twice" % (seq, new))
            heads.add(new)
            change = (None, new)
        elif kind == "del":
            if old not in heads:
                problems.append("seq %d: %s deleted but not present" % (seq, old))
            heads.discard(old)
            change = (old, None)
        else:
            if old not in heads:
                problems.append("seq %d: %s -> %s from %s" % (seq, old, new, sorted(heads)))
            heads.discard(old)
            heads.add(new)
            change = (old, new)
        if pending and change != pending:
            problems.append("seq %d: body %r followed by version change %r" % (seq, pending, change))
        pending = None
    return problems, heads, ups, downs


def scenario_mixed(args, rng, failures):
    name = "mixed"
    work = os.path.join(args.work, name)
    project = os.path.join(work, "project")
    # Enough revisions that the downgrades never reach base, and stamps only
    # to revisions above what the downgrades can undo.
    downgrades = args.processes // 3
    revisions = max(args.revisions, downgrades + 6)
    make_project(project, revisions)
    db = os.path.join(project, "app.db")
    setup = subprocess.run([args.bin, "upgrade", "head"], cwd=project, capture_output=True, text=True)
    if setup.returncode != 0:
        failures.add(name, "setup upgrade failed: %s" % setup.stdout)
        return
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("DELETE FROM race_log;" + VERSION_TRIGGERS)
    con.close()
    commands = []
    kinds = []
    for i, t in enumerate(lock_timeouts(rng, args.processes)):
        if i % 3 == 0:
            verb, kind = ["upgrade", "head"], "upgrade"
        elif i % 3 == 1:
            verb, kind = ["downgrade", "-1"], "downgrade"
        else:
            verb, kind = ["stamp", revision_id(rng.randint(downgrades + 2, revisions))], "stamp"
        commands.append(migrate_command(args.bin, verb, t))
        kinds.append(kind)
    order = list(range(len(commands)))
    rng.shuffle(order)
    commands = [commands[i] for i in order]
    started = time.monotonic()
    barrier = Barrier([db])
    procs = start_all(commands, project, work)
    time.sleep(barrier_seconds(args.processes))
    barrier.release()
    results = wait_all(procs, args.timeout)
    seconds = time.monotonic() - started
    losers = check_migrate_exits(name, results, failures)
    log = query(db, "SELECT seq, kind, rev, old, new FROM race_log ORDER BY seq")
    problems, heads, ups, downs = replay(log, revisions)
    for p in problems[:10]:
        failures.add(name, p)
    rows = {r[0] for r in query(db, "SELECT version_num FROM alembic_version")}
    if rows != heads or len(rows) != 1:
        failures.add(name, "alembic_version holds %r, the log replays to %r" % (sorted(rows), sorted(heads)))
    left = leftovers(project, {"alembic.ini", "mig", "app.db"})
    if left:
        failures.add(name, "left behind: %s" % ", ".join(left))
    winners = sum(1 for r in results if r["code"] == 0)
    print("%-8s %3d processes (upgrade head / downgrade -1 / stamp), %d revisions: "
          "%d out-of-order or double-applies in %d upgrades and %d downgrades; "
          "%d succeeded, %d lost the lock; %.1f s"
          % (name, args.processes, revisions, len(problems), ups, downs, winners, len(losers),
             seconds))


# ---------------------------------------------------------------- repairs

def make_broken(path, rows, wal):
    """A rename-first migration's damage: sessions references users_old."""
    db = sqlite3.connect(path, isolation_level=None)
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
    db.executescript(
        "PRAGMA legacy_alter_table=OFF;"
        "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);"
        "CREATE TABLE sessions(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL "
        "REFERENCES users(id) ON DELETE CASCADE, token TEXT);"
        "CREATE VIEW recent AS SELECT s.token FROM sessions s JOIN users u ON u.id = s.user_id;")
    db.execute("BEGIN")
    db.executemany("INSERT INTO users VALUES (?, ?)", ((i, "u%d@example.com" % i) for i in range(1, 501)))
    db.executemany("INSERT INTO sessions(user_id, token) VALUES (?, ?)",
                   ((i % 500 + 1, "tok%d" % i) for i in range(rows)))
    db.execute("COMMIT")
    db.executescript(
        "ALTER TABLE users RENAME TO users_old;"
        "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, created TEXT);"
        "INSERT INTO users(id, email) SELECT id, email FROM users_old;"
        "DROP TABLE users_old;")
    if wal:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def make_healthy(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript("CREATE TABLE users(id INTEGER PRIMARY KEY);"
                     "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id REFERENCES users(id));"
                     "INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1);")
    db.close()


def dump(binary, path):
    r = subprocess.run([binary, "dump", path], capture_output=True)
    return r.returncode, r.stdout


def reference_dump(args, original, scratch):
    """The dump of `original` repaired by one fix-fk run alone."""
    os.makedirs(scratch, exist_ok=True)
    copy = os.path.join(scratch, os.path.basename(original))
    shutil.copyfile(original, copy)
    r = subprocess.run([args.bin, "fix-fk", "--no-backup", "--stamp", STAMP, copy],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("race: reference repair of %s failed: %s" % (original, r.stderr))
    code, text = dump(args.bin, copy)
    shutil.rmtree(scratch)
    return text


def outcome_of(stdout):
    for line in stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if "outcome" in record:
            return record["outcome"]
    return None


def scenario_fixfk(args, rng, failures, wal):
    name = "fix-fk-wal" if wal else "fix-fk"
    work = os.path.join(args.work, name)
    folder = os.path.join(work, "data")
    os.makedirs(folder)
    db = os.path.join(folder, "app.db")
    make_broken(db, args.rows, wal)
    original = sha256(db)
    reference = reference_dump(args, db, os.path.join(work, "reference"))
    commands = []
    for _ in range(args.processes):
        timeout = 60000 if rng.random() < 0.7 else rng.choice([0, 50, 200])
        commands.append([args.bin, "fix-fk", "--json", "--stamp", STAMP,
                         "--busy-timeout", str(timeout), db])
    started = time.monotonic()
    barrier = Barrier([db])
    procs = start_all(commands, work, work)
    time.sleep(barrier_seconds(args.processes))
    barrier.release()
    results = wait_all(procs, args.timeout)
    seconds = time.monotonic() - started
    outcomes = {}
    losers = []
    for r in results:
        outcome = outcome_of(r["out"])
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        err_lines = [line for line in r["err"].splitlines() if line]
        if r["code"] == 0 and outcome in ("fixed", "healthy", "stamped") and not err_lines:
            continue
        if r["code"] == 5 and len(err_lines) == 1 and REPAIR_LOCKED.match(err_lines[0]):
            losers.append(err_lines[0])
            continue
        failures.add(name, "exit %s, outcome %s, stderr %r" % (r["code"], outcome, r["err"][-300:]))
    fixed = outcomes.get("fixed", 0)
    if fixed != 1:
        failures.add(name, "%d processes repaired the file (outcomes %r)" % (fixed, outcomes))
    backups = sorted(glob.glob(db + ".sqlmend-backup-*"))
    if len(backups) != 1:
        failures.add(name, "%d backups kept: %s" % (len(backups), ", ".join(backups)))
    for b in backups:
        if sha256(b) != original:
            failures.add(name, "%s is not the original" % os.path.basename(b))
    code, final = dump(args.bin, db)
    if code != 0 or final != reference:
        failures.add(name, "the repaired file differs from a repair run alone")
    left = leftovers(folder, {"app.db"} | {os.path.basename(b) for b in backups})
    if left:
        failures.add(name, "left behind: %s" % ", ".join(left))
    print("%-8s %3d processes x fix-fk --stamp on one %sfile: %d repaired it, %d backups kept "
          "(%s), %d found it repaired, %d lost the lock%s; %.1f s"
          % (name, args.processes, "WAL " if wal else "", fixed, len(backups),
             "the original" if backups and all(sha256(b) == original for b in backups) else "WRONG",
             sum(outcomes.get(o, 0) for o in ("healthy", "stamped")), len(losers),
             (" (%s)" % re.sub(r"sqlmend: \S+:", "sqlmend: FILE:", losers[0])) if losers else "",
             seconds))


def scenario_fleets(args, rng, failures):
    name = "fleets"
    work = os.path.join(args.work, name)
    folder = os.path.join(work, "data")
    os.makedirs(folder)
    files = max(6, args.processes // 2)
    broken, healthy = [], []
    for i in range(files):
        path = os.path.join(folder, "db%03d.sqlite" % i)
        if i % 3 == 2:
            make_healthy(path)
            healthy.append(path)
        else:
            make_broken(path, args.rows // 4, wal=(i % 6 == 1))
            broken.append(path)
    originals = {p: sha256(p) for p in broken + healthy}
    references = {p: reference_dump(args, p, os.path.join(work, "reference")) for p in broken}
    commands = [[args.bin, "fix-fk", "--json", "-j", "2", "--stamp", STAMP,
                 "--busy-timeout", "60000", folder] for _ in range(args.fleets)]
    started = time.monotonic()
    procs = start_all(commands, work, work)
    results = wait_all(procs, args.timeout)
    seconds = time.monotonic() - started
    fixed_by = {}
    busy = 0
    for r in results:
        if r["code"] not in (0, 5) or r["err"].strip():
            failures.add(name, "fleet exit %s, stderr %r" % (r["code"], r["err"][-300:]))
        for line in r["out"].splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                failures.add(name, "not JSON: %r" % line[:200])
                continue
            if "summary" in record:
                continue
            path = os.path.join(folder, os.path.basename(record.get("path", "")))
            outcome = record.get("outcome")
            if outcome == "fixed":
                fixed_by[path] = fixed_by.get(path, 0) + 1
            elif outcome == "environment" or record.get("exit_code") == 5:
                busy += 1
                if not REPAIR_LOCKED.match("sqlmend: %s" % (record.get("error") or "")) and \
                        outcome != "busy":
                    failures.add(name, "%s: %s" % (path, record.get("error")))
            elif outcome not in ("healthy", "done-earlier", "stamped", "busy"):
                failures.add(name, "%s: outcome %s (%s)" % (path, outcome, record.get("error")))
    double = 0
    for p in broken:
        if fixed_by.get(p, 0) != 1:
            failures.add(name, "%s repaired %d times" % (os.path.basename(p), fixed_by.get(p, 0)))
            double += max(0, fixed_by.get(p, 0) - 1)
        backups = glob.glob(p + ".sqlmend-backup-*")
        if len(backups) != 1 or sha256(backups[0]) != originals[p]:
            failures.add(name, "%s: backups %r" % (os.path.basename(p), backups))
        code, final = dump(args.bin, p)
        if code != 0 or final != references[p]:
            failures.add(name, "%s differs from a repair run alone" % os.path.basename(p))
    for p in healthy:
        if sha256(p) != originals[p] or glob.glob(p + ".sqlmend-backup-*"):
            failures.add(name, "healthy %s was written" % os.path.basename(p))
    journal = os.path.join(folder, ".sqlmend-journal.jsonl")
    with open(journal, encoding="utf-8") as f:
        for line in f:
            try:
                json.loads(line)
            except ValueError:
                failures.add(name, "torn journal line %r" % line[:200])
    allowed = {os.path.basename(p) for p in broken + healthy} | {".sqlmend-journal.jsonl"}
    left = [n for n in leftovers(folder, allowed) if ".sqlmend-backup-" not in n]
    if left:
        failures.add(name, "left behind: %s" % ", ".join(left))
    print("%-8s %d fleets x fix-fk -j 2 --stamp over one folder of %d files (%d broken): "
          "%d double repairs, %d files busy; %.1f s"
          % (name, args.fleets, files, len(broken), double, busy, seconds))


# ---------------------------------------------------------------- main

SCENARIOS = ["fresh", "upgrade", "mixed", "fix-fk", "fix-fk-wal", "fleets"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=100, help="processes per scenario")
    parser.add_argument("--revisions", type=int, default=30, help="revisions in the chain")
    parser.add_argument("--fleets", type=int, default=2, help="concurrent fleet runs")
    parser.add_argument("--rows", type=int, default=20000, help="rows in a broken database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300, help="seconds for a scenario")
    parser.add_argument("--bin", default=os.path.join(root, ".build", "release", "sqlmend"))
    parser.add_argument("--work", default=os.path.join(root, ".build", "race"))
    parser.add_argument("--only", action="append", choices=SCENARIOS,
                        help="run this scenario (repeatable); default: all")
    args = parser.parse_args()
    if args.processes < 3:
        parser.error("--processes must be at least 3")
    args.bin = os.path.abspath(args.bin)
    if not os.access(args.bin, os.X_OK):
        sys.exit("race: no sqlmend binary at %s (build it, or pass --bin)" % args.bin)
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    args.work = os.path.abspath(args.work)
    rng = random.Random(args.seed)
    failures = Failures()
    for scenario in args.only or SCENARIOS:
        if scenario in ("fresh", "upgrade"):
            scenario_upgrade(args, rng, failures, fresh=scenario == "fresh")
        elif scenario == "mixed":
            scenario_mixed(args, rng, failures)
        elif scenario in ("fix-fk", "fix-fk-wal"):
            scenario_fixfk(args, rng, failures, wal=scenario == "fix-fk-wal")
        else:
            scenario_fleets(args, rng, failures)
        sys.stdout.flush()
    for f in failures.items:
        print("FAIL " + f)
    print("%d failure(s)" % len(failures.items))
    return 1 if failures.items else 0


if __name__ == "__main__":
    sys.exit(main())
