// Project: env.py, the project's model modules and revision files in one
// interpreter with the modelled SQLAlchemy and Alembic: what RunEnv()
// reports (target_metadata's naming convention, checked against SQLAlchemy
// itself) and what RevisionOperations() records, with its errors.
#include "alembic/project.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>

#include "env_harness.h"
#include "testutil/testutil.h"

namespace sqlmend::alembic {
namespace {

class ProjectTest : public ::testing::Test {
 protected:
  void Write(const std::string& relative, const std::string& text) {
    std::filesystem::path path = dir_.File(relative);
    std::filesystem::create_directories(path.parent_path());
    testutil::WriteFile(path.string(), text);
  }
  ProjectContext Context(bool offline = false) {
    ProjectContext context;
    context.config_file_name = dir_.File("alembic.ini");
    context.sections = {
        {"alembic", {{"script_location", "migrations"}, {"sqlalchemy.url", "sqlite:///app.db"}}}};
    context.sys_path = {dir_.path()};
    context.offline = offline;
    return context;
  }
  std::string File(const std::string& relative) const { return dir_.File(relative); }

  testutil::TempDir dir_;
};

constexpr const char* kAccountRevision =
    "\"\"\"add account\n\nRevision ID: 1a2b\nRevises:\n\"\"\"\n"
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    "revision = '1a2b'\n"
    "down_revision = None\n"
    "def upgrade():\n"
    "    op.create_table('account', sa.Column('id', sa.Integer, primary_key=True))\n"
    "    op.create_index(op.f('ix_account_id'), 'account', ['id'])\n"
    "def downgrade():\n"
    "    op.drop_table('account')\n";

TEST_F(ProjectTest, GenericTemplateThenRevisionBodies) {
  Write("migrations/env.py", testutil::ReadFile(kGenericTemplate));
  Write("migrations/versions/1a2b_add_account.py", kAccountRevision);
  Project project(Context());
  auto outcome = project.RunEnv(File("migrations/env.py"));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
  EXPECT_TRUE(outcome->ran_migrations);
  EXPECT_FALSE(outcome->has_target_metadata);

  auto upgrade =
      project.RevisionOperations(File("migrations/versions/1a2b_add_account.py"), "upgrade");
  ASSERT_TRUE(upgrade.has_value()) << upgrade.error().ToString();
  ASSERT_EQ(upgrade->operations.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ops::CreateTable>(upgrade->operations[0]));
  EXPECT_EQ(upgrade->locations[0].line, 11);
  EXPECT_EQ(upgrade->locations[1].line, 12);
  // The log starts afresh for each body; the module ran once.
  auto downgrade =
      project.RevisionOperations(File("migrations/versions/1a2b_add_account.py"), "downgrade");
  ASSERT_TRUE(downgrade.has_value()) << downgrade.error().ToString();
  ASSERT_EQ(downgrade->operations.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ops::DropTable>(downgrade->operations[0]));
}

// The common project layout: env.py imports the declarative Base from the
// application through prepend_sys_path, a naming convention on its MetaData,
// and a connect listener in the model module turning foreign keys on.
TEST_F(ProjectTest, TargetMetadataFromTheApplication) {
  const std::string models =
      "from sqlalchemy import MetaData, Column, Integer, String, event\n"
      "from sqlalchemy.engine import Engine\n"
      "from sqlalchemy.orm import declarative_base\n"
      "convention = {\n"
      "    'ix': 'ix_%(column_0_label)s',\n"
      "    'uq': 'uq_%(table_name)s_%(column_0_name)s',\n"
      "    'ck': 'ck_%(table_name)s_%(constraint_name)s',\n"
      "    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',\n"
      "    'pk': 'pk_%(table_name)s',\n"
      "}\n"
      "Base = declarative_base(metadata=MetaData(naming_convention=convention))\n"
      "class User(Base):\n"
      "    __tablename__ = 'user'\n"
      "    id = Column(Integer, primary_key=True)\n"
      "    name = Column(String(50))\n"
      "@event.listens_for(Engine, 'connect')\n"
      "def _set_sqlite_pragma(dbapi_connection, connection_record):\n"
      "    cursor = dbapi_connection.cursor()\n"
      "    cursor.execute('PRAGMA foreign_keys=ON')\n"
      "    cursor.close()\n";
  Write("myapp/__init__.py", "");
  Write("myapp/models.py", models);
  std::string env = testutil::ReadFile(kGenericTemplate);
  size_t at = env.find("target_metadata = None");
  ASSERT_NE(at, std::string::npos);
  env.replace(at, 22, "from myapp.models import Base\ntarget_metadata = Base.metadata");
  Write("migrations/env.py", env);

  for (bool offline : {false, true}) {
    Project project(Context(offline));
    auto outcome = project.RunEnv(File("migrations/env.py"));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
    EXPECT_TRUE(outcome->has_target_metadata);
    EXPECT_EQ(outcome->target_metadata.naming_convention.at("pk"), "pk_%(table_name)s");
    EXPECT_EQ(outcome->target_metadata.naming_convention.at("fk"),
              "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s");
    // Offline, env.py never connects, so no listener runs (as in Alembic).
    EXPECT_EQ(
        outcome->connect_statements,
        offline ? std::vector<std::string>{} : std::vector<std::string>{"PRAGMA foreign_keys=ON"});
  }

  // SQLAlchemy agrees on the convention the model module builds.
  auto oracle = testutil::RunCommand(
      "cd " + testutil::ShellQuote(dir_.path()) +
      " && PYTHONHASHSEED=0 /usr/bin/python3 -c "
      "'from myapp.models import Base; "
      "print(sorted((k, v) for k, v in Base.metadata.naming_convention.items() "
      "if isinstance(k, str)))' 2>&1");
  ASSERT_EQ(oracle.exit_code, 0) << oracle.out;
  Project project(Context());
  auto outcome = project.RunEnv(File("migrations/env.py"));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
  std::string ours = "[";
  for (const auto& [key, value] : outcome->target_metadata.naming_convention) {
    ours += std::string(ours.size() > 1 ? ", " : "") + "('" + key + "', '" + value + "')";
  }
  EXPECT_EQ(ours + "]\n", oracle.out);
}

// Flask-AppBuilder not installed: db.Model.metadata is a placeholder, which
// env.py cannot hand Alembic as target_metadata (its naming convention names
// constraints); the run stops in env.py, naming the missing module.
// Revisions written for several databases ask the bind's engine which one
// it is: op.get_bind().engine.name, and str() of its url, which is the URL
// env.py configured (here the generic template's, from alembic.ini).
TEST_F(ProjectTest, BindEngineNamesTheDatabase) {
  Write("migrations/env.py", testutil::ReadFile(kGenericTemplate));
  Write("migrations/versions/1a2b_portable.py",
        "from alembic import op\n"
        "revision = '1a2b'\n"
        "down_revision = None\n"
        "def upgrade():\n"
        "    engine = op.get_bind().engine\n"
        "    if engine.name == 'postgresql':\n"
        "        op.execute('ALTER TYPE kind ADD VALUE x')\n"
        "        return\n"
        "    if str(engine.url).startswith('sqlite'):\n"
        "        op.execute(\"SELECT '%s', '%s'\" % (engine.url, engine.dialect.name))\n"
        "    with engine.connect() as connection:\n"
        "        connection.execute('SELECT 1')\n"
        "def downgrade():\n"
        "    pass\n");
  Project project(Context());
  auto outcome = project.RunEnv(File("migrations/env.py"));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
  auto upgrade =
      project.RevisionOperations(File("migrations/versions/1a2b_portable.py"), "upgrade");
  ASSERT_TRUE(upgrade.has_value()) << upgrade.error().ToString();
  ASSERT_EQ(upgrade->operations.size(), 2u);
  const auto* select = std::get_if<ops::Execute>(&upgrade->operations[0]);
  ASSERT_NE(select, nullptr);
  EXPECT_EQ(select->sql, "SELECT '" + outcome->url.value_or("?") + "', 'sqlite'");
  EXPECT_EQ(outcome->url.value_or(""), "sqlite:///app.db");
}

// Flask-Migrate's env.py hands Alembic the running application's metadata;
// revisions run without it, and a warning says what that means
// (AlembicCliTest.FlaskMigratesEnvPyRunsOnTheConfiguredUrl: autogenerate,
// which needs it, stops).
TEST_F(ProjectTest, PlaceholderTargetMetadataIsAWarning) {
  std::string env = testutil::ReadFile(kGenericTemplate);
  size_t at = env.find("target_metadata = None");
  ASSERT_NE(at, std::string::npos);
  env.replace(at, 22,
              "from flask_appbuilder import SQLA\ndb = SQLA()\n"
              "target_metadata = db.Model.metadata");
  Write("migrations/env.py", env);
  WarningCapture warnings;
  Project project(Context());
  auto outcome = project.RunEnv(File("migrations/env.py"));
  ASSERT_TRUE(outcome.has_value()) << outcome.error().ToString();
  EXPECT_FALSE(outcome->has_target_metadata);
  EXPECT_NE(warnings.text().find(File("migrations/env.py") +
                                 ": flask_appbuilder.SQLA().Model.metadata (module "
                                 "'flask_appbuilder' is not installed) is target_metadata: the "
                                 "revisions run without it"),
            std::string::npos)
      << warnings.text();
}

TEST_F(ProjectTest, Errors) {
  Write("migrations/env.py", testutil::ReadFile(kGenericTemplate));
  Write("migrations/versions/bad_syntax.py", "from alembic import op\ndef upgrade(:\n    pass\n");
  Write("migrations/versions/raises.py",
        "from alembic import op\ndef upgrade():\n    raise ValueError('not today')\n");
  Write("migrations/versions/flask.py",
        "from alembic import op\nfrom flask import current_app\ndef upgrade():\n    "
        "current_app.logger.info('x')\n    current_app.config.update({'A': 1})\n"
        "    with current_app.app_context():\n        op.drop_table('t')\n");
  Write("migrations/versions/placeholder_value.py",
        "from alembic import op\nimport sqlalchemy as sa\nimport cert_utils\n"
        "t = sa.table('t', sa.column('x', sa.String))\n"
        "def upgrade():\n    try:\n"
        "        op.bulk_insert(t, [{'x': cert_utils.hash_password('pw')}])\n"
        "    except TypeError:\n        op.execute('SELECT 1')\n");
  Write("migrations/versions/flask_orm.py",
        "from alembic import op\nimport sqlalchemy as sa\n"
        "from sqlalchemy.orm import declarative_base\n"
        "from flask_login import login_user\n"
        "Base = declarative_base()\n"
        "class User(Base):\n    __tablename__ = 'user'\n"
        "    id = sa.Column(sa.Integer, primary_key=True)\n"
        "    password = sa.Column(sa.String)\n"
        "def upgrade():\n    login_user({'id': 1})\n"
        "    login_user(User(id=1, password='x'))\n");
  Write("migrations/versions/flask_bind.py",
        "from alembic import op\nfrom flask import current_app\ndef upgrade():\n    "
        "current_app.extensions['db'].fill(rows=[1, 2], into=[op.get_bind()])\n");
  Write("migrations/versions/placeholder_text.py",
        "from alembic import op\nimport cert_utils\nLABEL = f'{cert_utils.NAME}'\n"
        "def upgrade():\n    op.execute(f\"UPDATE t SET x = '{cert_utils.VALUE}'\")\n");
  Write("env_syntax.py", "from alembic import context\nif True\n    pass\n");
  Project project(Context());

  auto env_syntax = project.RunEnv(File("env_syntax.py"));
  ASSERT_FALSE(env_syntax.has_value());
  EXPECT_EQ(env_syntax.error().code(), base::Code::kUnusableInput);
  EXPECT_TRUE(env_syntax.error().object().starts_with(File("env_syntax.py") + ":2:"))
      << env_syntax.error().ToString();

  auto syntax = project.RevisionOperations(File("migrations/versions/bad_syntax.py"), "upgrade");
  ASSERT_FALSE(syntax.has_value());
  EXPECT_EQ(syntax.error().code(), base::Code::kUnusableInput);

  auto raises = project.RevisionOperations(File("migrations/versions/raises.py"), "upgrade");
  ASSERT_FALSE(raises.has_value());
  EXPECT_EQ(raises.error().code(), base::Code::kRefused);
  EXPECT_EQ(raises.error().object(), File("migrations/versions/raises.py") + ":3:5");
  EXPECT_EQ(raises.error().message(), "ValueError: not today");

  // flask is not installed: a placeholder, whose calls pass inside a body
  // (doing nothing)...
  auto flask = project.RevisionOperations(File("migrations/versions/flask.py"), "upgrade");
  ASSERT_TRUE(flask.has_value()) << flask.error().ToString();
  ASSERT_EQ(flask->operations.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ops::DropTable>(flask->operations[0]));
  // upgrade() of revision `name` stops at `where` (line:col) with `message`.
  auto expect_stop = [&](const std::string& name, const std::string& where,
                         const std::string& message) {
    SCOPED_TRACE(name);
    const std::string path = File("migrations/versions/" + name);
    auto outcome = project.RevisionOperations(path, "upgrade");
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().object(), path + ":" + where);
    EXPECT_EQ(outcome.error().message(), message);
  };
  // ...unless handed something that reaches the database.
  expect_stop("flask_bind.py", "4:5",
              "unsupported: calling flask.current_app.extensions[...].fill (module 'flask' is "
              "modelled by sqlmend only in part, and no application context is pushed (sqlmend "
              "does not start the Flask application)) inside upgrade() with a Connection: what "
              "the call would do to the database is unknown");
  // An ORM object is written back by a flush: what the call does to it
  // counts.
  expect_stop("flask_orm.py", "12:5",
              "unsupported: calling flask_login.login_user (module 'flask_login' is not "
              "installed) inside upgrade() with a User: what the call would do to the database "
              "is unknown");
  // Text of a placeholder passes at module level, and stops inside a body,
  // where it would be written to the database.
  expect_stop("placeholder_text.py", "5:36",
              "unsupported: the text of cert_utils.VALUE (module 'cert_utils' is not installed) "
              "inside upgrade(): it would be written where its value is unknown");
  // A placeholder written as a value stops, naming it; the script cannot
  // catch that.
  expect_stop("placeholder_value.py", "7:9",
              "unsupported: a value written to the database is cert_utils.hash_password() "
              "(module 'cert_utils' is not installed)");

  auto missing = project.RevisionOperations(File("migrations/versions/raises.py"), "nothere");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(),
            "AttributeError: module 'raises_py' has no attribute 'nothere'");
}

}  // namespace
}  // namespace sqlmend::alembic
