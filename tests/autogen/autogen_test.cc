// Autogenerate against Alembic 1.8.1, run in the test.
//
// Each fixtures/autogen/<case> (models.py and the database's schema.sql) is
// a project with Alembic's generic env.py. `sqlmend check --json` must list
// the operations Alembic's compare_metadata() finds (tests/autogen/
// oracle_compare.py), as a multiset, except where the case's
// deviations.json says sqlmend is meant to differ. Then the round trip,
// with render_as_batch: `revision --autogenerate`, `upgrade head`, `check`
// clean and a second autogenerate empty, while Debian's alembic upgrading
// a copy with the same generated file leaves the same schema. Last, the
// everyday flow on a src/ layout project (fixtures/autogen_project).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

namespace fs = std::filesystem;
using testutil::RunCommand;
using testutil::RunResult;
using testutil::ShellQuote;

const std::string kCases = std::string(SQLMEND_FIXTURES) + "/autogen";

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Alembic's generic env.py (online part), with `keywords` added to
// configure().
std::string EnvPy(const std::string& keywords) {
  return "from sqlalchemy import engine_from_config, pool\n"
         "from alembic import context\n"
         "from models import target_metadata\n"
         "config = context.config\n"
         "connectable = engine_from_config(config.get_section(config.config_ini_section, {}),\n"
         "                                 prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
         "with connectable.connect() as connection:\n"
         "    context.configure(connection=connection, target_metadata=target_metadata" +
         keywords +
         ")\n"
         "    with context.begin_transaction():\n"
         "        context.run_migrations()\n";
}

// A project for `name` in `root`: alembic.ini, migrations/ (env.py,
// Alembic's script.py.mako, versions/), models.py and app.db built from
// schema.sql.
void MakeProject(const std::string& root, const std::string& name, const std::string& keywords) {
  fs::create_directories(root + "/migrations/versions");
  testutil::WriteFile(root + "/alembic.ini",
                      "[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\n"
                      "sqlalchemy.url = sqlite:///%(here)s/app.db\n");
  testutil::WriteFile(root + "/migrations/env.py", EnvPy(keywords));
  testutil::WriteFile(root + "/migrations/script.py.mako",
                      testutil::ReadFixture("autogen_project/alembic/script.py.mako"));
  testutil::WriteFile(root + "/models.py", testutil::ReadFixture("autogen/" + name + "/models.py"));
  const std::string schema = testutil::ReadFixture("autogen/" + name + "/schema.sql");
  testutil::ExecSql(root + "/app.db", schema.empty() ? "PRAGMA user_version = 0;" : schema);
}

// Puts `code` (a hook's definition) into the project's env.py before its
// engine is made.
void DefineInEnv(const std::string& root, const std::string& code) {
  std::string env = testutil::ReadFile(root + "/migrations/env.py");
  env.replace(env.find("connectable ="), 0, code);
  testutil::WriteFile(root + "/migrations/env.py", env);
}

// Appends `code` (model classes) to the project's models.py.
void AddToModels(const std::string& root, const std::string& code) {
  testutil::WriteFile(root + "/models.py", testutil::ReadFile(root + "/models.py") + code);
}

RunResult Sqlmend(const std::string& root, const std::string& args) {
  return RunCommand("cd " + ShellQuote(root) + " && env -u PYTHONPATH -u VIRTUAL_ENV " +
                    ShellQuote(SQLMEND_BIN) + " " + args);
}

// `check --json` with the models read `models` ("native" or "python", in
// Debian's python3).
RunResult CheckJson(const std::string& root, const std::string& models) {
  return Sqlmend(root, "check --json --models " + models + " --python " + testutil::kPython);
}

RunResult Alembic(const std::string& root, const std::string& args) {
  return RunCommand("cd " + ShellQuote(root) +
                    " && PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 /usr/bin/alembic " + args);
}

// Each item as sorted-key JSON text, sorted: a multiset.
std::vector<std::string> Items(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.dump());
  std::sort(out.begin(), out.end());
  return out;
}

std::string Show(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "  " + i + "\n";
  return out;
}

