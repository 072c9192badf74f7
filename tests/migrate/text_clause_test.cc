// CompileTextClause against SQLAlchemy itself: each input is compiled by
// text(input).compile(dialect=sqlite) with and without literal_binds, in one
// Python process, and must match byte for byte.
#include "migrate/text_clause.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testutil/testutil.h"

namespace sqlmend::migrate {
namespace {

constexpr char kTextClauseOracle[] = R"PY(
import sys
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
dialect = sqlite.dialect()
for line in open(sys.argv[1]):
    source = bytes.fromhex(line.strip()).decode()
    literal = str(text(source).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    plain = str(text(source).compile(dialect=dialect))
    print("h" + literal.encode().hex(), "h" + plain.encode().hex())
)PY";

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string UnhexWord(const std::string& hex) {
  std::string out;  // after the "h" that keeps an empty text a word
  for (size_t i = 1; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

TEST(TextClauseTest, CompilesAsSqlAlchemyDoes) {
  const std::vector<std::string> inputs = {
      "SELECT 1",
      "SELECT :x",
      "SELECT :x, :y, :x",
      "SELECT 'a:b', x::int, :y:",
      "SELECT :abc:",
      "SELECT :a:",
      "SELECT \\:x, '\\:y', \\:",
      "SELECT \\:x:",
      "SELECT :x$y",
      "SELECT $:x",
      "SELECT 100%",
      "SELECT ':quoted'",
      "SELECT :é",
      "SELECT ::x",
      "SELECT :1",
      "x:y :z\n\t:w",
      "",
      ":",
      "\\",
  };
  testutil::TempDir dir;
  std::string lines;
  for (const auto& input : inputs) lines += Hex(input) + "\n";
  testutil::WriteFile(dir.File("inputs.txt"), lines);
  testutil::WriteFile(dir.File("oracle.py"), kTextClauseOracle);
  auto run = testutil::RunCommand("/usr/bin/python3 " + testutil::ShellQuote(dir.File("oracle.py")) +
                                  " " + testutil::ShellQuote(dir.File("inputs.txt")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream out(run.out);
  for (const auto& input : inputs) {
    std::string literal_hex, plain_hex;
    ASSERT_TRUE(out >> literal_hex >> plain_hex) << input;
    EXPECT_EQ(CompileTextClause(input, "NULL").sql, UnhexWord(literal_hex)) << input;
    EXPECT_EQ(CompileTextClause(input, "?").sql, UnhexWord(plain_hex)) << input;
  }
}

TEST(TextClauseTest, NamesTheParameters) {
  EXPECT_EQ(CompileTextClause("SELECT :a, 'b:c', :d", "?").bind_names,
            (std::vector<std::string>{"a", "d"}));
  EXPECT_TRUE(CompileTextClause("SELECT \\:a, x::int", "?").bind_names.empty());
}

TEST(TextClauseTest, OfflineStatementStripsAndTerminates) {
  const struct {
    std::string input, expected;
  } cases[] = {
      {"SELECT 1", "SELECT 1;"},
      {"\n  SELECT\t1 \n\n", "SELECT    1;"},
      {"DROP TABLE t;", "DROP TABLE t;;"},
      {"\x1c x \x0b", "x;"},
      {"", ";"},
  };
  for (const auto& c : cases) EXPECT_EQ(OfflineStatement(c.input), c.expected) << c.input;
}

}  // namespace
}  // namespace sqlmend::migrate
