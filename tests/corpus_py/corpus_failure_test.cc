// Where Alembic on SQLite is dangerous, sqlmend must fail as safely as it can,
// on revisions from fixtures/pyrev_corpus/:
//   - alembic_failures: revisions Alembic itself cannot run on SQLite (a
//     constraint dropped or a foreign key added outside batch mode, an
//     ALTER COLUMN). Both tools fail; sqlmend leaves the file byte for byte
//     as before the step, where Alembic keeps what ran before the error.
//   - unsupported: constructs sqlmend's interpreter refuses (yield, an
//     unknown module handed the connection, endless recursion, writing
//     through a relationship) and a body that raises halfway
//     through its data changes. sqlmend fails with one line naming the file, line
//     and column and the construct, and the file is unchanged.
//   - library_cascade: with PRAGMA foreign_keys=ON from a connect listener,
//     Alembic's batch rebuild of a parent table drops it, and SQLite deletes
//     every ON DELETE CASCADE child with it. sqlmend keeps them.
#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_py/corpus_tree.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using corpus::CopyTree;
using corpus::RunAlembic;
using corpus::RunOurs;
using testutil::Query;
using testutil::TakeSnapshot;

// --- Revisions Alembic cannot run on SQLite -------------------------------

struct AlembicFailure {
  std::string revision;
  std::string why;  // what Alembic does, for the failure message
  // A table or column Alembic leaves behind from before the error: the
  // half-written schema sqlmend must not leave.
  std::string alembic_leftover_sql;
  std::string alembic_leftover_row;
};

const std::vector<AlembicFailure> kAlembicFailures = {
    {"1a2b3c4d5e6f", "op.drop_constraint outside batch: NotImplementedError",
     "SELECT name FROM sqlite_master WHERE name = 'scratch_unique'", "scratch_unique"},
    {"2b3c4d5e6f70", "op.alter_column nullable outside batch: SQLite syntax error",
     "SELECT name FROM pragma_table_info('team') WHERE name = 'motto'", "motto"},
    {"3c4d5e6f7081", "op.create_foreign_key outside batch: NotImplementedError",
     "SELECT name FROM sqlite_master WHERE name = 'ix_member_team_id'", "ix_member_team_id"},
};

void PrintTo(const AlembicFailure& failure, std::ostream* out) { *out << failure.revision; }

class CorpusAlembicFailureTest : public ::testing::TestWithParam<AlembicFailure> {};

