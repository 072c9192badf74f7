// fixtures/pyrev_corpus/src_layout: a project laid out as its users' README
// has them run it (a src/ package, `-c data_development/config.ini`,
// `script_location = tinyapp:migrations`), whose package __init__ imports
// and checks a third-party module that is not installed where sqlmend runs.
// The README's command lines (upgrade head, current, downgrade -1,
// downgrade base, stamp <rev>) run through sqlmend and through alembic
// 1.8.1, on twin copies, comparing exit status, what each prints and the
// database after every step.
//
// Alembic runs with the project installed (src/ on PYTHONPATH) and a
// stand-in for the missing module (standins/); sqlmend runs with neither:
// it finds src/ from pyproject.toml's declared layout and stands a
// placeholder in for cert_utils, saying so.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_py/corpus_tree.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

constexpr char kSrcLayoutConfig[] = "data_development/config.ini";

testutil::RunResult RunSrcLayoutAlembic(const std::string& root, const std::string& args) {
  return testutil::RunCommand("cd " + testutil::ShellQuote(root) +
                              " && PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=" +
                              testutil::ShellQuote(root + "/src:" + root + "/standins") +
                              " /usr/bin/alembic -c " + kSrcLayoutConfig + " " + args);
}

testutil::RunResult RunSrcLayoutOurs(const std::string& root, const std::string& args) {
  return testutil::RunCommand("cd " + testutil::ShellQuote(root) +
                              " && env -u PYTHONPATH -u VIRTUAL_ENV " +
                              testutil::ShellQuote(SQLMEND_BIN) + " -c " + kSrcLayoutConfig + " " +
                              args);
}

// The lines of `text` that hold `needle`, from it on.
std::vector<std::string> LinesFrom(const std::string& text, const std::string& needle) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find(needle);
    if (at != std::string::npos) lines.push_back(line.substr(at));
  }
  return lines;
}

// The schema and every row of the database, one line per fact.
std::vector<std::string> SrcLayoutDatabase(const std::string& db) {
  std::vector<std::string> out;
  for (const std::string& row :
       testutil::Query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")) {
    out.push_back("master: " + row);
  }
  for (const std::string& table :
       testutil::Query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    for (const std::string& row :
         testutil::Query(db, "SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
      out.push_back(table + ": " + row);
    }
  }
  return out;
}

TEST(CorpusSrcLayoutTest, ReadmeCommandLinesRunAsAlembicRunsThem) {
  testutil::TempDir dir;
  const std::string theirs = dir.File("alembic"), ours = dir.File("sqlmend");
  corpus::CopyTree("src_layout", theirs);
  corpus::CopyTree("src_layout", ours);
  const std::string database = "/data_development/app.db";
  const std::vector<std::string> steps = {
      "upgrade head",         "current", "downgrade -1", "current",      "downgrade base",
      "current",              "stamp 4a2b3c5d6e7f",      "current",      "upgrade head",
      "current"};
  for (const std::string& step : steps) {
    const testutil::RunResult a = RunSrcLayoutAlembic(theirs, step);
    ASSERT_EQ(a.exit_code, 0) << step << ": alembic failed\n" << a.out << a.err;
    const testutil::RunResult s = RunSrcLayoutOurs(ours, step);
    ASSERT_EQ(s.exit_code, 0) << step << ": sqlmend failed\n" << s.out << s.err;
    EXPECT_EQ(LinesFrom(s.err, "Running "), LinesFrom(a.err, "Running ")) << step;
    if (step == "current") {
      EXPECT_EQ(s.out, a.out) << step;
    }
    EXPECT_EQ(SrcLayoutDatabase(ours + database), SrcLayoutDatabase(theirs + database)) << step;
    if (step == "current") continue;  // sqlmend's current does not run env.py
    // The package __init__'s check of the missing module passed, and said so.
    EXPECT_NE(s.err.find("cert_utils.NEEDS_TEMPFILES (module 'cert_utils' is not installed) is "
                         "taken as false"),
              std::string::npos)
        << step << "\n" << s.err;
  }
  EXPECT_EQ(testutil::Query(ours + database, "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"5b3c4d6e7f80"});
}

// Inside upgrade(), a call into the module that is not installed, handed
// nothing that reaches the database, passes and says so.
TEST(CorpusSrcLayoutTest, CallIntoAMissingModuleInsideUpgradePassesAndSaysSo) {
  testutil::TempDir dir;
  corpus::CopyTree("src_layout", dir.path());
  const testutil::RunResult s = RunSrcLayoutOurs(dir.path(), "upgrade head");
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_NE(s.err.find("5b3c4d6e7f80_notes.py:31:5: calling cert_utils.refresh_cache (module "
                       "'cert_utils' is not installed) inside upgrade() does nothing here"),
            std::string::npos)
      << s.err;
}

// --sql writes the same script as Alembic's, and the placeholder warnings go
// to stderr, never into the script (they went to stdout, spdlog's default).
TEST(CorpusSrcLayoutTest, OfflineScriptIsAlembicsAndHoldsNoWarnings) {
  testutil::TempDir dir;
  const std::string theirs = dir.File("alembic"), ours = dir.File("sqlmend");
  corpus::CopyTree("src_layout", theirs);
  corpus::CopyTree("src_layout", ours);
  const testutil::RunResult a = RunSrcLayoutAlembic(theirs, "upgrade base:head --sql");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const testutil::RunResult s = RunSrcLayoutOurs(ours, "upgrade base:head --sql");
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_EQ(s.out, a.out);
  EXPECT_EQ(s.out.find("warning"), std::string::npos) << s.out;
  EXPECT_NE(s.err.find("warning: "), std::string::npos) << s.err;
}

// The same project with no layout declared and no PYTHONPATH: the package
// is found nowhere, and script_location says so in Python's words.
TEST(CorpusSrcLayoutTest, PackageFoundNowhereIsALocatedUsageError) {
  testutil::TempDir dir;
  corpus::CopyTree("src_layout", dir.path());
  std::filesystem::rename(dir.File("src"), dir.File("elsewhere"));
  const testutil::RunResult s = RunSrcLayoutOurs(dir.path(), "upgrade head");
  EXPECT_NE(s.exit_code, 0);
  EXPECT_NE(s.out.find("script_location 'tinyapp:migrations': No module named 'tinyapp'"),
            std::string::npos)
      << s.out << s.err;
}

}  // namespace
}  // namespace sqlmend
