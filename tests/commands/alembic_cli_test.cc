// sqlmend's Alembic-compatible verbs against the real alembic 1.8.1, run in
// the test on twin copies of the same project: the same stdout for every
// reporting command, the same exit status and FAILED: line for errors, and
// the same database (schema and alembic_version) after every step, also when
// the two tools take turns on one database.
#include <gtest/gtest.h>

#include <filesystem>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

namespace fs = std::filesystem;
using testutil::Query;
using testutil::RunCommand;
using testutil::ShellQuote;

struct Rev {
  std::string id;
  std::string down;  // Python literal: None, 'a1' or ('c3', 'd4')
  std::string labels = "None";
  std::string depends = "None";
  std::string up_sql;
  std::string down_sql;
  std::string message;
};

// A branched, labelled, merged tree with a dependency and a second base:
//   a1 -> b2 -> c3 (feature) -> e5 (merge)
//            \-> d4 ---------/
//   x1 (audit, depends on a1)
const std::vector<Rev> kTree = {
    {"a1", "None", "None", "None", "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)",
     "DROP TABLE users", "create users"},
    {"b2", "'a1'", "None", "None", "ALTER TABLE users ADD COLUMN email TEXT",
     "ALTER TABLE users DROP COLUMN email", "add email"},
    {"c3", "'b2'", "('feature',)", "None", "CREATE TABLE posts(id INTEGER PRIMARY KEY)",
     "DROP TABLE posts", "posts"},
    {"d4", "'b2'", "None", "None", "CREATE TABLE tags(id INTEGER PRIMARY KEY)", "DROP TABLE tags",
     "tags"},
    {"e5", "('c3', 'd4')", "None", "None", "CREATE INDEX users_name ON users(name)",
     "DROP INDEX users_name", "merge posts and tags"},
    {"x1", "None", "('audit',)", "'a1'", "CREATE TABLE audit(id INTEGER PRIMARY KEY)",
     "DROP TABLE audit", "audit log"},
};

