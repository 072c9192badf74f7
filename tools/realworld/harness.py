#!/usr/bin/python3
"""Runs real projects' Alembic revision trees through Debian's alembic and
through sqlmend, step by step, and compares the databases after each step.

Started by tools/realworld/run.sh, which finds the mirror and the binary. Runs
under Debian's /usr/bin/python3 (the one alembic 1.8.1 is installed for).

Each step starts both tools from the same database: a copy of the state the
Alembic chain reached before the step (seeded with rows). So a step's verdict
does not depend on whether sqlmend got earlier steps right; the chain itself
follows Alembic.
"""

import argparse
import ast
import collections
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import io

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import projects as projects_mod  # noqa: E402
import seed as seed_mod  # noqa: E402
import schema as schema_mod  # noqa: E402

ALEMBIC = "/usr/bin/alembic"
PYTHON = "/usr/bin/python3"  # the interpreter /usr/bin/alembic runs under
COMPARE = os.path.join(HERE, "compare.py")
STEP_TIMEOUT = 300


class Counter:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.causes = {}  # cause -> [count, first example]

    def check(self, project, step, what, ok, detail="", cause=None, limit=400):
        if ok:
            self.passed += 1
            print(f"PASS {project} {step} {what}", flush=True)
        else:
            self.failed += 1
            text, where = cause or (f"{what} differs", "")
            entry = self.causes.setdefault(text, [0, f"{project} {step}" + (f" ({where})" if where else "")])
            entry[0] += 1
            line = f"FAIL {project} {step} {what}"
            if detail:
                line += ": " + one_line(detail, limit)
            print(line, flush=True)


def one_line(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def note(project, text):
    print(f"note {project}: {text}", flush=True)


# ---------------------------------------------------------------- extraction

def extract(mirror_repo, commit, paths, dest):
    """git archive COMMIT PATHS | tar -x into DEST (fresh)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    r = subprocess.run(["git", "-C", mirror_repo, "archive", "--format=tar", commit, "--", *paths],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError(f"git archive {commit} {' '.join(paths)} in {mirror_repo}: {r.stderr.decode()}")
    data = r.stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest)


def git_show(mirror_repo, commit, path):
    return subprocess.run(["git", "-C", mirror_repo, "show", f"{commit}:{path}"],
                          check=True, stdout=subprocess.PIPE).stdout


# ---------------------------------------------------------------- revisions

def read_header(path):
    """revision, down_revision, branch_labels, depends_on of one revision file,
    read from its top-level assignments as Alembic's loader sees them."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    names = {}
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            targets = [node.target]
            value = node.value
        for t in targets:
            try:
                names[t.id] = ast.literal_eval(value)
            except ValueError:
                pass
    if "revision" not in names:
        return None
    doc = ast.get_docstring(tree) or ""
    m = re.search(r"Create Date:\s*(\S+(?: \S+)?)", doc)

    def as_tuple(v):
        if v is None:
            return ()
        if isinstance(v, str):
            return (v,)
        return tuple(v)
    return {
        "revision": names["revision"],
        "down": as_tuple(names.get("down_revision")),
        "labels": as_tuple(names.get("branch_labels")),
        "depends": as_tuple(names.get("depends_on")),
        "file": path,
        "created": m.group(1) if m else "",
    }


def load_revisions(dirs):
    revs = {}
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if name.endswith(".py") and not name.startswith("__"):
                h = read_header(os.path.join(d, name))
                if h:
                    revs[h["revision"]] = h
    return revs


def topo_order(revs):
    """Revisions in an order Alembic can upgrade them one at a time: every
    revision after its down revisions and dependencies; among those ready,
    the oldest by the header's Create Date first (the order the project's
    users met them: a plugin tree's revision may rely on tables of the core
    tree it does not declare), then by id."""
    def resolve(ref):
        if ref in revs:
            return [ref]
        # a dependency may name a branch label: the label's head
        owners = [r for r, h in revs.items() if ref in h["labels"]]
        return owners
    deps = {r: set() for r in revs}
    for r, h in revs.items():
        for d in h["down"]:
            deps[r].add(d)
        for d in h["depends"]:
            deps[r].update(x for x in resolve(d) if x != r)
    order, done = [], set()
    while len(order) < len(revs):
        ready = sorted((r for r in revs if r not in done and deps[r] <= done),
                       key=lambda r: (revs[r]["created"], r))
        if not ready:
            raise RuntimeError("revision graph has a cycle or a missing revision")
        r = ready[0]
        order.append(r)
        done.add(r)
    return order


# ---------------------------------------------------------------- running

class Side:
    """One tool's working copy of the project: its own extracted tree, ini and
    database file."""

    def __init__(self, name, root, project, binary):
        self.name = name
        self.root = root
        self.project = project
        self.binary = binary
        self.db = os.path.join(root, "db.sqlite")

    def command(self, args):
        p = self.project
        ini = os.path.join(self.root, p.ini)
        if self.name == "alembic":
            cmd = [ALEMBIC, "-c", ini] + list(p.x_args) + args
        else:
            cmd = [self.binary, "-c", ini] + list(p.x_args) + args
        return cmd

    def run(self, args, hash_seed=0, command=None, standins=False):
        """Runs the tool with ARGS (or COMMAND, a whole command line, in the
        same environment and folder), returning (exit, stdout, stderr).
        STANDINS gives sqlmend Alembic's stand-ins too (for the models read
        in Python)."""
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        # Alembic's batch rebuilds write constraints in the order of Python
        # sets: of strings (hashing randomized per process; the seed fixes
        # it) and of constraint objects (hashed by address, which no seed
        # fixes). Other runs are tried where sqlmend differs.
        env["PYTHONHASHSEED"] = str(hash_seed)
        # The project's packages as its environment would have them installed
        # (PYTHONPATH, for both tools); the stand-ins for third-party modules
        # that Debian lacks for Alembic only.
        paths = [os.path.join(self.root, x) for x in self.project.pythonpath]
        if self.name == "alembic" or standins:
            paths[:0] = [os.path.join(HERE, "standins", d) for d in self.project.standins]
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths)
        env.update(self.project.environ(self.root))
        cwd = os.path.join(self.root, self.project.cwd)
        try:
            r = subprocess.run(command or self.command(args), cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=STEP_TIMEOUT)
            return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return 124, "", f"timed out after {STEP_TIMEOUT}s"


