// ReadEnvSettings: the literal keywords of context.configure() calls in
// env.py, Alembic's defaults when absent, and Notes (not errors) for what
// cannot be read statically.
#include "alembic/env_py.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::alembic {
namespace {

// Alembic's generic template env.py (1.8.1), with {online} spliced into the
// online call's keyword arguments and {offline} into the offline call's.
std::string GenericEnvPy(const std::string& offline, const std::string& online) {
  return R"PY(from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
target_metadata = None


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode.
    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},)PY" +
         offline + R"PY(
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode.
    """
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata)PY" +
         online + R"PY(
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
)PY";
}

// "table schema batch transaction | line:col keyword: message ..."
std::string Dump(const EnvSettings& s) {
  std::string out = s.version_table + " " + s.version_table_schema.value_or("None") + " " +
                    (s.render_as_batch ? "True" : "False") + " " +
                    (s.transaction_per_migration ? "True" : "False");
  for (const EnvSettings::Note& note : s.notes) {
    out += " | " + std::to_string(note.location.line) + ":" + std::to_string(note.location.column) +
           " " + note.keyword + ": " + note.message;
  }
  return out;
}

struct EnvCase {
  std::string offline;  // keyword arguments added to the offline call
  std::string online;   // ... and to the online call
  std::string expected;
};

TEST(EnvPyTest, ReadsLiteralKeywordsOfTheGenericTemplate) {
  const std::vector<EnvCase> cases = {
      {"", "", "alembic_version None False False"},
      {"\n        version_table=\"my_version\",", ",\n            version_table='my_version'",
       "my_version None False False"},
      {"",
       ",\n            version_table='v', version_table_schema='main',\n"
       "            render_as_batch=True, transaction_per_migration=True",
       "v main True True"},
      {"\n        version_table_schema=None,", "", "alembic_version None False False"},
      // Not literals: the setting keeps its default, and a Note says why.
      {"", ",\n            version_table=config.get_main_option('version_table')",
       "alembic_version None False False | 51:27 version_table: version_table is not a literal "
       "value: config.get_main_option('version_table') (sqlmend reads Python files without "
       "running them)"},
      {"", ",\n            render_as_batch='yes'",
       "alembic_version None False False | 51:29 render_as_batch: render_as_batch='yes' has an "
       "unexpected kind: a string"},
      {"\n        version_table='a',", ",\n            version_table='b'",
       "alembic_version None False False | 52:27 version_table: version_table has different "
       "values in different context.configure() calls; the default is kept"},
      {"", ",\n            **extra_options",
       "alembic_version None False False | 51:13 : **extra_options may set any "
       "context.configure() keyword; it is not read"},
  };
  for (const EnvCase& c : cases) {
    const std::string source = GenericEnvPy(c.offline, c.online);
    auto settings = ReadEnvSettings(source, "migrations/env.py");
    ASSERT_TRUE(settings.has_value()) << "input:\n" << source << settings.error().ToString();
    EXPECT_EQ(settings->configure_calls, 2) << "input:\n" << source;
    EXPECT_EQ(Dump(*settings), c.expected) << "input:\n" << source;
  }
}

TEST(EnvPyTest, ReadsTheInstalledAlembicTemplate) {
  const std::string path = "/usr/lib/python3/dist-packages/alembic/templates/generic/env.py";
  if (testutil::RunCommand("test -f " + path).exit_code != 0) GTEST_SKIP() << "no " << path;
  auto settings = ReadEnvSettings(testutil::ReadFile(path), path);
  ASSERT_TRUE(settings.has_value()) << settings.error().ToString();
  EXPECT_EQ(settings->configure_calls, 2);
  EXPECT_EQ(Dump(*settings), "alembic_version None False False");
}

TEST(EnvPyTest, FailsOnlyOnSyntaxErrors) {
  auto settings = ReadEnvSettings("context.configure(version_table='x'\n", "env.py");
  ASSERT_FALSE(settings.has_value());
  EXPECT_EQ(settings.error().code(), base::Code::kUnusableInput);
  EXPECT_EQ(settings.error().object().substr(0, 7), "env.py:");

  auto none = ReadEnvSettings("print('no configure here')\n", "env.py");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->configure_calls, 0);
  EXPECT_EQ(Dump(*none), "alembic_version None False False");
}

}  // namespace
}  // namespace sqlmend::alembic