// The schema, each statement's lines sorted without their commas: a batch
// rebuild writes a table's constraints in the order of a Python set
// (SQLAlchemy's Table.constraints), which changes from run to run under
// Alembic, so only which columns and constraints a table has is compared.
std::vector<std::string> SchemaOf(const std::string& db) {
  std::vector<std::string> out;
  for (const std::string& row : testutil::Query(db, "SELECT type, name, tbl_name, sql FROM "
                                                    "sqlite_master WHERE name <> "
                                                    "'alembic_version' ORDER BY type, name")) {
    std::vector<std::string> lines;
    std::istringstream in(row);
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == ' ' || line.back() == ',')) line.pop_back();
      lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    std::string joined;
    for (const auto& line : lines) joined += line + "\n";
    out.push_back(joined);
  }
  return out;
}

class AutogenCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AutogenCaseTest, CheckListsAlembicsOperations) {
  const std::string name = GetParam();
  nlohmann::json deviations = nlohmann::json::object();
  if (fs::exists(kCases + "/" + name + "/deviations.json")) {
    deviations = nlohmann::json::parse(testutil::ReadFixture("autogen/" + name + "/deviations.json"));
  }
  for (const std::string mode : {"plain", "server_default"}) {
    SCOPED_TRACE(name + " (" + mode + ")");
    testutil::TempDir dir;
    const std::string root = dir.File("p");
    const bool server_default = mode == "server_default";
    MakeProject(root, name, server_default ? ", compare_server_default=True" : "");

    RunResult oracle = RunCommand(std::string(testutil::kPython) + " " +
                                  ShellQuote(std::string(SQLMEND_SOURCE_DIR) +
                                             "/tests/autogen/oracle_compare.py") +
                                  " " + ShellQuote(kCases + "/" + name) + " " +
                                  ShellQuote(root + "/app.db") +
                                  (server_default ? " --compare-server-default" : ""));
    ASSERT_EQ(oracle.exit_code, 0) << oracle.err;
    const nlohmann::json theirs = nlohmann::json::parse(oracle.out);
    const nlohmann::json& expected_change =
        deviations.contains(mode) ? deviations[mode] : nlohmann::json::object();
    if (expected_change.contains("alembic_error")) {
      ASSERT_TRUE(theirs.contains("error")) << oracle.out;
      EXPECT_EQ(theirs["error"].get<std::string>(), expected_change["alembic_error"].get<std::string>());
    } else {
      ASSERT_TRUE(theirs.contains("differences")) << oracle.out;
    }
    std::vector<std::string> expected =
        theirs.contains("differences") ? Items(theirs["differences"]) : std::vector<std::string>{};
    if (expected_change.contains("alembic_only")) {
      for (const auto& item : Items(expected_change["alembic_only"])) {
        auto found = std::find(expected.begin(), expected.end(), item);
        ASSERT_NE(found, expected.end()) << "deviations.json lists what Alembic no longer reports: "
                                         << item;
        expected.erase(found);
      }
    }
    if (expected_change.contains("sqlmend_only")) {
      for (const auto& item : Items(expected_change["sqlmend_only"])) expected.push_back(item);
    }
    std::sort(expected.begin(), expected.end());

    RunResult ours = Sqlmend(root, "check --json");
    const nlohmann::json report = nlohmann::json::parse(ours.out);
    ASSERT_TRUE(report["error"].is_null()) << ours.out << ours.err;
    const std::vector<std::string> got = Items(report["differences"]);
    EXPECT_EQ(Show(got), Show(expected));
    EXPECT_EQ(ours.exit_code, got.empty() ? 0 : 255);
    EXPECT_EQ(report["exit_code"].get<int>(), ours.exit_code);
    EXPECT_EQ(report["models"], "native");

    // The models read in Python instead (Debian's SQLAlchemy 1.4 as the
    // project's environment) give the same operations.
    RunResult python = Sqlmend(root, std::string("check --json --models python --python ") +
                                         testutil::kPython);
    const nlohmann::json python_report = nlohmann::json::parse(python.out);
    ASSERT_TRUE(python_report["error"].is_null()) << python.out << python.err;
    EXPECT_EQ(python_report["models"], "python");
    EXPECT_EQ(Show(Items(python_report["differences"])), Show(got));
    EXPECT_EQ(python.exit_code, ours.exit_code);
  }
}