def last_error(stderr, stdout=""):
    """The line that says why a run failed: Python's exception line (the last
    of a traceback), or sqlmend's FAILED:/sqlmend: line."""
    for text in (stderr, stdout):
        lines = [l for l in text.strip().splitlines() if l.strip()]
        for l in lines:
            if l.startswith("FAILED:") or l.startswith("sqlmend:"):
                return l
        for l in reversed(lines):
            if not l.startswith(" ") and ("Error" in l or "Exception" in l):
                return l
    lines = [l for l in (stderr + "\n" + stdout).strip().splitlines() if l.strip()]
    return lines[-1] if lines else "(no message)"


def cause_of(message, root):
    """(what sqlmend lacks, where) from its error line: the message without
    the run's paths, and the project file and line it names."""
    msg = message[len("FAILED: "):] if message.startswith("FAILED: ") else message
    prefix = root.rstrip("/") + "/"
    where = ""
    m = re.match(r"(\S+?):(\d+):\d+: (.*)", msg)
    if m:
        where = f"{m.group(1).replace(prefix, '')}:{m.group(2)}"
        msg = m.group(3)
    msg = re.sub(re.escape(prefix) + r"(\S+?)(:\d+)+", r"\1", msg).replace(prefix, "")
    return msg, where


def copy_db(src, dst):
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    if src is not None and os.path.exists(src):
        shutil.copyfile(src, dst)


def sql_normalise(text):
    return "\n".join(l.rstrip() for l in text.strip().splitlines())


def first_text_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<end>"
        y = bl[i] if i < len(bl) else "<end>"
        if x != y:
            return f"line {i + 1}: alembic {x!r}, sqlmend {y!r}"
    return ""


def masked_lines(a1, a2):
    """Line numbers where two Alembic runs of the same --sql differ (the clock
    or randomness that a revision evaluates when it runs)."""
    l1, l2 = a1.splitlines(), a2.splitlines()
    if len(l1) != len(l2):
        return None
    return {i for i, (x, y) in enumerate(zip(l1, l2)) if x != y}


def prepare_project(p, mirror, binary, work, counter):
    """Extracts both sides and makes the seeded start database (`state`).
    Returns (sides, base, state, seeded) or None when setup failed."""
    repo = os.path.join(mirror, p.repo.replace("/", "+"), "repo")
    base = os.path.join(work, p.name)
    if os.path.exists(base):
        shutil.rmtree(base)
    os.makedirs(base)
    commit = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "-q", p.commit + "^{commit}"],
                            stdout=subprocess.PIPE).stdout.decode().strip()
    if not commit:
        counter.check(p.name, "setup", "pin", False, f"commit {p.commit} is not in {repo}; fetch github:{p.repo} again")
        return None
    sides = {}
    for name in ("alembic", "sqlmend"):
        root = os.path.join(base, name)
        extract(repo, commit, p.extract, root)
        p.prepare(root, repo, commit, HERE)
        sides[name] = Side(name, root, p, binary)
    al = sides["alembic"]
    state = os.path.join(base, "state.sqlite")
    start = p.start_database(al.root, os.path.join(base, "start.sqlite"), repo, commit)
    copy_db(start, state)
    if p.pre_steps:
        for args in p.pre_steps:
            copy_db(state, al.db)
            rc, out, err = al.run(args)
            if rc != 0:
                counter.check(p.name, "setup", " ".join(args), False, "alembic: " + last_error(err))
                return None
            copy_db(al.db, state)
        note(p.name, "start database prepared with: " + "; ".join(" ".join(a) for a in p.pre_steps))
    seeded = set()
    if os.path.exists(state):
        seeded |= seed_mod.seed(state, p, seeded)
    return sides, base, state, seeded, commit


