"""What the harness compares: one database file read into plain values.

- sqlite_master: (type, name, tbl_name, sql) sorted by type and name; the
  SQL text is compared token by token as SQLite's tokenizer reads it, so only
  whitespace and comments between tokens are ignored (quoting, case and
  everything inside literals count).
- table_info, foreign_key_list: the PRAGMA rows per table, as SQLite
  returns them.
- index_list: per table, the PRAGMA index_list rows without `seq` (the
  position in SQLite's list, which follows creation order) sorted by name,
  each with the index's columns from PRAGMA index_info.
- rows: per table, the rows as {column: (storage class, value)}, sorted; the
  digest is over that list, so neither row order nor column order counts.
- alembic_version: the sorted version numbers.
"""

import hashlib
import sqlite3


def tokens(sql):
    """SQLite's tokens of SQL text, whitespace and comments dropped."""
    if sql is None:
        return None
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c.isspace():
            i += 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif c == "[":
            j = sql.find("]", i)
            j = n - 1 if j < 0 else j
            out.append(sql[i:j + 1])
            i = j + 1
        elif c.isalnum() or c == "_" or ord(c) > 127:
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$" or ord(sql[j]) > 127):
                j += 1
            out.append(sql[i:j])
            i = j
        else:
            two = sql[i:i + 2]
            if two in ("<=", ">=", "!=", "<>", "==", "||", "<<", ">>"):
                out.append(two)
                i += 2
            else:
                out.append(c)
                i += 1
    return " ".join(out)


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def capture(path, mask=None):
    mask = mask or {}
    con = sqlite3.connect(path)
    con.text_factory = bytes
    try:
        def q(sql):
            return con.execute(sql).fetchall()

        def s(v):
            return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v
        master = sorted((s(t), s(n), s(tn), tokens(s(sql))) for t, n, tn, sql in
                        q("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = sorted(s(n) for (n,) in q("SELECT name FROM sqlite_master WHERE type = 'table'"))
        state = {"sqlite_master": master, "table_info": {}, "foreign_key_list": {}, "index_list": {},
                 "rows": {}, "alembic_version": None}
        for t in tables:
            state["table_info"][t] = [tuple(s(x) for x in r) for r in q(f"PRAGMA table_info({qi(t)})")]
            state["foreign_key_list"][t] = [tuple(s(x) for x in r) for r in q(f"PRAGMA foreign_key_list({qi(t)})")]
            idx = []
            for r in q(f"PRAGMA index_list({qi(t)})"):
                name = s(r[1])
                cols = [tuple(s(x) for x in c) for c in q(f"PRAGMA index_info({qi(name)})")]
                idx.append((name,) + tuple(s(x) for x in r[2:]) + (tuple(cols),))
            state["index_list"][t] = sorted(idx)
            names = [c[1] for c in state["table_info"][t] if c[1] not in mask.get(t, ())]
            if names:
                sel = ", ".join(f"typeof({qi(c)}), {qi(c)}" for c in names)
                rows = []
                for r in q(f"SELECT {sel} FROM {qi(t)}"):
                    rows.append(repr(tuple((names[k], r[2 * k], r[2 * k + 1]) for k in range(len(names)))))
                rows.sort()
            else:
                rows = [repr(()) for _ in q(f"SELECT 1 FROM {qi(t)}")]
            if t != "alembic_version":  # its own check
                state["rows"][t] = rows
        if "alembic_version" in tables:
            state["alembic_version"] = sorted(s(v) for (v,) in q("SELECT version_num FROM alembic_version"))
        return state
    finally:
        con.close()


def digest(rows):
    h = hashlib.sha256()
    for r in rows:
        h.update(r.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return h.hexdigest()[:12]


def text_difference(a, b):
    """Where two token strings part: a little shared context, then each side."""
    if a is None or b is None:
        return f"alembic {a!r}, sqlmend {b!r}"
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    start = max(0, i - 40)
    pre = ("..." if start else "") + a[start:i]
    return f"after {pre!r}: alembic {a[i:i + 90]!r}, sqlmend {b[i:i + 90]!r}"


def compare(what, a, s):
    """(ok, detail) for one check between Alembic's state A and sqlmend's S."""
    x, y = a[what], s[what]
    if x == y:
        return True, ""
    if what == "alembic_version":
        return False, f"alembic {x}, sqlmend {y}"
    if what == "sqlite_master":
        xs, ys = {(r[0], r[1]): r for r in x}, {(r[0], r[1]): r for r in y}
        only_a = sorted(set(xs) - set(ys))
        only_s = sorted(set(ys) - set(xs))
        parts = []
        if only_a:
            parts.append("only in alembic's: " + ", ".join(f"{t} {n}" for t, n in only_a))
        if only_s:
            parts.append("only in sqlmend's: " + ", ".join(f"{t} {n}" for t, n in only_s))
        for k in sorted(set(xs) & set(ys)):
            if xs[k] != ys[k]:
                parts.append(f"{k[0]} {k[1]}: " + text_difference(xs[k][3], ys[k][3]))
                break
        return False, "; ".join(parts)
    # per-table values
    only_a = sorted(set(x) - set(y))
    only_s = sorted(set(y) - set(x))
    parts = []
    if only_a:
        parts.append("tables only in alembic's: " + ", ".join(only_a))
    if only_s:
        parts.append("tables only in sqlmend's: " + ", ".join(only_s))
    for t in sorted(set(x) & set(y)):
        if x[t] == y[t]:
            continue
        if what == "rows":
            xa, ya = x[t], y[t]
            detail = f"{t}: alembic {len(xa)} rows {digest(xa)}, sqlmend {len(ya)} rows {digest(ya)}"
            sa_, sy = set(xa), set(ya)
            da = [r for r in xa if r not in sy][:1]
            ds = [r for r in ya if r not in sa_][:1]
            if da:
                detail += f"; alembic has {da[0][:160]}"
            if ds:
                detail += f"; sqlmend has {ds[0][:160]}"
            parts.append(detail)
        else:
            parts.append(f"{t}: alembic {x[t]}, sqlmend {y[t]}")
        break
    return False, "; ".join(parts)


def _split_top_level(token_text):
    """The comma-separated items inside a CREATE TABLE's outer parentheses
    (token strings), or None when the text has no such list."""
    toks = token_text.split(" ")
    try:
        start = toks.index("(")
    except ValueError:
        return None
    items, depth, cur = [], 0, []
    for t in toks[start + 1:]:
        if t == "(":
            depth += 1
        elif t == ")":
            if depth == 0:
                items.append(" ".join(cur))
                return toks[:start], items
            depth -= 1
        if t == "," and depth == 0:
            items.append(" ".join(cur))
            cur = []
        else:
            cur.append(t)
    return None


def constraints_as_set(token_text):
    """A CREATE TABLE's tokens with its table-level constraints sorted.

    Alembic's batch mode copies a reflected table's constraints in the
    iteration order of SQLAlchemy's Table.constraints, a Python set of
    objects hashed by address: an order no other process can reproduce.
    Two tables that differ only there have the same columns, constraints
    and names.
    """
    split = _split_top_level(token_text) if token_text else None
    if split is None:
        return token_text
    head, items = split
    kinds = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
    columns = [i for i in items if i.split(" ")[0].upper() not in kinds]
    constraints = sorted(i for i in items if i.split(" ")[0].upper() in kinds)
    return " ".join(head) + " ( " + " , ".join(columns + constraints) + " )"


def autoindexes_as_set(index_list):
    """index_list rows with the numbers of sqlite_autoindex_<t>_N left out:
    SQLite numbers them in the order of the table's UNIQUE and PRIMARY KEY
    constraints (see constraints_as_set)."""
    out = []
    for row in index_list:
        name = row[0]
        if name.startswith("sqlite_autoindex_"):
            name = name.rsplit("_", 1)[0] + "_N"
        out.append((name,) + tuple(row[1:]))
    return sorted(out)


def same_but_constraint_order(what, a, s):
    """Whether A and S differ only in the order of table-level constraints
    (and so in the numbering of the autoindexes those make)."""
    x, y = a[what], s[what]
    if what == "sqlite_master":
        def norm(rows):
            return sorted((t, n.rsplit("_", 1)[0] if n.startswith("sqlite_autoindex_") else n, tn,
                           constraints_as_set(sql) if t == "table" else sql) for t, n, tn, sql in rows)
        return norm(x) == norm(y)
    if what == "index_list":
        return set(x) == set(y) and all(autoindexes_as_set(x[t]) == autoindexes_as_set(y[t]) for t in x)
    if what == "foreign_key_list":
        # SQLite numbers a table's foreign keys (id) in declaration order.
        def keys(rows):
            by_id = {}
            for r in rows:
                by_id.setdefault(r[0], []).append(tuple(r[1:]))
            return sorted(tuple(v) for v in by_id.values())
        return set(x) == set(y) and all(keys(x[t]) == keys(y[t]) for t in x)
    return False


def unstable_columns(db1, db2):
    """{table: columns} whose values differ between two databases that the
    same Alembic step produced from the same start."""
    out = {}
    c1, c2 = sqlite3.connect(db1), sqlite3.connect(db2)
    try:
        for (t,) in c1.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            cols = [r[1] for r in c1.execute(f"PRAGMA table_info({qi(t)})")]
            try:
                r1 = c1.execute(f"SELECT * FROM {qi(t)} ORDER BY rowid").fetchall()
                r2 = c2.execute(f"SELECT * FROM {qi(t)} ORDER BY rowid").fetchall()
            except sqlite3.Error:
                continue
            if len(r1) != len(r2):
                continue
            bad = {cols[k] for a, b in zip(r1, r2) for k in range(min(len(a), len(b))) if a[k] != b[k]}
            if bad:
                out[t] = bad
    finally:
        c1.close()
        c2.close()
    return out
