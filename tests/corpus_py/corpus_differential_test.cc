// The .py revision corpus (fixtures/pyrev_corpus/, see its README.md) run by
// sqlmend and by the real alembic 1.8.1 on twin copies of each tree, one step
// at a time, comparing the two databases after every step.
//
// A tree steps by `upgrade +1` until head and `downgrade -1` until base (one
// step per revision file), unless it has a steps.txt, which lists the command
// lines (a tree with two heads and a merge names every target, the same for
// both tools). After each step both databases are read into a snapshot:
//   1. sqlite_master (type, name, tbl_name, sql), exact text;
//   2. per table PRAGMA table_info, foreign_key_list, index_list, and
//      index_info of each of its indexes;
//   3. every row of every table in rowid order (WITHOUT ROWID tables in
//      primary-key order), each value as typeof and quote(), which covers
//      alembic_version too;
// and the "Running upgrade/downgrade ..." lines each tool logged. The first
// difference stops the tree with its step, its command and the lines around
// it in both snapshots, since every later step would differ too.
//
// One normalisation: a table Alembic rebuilt in batch mode (its CREATE
// TABLE reads `CREATE TABLE "name"` after the rename) lists its reflected
// constraints in the order Alembic iterates a Python set of constraint
// objects, which hash by memory address: no order sqlmend (or Alembic
// itself, from one process to the next) can promise. For those tables the
// table-level constraint lines are compared as a sorted list; every other
// byte, and every table created directly, is compared exactly. Their
// PRAGMA foreign_key_list rows, numbered in that order, are compared
// without the number.
//
// rows_differ.txt in a tree lists tables whose rows are expected to differ:
// the cascade-safety tree, where alembic loses the children that sqlmend
// keeps (CorpusCascadeTest below pins both outcomes).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "corpus_py/corpus_tree.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

namespace fs = std::filesystem;
using testutil::Query;
using testutil::RunResult;
using corpus::CopyTree;
using corpus::CorpusFolder;
using corpus::RunAlembic;
using corpus::RunOurs;

// Non-empty lines of <tree>/<name> that are not # comments; empty when the
// file is absent.
std::vector<std::string> ReadListFile(const std::string& tree, const std::string& name) {
  std::vector<std::string> lines;
  const std::string path = CorpusFolder() + "/" + tree + "/" + name;
  if (!fs::exists(path)) return lines;
  std::istringstream in(testutil::ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// The command lines a tree steps through.
std::vector<std::string> StepsOf(const std::string& tree) {
  std::vector<std::string> steps = ReadListFile(tree, "steps.txt");
  if (!steps.empty()) return steps;
  // One step per revision file: the versions folder is the one folder named
  // "versions" under the tree.
  size_t revisions = 0;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusFolder() + "/" + tree)) {
    if (entry.path().parent_path().filename() == "versions" && entry.path().extension() == ".py") {
      ++revisions;
    }
  }
  for (size_t i = 0; i < revisions; ++i) steps.push_back("upgrade +1");
  for (size_t i = 0; i < revisions; ++i) steps.push_back("downgrade -1");
  return steps;
}

