// WriteRevision and InitProject against the real alembic 1.8.1: the same
// commands on two copies of a project must give the same files, byte for
// byte, except the Create Date line (the clock moves between the runs).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "script/script_directory.h"
#include "testutil/testutil.h"

namespace sqlmend::script {
namespace {

namespace fs = std::filesystem;
using testutil::ReadFile;
using testutil::RunCommand;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

// Every file below `root`, relative path -> text with the Create Date line
// reduced to its UTC offset suffix (what stays equal between two runs).
std::map<std::string, std::string> Snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().string().find("__pycache__") != std::string::npos) {
      continue;
    }
    std::string text = ReadFile(entry.path().string());
    size_t at = text.find("Create Date: ");
    if (at != std::string::npos) {
      size_t eol = text.find('\n', at);
      std::string date = text.substr(at + 13, eol - at - 13);
      // "YYYY-MM-DD HH:MM:SS.ffffff" then an optional offset.
      std::string offset = date.size() > 26 ? date.substr(26) : "";
      text.replace(at, eol - at, "Create Date: <date>" + offset);
    }
    files[fs::relative(entry.path(), root).string()] = text;
  }
  return files;
}

class RevisionWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alembic_ = dir_.File("alembic");
    sqlmend_ = dir_.File("sqlmend");
    fs::create_directory(alembic_);
    auto init = RunCommand("cd " + ShellQuote(alembic_) + " && alembic init migrations");
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  // Appends `lines` to the [alembic] section of the project's ini, then
  // copies the project for sqlmend.
  void Configure(const std::string& lines) {
    std::string ini = ReadFile(alembic_ + "/alembic.ini");
    ini.replace(ini.find("[alembic]\n"), 10, "[alembic]\n" + lines);
    // Alembic 1.8.1 cannot read the inline comment its own init writes
    // after version_path_separator once version_locations is set.
    const std::string separator = "version_path_separator = os  #";
    ini.replace(ini.find(separator), ini.find('\n', ini.find(separator)) - ini.find(separator),
                "version_path_separator = os");
    WriteFile(alembic_ + "/alembic.ini", ini);
    fs::copy(alembic_, sqlmend_, fs::copy_options::recursive);
  }
  // Alembic needs python-dateutil for `timezone`; Debian's python3 may lack
  // it while another Python on the machine has it. Makes it importable for
  // /usr/bin/alembic through PYTHONPATH; false when there is none.
  bool ProvideDateutil() {
    if (RunCommand("/usr/bin/python3 -c 'import dateutil.tz'").exit_code == 0) return true;
    auto found = RunCommand("python3 -c 'import dateutil, os; print(os.path.dirname(dateutil.__file__))'");
    if (found.exit_code != 0) return false;
    std::string package = found.out.substr(0, found.out.find('\n'));
    fs::create_directory(dir_.File("pylib"));
    fs::create_directory_symlink(package, dir_.File("pylib/dateutil"));
    python_path_ = "PYTHONPATH=" + ShellQuote(dir_.File("pylib")) + " ";
    return RunCommand(python_path_ + "/usr/bin/python3 -c 'import dateutil.tz'").exit_code == 0;
  }
  // `alembic <alembic_args>` in one copy, WriteRevision(args) in the other.
  void Both(const std::string& alembic_args, const NewRevisionArgs& args) {
    auto run = RunCommand("cd " + ShellQuote(alembic_) + " && " + python_path_ + "alembic " +
                          alembic_args);
    ASSERT_EQ(run.exit_code, 0) << alembic_args << "\n" << run.out << run.err;
    auto path = WriteInSqlmendCopy(args);
    ASSERT_TRUE(path) << alembic_args << ": " << path.error().ToString();
    // Alembic prints "Generating <abs path> ...  done".
    EXPECT_NE(run.out.find(alembic_ + path->substr(sqlmend_.size())), std::string::npos)
        << run.out << " vs " << *path;
  }
  // WriteRevision(args) in sqlmend's copy of the project.
  base::Result<std::string> WriteInSqlmendCopy(const NewRevisionArgs& args) {
    config::ConfigArgs config_args;
    config::Environment env;
    env.cwd = sqlmend_;
    auto config = config::LoadConfig(config_args, env);
    if (!config) return base::Fail(config.error());
    auto scripts = ScriptDirectory::Load(*config);
    if (!scripts) return base::Fail(scripts.error());
    return WriteRevision(*config, *scripts, args);
  }

  void ExpectSameFiles() {
    auto expected = Snapshot(alembic_);
    auto actual = Snapshot(sqlmend_);
    for (const auto& [name, text] : expected) {
      auto it = actual.find(name);
      if (it == actual.end()) {
        ADD_FAILURE() << "sqlmend did not write " << name;
        continue;
      }
      EXPECT_EQ(it->second, text) << name;
    }
    for (const auto& [name, text] : actual) {
      EXPECT_TRUE(expected.count(name)) << "alembic did not write " << name;
    }
  }

  TempDir dir_;
  std::string alembic_, sqlmend_;
  std::string python_path_;
};

