// ApplyEdits cases are {text, edits, expected}; SplitStatements is checked
// both against expected pieces and differentially against sqlite3_complete(),
// the oracle whose state machine it follows.
#include "sql/splice.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sql/tokenizer.h"

namespace sqlmend::sql {
namespace {

std::string Describe(const std::vector<Edit>& edits) {
  std::string out;
  for (const Edit& edit : edits) {
    out += "{" + std::to_string(edit.offset) + "," + std::to_string(edit.length) + ",\"" +
           edit.replacement + "\"} ";
  }
  return out;
}

TEST(SpliceTest, ApplyEdits) {
  struct Case {
    std::string text;
    std::vector<Edit> edits;
    std::string expected;
    bool overlapped;
  };
  const std::vector<Case> cases = {
      {"abcdef", {}, "abcdef", false},
      {"", {{0, 0, "x"}}, "x", false},
      {"abcdef", {{0, 6, ""}}, "", false},
      {"abcdef", {{1, 1, "B"}}, "aBcdef", false},
      // Any order.
      {"abcdef", {{3, 1, "X"}, {0, 1, "Y"}}, "YbcXef", false},
      {"abcdef", {{4, 2, "!"}, {2, 1, "longer"}, {0, 0, ">"}}, ">ablongerd!", false},
      // Adjacent spans do not overlap.
      {"abcdef", {{2, 2, "y"}, {0, 2, "x"}}, "xyef", false},
      // An insertion goes in front of a replacement at the same offset...
      {"abcdef", {{2, 1, "Z"}, {2, 0, "+"}}, "ab+Zdef", false},
      // ...and after one that ends there.
      {"abcdef", {{1, 1, "B"}, {2, 0, "+"}}, "aB+cdef", false},
      // Insertions at one offset keep their order; one at the end appends.
      {"abc", {{0, 0, "1"}, {0, 0, "2"}, {3, 0, "!"}}, "12abc!", false},
      // Overlaps: the edit starting later in the text is dropped.
      {"abcdef", {{2, 2, "R"}, {1, 3, "Q"}}, "aQef", true},
      {"abcdef", {{1, 3, "Q"}, {2, 0, "inside"}}, "aQef", true},
      // Same span twice: the first given wins.
      {"abcdef", {{1, 2, "A"}, {1, 2, "B"}}, "aAdef", true},
      // Past the end: dropped and reported.
      {"abcdef", {{5, 3, "Z"}, {0, 1, "A"}}, "Abcdef", true},
      {"abcdef", {{7, 0, "Z"}}, "abcdef", true},
  };
  for (const Case& c : cases) {
    bool overlapped = !c.overlapped;
    EXPECT_EQ(ApplyEdits(c.text, c.edits, &overlapped), c.expected)
        << "text: " << c.text << " edits: " << Describe(c.edits);
    EXPECT_EQ(overlapped, c.overlapped) << "text: " << c.text << " edits: " << Describe(c.edits);
    EXPECT_EQ(ApplyEdits(c.text, c.edits), c.expected) << "without the out parameter";
  }
}

TEST(SpliceTest, RenamesEveryReferenceThroughTokens) {
  // The way the repair uses the module: replace name tokens, keep the rest.
  const std::string sql =
      "CREATE TABLE c (p INTEGER REFERENCES \"_alembic_tmp_p\" (id), -- keep \"_alembic_tmp_p\"\n"
      "  q REFERENCES [_alembic_tmp_p])";
  std::vector<Edit> edits;
  for (const Token& token : Tokenize(sql)) {
    if (IsNameToken(token) && TokenName(token) == "_alembic_tmp_p") {
      edits.push_back({token.offset, token.text.size(), QuoteIdentifier("p")});
    }
  }
  EXPECT_EQ(ApplyEdits(sql, edits),
            "CREATE TABLE c (p INTEGER REFERENCES \"p\" (id), -- keep \"_alembic_tmp_p\"\n"
            "  q REFERENCES \"p\")");
}

std::string Join(const std::vector<std::string>& pieces) {
  std::string out;
  for (const std::string& piece : pieces) out += "<" + piece + ">";
  return out;
}

TEST(SpliceTest, SplitStatements) {
  struct Case {
    std::string script;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"", {}},
      {" \n\t", {}},
      {"-- only a comment\n/* and another */", {}},
      {"select 1;", {"select 1;"}},
      {"create table a(x); create table b(y);", {"create table a(x);", " create table b(y);"}},
      {"select 1;\n\n", {"select 1;"}},
      {"select 1; -- trailing comment", {"select 1;"}},
      {";;", {";", ";"}},
      // Semicolons inside strings, quoted names and comments.
      {"insert into t values('a;b'); select 2;", {"insert into t values('a;b');", " select 2;"}},
      {"create table [a;b](x); create table \"c;d\"(y); create table `e;f`(z);",
       {"create table [a;b](x);", " create table \"c;d\"(y);", " create table `e;f`(z);"}},
      {"select 1; -- c;\nselect 2;", {"select 1;", " -- c;\nselect 2;"}},
      {"select 1 /* ; */; select 2;", {"select 1 /* ; */;", " select 2;"}},
      // Trigger bodies keep their inner semicolons until "; END;".
      {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN insert into u values(1); update u set x=2; "
       "END; select 1;",
       {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN insert into u values(1); update u set x=2; "
        "END;",
        " select 1;"}},
      {"create temp trigger tr before delete on t begin select raise(abort, 'no;'); end;x;",
       {"create temp trigger tr before delete on t begin select raise(abort, 'no;'); end;", "x;"}},
      {"CREATE TEMPORARY TRIGGER tr AFTER UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; "
       "END; SELECT 3;",
       {"CREATE TEMPORARY TRIGGER tr AFTER UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; "
        "END;",
        " SELECT 3;"}},
      {"create trigger tr after insert on t begin select 1; /* c */ END -- x\n ; select 2;",
       {"create trigger tr after insert on t begin select 1; /* c */ END -- x\n ;", " select 2;"}},
      {"EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2;",
       {"EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;", " SELECT 2;"}},
      // Words that only look like the trigger syntax.
      {"create table trigger(x); select 1;", {"create table trigger(x);", " select 1;"}},
      {"create table t(\"trigger\"); select 1;", {"create table t(\"trigger\");", " select 1;"}},
      {"select end from t; select 1;", {"select end from t;", " select 1;"}},
      // Unfinished text after the last statement is kept as is.
      {"select 1; select 2", {"select 1;", " select 2"}},
      {"select 'open;", {"select 'open;"}},
      {"create trigger tr after insert on t begin select 1; end",
       {"create trigger tr after insert on t begin select 1; end"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Join(SplitStatements(c.script)), Join(c.expected)) << "script: " << c.script;
  }
}

bool IsWhitespaceOnly(std::string_view text) {
  for (const Token& token : Tokenize(text)) {
    if (token.kind != TokenKind::kSpace && token.kind != TokenKind::kComment) return false;
  }
  return true;
}

bool Complete(const std::string& sql) { return sqlite3_complete(sql.c_str()) != 0; }

// Checks the pieces of `script` against sqlite3_complete(): every piece but
// the last is complete, and none could have ended at an earlier ';'; the
// last is complete whenever the whole script is; and the pieces are the
// script in order with nothing missing but whitespace-only text.
void ExpectAgreesWithSqliteComplete(const std::string& script) {
  const std::vector<std::string> pieces = SplitStatements(script);
  size_t cursor = 0;
  for (size_t i = 0; i < pieces.size(); i++) {
    const std::string& piece = pieces[i];
    ASSERT_FALSE(IsWhitespaceOnly(piece)) << "script: " << script << " piece: " << piece;
    if (i + 1 < pieces.size() || Complete(script)) {
      EXPECT_TRUE(Complete(piece)) << "script: " << script << " piece: " << piece;
    }
    for (size_t end = 0; end + 1 < piece.size(); end++) {
      if (piece[end] == ';') {
        EXPECT_FALSE(Complete(piece.substr(0, end + 1)))
            << "script: " << script << " piece: " << piece << " ends early at " << end;
      }
    }
    const size_t found = script.find(piece, cursor);
    ASSERT_NE(found, std::string::npos) << "script: " << script << " piece: " << piece;
    EXPECT_TRUE(IsWhitespaceOnly(std::string_view(script).substr(cursor, found - cursor)))
        << "script: " << script << " piece: " << piece;
    cursor = found + piece.size();
  }
  EXPECT_TRUE(IsWhitespaceOnly(std::string_view(script).substr(cursor))) << "script: " << script;
}

TEST(SpliceTest, SplitAgreesWithSqliteComplete) {
  const std::vector<std::string> scripts = {
      "create table a(x); create table b(y);",
      "insert into t values('a;b'); select \"x;y\", [p;q], `r;s` from t;",
      "select 1; -- c;\nselect 2; /* ; */ select 3;\n",
      "CREATE TABLE parent(id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE child(id, pid REFERENCES parent(id));\n"
      "CREATE TRIGGER child_ai AFTER INSERT ON child BEGIN\n"
      "  UPDATE parent SET id = id WHERE id = new.pid;\n"
      "  SELECT RAISE(ABORT, 'bad; really') WHERE new.pid IS NULL;\n"
      "END;\n"
      "CREATE VIEW v AS SELECT * FROM child;\n",
      "create temp trigger tr before delete on t begin select case when 1 then 2 end; end;x;",
      "CREATE TEMPORARY TRIGGER tr AFTER UPDATE ON t BEGIN SELECT 1; END; SELECT 3;",
      "EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 2;",
      "explain select 1; explain query plan select 2;",
      "create table trigger(x); create table t2(\"trigger\", \"end\"); select 1;",
      "create trigger tr after insert on t begin select 1; /* c */ END -- x\n ; select 2;",
      ";;select 1;;",
      "select 1; select 2",
      "select 'open;",
      "create trigger tr after insert on t begin select 1; end",
  };
  for (const std::string& script : scripts) ExpectAgreesWithSqliteComplete(script);
}

// Deterministic fuzz over fragments that drive the state machine.
TEST(SpliceTest, FuzzedScriptsAgreeWithSqliteComplete) {
  const std::vector<std::string> fragments = {
      "create",  "CREATE",   "temp",      "TEMPORARY", "trigger",
      "Trigger", "end",      "END",       "explain",   "begin",
      "select",  "x",        "1",         ";",         ";",
      ";",       " ",        " ",         "\n",        "'a;b'",
      "\"end\"", "[create]", "`trigger`", "-- c;\n",   "/* ; end; */",
      "(",       ")",        "'",         "\"",        "--",
      "/*",      "*/",       "x'00'",     "endx",      "_end",
      "table",   ".",        "tr",
  };
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  size_t complete_statements = 0;
  size_t statements_with_inner_semicolons = 0;  // trigger bodies, strings, comments
  for (int n = 0; n < 10000; n++) {
    std::string script;
    const size_t count = next() % 24;
    for (size_t i = 0; i < count; i++) {
      script += fragments[next() % fragments.size()];
      if (next() % 2 == 0) script += ' ';
    }
    ExpectAgreesWithSqliteComplete(script);
    if (::testing::Test::HasFailure()) return;
    for (const std::string& piece : SplitStatements(script)) {
      if (!Complete(piece)) continue;
      complete_statements++;
      if (std::count(piece.begin(), piece.end(), ';') > 1) statements_with_inner_semicolons++;
    }
  }
  // The fragments do build statements, triggers included, so the checks
  // above were not vacuous.
  EXPECT_GT(complete_statements, 5000u);
  EXPECT_GT(statements_with_inner_semicolons, 100u);
}

}  // namespace
}  // namespace sqlmend::sql