// Both ways of reading the models write the same revision, byte for byte
// but its date, or refuse it with the same words.
TEST_P(AutogenCaseTest, ModelsReadInPythonWriteTheSameRevision) {
  const std::string name = GetParam();
  std::vector<std::string> bodies;
  std::vector<std::string> outputs;
  for (const std::string models : {"native", "python"}) {
    testutil::TempDir dir;
    const std::string root = dir.File("p");
    MakeProject(root, name, ", render_as_batch=True");
    RunResult generated = Sqlmend(root, "revision --autogenerate -m auto --rev-id aaaaaaaaaaaa "
                                        "--models " + models + " --python " + testutil::kPython);
    std::string said = generated.exit_code == 0 ? "" : generated.out;
    for (size_t at = said.find(root); at != std::string::npos; at = said.find(root)) {
      said.replace(at, root.size(), "ROOT");
    }
    outputs.push_back(std::to_string(generated.exit_code) + " " + said);
    std::string body;
    if (generated.exit_code == 0) {
      std::istringstream in(testutil::ReadFile(root + "/migrations/versions/aaaaaaaaaaaa_auto.py"));
      for (std::string line; std::getline(in, line);) {
        if (line.rfind("Create Date:", 0) != 0) body += line + "\n";
      }
    }
    bodies.push_back(body);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(bodies[0], bodies[1]);
}

// The cases whose revision sqlmend refuses to write in batch mode, and the
// words the refusal must hold: constraints the database or the model leave
// unnamed, which batch mode cannot create or drop, and a foreign key to a
// missing table.
const std::map<std::string, std::string> kRefused = {
    {"add_column", "has no name, and batch mode cannot create it: name it"},
    {"fk_add_remove", "the database holds it unnamed"},
    {"unique_plain", "has no name, and batch mode cannot create it: name it"},
    {"fk_missing_target", "sqlmend fix-fk"},
};

TEST_P(AutogenCaseTest, RoundTripWithAlembic) {
  const std::string name = GetParam();
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, name, ", render_as_batch=True");
  const std::string db = root + "/app.db";
  fs::copy_file(db, root + "/before.db");

  auto refused = kRefused.find(name);
  if (refused != kRefused.end()) {
    const testutil::Snapshot before = testutil::TakeSnapshot(db);
    RunResult generated = Sqlmend(root, "revision --autogenerate -m auto");
    EXPECT_EQ(generated.exit_code, 255);
    EXPECT_NE(generated.out.find("FAILED: "), std::string::npos) << generated.out;
    EXPECT_NE(generated.out.find(refused->second), std::string::npos) << generated.out;
    EXPECT_EQ(std::count(generated.out.begin(), generated.out.end(), '\n'), 1) << generated.out;
    EXPECT_TRUE(testutil::ListDir(root + "/migrations/versions").empty());
    EXPECT_TRUE(testutil::TakeSnapshot(db) == before);
    return;
  }

  RunResult generated = Sqlmend(root, "revision --autogenerate -m auto --rev-id aaaaaaaaaaaa");
  ASSERT_EQ(generated.exit_code, 0) << generated.out << generated.err;
  RunResult upgraded = Sqlmend(root, "upgrade head");
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.out << upgraded.err;
  RunResult check = Sqlmend(root, "check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out, "No new upgrade operations detected.\n");

  // Alembic runs the same file on the database as it was.
  fs::copy_file(root + "/before.db", root + "/alembic.db");
  testutil::WriteFile(root + "/alembic-copy.ini",
                      "[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\n"
                      "sqlalchemy.url = sqlite:///%(here)s/alembic.db\n");
  RunResult theirs = Alembic(root, "-c alembic-copy.ini upgrade head");
  ASSERT_EQ(theirs.exit_code, 0) << theirs.out << theirs.err;
  EXPECT_EQ(SchemaOf(db), SchemaOf(root + "/alembic.db"));

  // A second autogenerate finds nothing.
  RunResult again = Sqlmend(root, "revision --autogenerate -m again --rev-id bbbbbbbbbbbb");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  const std::string text =
      testutil::ReadFile(root + "/migrations/versions/bbbbbbbbbbbb_again.py");
  EXPECT_NE(text.find("def upgrade() -> None:\n"
                      "    # ### commands auto generated by Alembic - please adjust! ###\n"
                      "    pass\n"
                      "    # ### end Alembic commands ###\n"),
            std::string::npos)
      << text;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, AutogenCaseTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The flow the issue's projects document, line by line, on a src/ layout
// project sqlmend finds through pyproject.toml: autogenerate, upgrade head,
// check, autogenerate again (empty). Alembic, given the same models, writes
// the same operations.
TEST(AutogenFlowTest, SrcLayoutProjectAsItsUsersRunIt) {
  testutil::TempDir dir;
  const std::string root = dir.File("shop");
  fs::copy(std::string(SQLMEND_FIXTURES) + "/autogen_project", root, fs::copy_options::recursive);
  const std::string config = "-c data_development/config.ini ";

  RunResult first = Sqlmend(root, config + "revision --autogenerate -m revision_name --rev-id 111111111111");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("Generating "), std::string::npos);
  const std::string ours = testutil::ReadFile(root + "/alembic/versions/111111111111_revision_name.py");
  EXPECT_NE(ours.find("import shopapp.models.types\n"), std::string::npos) << ours;

  RunResult up = Sqlmend(root, config + "upgrade head");
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  RunResult check = Sqlmend(root, config + "check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  RunResult second = Sqlmend(root, config + "revision --autogenerate -m check --rev-id 222222222222");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  const std::string empty = testutil::ReadFile(root + "/alembic/versions/222222222222_check.py");
  EXPECT_NE(empty.find("    # ### commands auto generated by Alembic - please adjust! ###\n"
                       "    pass\n"),
            std::string::npos)
      << empty;

  // Alembic 1.8 reads no [tool.alembic]: its own ini names the same places.
  testutil::TempDir other;
  const std::string theirs_root = other.File("shop");
  fs::copy(std::string(SQLMEND_FIXTURES) + "/autogen_project", theirs_root,
           fs::copy_options::recursive);
  testutil::WriteFile(theirs_root + "/alembic-1.8.ini",
                      "[alembic]\nscript_location = %(here)s/alembic\nprepend_sys_path = src\n"
                      "sqlalchemy.url = sqlite:///%(here)s/data_development/app.db\n");
  RunResult theirs = Alembic(theirs_root, "-c alembic-1.8.ini revision --autogenerate -m revision_name --rev-id 111111111111");
  ASSERT_EQ(theirs.exit_code, 0) << theirs.out << theirs.err;
  const std::string alembic_text =
      testutil::ReadFile(theirs_root + "/alembic/versions/111111111111_revision_name.py");
  auto body = [](const std::string& text) { return text.substr(text.find("def upgrade")); };
  EXPECT_EQ(body(ours), body(alembic_text));

  // Alembic upgrades its copy with sqlmend's file: the same schema.
  fs::copy_file(root + "/alembic/versions/111111111111_revision_name.py",
                theirs_root + "/alembic/versions/111111111111_revision_name.py",
                fs::copy_options::overwrite_existing);
  RunResult applied = Alembic(theirs_root, "-c alembic-1.8.ini upgrade head");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(SchemaOf(root + "/data_development/app.db"),
            SchemaOf(theirs_root + "/data_development/app.db"));
}

// A database whose foreign key points at a table a rename-first migration
// dropped: check names it and points at fix-fk (Alembic raises
// NoSuchTableError), in text and JSON.
TEST(AutogenFlowTest, CheckReportsADanglingForeignKey) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "fk_missing_target", "");
  RunResult text = Sqlmend(root, "check");
  EXPECT_EQ(text.exit_code, 255);
  EXPECT_NE(text.out.find("dangling_fk child (unnamed) (parent_id) -> parent__old(id)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("sqlmend fix-fk"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("FAILED: New upgrade operations detected: 2"), std::string::npos)
      << text.out;
}

// An env.py that hands over no MetaData: Alembic's sentence, nothing written.
TEST(AutogenFlowTest, RefusesAnEnvWithoutTargetMetadata) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  testutil::WriteFile(root + "/models.py", "target_metadata = None\n");
  RunResult generated = Sqlmend(root, "revision --autogenerate -m auto");
  EXPECT_EQ(generated.exit_code, 255);
  EXPECT_NE(generated.out.find("FAILED: Can't proceed with --autogenerate option; environment "
                               "script "),
            std::string::npos)
      << generated.out;
  EXPECT_NE(generated.out.find("does not provide a MetaData object or sequence of objects to the "
                               "context."),
            std::string::npos)
      << generated.out;
  EXPECT_TRUE(testutil::ListDir(root + "/migrations/versions").empty());
  RunResult check = Sqlmend(root, "check --json");
  EXPECT_EQ(check.exit_code, 255);
  EXPECT_NE(check.out.find("\"error\":"), std::string::npos) << check.out;
}

// Flask-Migrate's env.py: process_revision_directives drops the revision
// when nothing changed (directives[:] = []) and may set the revision id;
// config.cmd_opts.autogenerate is true.
TEST(AutogenFlowTest, ProcessRevisionDirectivesDropsOrRenamesTheRevision) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", ", process_revision_directives=hook");
  DefineInEnv(root,
              "import logging\n"
              "def hook(context, revision, directives):\n"
              "    if getattr(config.cmd_opts, 'autogenerate', False):\n"
              "        script = directives[0]\n"
              "        if script.upgrade_ops.is_empty():\n"
              "            directives[:] = []\n"
              "            logging.getLogger('alembic.env').info('No changes in schema detected.')\n"
              "        else:\n"
              "            script.rev_id = '%04d' % (len(revision) + 41)\n");
  RunResult unchanged = Sqlmend(root, "revision --autogenerate -m nothing");
  EXPECT_EQ(unchanged.exit_code, 0) << unchanged.out << unchanged.err;
  EXPECT_EQ(unchanged.out, "");
  EXPECT_NE(unchanged.err.find("INFO  [alembic.env] No changes in schema detected."),
            std::string::npos)
      << unchanged.err;
  EXPECT_TRUE(testutil::ListDir(root + "/migrations/versions").empty());

  testutil::ExecSql(root + "/app.db", "ALTER TABLE orders ADD COLUMN extra INTEGER");
  RunResult changed = Sqlmend(root, "revision --autogenerate -m drop_extra");
  ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;
  EXPECT_EQ(testutil::ListDir(root + "/migrations/versions"),
            std::vector<std::string>{"0041_drop_extra.py"});
  EXPECT_NE(testutil::ReadFile(root + "/migrations/versions/0041_drop_extra.py")
                .find("    op.drop_column('orders', 'extra')\n"),
            std::string::npos);
}

