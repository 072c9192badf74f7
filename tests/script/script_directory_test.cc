// ScriptDirectory::Load and the bodies of revisions, over real files.
#include "script/script_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::script {
namespace {

using testutil::TempDir;
using testutil::WriteFile;

// A .py revision as Alembic 1.8.1's generic template writes it.
std::string PyRevision(const std::string& id, const std::string& down,
                       const std::string& upgrade_body = "pass",
                       const std::string& extra_header = "") {
  return "\"\"\"add " + id + "\n\nRevision ID: " + id + "\nRevises: " + down +
         "\nCreate Date: 2024-01-02 03:04:05.678901\n\n\"\"\"\nfrom alembic import op\n"
         "import sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\n"
         "revision = '" + id + "'\ndown_revision = " + (down.empty() ? "None" : "'" + down + "'") +
         "\nbranch_labels = None\ndepends_on = None\n" + extra_header +
         "\n\ndef upgrade() -> None:\n    " + upgrade_body +
         "\n\n\ndef downgrade() -> None:\n    pass\n";
}

class ScriptDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(dir_.File("migrations").c_str(), 0755);
    ::mkdir(dir_.File("migrations/versions").c_str(), 0755);
    WriteIni("");
  }
  void WriteIni(const std::string& extra) {
    WriteFile(dir_.File("alembic.ini"),
              "[alembic]\nscript_location = %(here)s/migrations\n" + extra);
  }
  base::Result<ScriptDirectory> Load(bool runs_env = false) {
    config::ConfigArgs args;
    args.config_paths = {dir_.File("alembic.ini")};
    config::Environment env;
    env.cwd = dir_.path();
    auto config = config::LoadConfig(args, env);
    if (!config) return base::Fail(config.error());
    return ScriptDirectory::Load(*config, runs_env);
  }
  std::string Versions(const std::string& name) { return dir_.File("migrations/versions/" + name); }

  TempDir dir_;
};

TEST_F(ScriptDirectoryTest, LoadsPythonAndSqlRevisions) {
  WriteFile(Versions("aaa_first.py"), PyRevision("aaa", ""));
  WriteFile(Versions("bbb_second.sql"),
            "-- revision: bbb\n-- down_revision: aaa\n-- message: second one\n"
            "-- create_date: 2024-02-03 04:05:06.000001\n\n-- upgrade\nCREATE TABLE t (x);\n\n"
            "-- downgrade\nDROP TABLE t;\n");
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  EXPECT_EQ(scripts->map().heads(), std::vector<std::string>{"bbb"});
  EXPECT_EQ(scripts->map().Find("aaa")->doc, "add aaa");
  EXPECT_EQ(scripts->map().Find("bbb")->doc, "second one");
  const Script* a = scripts->Find("aaa");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, Script::Kind::kPython);
  EXPECT_EQ(a->path, Versions("aaa_first.py"));
  EXPECT_EQ(a->create_date, "2024-01-02 03:04:05.678901");
  const Script* b = scripts->Find("bbb");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->kind, Script::Kind::kSql);
  EXPECT_EQ(b->create_date, "2024-02-03 04:05:06.000001");
  EXPECT_EQ(scripts->Find("ccc"), nullptr);
  EXPECT_EQ(scripts->env().version_table, "alembic_version");
}

// For a command that runs env.py, the project modules env.py imports (and
// what they import) are parsed with the revisions; a syntax error in one is
// left for the import to report.
TEST_F(ScriptDirectoryTest, ParsesWhatEnvPyImportsForCommandsThatRunIt) {
  WriteIni("prepend_sys_path = .\n");
  WriteFile(Versions("aaa_first.py"), PyRevision("aaa", ""));
  WriteFile(dir_.File("migrations/env.py"), "from alembic import context\nimport app.models\n");
  ::mkdir(dir_.File("app").c_str(), 0755);
  WriteFile(dir_.File("app/__init__.py"), "from . import settings\n");
  WriteFile(dir_.File("app/settings.py"), "URL = 'sqlite://'\n");
  WriteFile(dir_.File("app/models.py"), "from app.broken import x\nimport os\n");
  WriteFile(dir_.File("app/broken.py"), "def (:\n");
  auto plain = Load();
  ASSERT_TRUE(plain) << plain.error().ToString();
  EXPECT_TRUE(plain->prefetched().empty());
  auto scripts = Load(/*runs_env=*/true);
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  std::set<std::string> parsed;
  for (const auto& module : scripts->prefetched()) parsed.insert(module->path());
  EXPECT_EQ(parsed, (std::set<std::string>{dir_.File("app/__init__.py"), dir_.File("app/models.py"),
                                           dir_.File("app/settings.py")}));
}