def run_project(p, mirror, binary, work, counter):
    prepared = prepare_project(p, mirror, binary, work, counter)
    if prepared is None:
        return
    sides, base, state, seeded, commit = prepared
    al, sm = sides["alembic"], sides["sqlmend"]
    before = os.path.join(base, "before.sqlite")
    again = os.path.join(base, "again.sqlite")
    after = os.path.join(base, "after.sqlite")
    revs = load_revisions([os.path.join(al.root, d) for d in p.versions])
    order = topo_order(revs)
    current = set(p.start_revisions)
    applied = [r for r in order if r in current or any(r in ancestors(revs, c) for c in current)]
    todo = [r for r in order if r not in applied]
    note(p.name, f"{len(revs)} revisions at {commit[:12]}; {len(todo)} to run up, then down to {p.down_to}")

    def step(label, args, sql_args, expect_applied):
        copy_db(state, before)
        copy_db(state, al.db)
        copy_db(state, sm.db)
        arc, aout, aerr = al.run(args)
        src, sout, serr = sm.run(args)
        ok_alembic = arc == 0
        if arc == 0 and src != 0:
            cause = cause_of(last_error(serr, sout), sm.root)
        elif arc != 0 and src == 0:
            cause = ("sqlmend succeeds where Alembic fails", "")
        elif arc != 0:
            cause = ("sqlmend fails where Alembic fails, but not leaving the database as it was", "")
        else:
            cause = None
        counter.check(p.name, label, "exit", (arc == 0) == (src == 0),
                      f"alembic exit {arc}" + ("" if arc == 0 else " (" + last_error(aerr, aout) + ")") +
                      f", sqlmend exit {src}" + ("" if src == 0 else " (" + last_error(serr, sout) + ")"), cause)
        expected = al.db if ok_alembic else before
        if not ok_alembic:
            kept = os.path.join(base, "alembic-fails-" + label.replace(" ", "-") + ".sqlite")
            shutil.copyfile(before, kept) if os.path.exists(before) else None
            note(p.name, f"alembic fails {label}: {last_error(aerr, aout)}; sqlmend must leave the database as before "
                 f"(the step's start is kept as {os.path.relpath(kept)})")
        a_state = schema_mod.capture(expected)
        s_state = schema_mod.capture(sm.db)
        mask = None
        if ok_alembic and a_state["rows"] != s_state["rows"]:
            # Run Alembic again on the same start: columns whose values differ
            # between two Alembic runs hold the clock or randomness.
            shutil.copyfile(al.db, again)
            copy_db(before, al.db)
            al.run(args)
            mask = schema_mod.unstable_columns(again, al.db)
            copy_db(again, al.db)
            if mask:
                a_state = schema_mod.capture(al.db, mask)
                s_state = schema_mod.capture(sm.db, mask)
        alternative = {}
        schema_checks = ("sqlite_master", "table_info", "foreign_key_list", "index_list")
        if ok_alembic and src == 0 and any(a_state[w] != s_state[w] for w in schema_checks):
            # An order that differs may be one Alembic itself writes in
            # another process: run it four more times (other hash seeds),
            # and accept sqlmend's schema where one of Alembic's equals it.
            shutil.copyfile(al.db, again)
            for seed in range(1, 5):
                copy_db(before, al.db)
                if al.run(args, hash_seed=seed)[0] == 0:
                    alt = schema_mod.capture(al.db)
                    for w in schema_checks:
                        if w not in alternative and a_state[w] != s_state[w] and alt[w] == s_state[w]:
                            alternative[w] = seed
            copy_db(again, al.db)
        for what in ("alembic_version", "sqlite_master", "table_info", "foreign_key_list", "index_list", "rows"):
            ok, detail = schema_mod.compare(what, a_state, s_state)
            if not ok and what in schema_checks and ok_alembic and src == 0 and what not in alternative:
                detail += " (nor in 4 more Alembic runs)"
            if not ok and what in alternative:
                ok, detail = True, ""
                note(p.name, f"{label} {what}: sqlmend's equals Alembic's in another run (PYTHONHASHSEED={alternative[what]})")
            if not ok and ok_alembic and src == 0 and schema_mod.same_but_constraint_order(what, a_state, s_state):
                ok, detail = True, ""
                note(p.name, f"{label} {what}: the same table-level constraints in another order (Alembic's "
                     "batch copies them in the order of a Python set of objects)")
            if what == "rows" and mask:
                detail = (detail + " " if detail else "") + "(columns differing between two alembic runs left out: " + \
                    ", ".join(f"{t}.{c}" for t, cs in sorted(mask.items()) for c in sorted(cs)) + ")"
            counter.check(p.name, label, what, ok, detail,
                          cause or (f"{what} differs after a step both tools run", ""))
        if ok_alembic:
            shutil.copyfile(al.db, after)
            if expect_applied is not None:
                # The harness's own check that the command took exactly this
                # step: Alembic's version rows against the heads expected.
                # (Alembic also lists a dependency beside its dependent in
                # some orders, so only these two things are certain.)
                have = set(a_state["alembic_version"] or ())
                must = set(version_heads(revs, expect_applied))
                if not (must <= have <= set(expect_applied)):
                    note(p.name, f"harness: {' '.join(args)} left Alembic at {sorted(have)}, expected "
                         f"{sorted(must)} and no other revision than these applied: {sorted(expect_applied)}")
        # --sql: the same step written as SQL
        if sql_args is not None:
            copy_db(before, al.db)
            copy_db(before, sm.db)
            qa_rc, qa_out, qa_err = al.run(sql_args)
            qs_rc, qs_out, qs_err = sm.run(sql_args)
            if qa_rc != 0:
                counter.check(p.name, label, "--sql", qs_rc != 0,
                              f"alembic --sql fails ({last_error(qa_err, qa_out)}), sqlmend exit {qs_rc}",
                              ("--sql: sqlmend writes SQL where Alembic refuses", ""))
            elif qs_rc != 0:
                counter.check(p.name, label, "--sql", False, f"sqlmend --sql exit {qs_rc}: {last_error(qs_err, qs_out)}",
                              cause_of(last_error(qs_err, qs_out), sm.root))
            else:
                a, s = sql_normalise(qa_out), sql_normalise(qs_out)
                ok = a == s
                detail = ""
                if not ok:
                    qa2_rc, qa2_out, _ = al.run(sql_args)
                    a2 = sql_normalise(qa2_out)
                    masked = masked_lines(a, a2) if a2 != a else None
                    if masked:
                        al_lines, sl_lines = a.splitlines(), s.splitlines()
                        ok = len(al_lines) == len(sl_lines) and all(
                            x == y for i, (x, y) in enumerate(zip(al_lines, sl_lines)) if i not in masked)
                        detail = f"({len(masked)} lines differing between two alembic runs left out)"
                    if not ok:
                        detail = first_text_difference(a, s) + " " + detail
                counter.check(p.name, label, "--sql", ok, detail, ("--sql text differs", ""))
        if ok_alembic:
            shutil.copyfile(after, state)
            seeded.update(seed_mod.seed(state, p, seeded))
        return ok_alembic

    # A project that starts by stamping (buildbot's pre-Alembic databases):
    # the stamp is a step like the others.
    if p.stamp_first:
        if not step(f"stamp {p.stamp_first}", ["stamp", p.stamp_first], ["stamp", p.stamp_first, "--sql"], None):
            note(p.name, "the stamp failed under Alembic; nothing more to run")
            return
        current = {p.stamp_first}
        applied = [r for r in order if r in current or any(r in ancestors(revs, c) for c in current)]
        todo = [r for r in order if r not in applied]
        note(p.name, f"stamped {p.stamp_first}; {len(todo)} revisions to run up")
    # Up, one revision at a time.
    done_up = list(applied)
    for r in todo:
        h = revs[r]
        if len(h["down"]) == 1:
            sql_args = ["upgrade", f"{h['down'][0]}:{r}", "--sql"]
        elif len(h["down"]) == 0:
            sql_args = ["upgrade", r, "--sql"]
        else:
            sql_args = None  # a merge: --sql takes a single start revision
        if not step(f"up {r}", ["upgrade", r], sql_args, set(done_up) | {r}):
            note(p.name, "the upgrade chain stops here; going down from the last revision Alembic reached")
            break
        done_up.append(r)
    else:
        # At head: the models against the database, as autogenerate sees them.
        autogenerate_checks(p, al, sm, state, base, counter)
    # Down, one revision at a time, newest first.
    stop = set(p.down_stop(order))
    down_list = [r for r in reversed(done_up) if r not in stop]
    linear = all(len(revs[r]["down"]) <= 1 for r in revs) and len(heads(revs)) == 1
    for r in down_list:
        h = revs[r]
        target = h["down"][0] if len(h["down"]) == 1 else ("base" if not h["down"] else None)
        args = ["downgrade", "-1"] if linear else p.down_args(r, h, revs)
        sql_args = ["downgrade", f"{r}:{target}", "--sql"] if target else None
        if not step(f"down {r}", args, sql_args, set(done_up) - {r}):
            note(p.name, "the downgrade chain stops here")
            break
        done_up.remove(r)