NewRevisionArgs Args(std::string message, std::string rev_id) {
  NewRevisionArgs args;
  args.message = std::move(message);
  args.rev_id = std::move(rev_id);
  return args;
}

TEST_F(RevisionWriterTest, SameFilesAsAlembic) {
  Configure("");
  Both("revision -m first --rev-id aaa", Args("first", "aaa"));
  Both("revision -m \"Second: add the users' table, with \\\"quotes\\\" & a very long slug text\" "
       "--rev-id bbb",
       Args("Second: add the users' table, with \"quotes\" & a very long slug text", "bbb"));
  NewRevisionArgs branch = Args("branch", "ccc");
  branch.heads = {"aaa"};
  branch.splice = true;
  branch.branch_labels = {"feature"};
  Both("revision -m branch --rev-id ccc --head aaa --splice --branch-label feature", branch);
  NewRevisionArgs merge = Args("merge it", "ddd");
  merge.heads = {"heads"};
  merge.merge = true;
  Both("merge heads -m 'merge it' --rev-id ddd", merge);
  NewRevisionArgs depends = Args("", "eee");
  depends.depends_on = {"feature", "bbb"};
  Both("revision --rev-id eee --depends-on feature --depends-on bbb", depends);
  NewRevisionArgs two = Args("Ünïcode — slug", "fff");
  two.heads = {"eee"};
  Both("revision -m 'Ünïcode — slug' --rev-id fff --head eee", two);
  ExpectSameFiles();
}

TEST_F(RevisionWriterTest, FileTemplateTimezoneAndVersionPath) {
  if (!ProvideDateutil()) GTEST_SKIP() << "alembic's timezone support needs python-dateutil";
  Configure(
      "file_template = %%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s\n"
      "truncate_slug_length = 12\n"
      "timezone = Europe/Paris\n"
      "version_locations = %(here)s/migrations/versions:%(here)s/other\n");
  NewRevisionArgs first = Args("first revision of many words", "aaa");
  first.version_path = "migrations/versions";
  Both("revision -m 'first revision of many words' --rev-id aaa --version-path migrations/versions",
       first);
  NewRevisionArgs second = Args("second", "bbb");
  second.version_path = "other";
  Both("revision -m second --rev-id bbb --version-path other", second);
  // The head's folder is used when --version-path is not given.
  Both("revision -m third --rev-id ccc", Args("third", "ccc"));
  ExpectSameFiles();
}

// A script.py.mako whose text is not Python (a licence header written as
// `//` comments): Alembic writes the revision and then fails loading it;
// sqlmend refuses and writes nothing.
TEST_F(RevisionWriterTest, RefusesATemplateThatRendersSomethingElseThanPython) {
  Configure("");
  const std::string mako = sqlmend_ + "/migrations/script.py.mako";
  WriteFile(mako, "// Copyright (c) the project.\n\n" + ReadFile(mako));
  auto path = WriteInSqlmendCopy(Args("first", "aaaa"));
  ASSERT_FALSE(path);
  EXPECT_NE(path.error().message().find("script.py.mako renders a revision that is not Python"),
            std::string::npos)
      << path.error().ToString();
  EXPECT_EQ(path.error().message().find('\n'), std::string::npos);
  EXPECT_TRUE(fs::is_empty(sqlmend_ + "/migrations/versions"));
}

TEST(InitProjectTest, SameFilesAndOutputAsAlembic) {
  TempDir dir;
  fs::create_directory(dir.File("a"));
  fs::create_directory(dir.File("s"));
  auto run = RunCommand("cd " + ShellQuote(dir.File("a")) + " && alembic init migrations");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string cwd = fs::current_path().string();
  fs::current_path(dir.File("s"));
  auto lines = InitProject("migrations", "generic", "alembic.ini");
  fs::current_path(cwd);
  ASSERT_TRUE(lines) << lines.error().ToString();
  std::string printed;
  for (const auto& line : *lines) printed += line + "\n";
  std::string expected = run.out;
  for (size_t at; (at = expected.find(dir.File("a"))) != std::string::npos;) {
    expected.replace(at, dir.File("a").size(), dir.File("s"));
  }
  EXPECT_EQ(printed, expected);
  auto a = Snapshot(dir.File("a"));
  auto s = Snapshot(dir.File("s"));
  EXPECT_EQ(a, s);
}