TEST_F(ScriptDirectoryTest, SkipsWhatAlembicSkips) {
  WriteFile(Versions("aaa.py"), PyRevision("aaa", ""));
  // Not revision files for Alembic 1.8.1: editor locks and backups, package
  // markers, compiled files, other extensions.
  for (const char* name : {".#aaa.py", "__init__.py", "__init__x.py", "aaa.py~", "#aaa.py#",
                           "aaa.pyc", "notes.txt", ".hidden.sql"}) {
    WriteFile(Versions(name), "this is not python (");
  }
  ::mkdir(Versions("__pycache__").c_str(), 0755);
  ::mkdir(Versions("sub.py").c_str(), 0755);
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  EXPECT_EQ(scripts->map().revisions().size(), 1u);
}

TEST_F(ScriptDirectoryTest, LoadsDotFilesAsAlembicDoes) {
  WriteFile(Versions(".aaa.py"), PyRevision("aaa", ""));
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  EXPECT_NE(scripts->Find("aaa"), nullptr);
}

TEST_F(ScriptDirectoryTest, RecursiveVersionLocations) {
  ::mkdir(Versions("sub").c_str(), 0755);
  WriteFile(Versions("aaa.py"), PyRevision("aaa", ""));
  WriteFile(Versions("sub/bbb.py"), PyRevision("bbb", "aaa"));
  auto flat = Load();
  ASSERT_TRUE(flat) << flat.error().ToString();
  EXPECT_EQ(flat->map().revisions().size(), 1u);
  WriteIni("recursive_version_locations = true\n");
  auto deep = Load();
  ASSERT_TRUE(deep) << deep.error().ToString();
  EXPECT_EQ(deep->map().heads(), std::vector<std::string>{"bbb"});
}

TEST_F(ScriptDirectoryTest, MissingScriptLocationUsesAlembicsSentence) {
  WriteIni("");
  WriteFile(dir_.File("alembic.ini"), "[alembic]\nscript_location = %(here)s/nowhere\n");
  auto scripts = Load();
  ASSERT_FALSE(scripts);
  EXPECT_EQ(scripts.error().code(), base::Code::kUsage);
  EXPECT_EQ(scripts.error().message(),
            "Path doesn't exist: '" + dir_.File("nowhere") +
                "'.  Please use the 'init' command to create a new scripts folder.");
}

TEST_F(ScriptDirectoryTest, MissingParentIsAUsageError) {
  WriteFile(Versions("bbb.py"), PyRevision("bbb", "aaa"));
  auto scripts = Load();
  ASSERT_FALSE(scripts);
  EXPECT_EQ(scripts.error().code(), base::Code::kUsage);
  EXPECT_NE(scripts.error().message().find("aaa"), std::string::npos)
      << scripts.error().message();
}

// Over kMaxRevisionFiles files the load stops with one error naming the
// folder and the count, before reading them (empty files would each be an
// error).
TEST_F(ScriptDirectoryTest, RefusesMoreRevisionFilesThanTheLimit) {
  for (size_t i = 0; i <= ScriptDirectory::kMaxRevisionFiles; ++i) {
    WriteFile(Versions("r" + std::to_string(i) + ".sql"), "");
  }
  auto scripts = Load();
  ASSERT_FALSE(scripts);
  EXPECT_EQ(scripts.error().code(), base::Code::kUnusableInput);
  EXPECT_NE(scripts.error().message().find(std::to_string(ScriptDirectory::kMaxRevisionFiles + 1) +
                                           " revision files"),
            std::string::npos)
      << scripts.error().message();
  EXPECT_EQ(scripts.error().object(), dir_.File("migrations"));
}