def autogenerate_checks(p, al, sm, state, base, counter):
    """`autogenerate head|empty`: env.py's target_metadata compared with a
    database by Alembic (compare.py: compare_metadata() inside the project's
    env.py, compare_type on unless env.py sets it) and by `sqlmend check
    --json`, as multisets of normalized differences. `head` is the database
    the Alembic chain reached; `empty` a fresh file holding only its
    alembic_version (both tools compare only a database at the heads), so
    the whole schema is compared. Both variants replace each side's database
    file, so they hold for env.py files that compute the URL themselves."""
    empty = os.path.join(base, "empty.sqlite")
    make_version_only(state, empty)
    for variant, db in (("head", state), ("empty", empty)):
        label = f"autogenerate {variant}"
        copy_db(db, al.db)
        copy_db(db, sm.db)
        out = os.path.join(base, f"compare-{variant}.json")
        if os.path.exists(out):
            os.remove(out)
        ini = os.path.join(al.root, p.ini)
        arc, aout, aerr = al.run(None, command=[PYTHON, COMPARE, "-c", ini] + list(p.x_args) + ["--out", out])
        src, sout, serr = sm.run(["check", "--json"])
        sdoc, serror = sqlmend_check_document(src, sout, serr)
        adoc = None
        if arc == 0 and os.path.exists(out):
            with open(out, encoding="utf-8") as f:
                adoc = json.load(f)
        if adoc is None or "error" in adoc:
            why = adoc["error"] if adoc is not None else last_error(aerr, aout)
            note(p.name, f"{label}: not compared, Alembic's comparison fails ({one_line(why, 200)}); sqlmend " +
                 (f"fails too ({one_line(serror, 200)})" if serror else
                  f"reports {len(sdoc['differences'])} differences"))
            continue
        if serror is not None:
            counter.check(p.name, label, "differences", False, "sqlmend check: " + serror,
                          cause_of(serror, sm.root))
            continue
        python_path_check(p, sm, db, label, sdoc, counter)
        round_trip_check(p, al, sm, db, label, sdoc, counter)
        a_items = collections.Counter(json.dumps(d, sort_keys=True) for d in adoc["differences"])
        s_items = collections.Counter(json.dumps(d, sort_keys=True) for d in sdoc["differences"])
        only_a = sorted((a_items - s_items).elements())
        only_s = sorted((s_items - a_items).elements())
        ok = not only_a and not only_s
        detail, cause = "", None
        if not ok:
            def listing(items):
                shown = [json.dumps(json.loads(x), separators=(",", ":")) for x in items[:3]]
                return " ".join(shown) + (f" (and {len(items) - 3} more)" if len(items) > 3 else "")
            parts = []
            if only_a:
                parts.append(f"{len(only_a)} only in alembic: {listing(only_a)}")
            if only_s:
                parts.append(f"{len(only_s)} only in sqlmend: {listing(only_s)}")
            full = os.path.join(base, f"autogenerate-{variant}.diff")
            with open(full, "w", encoding="utf-8") as f:
                f.write("".join(f"- {x}\n" for x in only_a) + "".join(f"+ {x}\n" for x in only_s))
            detail = "; ".join(parts) + f" [all: {os.path.relpath(full)}]"

            def ops(items):
                return ", ".join(sorted({json.loads(x)["op"] for x in items})) or "nothing"
            cause = (f"autogenerate: Alembic alone reports {ops(only_a)}; sqlmend alone reports {ops(only_s)}", "")
        counter.check(p.name, label, "differences", ok, detail, cause, limit=1600)
        if ok:
            note(p.name, f"{label}: {sum(a_items.values())} differences, the same on both sides")


