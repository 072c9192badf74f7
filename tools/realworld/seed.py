"""Seeds every empty table of a database with rows, so that data migrations
move data: ROWS rows per table, with NULLs (in nullable columns), non-ASCII
text, large integers, floats, dates, datetimes and booleans, chosen from the
declared type the way SQLAlchemy's SQLite types store them. Deterministic:
the same schema gets the same rows.

Foreign-key columns take values the parent table holds (parents are seeded
first; NULL only while the parent is empty, as data migrations that join
assume); CHECK (col IN (...)) lists give the values of their column; a row that
breaks a constraint anyway is skipped (INSERT OR IGNORE) and retried once
with plainer values.
"""

import datetime
import random
import re
import sqlite3

ROWS = 200

TEXTS = ["plain", "Zoë Ünïcødé", "日本語のテキスト", "emoji 🚀 ✓", "quote ' and \" both", "tab\tand\nnewline",
         "Ελληνικά", "Кириллица", "  spaces  ", "", "x" * 40, "mixed Ωmega ß"]
BIG = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 53 + 1, 2 ** 63 - 1, -(2 ** 63), 42]
FLOATS = [0.0, 1.5, -2.25, 3.141592653589793, 1e-10, 1.7976931348623157e308, -0.5, 12345.678]


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def check_lists(sql):
    """{column: [literal values]} from CHECK (column IN (...)) in a CREATE."""
    out = {}
    if not sql:
        return out
    for m in re.finditer(r"CHECK\s*\(\s*[\"`\[]?(\w+)[\"`\]]?\s+IN\s*\(([^)]*)\)", sql, re.I):
        vals = []
        for lit in re.findall(r"'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)", m.group(2)):
            if lit[0] or not lit[1]:
                vals.append(lit[0].replace("''", "'"))
            else:
                vals.append(int(lit[1]) if re.fullmatch(r"-?\d+", lit[1]) else float(lit[1]))
        if vals:
            out.setdefault(m.group(1), vals)
    return out


def length_of(decl):
    m = re.search(r"\(\s*(\d+)", decl)
    return int(m.group(1)) if m else None


def value(decl, i, rng, unique, col_index):
    t = decl.upper()
    if "BOOL" in t:
        return i % 2
    if "DATETIME" in t or "TIMESTAMP" in t:
        d = datetime.datetime(2000, 1, 1) + datetime.timedelta(days=i * 37 + col_index, seconds=i * 3671,
                                                              microseconds=(i * 7919) % 1000000)
        return d.strftime("%Y-%m-%d %H:%M:%S.%f")
    if t == "DATE" or t.startswith("DATE"):
        return (datetime.date(1999, 12, 31) + datetime.timedelta(days=i * 41 + col_index)).isoformat()
    if t == "TIME" or t.startswith("TIME"):
        return f"{(i + col_index) % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}.{(i * 13) % 1000000:06d}"
    if "INT" in t:
        if unique:
            return i + 1 if i % 3 else BIG[i % len(BIG)] if BIG[i % len(BIG)] > ROWS else i + 1
        return BIG[i % len(BIG)] if i % 2 else rng.randint(-1000, 100000)
    if "JSON" in t:
        return '{"n": %d, "text": "%s", "list": [1, 2.5, null, true]}' % (i, TEXTS[i % len(TEXTS)].replace('"', "'").replace("\t", " ").replace("\n", " "))
    if any(k in t for k in ("REAL", "FLOA", "DOUB")):
        return FLOATS[i % len(FLOATS)] if i % 3 else rng.uniform(-1e6, 1e6)
    if any(k in t for k in ("NUMERIC", "DECIMAL")):
        return round(rng.uniform(-99999, 99999), 2)
    if any(k in t for k in ("BLOB", "BINARY", "BYTEA")):
        return bytes([(i * 31 + k) % 256 for k in range(16)])
    # text
    s = TEXTS[(i + col_index) % len(TEXTS)]
    s = f"{s} {i}"  # distinct: later revisions add unique constraints
    n = length_of(t)
    if n is not None:
        if unique:
            tail = f"{i}"
            s = (s[: max(0, n - len(tail))] + tail)[-n:] if n >= len(tail) else tail[-n:]
        elif len(s) > n:
            tail = f" {i}"
            s = (s[: max(0, n - len(tail))] + tail)[-n:]
    return s