TEST(InitProjectTest, RefusesAsAlembicDoes) {
  TempDir dir;
  WriteFile(dir.File("full"), "");
  fs::create_directory(dir.File("busy"));
  WriteFile(dir.File("busy/x"), "");
  auto busy = InitProject(dir.File("busy"), "generic", dir.File("alembic.ini"));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().message(), "Directory " + dir.File("busy") + " already exists and is not empty");
  auto unknown = InitProject(dir.File("new"), "nosuch", dir.File("alembic.ini"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(), "No such template 'nosuch'");
}

TEST(InitProjectTest, SqlTemplateWritesSqlRevisions) {
  TempDir dir;
  auto lines = InitProject(dir.File("db"), "sql", dir.File("alembic.ini"));
  ASSERT_TRUE(lines) << lines.error().ToString();
  EXPECT_TRUE(fs::exists(dir.File("db/versions")));
  EXPECT_TRUE(fs::exists(dir.File("db/script.sql.tmpl")));
  config::ConfigArgs config_args;
  config_args.config_paths = {dir.File("alembic.ini")};
  config::Environment env;
  env.cwd = dir.path();
  auto config = config::LoadConfig(config_args, env);
  ASSERT_TRUE(config) << config.error().ToString();
  auto scripts = ScriptDirectory::Load(*config);
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  auto first = WriteRevision(*config, *scripts, Args("create users", "aaa"));
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(*first, dir.File("db/versions/aaa_create_users.sql"));
  auto reloaded = ScriptDirectory::Load(*config);
  ASSERT_TRUE(reloaded) << reloaded.error().ToString();
  auto second = WriteRevision(*config, *reloaded, Args("more", "bbb"));
  ASSERT_TRUE(second) << second.error().ToString();
  auto last = ScriptDirectory::Load(*config);
  ASSERT_TRUE(last) << last.error().ToString();
  EXPECT_EQ(last->map().heads(), std::vector<std::string>{"bbb"});
  EXPECT_EQ(last->map().Find("bbb")->down_revisions, std::vector<std::string>{"aaa"});
  EXPECT_EQ(last->map().Find("bbb")->doc, "more");
}

TEST(WriteRevisionTest, ErrorsUseAlembicsWording) {
  TempDir dir;
  ASSERT_TRUE(InitProject(dir.File("m"), "generic", dir.File("alembic.ini")));
  config::ConfigArgs config_args;
  config_args.config_paths = {dir.File("alembic.ini")};
  config::Environment env;
  env.cwd = dir.path();
  auto config = config::LoadConfig(config_args, env);
  ASSERT_TRUE(config);
  auto write = [&](NewRevisionArgs args) -> base::Result<std::string> {
    auto scripts = ScriptDirectory::Load(*config);
    if (!scripts) return base::Fail(scripts.error());
    return WriteRevision(*config, *scripts, args);
  };
  ASSERT_TRUE(write(Args("a", "aaa")));
  NewRevisionArgs b = Args("b", "bbb");
  b.heads = {"aaa"};
  ASSERT_TRUE(write(b));
  NewRevisionArgs c = Args("c", "ccc");
  c.heads = {"aaa"};
  auto not_head = write(c);
  ASSERT_FALSE(not_head);
  EXPECT_EQ(not_head.error().message(),
            "Revision aaa is not a head revision; please specify --splice to create a new branch "
            "from this revision");
  c.splice = true;
  ASSERT_TRUE(write(c));
  auto multiple = write(Args("d", "ddd"));
  ASSERT_FALSE(multiple);
  EXPECT_EQ(multiple.error().message(),
            "Multiple heads are present; please specify the head revision on which the new "
            "revision should be based, or perform a merge.");
  auto bad_id = write(Args("d", "a-b@c"));
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().message(), "Character(s) '-, @' not allowed in revision identifier 'a-b@c'");
  NewRevisionArgs dup = Args("d", "ddd");
  dup.heads = {"bbb", "bbb"};
  auto duplicate = write(dup);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().message(), "Duplicate head revisions specified");
  NewRevisionArgs path = Args("d", "ddd");
  path.heads = {"bbb"};
  path.version_path = dir.File("elsewhere");
  auto elsewhere = write(path);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().message(),
            "Path " + dir.File("elsewhere") + " is not represented in current version locations");
}

}  // namespace
}  // namespace sqlmend::script