def differences_of(doc):
    return collections.Counter(json.dumps(d, sort_keys=True) for d in doc["differences"])


def python_path_check(p, sm, db, label, sdoc, counter):
    """The models read in Python (sqlmend's model loader in Debian's
    python3, with Alembic's stand-ins) give what the native reading gives."""
    copy_db(db, sm.db)
    rc, out, err = sm.run(["check", "--json", "--models", "python", "--python", PYTHON], standins=True)
    doc, error = sqlmend_check_document(rc, out, err)
    if error is not None:
        counter.check(p.name, label, "models read in python", False, error,
                      ("autogenerate: the models read in Python fail: " + one_line(error, 120), ""))
        return
    same = differences_of(doc) == differences_of(sdoc)
    counter.check(p.name, label, "models read in python", same and doc.get("models") == "python",
                  "" if same else f"python: {len(doc['differences'])} differences, native: "
                  f"{len(sdoc['differences'])}", ("autogenerate: the Python way differs", ""))


GENERIC_TEMPLATE = "/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako"


def round_trip_check(p, al, sm, db, label, sdoc, counter, swapped=False):
    """`revision --autogenerate` on DB, then `upgrade heads` with sqlmend
    and, with the same generated file, with Alembic: both leave the same
    schema, and `check` is then clean. The generated file is removed
    afterwards from both trees."""
    if any(d["op"] == "dangling_fk" for d in sdoc["differences"]):
        note(p.name, f"{label}: no round trip, the database has a dangling foreign key (sqlmend refuses by design)")
        return
    copy_db(db, sm.db)
    copy_db(db, al.db)
    # With several heads, the revision goes on the first (Alembic and
    # sqlmend both want --head then), and both upgrade to every head.
    with sqlite3.connect(db) as c:
        at = sorted(r[0] for r in c.execute("SELECT version_num FROM alembic_version"))
    on = ["--head", at[0]] if len(at) > 1 else []
    rc, out, err = sm.run(["revision", "--autogenerate", "-m", "realworld round trip", "--rev-id",
                           "ffffffffff01"] + on)
    made = re.search(r"Generating (.*?) \.\.\.  done", out)
    if rc != 0 or not made:
        why = last_error(err, out)
        # Does Alembic write a revision it can load on the same database?
        copy_db(db, al.db)
        grc, gout, gerr = al.run(["revision", "--autogenerate", "-m", "realworld round trip", "--rev-id",
                                  "ffffffffff01"] + on)
        made_by_alembic = re.search(r"Generating (.*?) \.\.\.  done", gout + gerr)
        # And does the revision Alembic writes run?
        alembic_upgrade_fails = None
        if grc == 0 and made_by_alembic and os.path.exists(made_by_alembic.group(1)):
            urc, uout, uerr = al.run(["upgrade", "heads"])
            if urc != 0:
                alembic_upgrade_fails = last_error(uerr, uout)
            copy_db(db, al.db)
        if made_by_alembic and os.path.exists(made_by_alembic.group(1)):
            os.remove(made_by_alembic.group(1))
        if alembic_upgrade_fails is not None:
            note(p.name, f"{label}: sqlmend refuses the revision ({one_line(why, 200)}), and the "
                 f"revision Alembic writes fails on upgrade ({one_line(alembic_upgrade_fails, 200)})")
            # Unless the project's template is why Alembic's fails: then
            # Alembic's revision with the generic template must fail too.
            templates = [os.path.join(d, "script.py.mako") for d, _, files in os.walk(sm.root)
                         if "script.py.mako" in files]
            if not swapped and len(templates) == 1:
                with_generic_template(p, al, sm, db, label, sdoc, counter, templates[0])
            return
        if grc != 0:
            note(p.name, f"{label}: sqlmend refuses the revision ({one_line(why, 200)}), and "
                 f"Alembic's own fails ({one_line(last_error(gerr, gout), 200)})")
            template = re.search(r"FAILED: (\S+/script\.py\.mako) renders a revision that is not Python", why)
            if template and not swapped:
                with_generic_template(p, al, sm, db, label, sdoc, counter, template.group(1))
            return
        counter.check(p.name, label, "round trip", False, "revision --autogenerate: " + why, cause_of(why, sm.root))
        return
    ours = made.group(1)
    theirs = os.path.join(al.root, os.path.relpath(ours, sm.root))
    shutil.copyfile(ours, theirs)
    retry = None  # the project's template, when both tools' revisions fail with it
    both_failed = False
    try:
        src, sout, serr = sm.run(["upgrade", "heads"])
        arc, aout, aerr = al.run(["upgrade", "heads"])
        problems = []
        if src != 0 and arc != 0:
            # Both fail on the file: is it the project's template (Alembic's
            # own autogenerated revision failing as well)?
            os.remove(theirs)
            copy_db(db, al.db)
            grc, gout, gerr = al.run(["revision", "--autogenerate", "-m", "realworld round trip", "--rev-id",
                                      "ffffffffff01"] + on)
            made_by_alembic = re.search(r"Generating (.*?) \.\.\.  done", gout + gerr)
            if made_by_alembic:
                theirs = made_by_alembic.group(1)
            if grc == 0 and al.run(["upgrade", "heads"])[0] != 0:
                note(p.name, f"{label}: no round trip: Alembic's own autogenerated revision fails as sqlmend's does "
                     f"({one_line(last_error(aerr, aout), 200)})")
                templates = [os.path.join(d, "script.py.mako") for d, _, files in os.walk(sm.root)
                             if "script.py.mako" in files]
                if not swapped and len(templates) == 1:
                    retry = templates[0]
                both_failed = True
        if not both_failed:
            if src != 0:
                problems.append("sqlmend upgrade: " + last_error(serr, sout))
            if arc != 0:
                problems.append("alembic upgrade: " + last_error(aerr, aout))
            if not problems:
                a_state, s_state = schema_mod.capture(al.db), schema_mod.capture(sm.db)
                for what in ("sqlite_master", "table_info", "foreign_key_list", "index_list"):
                    ok, detail = schema_mod.compare(what, a_state, s_state)
                    if not ok and not schema_mod.same_but_constraint_order(what, a_state, s_state):
                        problems.append(f"{what}: {detail}")
                crc, cout, cerr = sm.run(["check"])
                if crc != 0:
                    problems.append("check after the upgrade: " + one_line(cout.strip().replace("\n", "; "), 300))
            counter.check(p.name, label, "round trip", not problems, "; ".join(problems),
                          ("autogenerate round trip: " + one_line(problems[0], 120), "") if problems else None)
            if not problems:
                note(p.name, f"{label}: round trip clean ({len(sdoc['differences'])} differences written, upgraded by both, check clean)")
    finally:
        for path in (ours, theirs):
            if os.path.exists(path):
                os.remove(path)
    if retry:
        with_generic_template(p, al, sm, db, label, sdoc, counter, retry)