// Without a database at the head revisions, as Alembic: nothing is compared
// or written.
TEST(AutogenFlowTest, RefusesADatabaseThatIsNotUpToDate) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  testutil::WriteFile(root + "/migrations/versions/0001_start.py",
                      "revision = '0001'\ndown_revision = None\nbranch_labels = None\n"
                      "depends_on = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n"
                      "    pass\n");
  RunResult generated = Sqlmend(root, "revision --autogenerate -m auto");
  EXPECT_EQ(generated.exit_code, 255);
  EXPECT_EQ(generated.out, "FAILED: Target database is not up to date.\n");
  EXPECT_EQ(testutil::ListDir(root + "/migrations/versions"),
            std::vector<std::string>{"0001_start.py"});
}

// A model module sqlmend's interpreter cannot read (it computes a length
// with ctypes, which only CPython has): the located error, unless the
// project keeps a virtualenv, whose Python then reads the models. The
// output says which way was taken.
TEST(AutogenFlowTest, ModelsItsInterpreterCannotReadAreReadInTheProjectsVirtualenv) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  AddToModels(root,
              "\nimport ctypes\n\nWIDTH = ctypes.sizeof(ctypes.c_int) * 16\n\n\n"
              "class Note(Base):\n    __tablename__ = 'note'\n\n"
              "    id = sa.Column(sa.Integer, primary_key=True)\n"
              "    body = sa.Column(sa.String(WIDTH))\n");
  const testutil::Snapshot before = testutil::TakeSnapshot(root + "/app.db");

  RunResult alone = Sqlmend(root, "revision --autogenerate -m note");
  EXPECT_EQ(alone.exit_code, 255);
  EXPECT_NE(alone.out.find("FAILED: " + root + "/models.py:"), std::string::npos) << alone.out;
  EXPECT_EQ(std::count(alone.out.begin(), alone.out.end(), '\n'), 1) << alone.out;
  EXPECT_TRUE(testutil::ListDir(root + "/migrations/versions").empty());

  // A virtualenv as `python -m venv --system-site-packages` leaves it.
  fs::create_directories(root + "/.venv/bin");
  fs::create_symlink(testutil::kPython, root + "/.venv/bin/python");
  testutil::WriteFile(root + "/.venv/pyvenv.cfg",
                      "home = /usr/bin\ninclude-system-site-packages = true\n");
  RunResult native = Sqlmend(root, "check --models native");
  EXPECT_EQ(native.exit_code, 255);
  EXPECT_NE(native.out.find("FAILED: " + root + "/models.py:"), std::string::npos) << native.out;

  RunResult generated = Sqlmend(root, "revision --autogenerate -m note --rev-id aaaaaaaaaaaa");
  ASSERT_EQ(generated.exit_code, 0) << generated.out << generated.err;
  EXPECT_NE(generated.err.find("sqlmend's interpreter stopped: " + root + "/models.py:"),
            std::string::npos)
      << generated.err;
  EXPECT_NE(generated.err.find("Models read by " + root + "/.venv/bin/python (SQLAlchemy "),
            std::string::npos)
      << generated.err;
  const std::string text = testutil::ReadFile(root + "/migrations/versions/aaaaaaaaaaaa_note.py");
  EXPECT_NE(text.find("    op.create_table('note',\n"
                      "    sa.Column('id', sa.Integer(), nullable=False),\n"
                      "    sa.Column('body', sa.String(length=64), nullable=True),\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(testutil::TakeSnapshot(root + "/app.db") == before);
  EXPECT_FALSE(fs::exists(root + "/__pycache__")) << "the Python way left bytecode behind";

  // sqlmend's upgrade runs env.py natively, so it stops on these models
  // too; Alembic applies the revision.
  RunResult upgraded = Alembic(root, "upgrade head");
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.out << upgraded.err;
  RunResult check = Sqlmend(root, "check --json");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(nlohmann::json::parse(check.out)["models"], "python");
}

// The Python way fails as the native one does: one line, nothing written,
// the database untouched.
TEST(AutogenFlowTest, ModelsReadInPythonFailWithOneLine) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  const testutil::Snapshot before = testutil::TakeSnapshot(root + "/app.db");
  RunResult missing = Sqlmend(root, "revision --autogenerate -m x --models python --python " +
                                        root + "/no/python");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(missing.out, "FAILED: " + root + "/no/python: cannot run: No such file or directory\n");

  RunResult none = Sqlmend(root, "check --models python");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.out.find("--models python needs a Python"), std::string::npos) << none.out;

  testutil::WriteFile(root + "/models.py", "import sqlalchemy as sa\n\nraise RuntimeError('no app')\n");
  RunResult raised = Sqlmend(root, std::string("revision --autogenerate -m x --models python "
                                               "--python ") + testutil::kPython);
  EXPECT_EQ(raised.exit_code, 255);
  EXPECT_EQ(raised.out, std::string("FAILED: ") + testutil::kPython + ": " + root +
                            "/models.py:3: RuntimeError: no app\n");
  EXPECT_TRUE(testutil::ListDir(root + "/migrations/versions").empty());
  EXPECT_TRUE(testutil::TakeSnapshot(root + "/app.db") == before);
}

