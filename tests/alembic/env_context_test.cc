// EnvContext: env.py files as projects write them, run against the modelled
// alembic.context: what configure() records, online and offline branches,
// connect listeners and their SQL, the Config methods (checked against
// Alembic itself) and the refusals.
#include "alembic/env_context.h"

#include <gtest/gtest.h>

#include "env_harness.h"

namespace sqlmend::alembic {
namespace {

ProjectContext ContextWith(const std::string& url, bool offline = false) {
  ProjectContext context;
  context.config_file_name = "alembic.ini";
  context.sections = {{"alembic", {{"script_location", "migrations"}, {"sqlalchemy.url", url}}}};
  context.offline = offline;
  return context;
}

TEST(EnvContextTest, GenericTemplateOnline) {
  EnvHarness h(ContextWith("sqlite:///app.db"));
  auto ran = h.Run(testutil::ReadFile(kGenericTemplate));
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EnvOutcome outcome = h.env().outcome();
  EXPECT_EQ(h.env().configure_calls(), 1);
  EXPECT_TRUE(outcome.ran_migrations);
  EXPECT_EQ(outcome.version_table, "alembic_version");
  EXPECT_FALSE(outcome.render_as_batch);
  EXPECT_EQ(outcome.url, "sqlite:///app.db");
  EXPECT_TRUE(outcome.connect_statements.empty());
  EXPECT_TRUE(h.env().target_metadata().IsNone());
}

TEST(EnvContextTest, GenericTemplateOffline) {
  EnvHarness h(ContextWith("sqlite:///offline.db", /*offline=*/true));
  auto ran = h.Run(testutil::ReadFile(kGenericTemplate));
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EnvOutcome outcome = h.env().outcome();
  EXPECT_TRUE(outcome.ran_migrations);
  EXPECT_EQ(outcome.url, "sqlite:///offline.db");
}

// The SQLAlchemy recipe for SQLite foreign keys, registered on the Engine
// class in a model module env.py imports, and one on the engine instance.
TEST(EnvContextTest, ConnectListenersRecordTheirSql) {
  EnvHarness h(ContextWith("sqlite:///app.db"));
  h.Write("myapp/__init__.py", "");
  h.Write("myapp/db.py",
          "from sqlalchemy import event\n"
          "from sqlalchemy.engine import Engine\n"
          "@event.listens_for(Engine, 'connect')\n"
          "def _set_sqlite_pragma(dbapi_connection, connection_record):\n"
          "    cursor = dbapi_connection.cursor()\n"
          "    cursor.execute('PRAGMA foreign_keys=ON')\n"
          "    cursor.close()\n");
  auto ran = h.Run(
      "from alembic import context\n"
      "from sqlalchemy import engine_from_config, pool, event\n"
      "import myapp.db\n"
      "config = context.config\n"
      "connectable = engine_from_config(config.get_section(config.config_ini_section),\n"
      "                                 prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
      "def second(dbapi_connection, connection_record):\n"
      "    dbapi_connection.execute('PRAGMA busy_timeout=5000')\n"
      "event.listen(connectable, 'connect', second)\n"
      "with connectable.connect() as connection:\n"
      "    connection.exec_driver_sql('PRAGMA recursive_triggers=ON')\n"
      "    context.configure(connection=connection, target_metadata=None)\n"
      "    with context.begin_transaction():\n"
      "        context.run_migrations()\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EnvOutcome outcome = h.env().outcome();
  EXPECT_EQ(outcome.connect_statements,
            (std::vector<std::string>{"PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000",
                                      "PRAGMA recursive_triggers=ON"}));
  EXPECT_TRUE(outcome.ran_migrations);
}

TEST(EnvContextTest, BatchModeAndCustomVersionTable) {
  EnvHarness h(ContextWith("sqlite:///app.db"));
  auto ran = h.Run(
      "from alembic import context\n"
      "from sqlalchemy import create_engine\n"
      "engine = create_engine(context.config.get_main_option('sqlalchemy.url'))\n"
      "with engine.connect() as connection:\n"
      "    context.configure(connection=connection, target_metadata=None,\n"
      "                      render_as_batch=connection.dialect.name == 'sqlite',\n"
      "                      version_table='custom_version', transaction_per_migration=True,\n"
      "                      compare_type=True, include_object=lambda *a: True)\n"
      "    with context.begin_transaction():\n"
      "        context.run_migrations()\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EnvOutcome outcome = h.env().outcome();
  EXPECT_TRUE(outcome.render_as_batch);
  EXPECT_TRUE(outcome.transaction_per_migration);
  EXPECT_EQ(outcome.version_table, "custom_version");
}

TEST(EnvContextTest, ThirdPartyImportOnAnotherBranchIsFine) {
  EnvHarness h(ContextWith("sqlite:///app.db", /*offline=*/true));
  auto ran = h.Run(
      "from alembic import context\n"
      "from flask import current_app\n"
      "if context.is_offline_mode():\n"
      "    context.configure(url=context.config.get_main_option('sqlalchemy.url'))\n"
      "else:\n"
      "    context.configure(url=current_app.config['SQLALCHEMY_DATABASE_URI'])\n"
      "context.run_migrations()\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(h.env().outcome().url, "sqlite:///app.db");
}

struct RefusalCase {
  const char* source;
  const char* location;  // "line:col" in env.py
  const char* message;
};

TEST(EnvContextTest, RefusesWhatItCannotHonour) {
  const RefusalCase cases[] = {
      {"from alembic import context\nfrom sqlalchemy import create_engine\n"
       "engine = create_engine('sqlite://')\nc = engine.connect()\n"
       "context.configure(connection=c)\ncontext.run_migrations()\nc.execute('VACUUM')\n",
       "7:1",
       "unsupported: SQL executed on env.py's connection after context.run_migrations() (sqlmend "
       "runs the "
       "statements env.py executes before migrating, and only those)"},
      {"from sqlalchemy import event\nfrom sqlalchemy.engine import Engine\n"
       "@event.listens_for(Engine, 'begin')\ndef f(conn):\n    pass\n",
       "4:1",
       "unsupported: listening for the engine event 'begin' (sqlmend runs \"connect\" and "
       "\"first_connect\" listeners only)"},
      {"from alembic import context\ncontext.configure(url='sqlite://')\ncontext.run_migrations()\n"
       "context.run_migrations()\n",
       "4:1",
       "unsupported: context.run_migrations() called more than once (sqlmend migrates one database "
       "per run)"},
      {"from alembic import context\ncontext.run_migrations()\n", "2:1",
       "Exception: No context has been configured yet."},
      {"from sqlalchemy import create_engine, event\ne = create_engine('sqlite://')\n"
       "def f(d, r):\n    d.cursor().execute('PRAGMA x=?', (1,))\nevent.listen(e, 'connect', "
       "f)\ne.connect()\n",
       "4:5", "unsupported: parameters to execute() in env.py"},
      {"from alembic import context\ncontext.configure(url='postgresql://', "
       "dialect_name='postgresql')\n",
       "2:1", "unsupported: configure(dialect_name='postgresql'): sqlmend migrates SQLite only"},
  };
  for (const RefusalCase& c : cases) {
    EnvHarness h(ContextWith("sqlite:///app.db"));
    auto ran = h.Run(c.source);
    ASSERT_FALSE(ran.has_value()) << c.source;
    EXPECT_EQ(ran.error().object(), h.dir().File("env.py") + ":" + c.location) << c.source;
    EXPECT_EQ(ran.error().message(), c.message) << c.source;
  }
}

// The Config and context calls env.py makes, compared with what Alembic
// 1.8.1 itself returns for the same alembic.ini and -x arguments.
TEST(EnvContextTest, ConfigMatchesAlembic) {
  const std::string script =
      "from alembic import context\n"
      "config = context.config\n"
      "out = [config.config_file_name, config.config_ini_section]\n"
      "out.append(config.get_main_option('sqlalchemy.url'))\n"
      "out.append(config.get_main_option('nope', 'dflt'))\n"
      "out.append(config.get_main_option('nope'))\n"
      "out.append(config.get_section('alembic'))\n"
      "out.append(config.get_section('missing', {'a': 'b'}))\n"
      "out.append(config.get_section_option('extra', 'key'))\n"
      "config.set_main_option('custom', '100%% of %(here)s')\n"
      "out.append(config.get_main_option('custom'))\n"
      "config.set_section_option('extra', 'ref', '%(key)s!')\n"
      "out.append(config.get_section('extra'))\n"
      "try:\n"
      "    config.set_main_option('bad', '50%')\n"
      "except ValueError as e:\n"
      "    out.append(str(e))\n"
      "try:\n"
      "    config.get_section_option('nosection', 'x')\n"
      "except Exception as e:\n"
      "    out.append(str(e))\n"
      "out.append(context.get_x_argument())\n"
      "out.append(context.get_x_argument(as_dictionary=True))\n"
      "out.append(config.cmd_opts.x)\n"
      "out.append(context.is_offline_mode())\n"
      "config.attributes['k'] = 1\n"
      "out.append(context.config.attributes)\n"
      "print(repr(out))\n";
  testutil::TempDir project;
  testutil::WriteFile(
      project.File("alembic.ini"),
      "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///%(here)s/app.db\n"
      "\n[extra]\nkey = value\n");
  std::filesystem::create_directories(project.File("migrations/versions"));
  testutil::WriteFile(project.File("migrations/env.py"), script);
  auto oracle =
      testutil::RunCommand("cd " + testutil::ShellQuote(project.path()) +
                           " && PYTHONHASHSEED=0 /usr/bin/python3 /usr/bin/alembic -x a=1 -x b=2=3 "
                           "upgrade head 2>&1");
  ASSERT_EQ(oracle.exit_code, 0) << oracle.out;
  std::string expected = oracle.out.substr(0, oracle.out.find('\n'));

  ProjectContext context;
  context.config_file_name = "alembic.ini";
  context.sections = {{"DEFAULT", {{"here", project.path()}}},
                      {"alembic",
                       {{"script_location", "migrations"},
                        {"sqlalchemy.url", "sqlite:///" + project.path() + "/app.db"}}},
                      {"extra", {{"key", "value"}}}};
  context.x_arguments = {"a=1", "b=2=3"};
  EnvHarness h(context);
  auto ran = h.Run(script);
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  ASSERT_FALSE(h.log().empty());
  EXPECT_EQ(h.log().back(), "print: " + expected);
}

}  // namespace
}  // namespace sqlmend::alembic
