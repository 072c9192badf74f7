#!/usr/bin/python3
"""Mutated databases through the repair commands.

Builds the fix-fk fixture databases (fixtures/fk/*.sql, as the tests build
them), damages copies of them (bit and byte flips biased to page 1's header
and the schema page, truncation, swapped and duplicated pages, header fields,
schema text edited through writable_schema), runs `check-fk`, `dump` and
`fix-fk` (on copies, with and without --json) on each, and checks every run:

  - it ended within --timeout, and not on a signal (no crash);
  - its exit code is one the README's exit-code table lists;
  - a failing run printed exactly one line on standard error, and nothing
    printed a sanitizer report;
  - the input is byte-identical afterwards, unless fix-fk exited 0;
  - no temporary file of fix-fk's was left beside the input.

Deterministic for a given --seed: case i draws from its own generator, so
--jobs does not change what is run. Standard library only.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEPARATOR = "-- migrate"
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:")


# ---------------------------------------------------------------- exit codes

def documented_exit_codes(readme):
    """The codes of the README's "## Exit codes" table."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"^## Exit codes\n(.*?)(?=^## )", text, re.M | re.S)
    if not match:
        sys.exit("mutate: %s has no \"## Exit codes\" section" % readme)
    codes = {int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", match.group(1), re.M)}
    if not codes:
        sys.exit("mutate: the exit-code table of %s lists no code" % readme)
    return codes


# ---------------------------------------------------------------- fixtures

def parse_fixture(path):
    """(pragmas, setup, migrate) of a fixtures/fk file (see tests/testutil/corpus.h)."""
    pragmas, setup, migrate = [], [], []
    section = setup
    header = True
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if header and line.startswith("--"):
                m = re.match(r"--\s*pragma:\s*(.*)$", line)
                if m:
                    pragmas.append(m.group(1))
            elif header:
                header = False
            if line.strip() == SEPARATOR:
                section = migrate
                continue
            section.append(line)
    return pragmas, "\n".join(setup), "\n".join(migrate)


def regexp(pattern, text):
    if pattern is None or text is None:
        return None
    return 1 if re.search(pattern, text) else 0


def build_fixture(path, pragmas, setup, migrate, legacy_alter_table):
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.create_function("regexp", 2, regexp, deterministic=True)
        db.executescript("PRAGMA foreign_keys=OFF; PRAGMA legacy_alter_table=%s;"
                         % ("ON" if legacy_alter_table else "OFF"))
        for pragma in pragmas:
            db.executescript(pragma)
        db.executescript(setup)
        db.executescript(migrate)
        if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
    finally:
        db.close()


def build_corpus(folder, scratch):
    """Builds broken (and good) databases of every fixture; returns their paths."""
    os.makedirs(scratch, exist_ok=True)
    built, skipped = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".sql"):
            continue
        pragmas, setup, migrate = parse_fixture(os.path.join(folder, name))
        for legacy, kind in ((False, "broken"), (True, "good")):
            path = os.path.join(scratch, "%s.%s.db" % (name[:-4], kind))
            if os.path.exists(path):
                built.append(path)
                continue
            try:
                build_fixture(path + ".tmp", pragmas, setup, migrate, legacy)
                os.replace(path + ".tmp", path)
                built.append(path)
            except sqlite3.Error as e:
                skipped.append("%s (%s): %s" % (name, kind, e))
            for suffix in ("", "-wal", "-shm", "-journal"):
                if os.path.exists(path + ".tmp" + suffix):
                    os.remove(path + ".tmp" + suffix)
    return built, skipped


# ---------------------------------------------------------------- mutations