// A collation is part of the type both ways (SQLAlchemy compiles it into
// the type: VARCHAR(100) COLLATE "nocase").
TEST(AutogenFlowTest, ModelsReadInPythonKeepACollation) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  AddToModels(root,
              "\n\nclass Tag(Base):\n    __tablename__ = 'tag'\n\n"
              "    name = sa.Column(sa.String(100, collation='nocase'), primary_key=True)\n");
  for (const std::string models : {"native", "python"}) {
    SCOPED_TRACE(models);
    RunResult check = CheckJson(root, models);
    const nlohmann::json report = nlohmann::json::parse(check.out);
    ASSERT_EQ(report["differences"].size(), 1u) << check.out << check.err;
    EXPECT_EQ(report["differences"][0]["table_columns"][0]["type"], "VARCHAR(100) COLLATE \"nocase\"");
  }
}

// An env.py that builds its engine from a URL of its own (no
// sqlalchemy.url in the ini) and configures with the connection: the
// Python way finds the database through the connection's engine.
TEST(AutogenFlowTest, ModelsReadInPythonFindTheDatabaseEnvPyConnectsTo) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  testutil::WriteFile(root + "/alembic.ini",
                      "[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\n");
  std::string env = testutil::ReadFile(root + "/migrations/env.py");
  env.replace(env.find("config.get_section(config.config_ini_section, {})"),
              std::string("config.get_section(config.config_ini_section, {})").size(),
              "{'sqlalchemy.url': 'sqlite:///' + os.path.join(os.path.dirname(__file__), "
              "'..', 'app.db')}");
  testutil::WriteFile(root + "/migrations/env.py", "import os\n" + env);
  testutil::ExecSql(root + "/app.db", "CREATE TABLE stray (id INTEGER PRIMARY KEY)");
  for (const std::string models : {"native", "python"}) {
    SCOPED_TRACE(models);
    RunResult check = CheckJson(root, models);
    const nlohmann::json report = nlohmann::json::parse(check.out);
    EXPECT_TRUE(report["error"].is_null()) << check.out << check.err;
    EXPECT_EQ(report["differences"].dump(), R"([{"op":"remove_table","table":"stray"}])")
        << check.err;
  }
}

