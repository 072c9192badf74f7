#!/usr/bin/python3
"""Whether two `sqlite3 .schema` outputs describe the same schema.

Usage: same_schema.py A B; exit 0 when they do, 1 (with the first
difference) when they do not. Column order counts; the order of a CREATE
TABLE's table constraints (UNIQUE, FOREIGN KEY, CHECK, PRIMARY KEY,
CONSTRAINT ...) does not: Alembic's batch mode writes them in the order of a
Python set, which changes from run to run. Standard library only.
"""
import sys

CONSTRAINT_WORDS = ("UNIQUE", "FOREIGN", "CHECK", "PRIMARY", "CONSTRAINT")


def split_top_level(body):
    """The comma-separated items of a parenthesised list, nesting and quotes respected."""
    items, depth, quote, current = [], 0, None, []
    for ch in body:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    items.append("".join(current).strip())
    return items


def normalized(statement):
    text = " ".join(statement.split())
    if not text.upper().startswith("CREATE TABLE") or "(" not in text:
        return text
    head, _, rest = text.partition("(")
    body, close, tail = rest.rpartition(")")
    items = split_top_level(body)
    columns = [i for i in items if not i.upper().startswith(CONSTRAINT_WORDS)]
    constraints = sorted(i for i in items if i.upper().startswith(CONSTRAINT_WORDS))
    return head + "(" + ", ".join(columns + constraints) + close + tail


def statements(path):
    """The statements of a .schema output: each starts a line with CREATE
    (the shell may or may not end them with ';')."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out, current = [], []
    for line in text.splitlines():
        if line.startswith("CREATE ") and current:
            out.append(normalized("\n".join(current).rstrip().rstrip(";")))
            current = []
        current.append(line)
    if current:
        out.append(normalized("\n".join(current).rstrip().rstrip(";")))
    return sorted(out)


def main():
    a, b = statements(sys.argv[1]), statements(sys.argv[2])
    if a == b:
        return 0
    only_a = [s for s in a if s not in b]
    only_b = [s for s in b if s not in a]
    print("differs: only in %s: %s; only in %s: %s" % (
        sys.argv[1], only_a[:1], sys.argv[2], only_b[:1]), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