TEST_F(ScriptDirectoryTest, HeadsFollowDirectoryOrder) {
  WriteFile(Versions("base.py"), PyRevision("aaa", ""));
  for (const char* id : {"b1", "b2", "b3", "b4", "b5"}) {
    WriteFile(Versions(std::string(id) + ".py"), PyRevision(id, "aaa"));
  }
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  // Alembic lists heads in os.listdir order; compare with Python's.
  auto listed = testutil::RunCommand(
      "python3 -c 'import os,sys; print(\" \".join(f[:-3] for f in os.listdir(sys.argv[1]) "
      "if f != \"base.py\"))' " + testutil::ShellQuote(dir_.File("migrations/versions")));
  std::string heads;
  for (const auto& head : scripts->map().heads()) heads += (heads.empty() ? "" : " ") + head;
  EXPECT_EQ(heads + "\n", listed.out);
}

TEST_F(ScriptDirectoryTest, UpgradeAndDowngradeSqlOfPythonRevision) {
  WriteFile(Versions("aaa.py"),
            PyRevision("aaa", "", "op.execute(\"CREATE TABLE t (x)\")\n    op.execute('CREATE INDEX i ON t (x)')"));
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  auto up = scripts->UpgradeSql("aaa");
  ASSERT_TRUE(up) << up.error().ToString();
  ASSERT_EQ(up->size(), 2u);
  EXPECT_EQ((*up)[0].sql, "CREATE TABLE t (x)");
  EXPECT_EQ((*up)[0].file, Versions("aaa.py"));
  EXPECT_EQ((*up)[0].line, 20);
  EXPECT_EQ((*up)[1].sql, "CREATE INDEX i ON t (x)");
  EXPECT_EQ((*up)[1].line, 21);
  auto down = scripts->DowngradeSql("aaa");
  ASSERT_TRUE(down) << down.error().ToString();
  EXPECT_TRUE(down->empty());
  EXPECT_FALSE(scripts->UpgradeSql("zzz"));
}

TEST_F(ScriptDirectoryTest, RefusesBodyThatIsNotOnlyExecute) {
  WriteFile(Versions("aaa.py"), PyRevision("aaa", "", "op.create_table('t')"));
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  auto up = scripts->UpgradeSql("aaa");
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().object(), Versions("aaa.py") + ":20:5");
}

TEST_F(ScriptDirectoryTest, UpgradeAndDowngradeSqlOfSqlRevision) {
  WriteFile(Versions("aaa.sql"),
            "-- revision: aaa\n-- down_revision:\n\n-- upgrade\nCREATE TABLE t (x);\n"
            "CREATE INDEX i ON t (x);\n\n-- downgrade\n\n");
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  auto up = scripts->UpgradeSql("aaa");
  ASSERT_TRUE(up) << up.error().ToString();
  ASSERT_EQ(up->size(), 1u);
  EXPECT_EQ((*up)[0].sql, "CREATE TABLE t (x);\nCREATE INDEX i ON t (x);\n\n");
  EXPECT_EQ((*up)[0].line, 5);
  auto down = scripts->DowngradeSql("aaa");
  ASSERT_TRUE(down) << down.error().ToString();
  EXPECT_TRUE(down->empty());
}

TEST_F(ScriptDirectoryTest, ReadsEnvPySettings) {
  WriteFile(dir_.File("migrations/env.py"),
            "from alembic import context\ncontext.configure(version_table='my_versions')\n");
  auto scripts = Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  EXPECT_EQ(scripts->env().version_table, "my_versions");
  EXPECT_TRUE(scripts->env_status().ok());
  WriteFile(dir_.File("migrations/env.py"), "def (:\n");
  auto broken = Load();
  ASSERT_TRUE(broken) << broken.error().ToString();
  EXPECT_FALSE(broken->env_status().ok());
  EXPECT_EQ(broken->env().version_table, "alembic_version");
}

}  // namespace
}  // namespace sqlmend::script