def with_generic_template(p, al, sm, db, label, sdoc, counter, ours_t):
    """The round trip again with Alembic's generic script.py.mako in place
    of the project's (OURS_T in sqlmend's tree, and its twin in Alembic's),
    which both tools' revisions fail with; the project's is put back."""
    theirs_t = os.path.join(al.root, os.path.relpath(ours_t, sm.root))
    kept = {t: open(t, encoding="utf-8").read() for t in (ours_t, theirs_t)}
    try:
        for t in kept:
            shutil.copyfile(GENERIC_TEMPLATE, t)
        note(p.name, f"{label}: round trip with Alembic's generic script.py.mako instead")
        round_trip_check(p, al, sm, db, label, sdoc, counter, swapped=True)
    finally:
        for t, text in kept.items():
            with open(t, "w", encoding="utf-8") as f:
                f.write(text)


def make_version_only(state, path):
    """A fresh database holding only STATE's alembic_version: its table and
    rows, nothing else."""
    copy_db(None, path)
    with sqlite3.connect(state) as src:
        ddl = src.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        rows = src.execute("SELECT version_num FROM alembic_version").fetchall() if ddl else []
    dst = sqlite3.connect(path)
    try:
        if ddl:
            dst.execute(ddl[0])
            dst.executemany("INSERT INTO alembic_version (version_num) VALUES (?)", rows)
        dst.commit()
    finally:
        dst.close()