TEST_P(CorpusAlembicFailureTest, BothFailAndSqlmendLeavesTheFileAsItWas) {
  const AlembicFailure& failure = GetParam();
  testutil::TempDir dir;
  const std::string theirs = dir.File("alembic"), ours = dir.File("sqlmend");
  CopyTree("alembic_failures", theirs);
  CopyTree("alembic_failures", ours);
  const std::string base = "upgrade 0f1e2d3c4b5a";
  auto a = RunAlembic(theirs, base);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  // Why this matters: Alembic fails, but keeps what ran before the error.
  a = RunAlembic(theirs, "upgrade " + failure.revision);
  EXPECT_NE(a.exit_code, 0) << failure.why << ": alembic succeeded";
  EXPECT_EQ(Query(theirs + "/app.db", failure.alembic_leftover_sql),
            std::vector<std::string>{failure.alembic_leftover_row})
      << "alembic no longer leaves a half-written schema behind: " << failure.why;

  auto s = RunOurs(ours, base);
  ASSERT_EQ(s.exit_code, 0) << "sqlmend cannot run the base revision the failing ones build on\n"
                            << s.out << s.err;

  const testutil::Snapshot before = TakeSnapshot(ours + "/app.db");
  s = RunOurs(ours, "upgrade " + failure.revision);
  EXPECT_NE(s.exit_code, 0) << failure.why << ": sqlmend succeeded\n" << s.out << s.err;
  EXPECT_TRUE(TakeSnapshot(ours + "/app.db") == before)
      << failure.why << ": sqlmend changed the database file\n" << s.out << s.err;
  EXPECT_EQ(Query(ours + "/app.db", "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"0f1e2d3c4b5a"});

}

INSTANTIATE_TEST_SUITE_P(Revisions, CorpusAlembicFailureTest, ::testing::ValuesIn(kAlembicFailures),
                         [](const ::testing::TestParamInfo<AlembicFailure>& info) {
                           return "rev_" + info.param.revision;
                         });

// --- Constructs sqlmend refuses -------------------------------------------

struct Unsupported {
  std::string name;      // test name
  std::string revision;  // the revision id, also the file name's prefix
  std::string file;      // file name under alembic/versions
  std::vector<int> lines;  // where the error may point (first is the construct)
  std::string construct;   // a word the error line must name
};

const std::vector<Unsupported> kUnsupported = {
    {"Yield", "5e6f708192a3", "5e6f708192a3_yield_in_upgrade.py", {21}, "yield"},
    // pandas is not installed: its placeholder stops where it is handed
    // the connection.
    {"UnknownImport", "6f708192a3b4", "6f708192a3b4_pandas_in_upgrade.py", {23}, "Connection"},
    // The recursive call, or the call that started it.
    {"EndlessRecursion", "92a3b4c5d6e7", "92a3b4c5d6e7_endless_recursion.py", {21, 20, 25}, "recursion"},
    {"Raise", "a3b4c5d6e7f8", "a3b4c5d6e7f8_body_raises.py", {22}, "RuntimeError"},
    // Online: rows and the schema were changed before the raise.
    {"RaiseAfterReading", "b4c5d6e7f809", "b4c5d6e7f809_raises_after_reading.py", {25},
     "ValueError"},
    // Online, after creating a table and reading rows: relationships are
    // loaded, not written, so setting one is refused where the session
    // flushes it (Alembic runs this one).
    {"RelationshipWrite", "d6e7f8091a2b", "d6e7f8091a2b_relationship_write.py", {32},
     "relationship 'parts'"},
};

void PrintTo(const Unsupported& c, std::ostream* out) { *out << c.file; }

class CorpusUnsupportedTest : public ::testing::TestWithParam<Unsupported> {};

TEST_P(CorpusUnsupportedTest, FailsWithALocatedErrorAndLeavesTheFileAsItWas) {
  const Unsupported& c = GetParam();
  testutil::TempDir dir;
  CopyTree("unsupported", dir.path());
  auto s = RunOurs(dir.path(), "upgrade 4d5e6f708192");
  ASSERT_EQ(s.exit_code, 0) << "sqlmend cannot run the base revision\n" << s.out << s.err;
  const testutil::Snapshot before = TakeSnapshot(dir.File("app.db"));

  s = RunOurs(dir.path(), "upgrade " + c.revision);
  EXPECT_NE(s.exit_code, 0) << c.file << ": sqlmend accepted it\n" << s.out << s.err;
  EXPECT_TRUE(TakeSnapshot(dir.File("app.db")) == before)
      << c.file << ": sqlmend changed the database file\n" << s.out << s.err;

  // One FAILED line holds <file>:<line>:<col> and names the construct
  // (case-insensitively: "Recursion", "yield statement", ...).
  const std::string output = s.out + "\n" + s.err;
  bool located = false;
  std::string lower_construct = c.construct;
  for (char& ch : lower_construct) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (int line : c.lines) {
    const std::regex where(std::regex_replace(c.file, std::regex(R"([.])"), R"(\.)") + ":" +
                           std::to_string(line) + ":[0-9]+");
    std::istringstream in(output);
    for (std::string text; std::getline(in, text);) {
      std::string lower = text;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      // The error line itself, not a warning that names the same place.
      if (text.rfind("FAILED: ", 0) == 0 && std::regex_search(text, where) &&
          lower.find(lower_construct) != std::string::npos) {
        located = true;
      }
    }
  }
  EXPECT_TRUE(located) << "expected one line with " << c.file << ":" << c.lines[0]
                       << ":<col> naming '" << c.construct << "', got:\n" << output;
}

INSTANTIATE_TEST_SUITE_P(Constructs, CorpusUnsupportedTest, ::testing::ValuesIn(kUnsupported),
                         [](const ::testing::TestParamInfo<Unsupported>& info) {
                           return info.param.name;
                         });

// --- The cascade-safety case ----------------------------------------------

TEST(CorpusCascadeTest, BatchRebuildOfAParentKeepsItsCascadeChildren) {
  testutil::TempDir dir;
  const std::string theirs = dir.File("alembic"), ours = dir.File("sqlmend");
  CopyTree("library_cascade", theirs);
  CopyTree("library_cascade", ours);
  const std::string counts =
      "SELECT (SELECT count(*) FROM author) || ' authors, ' || (SELECT count(*) FROM book) || "
      "' books, ' || (SELECT count(*) FROM review) || ' reviews'";

  // Alembic: 44dd55ee66ff rebuilds `author` (batch alter_column) with
  // foreign_keys=ON from the project's connect listener; its DROP TABLE
  // author deletes every book and, through book, every review.
  auto a = RunAlembic(theirs, "upgrade head");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(Query(theirs + "/app.db", counts), std::vector<std::string>{"3 authors, 0 books, 0 reviews"})
      << "alembic no longer loses the children: the cascade case documents nothing";

  auto s = RunOurs(ours, "upgrade head");
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_EQ(Query(ours + "/app.db", counts), std::vector<std::string>{"3 authors, 5 books, 6 reviews"});
  EXPECT_EQ(Query(ours + "/app.db", "SELECT count(*) FROM pragma_foreign_key_check"),
            std::vector<std::string>{"0"});
  // Same schema as Alembic's, all the same.
  const std::string schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";
  EXPECT_EQ(Query(ours + "/app.db", schema), Query(theirs + "/app.db", schema));
}

// With the connect listener's foreign keys switched off for a rebuilding
// revision, the revision could leave orphans behind that SQLite would
// otherwise have refused or cascaded; PRAGMA foreign_key_check, compared
// before and after, rolls such a revision back.
TEST(CorpusCascadeTest, RebuildingRevisionThatLeavesOrphansIsRolledBack) {
  testutil::TempDir dir;
  const std::string ours = dir.File("sqlmend");
  CopyTree("library_cascade", ours);
  auto head = RunOurs(ours, "upgrade head");
  ASSERT_EQ(head.exit_code, 0) << head.out << head.err;
  testutil::WriteFile(ours + "/alembic/versions/99aa00bb11cc_drop_first_author.py", R"("""drop the first author

Revision ID: 99aa00bb11cc
Revises: 8899aabbccdd
"""
from alembic import op
import sqlalchemy as sa

revision = '99aa00bb11cc'
down_revision = '8899aabbccdd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('author', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=120), nullable=True)
    op.execute("DELETE FROM author WHERE id = 1")


def downgrade():
    pass
)");
  const testutil::Snapshot before = TakeSnapshot(ours + "/app.db");
  auto s = RunOurs(ours, "upgrade head");
  EXPECT_NE(s.exit_code, 0) << s.out << s.err;
  EXPECT_NE(s.out.find("99aa00bb11cc_drop_first_author.py: the revision leaves 2 row(s) violating a "
                       "foreign key (PRAGMA foreign_key_check)"),
            std::string::npos)
      << s.out;
  EXPECT_TRUE(TakeSnapshot(ours + "/app.db") == before) << "the failed revision changed the file";
}

}  // namespace
}  // namespace sqlmend