HEADER_FIELDS = [
    # (name, offset, size, interesting values)
    ("magic", 0, 16, None),
    ("page size", 16, 2, [0, 1, 256, 511, 512, 1024, 4096, 32768, 65535, 0x8000 | 1]),
    ("write version", 18, 1, [0, 1, 2, 3, 255]),
    ("read version", 19, 1, [0, 1, 2, 3, 255]),
    ("reserved bytes", 20, 1, [0, 1, 8, 32, 64, 200, 255]),
    ("max payload fraction", 21, 1, [0, 32, 64, 255]),
    ("min payload fraction", 22, 1, [0, 32, 255]),
    ("leaf payload fraction", 23, 1, [0, 32, 255]),
    ("change counter", 24, 4, None),
    ("page count", 28, 4, [0, 1, 2, 0x7FFFFFFF, 0xFFFFFFFF]),
    ("freelist trunk", 32, 4, [0, 1, 2, 3, 0xFFFFFFFF]),
    ("freelist count", 36, 4, [0, 1, 100, 0xFFFFFFFF]),
    ("schema cookie", 40, 4, [0, 1, 0xFFFFFFFF]),
    ("schema format", 44, 4, [0, 1, 4, 5, 0xFFFFFFFF]),
    ("cache size", 48, 4, [0, 0xFFFFFFFF]),
    ("largest root (auto_vacuum)", 52, 4, [0, 1, 2, 0xFFFFFFFF]),
    ("text encoding", 56, 4, [0, 1, 2, 3, 4, 0xFFFFFFFF]),
    ("user version", 60, 4, None),
    ("incremental vacuum", 64, 4, [0, 1, 2]),
    ("application id", 68, 4, None),
    ("version valid for", 92, 4, [0, 0xFFFFFFFF]),
    ("sqlite version", 96, 4, [0, 0xFFFFFFFF]),
]


def page_size_of(data):
    if len(data) < 18:
        return 4096
    size = struct.unpack(">H", data[16:18])[0]
    if size == 1:
        return 65536
    if size < 512 or size & (size - 1):
        return 4096
    return size


def mutate_flip(rng, data):
    if not data:
        return "flip: empty"
    page = page_size_of(data)
    flips = rng.choice([1, 1, 1, 2, 4, 16])
    where = []
    for _ in range(flips):
        r = rng.random()
        if r < 0.4:
            off = rng.randrange(min(100, len(data)))
        elif r < 0.75:
            off = rng.randrange(min(page, len(data)))
        else:
            off = rng.randrange(len(data))
        if rng.random() < 0.5:
            data[off] ^= 1 << rng.randrange(8)
        else:
            data[off] = rng.randrange(256)
        where.append(off)
    return "flip %s" % ",".join(str(w) for w in where)


