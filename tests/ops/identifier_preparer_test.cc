// SqlalchemyQuote checked against SQLAlchemy's own SQLite identifier
// preparer, run once for the whole table of names.
#include "ops/identifier_preparer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::ops {
namespace {

TEST(IdentifierPreparerTest, QuotesAsSqlalchemyDoes) {
  const std::vector<std::string> names = {
      "a",     "A",     "order",   "ORDER",      "Order",    "abort",
      "rowid", "_x",    "$x",      "x$",         "1a",       "a1",
      "a b",   "x-y",   "naïve",   "é",          "q\"t",     "select",
      "key",   "index", "primary", "userId",     "user_id",  "current_timestamp",
      "ſ",     "xı",    "İ",       "ß",          "K",        "group",
      "plan",  "query", "temp",    "table_name", "__init__", "t.c",
      "[x]",   "`x`",   "a\tb",    "GLOB"};
  // Each name goes to Python as hex, each answer comes back as hex.
  std::string script =
      "from sqlalchemy.dialects import sqlite\n"
      "p = sqlite.dialect().identifier_preparer\n"
      "for h in [";
  for (const std::string& name : names) {
    std::string hex;
    for (unsigned char c : name) {
      char byte[3];
      std::snprintf(byte, sizeof byte, "%02x", c);
      hex += byte;
    }
    script += "'" + hex + "', ";
  }
  script += "]:\n    print(p.quote(bytes.fromhex(h).decode()).encode().hex())\n";
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("quote.py"), script);
  const testutil::RunResult run =
      testutil::RunCommand("/usr/bin/python3 " + testutil::ShellQuote(dir.File("quote.py")));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string line;
  for (const std::string& name : names) {
    ASSERT_TRUE(std::getline(lines, line)) << name;
    std::string expected;
    for (size_t i = 0; i + 1 < line.size(); i += 2) {
      expected += static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16));
    }
    EXPECT_EQ(SqlalchemyQuote(name), expected) << name;
    EXPECT_EQ(SqlalchemyRequiresQuotes(name), expected != name) << name;
  }
}

}  // namespace
}  // namespace sqlmend::ops
