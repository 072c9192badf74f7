#!/usr/bin/python3
"""Alembic's autogenerate comparison of a project's models with its database,
through the project's own env.py.

Usage: /usr/bin/python3 compare.py -c INI [-n SECTION] [-x KEY=VALUE]... --out FILE

Started by harness.py in the environment it runs /usr/bin/alembic in for the
project (PYTHONPATH, stand-ins, cwd, PYTHONHASHSEED). Builds the Config as
Alembic's command line does for `revision --autogenerate`, runs env.py
online inside an EnvironmentContext whose migration function calls
compare_metadata() with env.py's target_metadata, then runs no migration.
compare_type is on unless env.py configures it (sqlmend's default; Alembic
1.8.1's is off). The differences, normalized as tests/autogen/oracle_compare.py
normalizes them ({"differences": [...]} or {"error": "..."}), are written to
FILE as JSON, since env.py and the project's modules may print on stdout.
"""
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "..", "tests", "autogen", "oracle_compare.py")
ALEMBIC = "/usr/bin/alembic"

# Python put this script's folder first on sys.path, where /usr/bin/alembic
# has its own (/usr/bin): the same path as alembic's, so the project's
# imports resolve as they do there (this folder's harness modules would
# otherwise shadow project modules of the same names).
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    sys.path[0] = os.path.dirname(ALEMBIC)


def load_oracle():
    spec = importlib.util.spec_from_file_location("realworld_oracle_compare", os.path.abspath(ORACLE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    out = None
    if "--out" in argv:
        i = argv.index("--out")
        out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if out is None:
        print("compare.py: --out FILE is required", file=sys.stderr)
        return 2

    from alembic.config import CommandLine, Config
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

    oracle = load_oracle()
    # The options Alembic's command line gives env.py for an autogenerate
    # run (config.cmd_opts: -x values, the section, autogenerate=True).
    options = CommandLine(prog="alembic").parser.parse_args(
        argv + ["revision", "--autogenerate", "-m", "realworld compare"])
    cfg = Config(file_=options.config, ini_section=options.name, cmd_opts=options)
    script = ScriptDirectory.from_config(cfg)
    document = {"error": "env.py ran no migrations (context.run_migrations() never called)"}

    def fn(rev, context):
        nonlocal document
        if "compare_type" not in context.opts:
            context._user_compare_type = True
        document = oracle.compare_document(context, context.opts.get("target_metadata"))
        return []

    with EnvironmentContext(cfg, script, fn=fn):
        script.run_env()
    with open(out, "w", encoding="utf-8") as f:
        json.dump(document, f, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