def mutate_truncate(rng, data):
    page = page_size_of(data)
    pages = max(1, len(data) // page)
    r = rng.random()
    if r < 0.4 and pages > 1:
        length = rng.randrange(1, pages) * page
    elif r < 0.55:
        length = rng.randrange(0, min(101, len(data) + 1))
    else:
        length = rng.randrange(0, len(data) + 1)
    del data[length:]
    return "truncate to %d" % length


def mutate_pages(rng, data):
    page = page_size_of(data)
    pages = len(data) // page
    if pages < 2:
        return mutate_flip(rng, data)
    first = 0 if rng.random() < 0.3 else 1
    a = rng.randrange(first, pages)
    b = rng.randrange(first, pages)
    kind = rng.choice(["swap", "copy", "zero", "shuffle"])
    if kind == "swap":
        pa, pb = bytes(data[a * page:(a + 1) * page]), bytes(data[b * page:(b + 1) * page])
        data[a * page:(a + 1) * page], data[b * page:(b + 1) * page] = pb, pa
        return "swap pages %d,%d" % (a + 1, b + 1)
    if kind == "copy":
        data[b * page:(b + 1) * page] = bytes(data[a * page:(a + 1) * page])
        return "copy page %d over %d" % (a + 1, b + 1)
    if kind == "zero":
        data[a * page:(a + 1) * page] = bytes(page)
        return "zero page %d" % (a + 1)
    order = list(range(1, pages))
    rng.shuffle(order)
    chunks = [bytes(data[i * page:(i + 1) * page]) for i in range(pages)]
    data[page:pages * page] = b"".join(chunks[i] for i in order)
    return "shuffle pages 2..%d" % pages


def mutate_header(rng, data):
    if len(data) < 100:
        return mutate_flip(rng, data)
    name, off, size, values = rng.choice(HEADER_FIELDS)
    if name == "magic":
        i = rng.randrange(16)
        data[i] = rng.randrange(256)
        return "header magic byte %d" % i
    if values and rng.random() < 0.7:
        value = rng.choice(values)
    else:
        value = rng.randrange(1 << (8 * size))
    if name == "page count" and rng.random() < 0.5:
        value = max(0, len(data) // page_size_of(data) + rng.choice([-2, -1, 1, 2, 1000]))
    data[off:off + size] = (value % (1 << (8 * size))).to_bytes(size, "big")
    return "header %s = %d" % (name, value)


def mutate_schema_bytes(rng, data):
    """Edits the schema text in place on page 1 (lengths kept)."""
    page = bytes(data[:page_size_of(data)])
    starts = [m.start() for m in re.finditer(rb"CREATE ", page)]
    if not starts:
        return mutate_flip(rng, data)
    start = rng.choice(starts)
    end = page.find(b"\x00", start)
    end = len(page) if end < 0 else end
    span = max(1, min(end - start, 200))
    edits = []
    for _ in range(rng.choice([1, 2, 3])):
        off = start + rng.randrange(span)
        if off >= len(data):
            continue
        data[off] = ord(rng.choice("()\"'`[];,-/* \x00\xff" + "abcXYZ019"))
        edits.append(off)
    return "schema bytes %s" % ",".join(str(e) for e in edits)


def nested(depth, inner="1"):
    return "(" * depth + inner + ")" * depth


SCHEMA_EDITS = [
    "drop close paren", "add open paren", "wrong table name", "wrong tbl_name",
    "deep nesting", "very deep nesting", "truncate text", "garbage", "null sql",
    "type view", "type table", "rootpage", "duplicate name", "empty sql",
    "long name", "deep check", "comment out rest",
]


def mutate_schema_sql(rng, data, scratch):
    """Edits sqlite_master through writable_schema (on a scratch file)."""
    path = scratch + ".schema"
    with open(path, "wb") as f:
        f.write(data)
    kind = rng.choice(SCHEMA_EDITS)
    try:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("PRAGMA writable_schema=ON")
            rows = db.execute("SELECT rowid, type, name, tbl_name, rootpage, sql FROM sqlite_master "
                              "WHERE sql IS NOT NULL").fetchall()
            if not rows:
                return mutate_flip(rng, data)
            rowid, type_, name, tbl_name, rootpage, sql = rng.choice(rows)
            update = "UPDATE sqlite_master SET sql=? WHERE rowid=?"
            if kind == "drop close paren" and ")" in sql:
                i = rng.choice([m.start() for m in re.finditer(r"\)", sql)])
                db.execute(update, (sql[:i] + sql[i + 1:], rowid))
            elif kind == "add open paren":
                i = rng.randrange(len(sql) + 1)
                db.execute(update, (sql[:i] + "(" + sql[i:], rowid))
            elif kind == "wrong table name":
                other = rng.choice([r[2] for r in rows] + ["nosuch", "sqlite_master", ""])
                db.execute(update, (sql.replace(name, other, 1), rowid))
            elif kind == "wrong tbl_name":
                other = rng.choice([r[2] for r in rows] + ["nosuch", "sqlite_master", ""])
                db.execute("UPDATE sqlite_master SET tbl_name=? WHERE rowid=?", (other, rowid))
            elif kind in ("deep nesting", "very deep nesting", "deep check"):
                depth = rng.choice([100, 249, 251, 300, 1001]) if kind == "deep nesting" \
                    else rng.choice([2000, 10000, 100000])
                if type_ == "table" and sql.rstrip().endswith(")"):
                    text = sql.rstrip()[:-1] + ", CHECK(%s))" % nested(depth)
                elif type_ == "view":
                    text = re.sub(r"(?i)\bSELECT\b", "SELECT %s," % nested(depth), sql, count=1)
                else:
                    text = sql + nested(depth)
                db.execute(update, (text, rowid))
            elif kind == "truncate text":
                db.execute(update, (sql[:rng.randrange(len(sql) + 1)], rowid))
            elif kind == "garbage":
                i = rng.randrange(len(sql) + 1)
                junk = rng.choice(["\x00", "'", '"', "`", "[", "/*", "--", ";", ";DROP TABLE x;",
                                   "\u00e9\u4e2d", "\ufffd", "X'zz'", "REFERENCES", "AS"])
                db.execute(update, (sql[:i] + junk + sql[i:], rowid))
            elif kind == "null sql":
                db.execute("UPDATE sqlite_master SET sql=NULL WHERE rowid=?", (rowid,))
            elif kind in ("type view", "type table"):
                db.execute("UPDATE sqlite_master SET type=? WHERE rowid=?",
                           (rng.choice(["view", "table", "index", "trigger", "bogus"]), rowid))
            elif kind == "rootpage":
                pages = max(1, len(data) // page_size_of(data))
                value = rng.choice([0, 1, -1, pages, pages + 1, 2 ** 31, rng.randrange(1, pages + 1)])
                db.execute("UPDATE sqlite_master SET rootpage=? WHERE rowid=?", (value, rowid))
            elif kind == "duplicate name":
                db.execute("INSERT INTO sqlite_master SELECT type, name, tbl_name, rootpage, sql "
                           "FROM sqlite_master WHERE rowid=?", (rowid,))
            elif kind == "empty sql":
                db.execute(update, ("", rowid))
            elif kind == "long name":
                long_name = "n" * rng.choice([1000, 70000])
                db.execute(update, (sql.replace(name, long_name), rowid))
                db.execute("UPDATE sqlite_master SET name=? WHERE rowid=?", (long_name, rowid))
            elif kind == "comment out rest":
                i = rng.randrange(len(sql) + 1)
                db.execute(update, (sql[:i] + rng.choice(["/*", "--", "'"]) + sql[i:], rowid))
            else:
                return mutate_flip(rng, data)
            version = db.execute("PRAGMA schema_version").fetchone()[0]
            db.execute("PRAGMA schema_version=%d" % (version + 1))
        finally:
            db.close()
        with open(path, "rb") as f:
            data[:] = f.read()
        return "schema %s (%s %s)" % (kind, type_, name)
    except sqlite3.Error as e:
        return "schema %s failed (%s); %s" % (kind, e, mutate_flip(rng, data))
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


MUTATORS = [
    (mutate_flip, 30), (mutate_header, 20), (mutate_truncate, 10), (mutate_pages, 12),
    (mutate_schema_bytes, 10), ("schema", 18),
]


def mutate(rng, data, scratch):
    steps = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        fn = rng.choices([m for m, _ in MUTATORS], [w for _, w in MUTATORS])[0]
        steps.append(mutate_schema_sql(rng, data, scratch) if fn == "schema" else fn(rng, data))
    return "; ".join(steps)


# ---------------------------------------------------------------- runs

def sha(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run(binary, args, timeout):
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=1"))
    start = time.monotonic()
    try:
        p = subprocess.run([binary] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, env=env)
        return (p.returncode, p.stderr.decode("utf-8", "replace"),
                p.stdout.decode("utf-8", "replace"))
    except subprocess.TimeoutExpired as e:
        return None, (e.stderr or b"").decode("utf-8", "replace"), ""


def check_run(label, code, stderr, documented, changed, leftovers):
    """The failures of one run, as short strings."""
    failures = []
    if code is None:
        failures.append("%s: hang (timeout)" % label)
        return failures
    if code < 0:
        failures.append("%s: crash (signal %d)" % (label, -code))
    elif code not in documented:
        failures.append("%s: undocumented exit code %d" % (label, code))
    if SANITIZER.search(stderr):
        failures.append("%s: sanitizer report" % label)
    # Lines end at "\n" only: str.splitlines() would also split at control
    # characters (\x1c-\x1e, \x85) that a damaged name may hold.
    lines = stderr.count("\n") + (1 if stderr and not stderr.endswith("\n") else 0)
    if code not in (0, 1) and lines != 1:
        failures.append("%s: exit %d with %d lines on stderr" % (label, code, lines))
    elif code in (0, 1) and lines > 1:
        failures.append("%s: exit %d with %d lines on stderr" % (label, code, lines))
    if changed:
        failures.append("%s: input changed (exit %s)" % (label, code))
    if leftovers:
        failures.append("%s: left %s" % (label, ", ".join(leftovers)))
    return failures


def stray_files(folder, keep):
    return sorted(f for f in os.listdir(folder) if f not in keep and ".sqlmend-tmp-" in f)


def one_case(index, args, corpus, documented):
    rng = random.Random("%d:%d" % (args.seed, index))
    source = rng.choice(corpus)
    folder = os.path.join(args.work, "case%06d" % index)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(source, "rb") as f:
        data = bytearray(f.read())
    what = mutate(rng, data, os.path.join(folder, "scratch"))
    db = os.path.join(folder, "db.sqlite")
    with open(db, "wb") as f:
        f.write(data)
    digest = sha(db)
    failures, codes = [], []

    def plain(label, argv, path):
        before = set(os.listdir(folder))
        code, stderr, stdout = run(args.bin, argv + [path], args.timeout)
        if "--json" in argv and code == 6:
            # Exit 6 is either outcome; verify-failed is a bug by the README.
            try:
                outcome = json.loads(stdout).get("outcome")
            except ValueError:
                outcome = "no JSON"
            if outcome == "verify-failed":
                failures.append("%s: verify-failed (the README calls it a bug)" % label)
            label += " (%s)" % outcome
        codes.append((label, code))
        fixed = label.startswith("fix-fk") and code == 0
        changed = not fixed and sha(path) != digest
        leftovers = stray_files(folder, before)
        failures.extend(check_run(label, code, stderr, documented, changed, leftovers))
        return code

    plain("check-fk", ["check-fk"], db)
    plain("dump", ["dump"], db)
    for label, argv in (("fix-fk", ["fix-fk"]), ("fix-fk --json", ["fix-fk", "--json"])):
        copy = os.path.join(folder, "copy.sqlite")
        for f in os.listdir(folder):
            if f != "db.sqlite":
                os.remove(os.path.join(folder, f))
        with open(copy, "wb") as f:
            f.write(data)
        plain(label, argv, copy)
    if failures and args.keep:
        os.makedirs(args.keep, exist_ok=True)
        kept = os.path.join(args.keep, "case%06d.sqlite" % index)
        with open(kept, "wb") as f:
            f.write(data)
        with open(kept + ".txt", "w", encoding="utf-8") as f:
            f.write("source: %s\nmutation: %s\n%s\n" % (source, what, "\n".join(failures)))
    shutil.rmtree(folder, ignore_errors=True)
    return index, os.path.basename(source), what, codes, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="mutations (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per run (default 30)")
    parser.add_argument("--jobs", type=int, default=1, help="cases run at once (default 1)")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/sqlmend"),
                        help="the sqlmend binary (default .build/release/sqlmend)")
    parser.add_argument("--keep", help="folder to keep failing inputs in")
    parser.add_argument("--case", type=int, action="append", default=[],
                        help="run only case I of the seed (repeatable), to replay a failure")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build/mutate"),
                        help="scratch folder (default .build/mutate)")
    parser.add_argument("--fixtures", default=os.path.join(ROOT, "fixtures/fk"),
                        help="fixture folder (default fixtures/fk)")
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"),
                        help="README whose exit-code table is the documented list")
    args = parser.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit("mutate: %s is not an executable; build it first" % args.bin)
    args.bin = os.path.abspath(args.bin)
    args.work = os.path.abspath(args.work)
    if args.keep:
        args.keep = os.path.abspath(args.keep)

    documented = documented_exit_codes(args.readme)
    corpus, skipped = build_corpus(args.fixtures, os.path.join(args.work, "fixtures"))
    if not corpus:
        sys.exit("mutate: no fixture database could be built")
    for s in skipped:
        print("mutate: fixture not built: %s" % s)
    print("mutate: %d mutations of %d fixture databases, seed %d, documented exit codes %s"
          % (len(args.case) or args.count, len(corpus), args.seed,
             " ".join(str(c) for c in sorted(documented))))
    sys.stdout.flush()

    start = time.monotonic()
    per_code, failures, runs = {}, [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        cases = args.case or range(args.count)
        jobs = [pool.submit(one_case, i, args, corpus, documented) for i in cases]
        for done, job in enumerate(concurrent.futures.as_completed(jobs), 1):
            index, source, what, codes, failed = job.result()
            for label, code in codes:
                runs += 1
                key = "%s %s" % (label, "timeout" if code is None else code)
                per_code[key] = per_code.get(key, 0) + 1
            for f in failed:
                failures.append("case %d (%s: %s): %s" % (index, source, what, f))
                print("FAIL %s" % failures[-1])
                sys.stdout.flush()
            if done % 500 == 0:
                print("mutate: %d/%d cases, %d failures, %.0f s"
                      % (done, len(jobs), len(failures), time.monotonic() - start))
                sys.stdout.flush()
    elapsed = time.monotonic() - start
    print("mutate: exit codes per command:")
    for key in sorted(per_code, key=lambda k: (k.rsplit(" ", 1)[0], k.rsplit(" ", 1)[1].zfill(8))):
        print("  %-24s %d" % (key, per_code[key]))
    print("mutate: %d mutations, %d runs, %d failures, %.0f s (seed %d)"
          % (len(jobs), runs, len(failures), elapsed, args.seed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
