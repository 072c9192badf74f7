"""The real-world set: each project's pin, what is extracted from its mirror,
and how its revision tree is run.

A project's tree is extracted twice (one copy per tool) from
`<mirror>/<owner>+<name>/repo` at the pinned commit. Paths below are relative
to that extracted root.
"""

import os
import re
import shutil
import sqlite3

HERE = os.path.dirname(os.path.abspath(__file__))


def set_ini_option(path, section, key, value):
    """Sets KEY in [SECTION] of an ini file, keeping every other line."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, in_section, done = [], False, False
    for line in lines:
        m = re.match(r"^\s*\[([^\]]+)\]", line)
        if m:
            if in_section and not done:
                out.append(f"{key} = {value}")
                done = True
            in_section = m.group(1).strip() == section
        elif in_section and re.match(rf"^\s*{re.escape(key)}\s*[=:]", line):
            if not done:
                out.append(f"{key} = {value}")
                done = True
            continue
        out.append(line)
    if not done:
        if in_section:
            out.append(f"{key} = {value}")
        else:
            out += ["", f"[{section}]", f"{key} = {value}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


class Project:
    name = ""
    repo = ""            # owner/name on GitHub
    commit = ""          # the pin
    extract = ()         # paths taken from the mirror
    ini = "alembic.ini"  # the ini both tools are given, relative to the root
    cwd = "."            # where the tools are started
    versions = ()        # folders holding revision files
    pythonpath = ()      # the project's installed packages: PYTHONPATH for both tools
    x_args = ()          # -x arguments, given to both tools
    standins = ()        # folders of standins/ on the Alembic side's PYTHONPATH
    env = None           # our own env.py (in tools/realworld/env/), or None for the project's
    env_path = None      # where the project's env.py is, relative to the root
    script_location = None  # rewritten into the ini when set (relative to the root)
    start_revisions = ()  # revisions the start database is already at
    pre_steps = ()       # alembic commands run to make the start database
    stamp_first = None   # a revision both tools stamp first (a compared step)
    url_in_ini = True    # sqlalchemy.url written into the ini (else the project's way)
    no_seed = ()
    seed_values = {}
    notes = ""

    def environ(self, root):
        return {}

    def prepare(self, root, repo, commit, here):
        ini = os.path.join(root, self.ini)
        if not os.path.exists(ini):
            os.makedirs(os.path.dirname(ini), exist_ok=True)
            with open(ini, "w") as f:
                f.write("[alembic]\n")
        if self.script_location is not None:
            set_ini_option(ini, "alembic", "script_location", os.path.join(root, self.script_location))
        if self.url_in_ini:
            set_ini_option(ini, "alembic", "sqlalchemy.url", "sqlite:///" + os.path.join(root, "db.sqlite"))
        if self.env:
            shutil.copyfile(os.path.join(here, "env", self.env), os.path.join(root, self.env_path))

    def start_database(self, root, path, repo, commit):
        """The database the first step starts from; None for none (empty)."""
        return None

    def down_stop(self, order):
        """Revisions not to downgrade (the start database's own)."""
        return list(self.start_revisions)

    def down_args(self, rev, header, revs):
        """How to take exactly REV off on a tree with branches (a linear one
        uses `downgrade -1`): `REV@-1` (`downgrade <down revision>` would
        also take off a sibling branch); a merge back to its first parent
        (which puts both parents back as heads; `MERGE@-1` does nothing);
        a branch's root to its label's base."""
        if len(header["down"]) == 1:
            return ["downgrade", f"{rev}@-1"]
        if header["down"]:
            return ["downgrade", header["down"][0]]
        if header["labels"]:
            return ["downgrade", header["labels"][0] + "@base"]
        return ["downgrade", "base"]

    @property
    def down_to(self):
        return "base" if not self.start_revisions else ", ".join(self.start_revisions)


class PowerDNSAdmin(Project):
    name = "powerdns-admin"
    repo = "PowerDNS-Admin/PowerDNS-Admin"
    commit = "742dd103e63d"
    extract = ("migrations",)
    ini = "migrations/alembic.ini"
    versions = ("migrations/versions",)
    script_location = "migrations"
    # Flask-Migrate's env.py reads the running app (current_app): ours hands
    # Alembic what PowerDNS-Admin's app does.
    env = "powerdns_admin.py"
    env_path = "migrations/env.py"


class SecureDropClient(Project):
    name = "securedrop-client"
    repo = "freedomofpress/securedrop-client"
    commit = "037aff1f04ff"
    extract = ("alembic.ini", "alembic", "securedrop_client/__init__.py", "securedrop_client/db.py")
    ini = "alembic.ini"
    versions = ("alembic/versions",)


class CondaStore(Project):
    name = "conda-store"
    repo = "conda-incubator/conda-store"
    commit = "8f65cd2bbd86"
    extract = ("conda-store-server/conda_store_server",)
    ini = "conda-store-server/conda_store_server/_internal/alembic.ini"
    script_location = "conda-store-server/conda_store_server/_internal/alembic"
    versions = ("conda-store-server/conda_store_server/_internal/alembic/versions",)
    # conda-store runs installed (its env.py's own sys.path entry points one
    # folder too deep since the move to _internal/).
    pythonpath = ("conda-store-server",)
    standins = ("conda-store",)
    # The initial schema declares no foreign keys for these columns, so the
    # seeder cannot know they point somewhere; 16f65805dc8f joins on them
    # (every package has a channel, every build's package exists).
    seed_values = {"conda_package": {"channel_id": lambda i: i % 20 + 1},
                   "build_conda_package": {"build_id": lambda i: i % 50 + 1, "conda_package_id": lambda i: i + 1},
                   "solve_conda_package": {"solve_id": lambda i: i % 50 + 1, "conda_package_id": lambda i: i + 1}}




class SecureDrop(Project):
    name = "securedrop"
    repo = "freedomofpress/securedrop"
    commit = "16ce8b5d5575"
    extract = ("securedrop",)
    ini = "securedrop/alembic.ini"
    cwd = "securedrop"
    versions = ("securedrop/alembic/versions",)
    # Pinned to SQLAlchemy 1.3.3 (requirements/python3/requirements.txt); the
    # early revisions use `sa.Binary`, which 1.4 removed.
    standins = ("sqlalchemy-1.3",)


class PgAdmin4(Project):
    name = "pgadmin4"
    repo = "pgadmin-org/pgadmin4"
    commit = "294282c7caa5"
    # The Python of web/ only (its static assets are most of the folder).
    extract = (":(glob)web/pgadmin/**/*.py", "web/migrations", "web/config.py")
    ini = "web/migrations/alembic.ini"
    cwd = "web"
    versions = ("web/migrations/versions",)
    script_location = "web/migrations"
    pythonpath = ("web",)
    env = "pgadmin4.py"
    standins = ("pgadmin4",)
    # 09d53fca90c7 adds CHECK constraints to the server table the initial
    # revision created: ports in 1024..65535, the libpq ssl modes.
    seed_values = {"server": {"port": lambda i: 5432 + i % 100,
                              "ssl_mode": lambda i: ("allow", "prefer", "require", "disable")[i % 4]}}
    # ca00ec32581b calls session.delete() on a list, which fails whenever the
    # table has rows (in pgAdmin too); left empty so the chain goes on.
    no_seed = ("debugger_function_arguments",)
    env_path = "web/migrations/env.py"

    def environ(self, root):
        # The initial revision asks pgadmin.setup.user_info() for the first
        # user; in server mode it takes these instead of prompting.
        return {"PGADMIN_SETUP_EMAIL": "admin@example.org", "PGADMIN_SETUP_PASSWORD": "Sekrit-Passw0rd",
                "HOME": root}


class NbGrader(Project):
    name = "nbgrader"
    repo = "jupyter/nbgrader"
    commit = "207a8e544968"
    extract = (":(glob)nbgrader/**/*.py", "nbgrader/alembic", "nbgrader/alembic.ini",
               "nbgrader/tests/apps/files/gradebook.db")
    # dbutil.py fills this template's {alembic_dir} and {db_url}; so do we.
    ini = "nbgrader/alembic.ini"
    script_location = "nbgrader/alembic"
    versions = ("nbgrader/alembic/versions",)
    pythonpath = (".",)  # nbgrader installed
    standins = ("nbgrader",)

    def start_database(self, root, path, repo, commit):
        # The pre-Alembic gradebook the repository ships for its tests
        # (test_nbgrader_db.py upgrades it with `nbgrader db upgrade`).
        shutil.copyfile(os.path.join(root, "nbgrader/tests/apps/files/gradebook.db"), path)
        return path


class Buildbot(Project):
    name = "buildbot"
    repo = "buildbot/buildbot"
    commit = "61f2f4118098"
    tarball = "master/buildbot/test/integration/v2.10.5.tgz"
    extract = (":(glob)master/buildbot/**/*.py", "master/buildbot/db/migrations", tarball)
    # The project's alembic.ini (script_location %(here)s/, prepend_sys_path .)
    # from master/, where prepend_sys_path puts the buildbot package on the path.
    ini = "master/buildbot/db/migrations/alembic.ini"
    cwd = "master"
    versions = ("master/buildbot/db/migrations/versions",)
    stamp_first = "059"

    def prepare(self, root, repo, commit, here):
        super().prepare(root, repo, commit, here)
        # setup.py writes buildbot/_version.py when it builds; the package's
        # __init__ imports it.
        with open(os.path.join(root, "master/buildbot/_version.py"), "w") as f:
            f.write('version = "0.0.0"\n')

    def start_database(self, root, path, repo, commit):
        # The integration tests' populated v2.10.5 master (sqlalchemy-migrate
        # version 58). buildbot's Model.upgrade() drops migrate_version, stamps
        # Alembic's 059 and upgrades; the stamp is the first compared step.
        import tarfile
        with tarfile.open(os.path.join(root, self.tarball)) as tf:
            data = tf.extractfile("v2.10.5/state.sqlite").read()
        with open(path, "wb") as f:
            f.write(data)
        con = sqlite3.connect(path)
        con.execute("DROP TABLE migrate_version")
        con.commit()
        con.close()
        return path


class Quetz(Project):
    name = "quetz"
    repo = "mamba-org/quetz"
    commit = "56ab2cfc58c8"
    plugins = ("quetz_conda_suggest", "quetz_content_trust", "quetz_runexports", "quetz_tos")
    extract = (":(glob)quetz/**/*.py", ":(glob)plugins/**/*.py", "alembic.ini",
               "quetz/migrations/script.py.mako")
    ini = "alembic.ini"
    versions = ("quetz/migrations/versions",) + tuple(f"plugins/{p}/{p}/migrations/versions" for p in plugins)
    # quetz and its plugins installed; the plugins' trees are found through
    # their `quetz.migrations` entry points (quetz/cli.py, _alembic_config).
    pythonpath = (".",) + tuple(f"plugins/{p}" for p in plugins)
    standins = ("quetz",)
    # The URL comes from the deployment's config.toml, named with -x, whose
    # `sqlite:///./` env.py makes absolute from the config's folder.
    url_in_ini = False
    x_args = ("-x", "quetzConfig=config.toml")

    def prepare(self, root, repo, commit, here):
        super().prepare(root, repo, commit, here)
        # What _alembic_config() sets: package-form locations, every plugin's
        # tree and quetz's own.
        locations = " ".join([f"{p}.migrations:versions" for p in self.plugins] + ["quetz:migrations/versions"])
        ini = os.path.join(root, self.ini)
        set_ini_option(ini, "alembic", "script_location", "quetz:migrations")
        set_ini_option(ini, "alembic", "version_locations", locations)
        with open(os.path.join(root, "config.toml"), "w") as f:
            f.write('[sqlalchemy]\ndatabase_url = "sqlite:///./db.sqlite"\n\n'
                    '[session]\nsecret = "realworld-session-secret"\nhttps_only = false\n')


PROJECTS = [PowerDNSAdmin(), SecureDrop(), SecureDropClient(), PgAdmin4(), NbGrader(), Buildbot(), Quetz(), CondaStore()]