// `count` model tables t0.. with an index each (the first two sharing the
// index name `shared` when it is given) and a foreign key to customer.
std::string ManyTables(int count, const std::string& shared) {
  std::string code;
  for (int i = 0; i < count; ++i) {
    const std::string t = "t" + std::to_string(i);
    const std::string index = !shared.empty() && i < 2 ? shared : "ix_" + t + "_label";
    code += "\n\nclass T" + std::to_string(i) + "(Base):\n    __tablename__ = '" + t +
            "'\n    __table_args__ = (sa.Index('" + index + "', 'label'),)\n" +
            "    id = sa.Column(sa.Integer, primary_key=True)\n" +
            "    label = sa.Column(sa.String(20))\n" +
            "    customer_id = sa.Column(sa.Integer, sa.ForeignKey('customer.id'))\n";
  }
  return code;
}

// Tables the database lacks are compared by their indexes alone: each
// added table comes with its add_index, and its columns.
TEST(AutogenFlowTest, AddedTablesComeWithTheirIndexes) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  AddToModels(root, ManyTables(48, ""));
  RunResult check = CheckJson(root, "native");
  const nlohmann::json report = nlohmann::json::parse(check.out);
  ASSERT_EQ(report["differences"].size(), 96u) << check.out << check.err;
  std::set<std::string> tables, indexes;
  for (size_t i = 0; i < 96; i += 2) {
    const nlohmann::json& add = report["differences"][i];
    const nlohmann::json& index = report["differences"][i + 1];
    ASSERT_EQ(add["op"], "add_table") << add.dump();
    EXPECT_EQ(add["table_columns"].size(), 3u) << add.dump();
    ASSERT_EQ(index["op"], "add_index") << index.dump();
    EXPECT_EQ(index["table"], add["table"]) << index.dump();
    tables.insert(add["table"].get<std::string>());
    indexes.insert(index["name"].get<std::string>());
  }
  for (int i = 0; i < 48; ++i) {
    EXPECT_TRUE(tables.count("t" + std::to_string(i))) << i;
    EXPECT_TRUE(indexes.count("ix_t" + std::to_string(i) + "_label")) << i;
  }
}