def sqlmend_check_document(rc, out, err):
    """(document, error) of `sqlmend check --json`: the JSON object it prints
    (the last line that starts one, env.py may print before it), and its
    error, or why there is no document."""
    text = out.strip()
    doc = None
    try:
        doc = json.loads(text)
    except ValueError:
        starts = [i for i, l in enumerate(text.splitlines()) if l.startswith("{")]
        for i in reversed(starts):
            try:
                doc = json.loads("\n".join(text.splitlines()[i:]))
                break
            except ValueError:
                pass
    if not isinstance(doc, dict) or "differences" not in doc:
        return None, f"exit {rc}, no JSON document: {last_error(err, out)}"
    if doc.get("error"):
        return doc, str(doc["error"])
    if rc not in (0, 255):
        return doc, f"exit {rc}: {last_error(err, out)}"
    return doc, None


def version_heads(revs, applied):
    """The revisions alembic_version must list when APPLIED are applied:
    those no applied revision names as its down revision or dependency."""
    downs = set()
    for r in applied:
        if r in revs:
            downs.update(revs[r]["down"])
            for d in revs[r]["depends"]:  # a revision, or a branch label's root
                downs.update([d] if d in revs else [x for x, h in revs.items() if d in h["labels"]])
    return [r for r in applied if r not in downs]