std::string RevisionFile(const Rev& r) {
  return "\"\"\"" + r.message + "\n\nRevision ID: " + r.id + "\nRevises: \nCreate Date: 2026-01-01 " +
         "00:00:00.000000\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n" +
         "revision = '" + r.id + "'\ndown_revision = " + r.down + "\nbranch_labels = " + r.labels +
         "\ndepends_on = " + r.depends + "\n\n\ndef upgrade() -> None:\n    op.execute(\"" +
         r.up_sql + "\")\n\n\ndef downgrade() -> None:\n    op.execute(\"" + r.down_sql + "\")\n";
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string SortedSetLines(const std::string& text);

std::string SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  // "Branches into: c3, d4" holds a set too: sort its items.
  for (auto& l : lines) {
    if (l.rfind("Branches into: ", 0) != 0) continue;
    std::vector<std::string> items;
    std::string rest = l.substr(15), item;
    for (char c : rest + ",") {
      if (c == ',') {
        items.push_back(item.substr(item.find_first_not_of(' ')));
        item.clear();
      } else {
        item += c;
      }
    }
    std::sort(items.begin(), items.end());
    l = "Branches into: ";
    for (size_t i = 0; i < items.size(); ++i) l += (i ? ", " : "") + items[i];
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Only the "Branches into:" items sorted, line order kept.
std::string SortedSetLines(const std::string& text) {
  std::string out, line;
  for (char c : text) {
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line.rfind("Branches into: ", 0) == 0) {
      std::string sorted = SortedLines(line + "\n");
      out += sorted;
    } else {
      out += line + "\n";
    }
    line.clear();
  }
  return out + line;
}

class AlembicCliTest : public ::testing::Test {
 protected:
  // Two identical projects, "alembic" and "sqlmend", each with its app.db.
  void SetUp() override {
    ASSERT_TRUE(RunCommand("command -v alembic").exit_code == 0) << "alembic is not installed";
    std::string first = dir_.File("alembic");
    auto init = RunCommand("mkdir -p " + ShellQuote(first) + " && cd " + ShellQuote(first) +
                           " && alembic init -t generic alembic >/dev/null && sed -i "
                           "'s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///app.db|' alembic.ini");
    ASSERT_EQ(init.exit_code, 0) << init.err;
    for (const Rev& r : kTree) {
      testutil::WriteFile(first + "/alembic/versions/" + r.id + "_rev.py", RevisionFile(r));
    }
    fs::copy(first, dir_.File("sqlmend"), fs::copy_options::recursive);
  }

  testutil::RunResult Alembic(const std::string& args) {
    // A fixed hash seed makes any failure reproducible (Alembic orders some
    // output by Python set order).
    return RunCommand("cd " + ShellQuote(dir_.File("alembic")) + " && PYTHONHASHSEED=0 alembic " + args);
  }
  testutil::RunResult Sqlmend(const std::string& args) {
    return RunCommand("cd " + ShellQuote(dir_.File("sqlmend")) + " && " + ShellQuote(SQLMEND_BIN) +
                      " " + args);
  }

  // Runs `args` with both tools, each on its own project; same stdout and
  // exit status.
  void ExpectSame(const std::string& args) {
    SCOPED_TRACE(args);
    auto theirs = Alembic(args);
    auto ours = Sqlmend(args);
    // The projects live in twin folders; paths in the output name each one.
    Replace(ours.out, dir_.File("sqlmend"), dir_.File("alembic"));
    // Alembic prints branch points' children in Python's set order, which
    // varies between runs (hash randomisation); compare those lines sorted.
    // `current` prints the revisions of a Python set too.
    if (args.rfind("branches", 0) == 0 || args == "current") {
      ours.out = SortedLines(ours.out);
      theirs.out = SortedLines(theirs.out);
    } else {
      ours.out = SortedSetLines(ours.out);
      theirs.out = SortedSetLines(theirs.out);
    }
    EXPECT_EQ(ours.out, theirs.out) << "alembic stderr: " << theirs.err << "\nsqlmend stderr: " << ours.err;
    EXPECT_EQ(ours.exit_code, theirs.exit_code) << ours.out << ours.err;
  }

  // The same schema and version rows in both databases.
  void ExpectSameDatabase() {
    const char* schema = "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name";
    const char* heads = "SELECT version_num FROM alembic_version ORDER BY version_num";
    std::string a = dir_.File("alembic/app.db"), s = dir_.File("sqlmend/app.db");
    EXPECT_EQ(Query(s, schema), Query(a, schema));
    EXPECT_EQ(Query(s, heads), Query(a, heads));
  }

  testutil::TempDir dir_;
};

TEST_F(AlembicCliTest, ReportingCommandsPrintWhatAlembicPrints) {
  for (const char* args :
       {"heads", "heads -v", "heads --resolve-dependencies", "branches", "branches -v", "history",
        "history -v", "history -r a1:c3", "history -r b2:", "history -r :d4", "show b2", "show e5",
        "show feature@head", "show zz", "upgrade head --sql", "upgrade heads --sql",
        "upgrade a1:e5 --sql", "downgrade e5:b2 --sql", "stamp e5 --sql", "ensure_version --sql",
        "current", "current -v"}) {
    ExpectSame(args);
  }
}

TEST_F(AlembicCliTest, StepsLeaveTheSameDatabaseAndToolsCanTakeTurns) {
  ExpectSame("upgrade b2");
  ExpectSameDatabase();
  ExpectSame("current");
  // (With several current revisions Alembic prints them in Python's set
  // order, which varies from run to run: -v is compared with one.)
  ExpectSame("current -v");
  ExpectSame("upgrade head");  // several heads: both refuse the same way
  ExpectSame("upgrade feature@head");
  ExpectSameDatabase();
  ExpectSame("upgrade heads");
  ExpectSameDatabase();
  ExpectSame("current");
  ExpectSame("history -i");
  ExpectSame("downgrade feature@-1");
  ExpectSameDatabase();
  ExpectSame("downgrade base");
  ExpectSameDatabase();
  ExpectSame("stamp e5");
  ExpectSameDatabase();
  ExpectSame("stamp --purge x1");
  ExpectSameDatabase();
  fs::remove(dir_.File("alembic/app.db"));
  fs::remove(dir_.File("sqlmend/app.db"));
  ExpectSame("ensure_version");
  ExpectSameDatabase();

  // Take turns on one database: alembic, then sqlmend, then alembic.
  std::string db = dir_.File("alembic/app.db");
  fs::remove(db);
  EXPECT_EQ(Alembic("upgrade b2").exit_code, 0);
  auto ours = RunCommand("cd " + ShellQuote(dir_.File("alembic")) + " && " +
                         ShellQuote(SQLMEND_BIN) + " upgrade e5");
  EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
  EXPECT_EQ(Alembic("current").out, "e5 (head) (mergepoint)\n");
  EXPECT_EQ(Alembic("downgrade b2").exit_code, 0);
  auto back = RunCommand("cd " + ShellQuote(dir_.File("alembic")) + " && " +
                         ShellQuote(SQLMEND_BIN) + " current");
  EXPECT_EQ(back.out, "b2 (branchpoint)\n");
  EXPECT_EQ(Query(db, "SELECT name FROM sqlite_schema WHERE name='posts'").size(), 0u);
}

TEST_F(AlembicCliTest, TheFiveCommandLinesOnAPerEnvironmentConfig) {
  // pyproject.toml names the migrations folder; data_development/config.ini
  // carries the URL, as the projects we serve are laid out.
  std::string root = dir_.File("sqlmend");
  fs::create_directory(root + "/data_development");
  testutil::WriteFile(root + "/pyproject.toml", "[tool.alembic]\nscript_location = \"%(here)s/alembic\"\n");
  testutil::WriteFile(root + "/data_development/config.ini",
                      "[alembic]\nsqlalchemy.url = sqlite:///data_development/app.db\n");
  auto run = [&](const std::string& args) { return Sqlmend("-c data_development/config.ini " + args); };
  EXPECT_EQ(run("upgrade e5").exit_code, 0);
  EXPECT_EQ(run("current").out, "e5 (head) (mergepoint)\n");
  EXPECT_EQ(run("downgrade b2").exit_code, 0);
  EXPECT_EQ(run("current").out, "b2 (branchpoint)\n");
  EXPECT_EQ(run("downgrade base").exit_code, 0);
  EXPECT_EQ(run("current").out, "");
  EXPECT_EQ(run("stamp c3").exit_code, 0);
  EXPECT_EQ(run("current").out, "c3\n");
  EXPECT_EQ(Query(root + "/data_development/app.db", "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"c3"});
}

// An ini without sqlalchemy.url whose env.py computes the URL (here from an
// -x argument): the database is the one env.py configures, for the verbs
// that migrate and for those that only read the version table.
TEST_F(AlembicCliTest, TheDatabaseEnvPyConfiguresWhenTheIniNamesNone) {
  const std::string env_py =
      "from alembic import context\n"
      "from sqlalchemy import create_engine\n"
      "url = 'sqlite:///' + context.get_x_argument(as_dictionary=True)['db']\n"
      "if context.is_offline_mode():\n"
      "    context.configure(url=url, literal_binds=True)\n"
      "    with context.begin_transaction():\n"
      "        context.run_migrations()\n"
      "else:\n"
      "    with create_engine(url).connect() as connection:\n"
      "        context.configure(connection=connection)\n"
      "        with context.begin_transaction():\n"
      "            context.run_migrations()\n";
  for (const char* side : {"alembic", "sqlmend"}) {
    std::string root = dir_.File(side);
    testutil::WriteFile(root + "/alembic/env.py", env_py);
    auto strip = RunCommand("sed -i '/^sqlalchemy.url/d' " + ShellQuote(root + "/alembic.ini"));
    ASSERT_EQ(strip.exit_code, 0);
  }
  for (const char* args :
       {"-x db=env.db upgrade b2", "-x db=env.db current", "-x db=env.db current -v",
        "-x db=env.db history -i", "-x db=env.db show current", "-x db=env.db upgrade heads",
        "-x db=env.db upgrade b2:heads --sql", "-x db=env.db downgrade base"}) {
    ExpectSame(args);
    const char* heads = "SELECT version_num FROM alembic_version ORDER BY version_num";
    EXPECT_EQ(Query(dir_.File("sqlmend/env.db"), heads), Query(dir_.File("alembic/env.db"), heads));
  }
  EXPECT_FALSE(fs::exists(dir_.File("sqlmend/app.db")));
}

// Flask-Migrate's env.py takes the URL, target_metadata and configure()
// options from the running application (flask.current_app), which sqlmend
// does not start: the migrations run on the ini's URL and say so, and
// autogenerate, which needs the application's models, stops on one line.
// An env.py that makes the Flask application and runs the migrations inside
// its context (as pgAdmin's does): the revisions see that application as
// current_app, and its Flask-Migrate configure_args, as under Alembic.
TEST_F(AlembicCliTest, TheApplicationContextEnvPyPushesServesTheRevisions) {
  if (RunCommand("/usr/bin/python3 -c 'import flask, flask_migrate'").exit_code != 0) {
    GTEST_SKIP() << "no Flask or Flask-Migrate for the Alembic side (tools/setup.sh installs them)";
  }
  const std::string env_py =
      "from alembic import context\n"
      "from flask import Flask, current_app\n"
      "from flask_migrate import Migrate\n"
      "from sqlalchemy import engine_from_config, pool\n"
      "class Database:\n"
      "    metadata = None\n"
      "app = Flask('tracker')\n"
      "app.config.from_mapping(TRACKER_LABEL='from-the-app')\n"
      "Migrate(app, Database(), compare_type=False)\n"
      "config = context.config\n"
      "def run_migrations_online():\n"
      "    connectable = engine_from_config(config.get_section(config.config_ini_section),\n"
      "                                     prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
      "    with connectable.connect() as connection:\n"
      "        context.configure(connection=connection, target_metadata=None,\n"
      "                          **current_app.extensions['migrate'].configure_args)\n"
      "        with context.begin_transaction():\n"
      "            context.run_migrations()\n"
      "with app.app_context():\n"
      "    run_migrations_online()\n";
  const std::string revision =
      "from alembic import op\n"
      "import sqlalchemy as sa\n"
      "from flask import current_app, has_app_context\n"
      "revision = 'c0ffee000001'\n"
      "down_revision = None\n"
      "branch_labels = ('app',)\n"
      "depends_on = None\n"
      "def upgrade():\n"
      "    settings = op.create_table('app_settings',\n"
      "                               sa.Column('name', sa.String(40), primary_key=True),\n"
      "                               sa.Column('value', sa.String(80)))\n"
      "    args = current_app.extensions['migrate'].configure_args\n"
      "    op.bulk_insert(settings, [\n"
      "        {'name': 'label', 'value': current_app.config['TRACKER_LABEL']},\n"
      "        {'name': 'app', 'value': current_app.name},\n"
      "        {'name': 'context', 'value': str(has_app_context())},\n"
      "        {'name': 'args', 'value': repr(sorted(args.items()))}])\n"
      "def downgrade():\n"
      "    op.drop_table('app_settings')\n";
  for (const char* side : {"alembic", "sqlmend"}) {
    testutil::WriteFile(dir_.File(std::string(side) + "/alembic/env.py"), env_py);
    testutil::WriteFile(dir_.File(std::string(side) + "/alembic/versions/c0ffee000001_app.py"),
                        revision);
  }
  ExpectSame("upgrade app@head");
  ExpectSameDatabase();
  const char* rows = "SELECT name, value FROM app_settings ORDER BY name";
  EXPECT_EQ(Query(dir_.File("sqlmend/app.db"), rows), Query(dir_.File("alembic/app.db"), rows));
  EXPECT_EQ(
      Query(dir_.File("sqlmend/app.db"), "SELECT value FROM app_settings WHERE name = 'label'"),
      std::vector<std::string>{"from-the-app"});
  ExpectSame("downgrade app@base");
  ExpectSameDatabase();
}

TEST_F(AlembicCliTest, FlaskMigratesEnvPyRunsOnTheConfiguredUrl) {
  testutil::WriteFile(
      dir_.File("sqlmend/alembic/env.py"),
      "import logging\n"
      "from alembic import context\n"
      "from flask import current_app\n"
      "config = context.config\n"
      "logger = logging.getLogger('alembic.env')\n"
      "def get_engine():\n"
      "    try:\n"
      "        return current_app.extensions['migrate'].db.get_engine()\n"
      "    except TypeError:\n"
      "        return current_app.extensions['migrate'].db.engine\n"
      "def get_engine_url():\n"
      "    try:\n"
      "        return get_engine().url.render_as_string(hide_password=False).replace('%', '%%')\n"
      "    except AttributeError:\n"
      "        return str(get_engine().url).replace('%', '%%')\n"
      "config.set_main_option('sqlalchemy.url', get_engine_url())\n"
      "target_db = current_app.extensions['migrate'].db\n"
      "def get_metadata():\n"
      "    if hasattr(target_db, 'metadatas'):\n"
      "        return target_db.metadatas[None]\n"
      "    return target_db.metadata\n"
      "def run_migrations_offline():\n"
      "    context.configure(url=config.get_main_option('sqlalchemy.url'),\n"
      "                      target_metadata=get_metadata(), literal_binds=True)\n"
      "    with context.begin_transaction():\n"
      "        context.run_migrations()\n"
      "def run_migrations_online():\n"
      "    def process_revision_directives(context, revision, directives):\n"
      "        if getattr(config.cmd_opts, 'autogenerate', False):\n"
      "            if directives[0].upgrade_ops.is_empty():\n"
      "                directives[:] = []\n"
      "    conf_args = current_app.extensions['migrate'].configure_args\n"
      "    if conf_args.get('process_revision_directives') is None:\n"
      "        conf_args['process_revision_directives'] = process_revision_directives\n"
      "    from sqlalchemy import engine_from_config, pool\n"
      "    connectable = engine_from_config(config.get_section(config.config_ini_section),\n"
      "                                     prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
      "    with connectable.connect() as connection:\n"
      "        context.configure(connection=connection, target_metadata=get_metadata(),\n"
      "                          **conf_args)\n"
      "        with context.begin_transaction():\n"
      "            context.run_migrations()\n"
      "if context.is_offline_mode():\n"
      "    run_migrations_offline()\n"
      "else:\n"
      "    run_migrations_online()\n");
  auto upgraded = Sqlmend("upgrade heads");
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.out << upgraded.err;
  EXPECT_NE(upgraded.err.find("is not set as option 'sqlalchemy.url': the configuration's value "
                              "stays"),
            std::string::npos)
      << upgraded.err;
  EXPECT_NE(upgraded.err.find("is target_metadata: the revisions run without it"),
            std::string::npos)
      << upgraded.err;
  ASSERT_EQ(Alembic("upgrade heads").exit_code, 0);
  ExpectSameDatabase();

  auto autogenerate = Sqlmend("revision --autogenerate -m models");
  EXPECT_NE(autogenerate.exit_code, 0);
  EXPECT_NE(autogenerate.out.find("no application context is pushed (sqlmend does not start "
                                  "the Flask application)), not a MetaData: autogenerate has no "
                                  "models to compare"),
            std::string::npos)
      << autogenerate.out << autogenerate.err;
  size_t revisions = 0;
  for (const auto& entry : fs::directory_iterator(dir_.File("sqlmend/alembic/versions"))) {
    revisions += entry.path().extension() == ".py" ? 1 : 0;
  }
  EXPECT_EQ(revisions, std::size(kTree));

  // Without a URL in the ini, the one-line error says where to put it.
  ASSERT_EQ(
      RunCommand("sed -i '/^sqlalchemy.url/d' " + ShellQuote(dir_.File("sqlmend/alembic.ini")))
          .exit_code,
      0);
  const char* heads = "SELECT version_num FROM alembic_version ORDER BY version_num";
  const auto before = Query(dir_.File("sqlmend/app.db"), heads);
  auto no_url = Sqlmend("downgrade base");
  EXPECT_NE(no_url.exit_code, 0);
  EXPECT_NE(no_url.out.find("unsupported: no database URL: env.py takes it from "
                            "flask.current_app.extensions[...].db.get_engine().url."
                            "render_as_string().replace() (module 'flask' is modelled by "
                            "sqlmend only in part, and no application context is pushed "
                            "(sqlmend does not start the Flask application)); set "
                            "sqlalchemy.url in " +
                            dir_.File("sqlmend/alembic.ini")),
            std::string::npos)
      << no_url.out << no_url.err;
  EXPECT_EQ(Query(dir_.File("sqlmend/app.db"), heads), before);
}

TEST_F(AlembicCliTest, BadInputFailsOnOneLineAndChangesNothing) {
  ASSERT_EQ(Sqlmend("upgrade b2").exit_code, 0);
  std::string db = dir_.File("sqlmend/app.db");
  auto before = testutil::TakeSnapshot(db);
  auto expect_failed = [&](const std::string& args, const std::string& needle) {
    SCOPED_TRACE(args);
    auto r = Sqlmend(args);
    EXPECT_EQ(r.exit_code, 255) << r.out << r.err;
    EXPECT_EQ(r.out.rfind("FAILED: ", 0), 0u) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    EXPECT_NE(r.out.find(needle), std::string::npos) << r.out;
    EXPECT_EQ(testutil::TakeSnapshot(db), before);
  };
  std::string root = dir_.File("sqlmend");
  testutil::WriteFile(root + "/broken.ini", "[alembic\nscript_location = alembic\n");
  expect_failed("-c broken.ini upgrade head", "broken.ini");
  testutil::WriteFile(root + "/noloc.ini", "[alembic]\nsqlalchemy.url = sqlite:///app.db\n");
  expect_failed("-c noloc.ini upgrade heads", "script_location");
  testutil::WriteFile(root + "/pg.ini",
                      "[alembic]\nscript_location = alembic\nsqlalchemy.url = postgresql://u@h/db\n");
  expect_failed("-c pg.ini upgrade heads", "postgresql");
  expect_failed("upgrade head", "Multiple head revisions");
  // A revision file with a syntax error, then a cycle.
  std::string bad = root + "/alembic/versions/zz_bad.py";
  testutil::WriteFile(bad, "revision = 'zz'\ndown_revision = (\n");
  expect_failed("upgrade heads", "zz_bad.py");
  testutil::WriteFile(bad, "revision = 'zz'\ndown_revision = 'yy'\n");
  testutil::WriteFile(root + "/alembic/versions/yy_bad.py", "revision = 'yy'\ndown_revision = 'zz'\n");
  expect_failed("upgrade heads", "ycle");
  fs::remove(root + "/alembic/versions/yy_bad.py");
  testutil::WriteFile(bad, "down_revision = None\n");
  expect_failed("upgrade heads", "zz_bad.py");
  fs::remove(bad);
  testutil::WriteFile(root + "/pyproject.toml", "[tool.alembic\nscript_location = 1\n");
  expect_failed("upgrade heads", "pyproject.toml");
  fs::remove(root + "/pyproject.toml");
  // A file that cannot be read is named: here the revision template.
  fs::rename(root + "/alembic/script.py.mako", root + "/alembic/script.py.mako.away");
  expect_failed("revision -m x --head e5", root + "/alembic/script.py.mako: open: no such file");
  fs::rename(root + "/alembic/script.py.mako.away", root + "/alembic/script.py.mako");
  // A database another migration holds.
  testutil::RunResult held = RunCommand(
      "cd " + ShellQuote(root) + " && (sqlite3 app.db 'BEGIN IMMEDIATE; SELECT 1;' "
      "&& sleep 3) & sleep 0.5; " + ShellQuote(SQLMEND_BIN) +
      " upgrade heads --lock-timeout 1; wait");
  EXPECT_NE(held.out.find("FAILED: "), std::string::npos) << held.out << held.err;
}

// What a body logs comes after its step's "Running ..." line, as in Alembic,
// whether the body is read ahead (b2) or runs online because it reads the
// database (d4), with its level and logger's name, and only at the levels
// alembic.ini's logging sections let through; print() goes to stdout.
TEST_F(AlembicCliTest, WhatABodyLogsFollowsItsRunningLine) {
  const std::string logs_in_b2 =
      "import logging\nlog = logging.getLogger('alembic.runtime.migration')\n"
      "def upgrade():\n    op.execute('ALTER TABLE users ADD COLUMN email TEXT')\n"
      "    log.info('added %s', 'email')\n    print('printed in b2')\n"
      "    log.warning('warned %d', 3)\n    log.debug('hidden: alembic logs at INFO')\n"
      "    logging.getLogger(__name__).info('hidden: the root logs at WARNING')\n"
      "    logging.getLogger(__name__).warning('shown with its own name')\n"
      "    logging.error('from the root logger')\n";
  const std::string logs_in_d4 =
      "import logging\nlog = logging.getLogger('alembic.runtime.migration')\n"
      "def upgrade():\n    n = op.get_bind().execute(sa.text('SELECT count(*) FROM users')).scalar()\n"
      "    op.execute('CREATE TABLE tags(id INTEGER PRIMARY KEY)')\n    log.info('counted %d users', n)\n";
  for (const char* tool : {"alembic", "sqlmend"}) {
    for (const auto& [id, body] : {std::pair{"b2", logs_in_b2}, std::pair{"d4", logs_in_d4}}) {
      std::string path = dir_.File(std::string(tool) + "/alembic/versions/" + id + "_rev.py");
      std::string text = testutil::ReadFile(path);
      text = text.substr(0, text.find("def upgrade")) + body + "\n\n" + text.substr(text.find("def downgrade"));
      testutil::WriteFile(path, text);
    }
  }
  auto theirs = Alembic("upgrade d4");
  auto ours = Sqlmend("upgrade d4");
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  EXPECT_EQ(ours.out, theirs.out);
  EXPECT_EQ(ours.out, "printed in b2\n");
  // The lines from "Running" on (the context lines before them differ in
  // wording: sqlmend's DDL is transactional).
  auto from_running = [](const std::string& err) { return err.substr(err.find("INFO  [alembic.runtime.migration] Running")); };
  EXPECT_EQ(from_running(ours.err), from_running(theirs.err));
  EXPECT_NE(ours.err.find("Running upgrade a1 -> b2, add email\nINFO  [alembic.runtime.migration] added email\n"
                          "WARNI [alembic.runtime.migration] warned 3\n"
                          "WARNI [b2_rev_py] shown with its own name\n"
                          "ERROR [root] from the root logger\n"
                          "INFO  [alembic.runtime.migration] Running upgrade b2 -> d4, tags\n"
                          "INFO  [alembic.runtime.migration] counted 0 users\n"),
            std::string::npos)
      << ours.err;
}

// The same tree written as plain-SQL revisions: sqlmend on the .sql project
// leaves the database alembic leaves on the .py project, step by step.
TEST_F(AlembicCliTest, SqlRevisionsGiveTheDatabaseAlembicGives) {
  std::string versions = dir_.File("sqlmend/alembic/versions");
  for (const Rev& r : kTree) {
    fs::remove(versions + "/" + r.id + "_rev.py");
    auto list = [](const std::string& literal) {
      std::string out;
      for (char c : literal) {
        if (c != '(' && c != ')' && c != '\'') out += c;
      }
      while (!out.empty() && (out.back() == ',' || out.back() == ' ')) out.pop_back();
      return out == "None" ? std::string() : out;
    };
    std::string text = "-- revision: " + r.id + "\n-- down_revision: " + list(r.down) + "\n";
    if (!list(r.labels).empty()) text += "-- branch_labels: " + list(r.labels) + "\n";
    if (!list(r.depends).empty()) text += "-- depends_on: " + list(r.depends) + "\n";
    text += "-- message: " + r.message + "\n\n-- upgrade\n" + r.up_sql + ";\n\n-- downgrade\n" +
            r.down_sql + ";\n";
    testutil::WriteFile(versions + "/" + r.id + "_rev.sql", text);
  }
  for (const char* step : {"upgrade b2", "upgrade heads", "downgrade b2", "downgrade base",
                           "upgrade x1"}) {
    SCOPED_TRACE(step);
    EXPECT_EQ(Alembic(step).exit_code, 0);
    auto ours = Sqlmend(step);
    EXPECT_EQ(ours.exit_code, 0) << ours.out << ours.err;
    ExpectSameDatabase();
  }
  // Heads come in directory order, which differs between the two folders.
  EXPECT_EQ(SortedLines(Sqlmend("history").out), SortedLines(Alembic("history").out));
}

}  // namespace
}  // namespace sqlmend