// Two model tables whose indexes take one name cannot both be created on
// SQLite: the second is refused, and nothing is written.
TEST(AutogenFlowTest, AnIndexNameTakenTwiceIsRefused) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", "");
  AddToModels(root, ManyTables(48, "ix_shared"));
  const std::string before = testutil::ReadFile(root + "/app.db");
  RunResult check = Sqlmend(root, "check");
  EXPECT_NE(check.exit_code, 0);
  EXPECT_NE(check.out.find("FAILED: the model's table 't1' cannot be created on SQLite: index "
                           "ix_shared already exists"),
            std::string::npos)
      << check.out << check.err;
  RunResult revision = Sqlmend(root, "revision --autogenerate -m dup");
  EXPECT_NE(revision.exit_code, 0);
  EXPECT_TRUE(fs::is_empty(root + "/migrations/versions"));
  EXPECT_EQ(testutil::ReadFile(root + "/app.db"), before);
}

// include_object, evaluated in Python for the database's objects and the
// models', leaves out what it rules out, as natively.
TEST(AutogenFlowTest, IncludeObjectRulesTheSameInPython) {
  testutil::TempDir dir;
  const std::string root = dir.File("p");
  MakeProject(root, "no_differences", ", include_object=skip");
  DefineInEnv(root,
              "def skip(obj, name, type_, reflected, compare_to):\n"
              "    return not (type_ == 'table' and name == 'audit_log')\n");
  testutil::ExecSql(root + "/app.db", "CREATE TABLE audit_log (id INTEGER PRIMARY KEY);"
                                      "CREATE TABLE stray (id INTEGER PRIMARY KEY)");
  for (const std::string models : {"native", "python"}) {
    SCOPED_TRACE(models);
    RunResult check = CheckJson(root, models);
    const nlohmann::json report = nlohmann::json::parse(check.out);
    EXPECT_EQ(report["differences"].dump(), R"([{"op":"remove_table","table":"stray"}])")
        << check.err;
  }
}

}  // namespace
}  // namespace sqlmend