def plain_value(decl, i):
    t = decl.upper()
    if "BOOL" in t:
        return 0
    if "DATETIME" in t or "TIMESTAMP" in t:
        return "2020-01-01 00:00:00.000000"
    if t.startswith("DATE"):
        return "2020-01-01"
    if "INT" in t or any(k in t for k in ("REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")):
        return i + 1
    return f"v{i}"


def table_order(con, tables):
    deps = {t: {r[2] for r in con.execute(f"PRAGMA foreign_key_list({qi(t)})") if r[2] != t} for t in tables}
    order, done = [], set()
    while len(order) < len(tables):
        ready = [t for t in tables if t not in done and deps[t] & set(tables) <= done]
        if not ready:  # a cycle: take the rest as they come
            ready = [t for t in tables if t not in done]
        for t in ready:
            order.append(t)
            done.add(t)
    return order


def seed(path, project, _seeded=None):
    """Seeds the empty tables of PATH; returns the names it seeded."""
    con = sqlite3.connect(path)
    seeded = set()
    try:
        skip = {"alembic_version", "sqlite_sequence"} | set(getattr(project, "no_seed", ()))
        rows = {r[0]: r[1] for r in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
        empty = [t for t in sorted(rows) if t not in skip and not t.startswith("sqlite_")
                 and con.execute(f"SELECT 1 FROM {qi(t)} LIMIT 1").fetchone() is None]
        for t in table_order(con, empty):
            cols = con.execute(f"PRAGMA table_info({qi(t)})").fetchall()
            fks = {}
            for r in con.execute(f"PRAGMA foreign_key_list({qi(t)})"):
                if r[4] is None:
                    continue
                try:
                    vals = [v for (v,) in con.execute(f"SELECT {qi(r[4])} FROM {qi(r[2])} WHERE {qi(r[4])} IS NOT NULL")]
                except sqlite3.Error:
                    vals = []
                fks[r[3]] = vals
            unique_cols = set()
            pk_cols = [c[1] for c in cols if c[5]]
            if len(pk_cols) == 1:
                unique_cols.add(pk_cols[0])
            for ix in con.execute(f"PRAGMA index_list({qi(t)})").fetchall():
                if ix[2]:
                    ic = [r[2] for r in con.execute(f"PRAGMA index_info({qi(ix[1])})")]
                    if len(ic) == 1:
                        unique_cols.add(ic[0])
            checks = check_lists(rows[t])
            overrides = getattr(project, "seed_values", {}).get(t, {})
            rng = random.Random(t)
            names = [c[1] for c in cols]
            sql = f"INSERT OR IGNORE INTO {qi(t)} ({', '.join(qi(n) for n in names)}) VALUES ({', '.join('?' for _ in names)})"
            n_ok = 0
            for i in range(ROWS):
                row, plain = [], []
                for k, (cid, name, decl, notnull, dflt, pk) in enumerate(cols):
                    decl = decl or ""
                    nullable = not notnull and not pk
                    if name in overrides:
                        v = overrides[name](i) if callable(overrides[name]) else overrides[name]
                        p = v
                    elif name in fks and (fks[name] or nullable):
                        if not fks[name]:  # rows point at a parent whenever one exists
                            v = None
                        else:
                            v = fks[name][(i * 7 + k) % len(fks[name])]
                        p = v
                    elif name in checks:
                        v = checks[name][i % len(checks[name])]
                        p = checks[name][0]
                    elif pk and len(pk_cols) == 1 and "INT" in decl.upper():
                        v = i + 1
                        p = i + 1
                    else:
                        if nullable and (i + k) % 5 == 3:
                            v = None
                        else:
                            v = value(decl, i, rng, name in unique_cols or name in pk_cols, k)
                        p = plain_value(decl, i)
                    row.append(v)
                    plain.append(p)
                cur = con.execute(sql, row)
                if cur.rowcount == 0:
                    cur = con.execute(sql, plain)
                n_ok += cur.rowcount
            if n_ok:
                seeded.add(t)
        con.commit()
    finally:
        con.close()
    return seeded