// The "Running upgrade a -> b, message" lines of a tool's log, without the
// "INFO  [alembic.runtime.migration] " prefix.
std::vector<std::string> RunningLines(const RunResult& result) {
  std::vector<std::string> lines;
  std::istringstream in(result.err + "\n" + result.out);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find("Running ");
    if (at == std::string::npos) continue;
    lines.push_back(line.substr(at));
  }
  return lines;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string QuoteName(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void AppendQuery(std::vector<std::string>& out, const std::string& label, const std::string& db,
                 const std::string& sql) {
  for (const auto& row : Query(db, sql)) out.push_back(label + ": " + row);
}

// The CREATE TABLE of a batch-rebuilt table with its table-level constraint
// lines sorted (see the top of this file); any other SQL unchanged.
std::string NormalisedMasterRow(const std::string& row) {
  const size_t create = row.find("|CREATE TABLE \"");
  if (create == std::string::npos) return row;
  std::vector<std::string> lines;
  std::istringstream in(row);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<std::string> constraints;
  std::string head;
  std::string tail;
  for (const std::string& line : lines) {
    const bool table_level = line.rfind("\tCONSTRAINT ", 0) == 0 || line.rfind("\tUNIQUE ", 0) == 0 ||
                             line.rfind("\tCHECK ", 0) == 0 || line.rfind("\tFOREIGN KEY", 0) == 0 ||
                             line.rfind("\tPRIMARY KEY", 0) == 0;
    if (table_level) {
      std::string item = line;
      if (item.size() >= 2 && item.compare(item.size() - 2, 2, ", ") == 0) item.resize(item.size() - 2);
      constraints.push_back(item);
    } else if (constraints.empty()) {
      head += line + "\n";
    } else {
      tail += line + "\n";
    }
  }
  std::sort(constraints.begin(), constraints.end());
  std::string out = head + "[constraints in any order]\n";
  for (const std::string& item : constraints) out += item + "\n";
  return out + tail;
}

// Everything the corpus compares about one database, one line per fact.
// `skip_rows` names tables whose rows are left out.
std::vector<std::string> SnapshotOf(const std::string& db, const std::vector<std::string>& skip_rows) {
  std::vector<std::string> out;
  if (!fs::exists(db)) return {"(no database file)"};
  for (const auto& row : Query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
    out.push_back("master: " + NormalisedMasterRow(row));
  }
  for (const auto& row : Query(db,
                               "SELECT name, coalesce(sql, '') LIKE '%WITHOUT ROWID%' FROM "
                               "sqlite_master WHERE type = 'table' ORDER BY name")) {
    const std::string table = row.substr(0, row.rfind('|'));
    const bool without_rowid = row.back() == '1';
    const std::string quoted = QuoteName(table);
    AppendQuery(out, table + " table_info", db, "PRAGMA table_info(" + quoted + ")");
    if (Query(db, "SELECT sql LIKE 'CREATE TABLE \"%' FROM sqlite_master WHERE type = 'table' AND name = '" +
                      ReplaceAll(table, "'", "''") + "'") == std::vector<std::string>{"1"}) {
      // A rebuilt table: its foreign keys are numbered in the constraint
      // order normalised above, so compare them without the number.
      AppendQuery(out, table + " foreign_key_list (any order)", db,
                  "SELECT seq, \"table\", \"from\", \"to\", on_update, on_delete, match FROM "
                  "pragma_foreign_key_list(" + QuoteName(table) + ") ORDER BY 1, 2, 3, 4, 5, 6, 7");
    } else {
      AppendQuery(out, table + " foreign_key_list", db, "PRAGMA foreign_key_list(" + quoted + ")");
    }
    for (const auto& index : Query(db, "SELECT name, \"unique\", origin, partial FROM "
                                       "pragma_index_list(" + QuoteName(table) +
                                           ") ORDER BY name")) {
      out.push_back(table + " index_list: " + index);
      const std::string name = index.substr(0, index.find('|'));
      AppendQuery(out, table + " index_info " + name, db, "PRAGMA index_info(" + QuoteName(name) + ")");
    }
    if (std::find(skip_rows.begin(), skip_rows.end(), table) != skip_rows.end()) {
      out.push_back(table + " rows: (not compared, see rows_differ.txt)");
      continue;
    }
    std::string select;
    for (const auto& column : Query(db, "SELECT name FROM pragma_table_info(" + QuoteName(table) + ")")) {
      select += std::string(select.empty() ? "" : " || ' | ' || ") + "typeof(" + QuoteName(column) +
                ") || ':' || quote(" + QuoteName(column) + ")";
    }
    if (select.empty()) continue;
    AppendQuery(out, table + " row", db,
                "SELECT " + select + " FROM " + quoted + (without_rowid ? "" : " ORDER BY rowid"));
  }
  return out;
}

// "" when equal; otherwise the first differing line with a few lines of
// context from each side.
std::string FirstDifference(const std::vector<std::string>& alembic, const std::vector<std::string>& ours) {
  size_t at = 0;
  while (at < alembic.size() && at < ours.size() && alembic[at] == ours[at]) ++at;
  if (at == alembic.size() && at == ours.size()) return "";
  auto window = [at](const std::vector<std::string>& lines) {
    std::string text;
    const size_t from = at >= 2 ? at - 2 : 0;
    for (size_t i = from; i < lines.size() && i < at + 4; ++i) {
      text += (i == at ? "  > " : "    ") + lines[i] + "\n";
    }
    return text.empty() ? std::string("    (nothing)\n") : text;
  };
  return "first difference at line " + std::to_string(at + 1) + "\n  alembic:\n" + window(alembic) +
         "  sqlmend:\n" + window(ours);
}

class CorpusDifferentialTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusDifferentialTest, EveryStepLeavesTheDatabaseAlembicLeaves) {
  const std::string tree = GetParam();
  testutil::TempDir dir;
  const std::string theirs = dir.File("alembic"), ours = dir.File("sqlmend");
  CopyTree(tree, theirs);
  CopyTree(tree, ours);
  const std::vector<std::string> skip_rows = ReadListFile(tree, "rows_differ.txt");
  const std::vector<std::string> steps = StepsOf(tree);
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string where = tree + " step " + std::to_string(i + 1) + "/" +
                              std::to_string(steps.size()) + " (" + steps[i] + ")";
    RunResult a = RunAlembic(theirs, steps[i]);
    ASSERT_EQ(a.exit_code, 0) << where << ": alembic failed\n" << a.out << a.err;
    RunResult s = RunOurs(ours, steps[i]);
    if (s.exit_code != 0) {
      FAIL() << where << ": sqlmend exited " << s.exit_code << " where alembic succeeded\n"
             << s.out << s.err;
    }
    const auto a_lines = RunningLines(a), s_lines = RunningLines(s);
    if (a_lines != s_lines) {
      FAIL() << where << ": log lines differ\n" << FirstDifference(a_lines, s_lines);
    }
    const std::string diff = FirstDifference(SnapshotOf(theirs + "/app.db", skip_rows),
                                             SnapshotOf(ours + "/app.db", skip_rows));
    if (!diff.empty()) FAIL() << where << ": databases differ, " << diff;
  }
  // The corpus itself is valid: alembic took every step (asserted above)
  // and the tree back to base.
  EXPECT_EQ(Query(theirs + "/app.db", "SELECT count(*) FROM alembic_version"),
            std::vector<std::string>{"0"});
}

INSTANTIATE_TEST_SUITE_P(Trees, CorpusDifferentialTest,
                         ::testing::Values("shop_autogen", "flask_blog", "inventory_naming",
                                           "ledger_handwritten", "library_cascade",
                                           "portable_ops", "live_reads"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace sqlmend