def ancestors(revs, r):
    out, stack = set(), [r]
    while stack:
        x = stack.pop()
        if x in revs:
            for d in revs[x]["down"] + revs[x]["depends"]:
                if d not in out:
                    out.add(d)
                    stack.append(d)
    return out


def heads(revs):
    downs = set()
    for h in revs.values():
        downs.update(h["down"])
    return [r for r in revs if r not in downs]


def bench_upgrade_head(p, mirror, binary, work, runs, results):
    """`upgrade head` from the project's seeded start database, timed with
    hyperfine for both tools in this run; prints "<alembic s> <sqlmend s>"
    (medians) and leaves each tool's schema in `results`."""
    counter = Counter()
    prepared = prepare_project(p, mirror, binary, work, counter)
    if prepared is None:
        print("setup failed", file=sys.stderr)
        return 1
    sides, base, state, seeded, commit = prepared
    start = os.path.join(base, "bench-start.sqlite")
    copy_db(state, start)
    os.makedirs(results, exist_ok=True)
    medians = []
    for name in ("alembic", "sqlmend"):
        side = sides[name]
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        env["PYTHONHASHSEED"] = "0"
        paths = [os.path.join(side.root, x) for x in p.pythonpath]
        if name == "alembic":
            paths[:0] = [os.path.join(HERE, "standins", d) for d in p.standins]
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths)
        env.update(p.environ(side.root))
        csv = os.path.join(results, f"{name}-upgrade-{p.name}.csv")
        command = " ".join(side.command(["upgrade", "head"]))
        r = subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", "1", "--runs", str(runs),
                            "--prepare", (f"cp {start} {side.db}" if os.path.exists(start)
                                          else f"rm -f {side.db}"),
                            "--export-csv", csv, command],
                           cwd=os.path.join(side.root, p.cwd), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if r.returncode != 0:
            print(f"{name} upgrade head failed: " + one_line(r.stderr.decode("utf-8", "replace")),
                  file=sys.stderr)
            return 1
        with open(csv) as f:
            medians.append(f.read().splitlines()[1].split(",")[3])
        with sqlite3.connect(side.db) as db:
            schema = "\n".join(row[0] for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"))
        with open(os.path.join(results, f"{name}-upgrade-{p.name}.schema"), "w") as f:
            f.write(schema + "\n")
    print(" ".join(medians))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--bench-upgrade", metavar="RESULTS",
                    help="time `upgrade head` of the one PROJECT named (tools/bench.sh)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("projects", nargs="*")
    args = ap.parse_args()
    if args.bench_upgrade:
        by_name = {p.name: p for p in projects_mod.PROJECTS}
        if len(args.projects) != 1 or args.projects[0] not in by_name:
            print("--bench-upgrade needs one project; known: " + ", ".join(by_name), file=sys.stderr)
            return 2
        return bench_upgrade_head(by_name[args.projects[0]], args.mirror, args.bin, args.work,
                                  args.runs, args.bench_upgrade)
    names = args.projects or [p.name for p in projects_mod.PROJECTS]
    by_name = {p.name: p for p in projects_mod.PROJECTS}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        print("unknown project(s): " + ", ".join(unknown) + "; known: " + ", ".join(by_name), file=sys.stderr)
        return 2
    missing = []
    for n in names:
        p = by_name[n]
        repo = os.path.join(args.mirror, p.repo.replace("/", "+"), "repo")
        if not os.path.isdir(repo):
            missing.append(p)
    if missing:
        print(f"The mirror {args.mirror} lacks these projects. Bring each with the search tool's fetch, then run again:",
              file=sys.stderr)
        for p in missing:
            print(f"    fetch github:{p.repo}", file=sys.stderr)
        return 2
    counter = Counter()
    per_project = []
    for n in names:
        before = (counter.passed, counter.failed)
        try:
            run_project(by_name[n], args.mirror, args.bin, args.work, counter)
        except Exception as e:  # a harness problem: say so, count it, go on
            import traceback
            traceback.print_exc()
            counter.check(n, "harness", "error", False, f"{type(e).__name__}: {e}")
        per_project.append((n, counter.passed - before[0], counter.failed - before[1]))
    if counter.causes:
        print()
        print("failed checks by cause (what sqlmend lacks or does otherwise), most first:")
        for text, (count, example) in sorted(counter.causes.items(), key=lambda kv: (-kv[1][0], kv[0])):
            print(f"{count:5d}  {one_line(text, 160)}  [e.g. {example}]")
    print()
    for n, ps, fs in per_project:
        print(f"{n}: {ps} passed, {fs} failed")
    print(f"{counter.passed} passed, {counter.failed} failed")
    return 0 if counter.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
