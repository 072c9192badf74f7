// The plain-SQL revision format: header keys, merges, located errors, and
// render -> parse giving back what was rendered.
#include "script/sql_revision.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sqlmend::script {
namespace {

// A compact dump of a parsed revision, for table-driven comparisons.
std::string Dump(const SqlRevision& r) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  return "rev=" + r.revision + " down=" + join(r.down_revisions) + " labels=" +
         join(r.branch_labels) + " deps=" + join(r.depends_on) + " msg=" + r.message +
         " date=" + r.create_date + " up@" + std::to_string(r.upgrade_line) + "=" + r.upgrade_sql +
         "|down@" + std::to_string(r.downgrade_line) + "=" + r.downgrade_sql;
}

struct ParseCase {
  const char* text;
  const char* expected;  // Dump(), or "error: <object>: <message>"
};

TEST(SqlRevisionTest, Parses) {
  const ParseCase cases[] = {
      {"-- revision: a1\n-- down_revision: None\n-- upgrade\nCREATE TABLE t (x);\n-- downgrade\nDROP TABLE t;\n",
       "rev=a1 down= labels= deps= msg= date= up@4=CREATE TABLE t (x);\n|down@6=DROP TABLE t;\n"},
      // Keys are case-insensitive; "revises" is down_revision; a merge.
      {"-- Revision: m\n-- REVISES: a, b\n-- message: merge a and b\n-- upgrade\n",
       "rev=m down=a,b labels= deps= msg=merge a and b date= up@5=|down@0="},
      {"-- revision: c\n-- down_revision: b\n-- branch_labels: auth, web\n-- depends_on: x1,x2\n"
       "-- create_date: 2024-01-02 03:04:05.000001\n\n-- upgrade\n\n-- downgrade\n",
       "rev=c down=b labels=auth,web deps=x1,x2 msg= date=2024-01-02 03:04:05.000001 up@8=\n|down@10="},
      // Plain comments and prose with a colon are allowed in the header.
      {"-- a note\n-- Note that: this is prose\n-- revision: d\n-- down_revision:\n-- upgrade\nSELECT 1;",
       "rev=d down= labels= deps= msg= date= up@6=SELECT 1;|down@0="},
      // Section markers are matched whatever their case and surrounding blanks.
      {"-- revision: e\n  -- UPGRADE  \nSELECT 1;\n-- Downgrade\nSELECT 2;\n",
       "rev=e down= labels= deps= msg= date= up@3=SELECT 1;\n|down@5=SELECT 2;\n"},
      {"-- revision: f\n-- down_revison: a\n-- upgrade\n",
       "error: f.sql:2: unknown header key 'down_revison'"},
      {"-- revision: g\nCREATE TABLE t (x);\n-- upgrade\n",
       "error: f.sql:2: SQL before the '-- upgrade' line (the header holds only comments)"},
      {"-- down_revision: a\n-- upgrade\n", "error: f.sql:1: no '-- revision: <id>' header line"},
      {"-- revision: h\n", "error: f.sql:1: no '-- upgrade' section"},
      {"-- revision: i\n-- upgrade\n-- upgrade\n", "error: f.sql:3: a second '-- upgrade' section"},
      {"-- revision: j\n-- upgrade\n-- downgrade\n-- downgrade\n",
       "error: f.sql:4: a second '-- downgrade' section"},
  };
  for (const ParseCase& c : cases) {
    auto parsed = ParseSqlRevision(c.text, "f.sql");
    std::string got = parsed ? Dump(*parsed) : "error: " + parsed.error().ToString();
    EXPECT_EQ(got, c.expected) << "input:\n" << c.text;
  }
}

TEST(SqlRevisionTest, RenderThenParseGivesTheSameRevision) {
  std::vector<SqlRevision> revisions(4);
  revisions[0].revision = "a1";
  revisions[1].revision = "b2";
  revisions[1].down_revisions = {"a1"};
  revisions[1].message = "add users.email";
  revisions[1].create_date = "2026-11-24 23:18:07.123456";
  revisions[2].revision = "m3";
  revisions[2].down_revisions = {"b2", "x9"};
  revisions[2].branch_labels = {"auth", "web"};
  revisions[2].depends_on = {"d1", "d2"};
  revisions[3].revision = "s4";
  revisions[3].down_revisions = {"m3"};
  revisions[3].upgrade_sql = "CREATE TABLE t (x);\n";
  revisions[3].downgrade_sql = "DROP TABLE t;\n";
  for (SqlRevision& r : revisions) {
    r.path = "r.sql";
    std::string text = RenderSqlRevision(r);
    auto parsed = ParseSqlRevision(text, "r.sql");
    ASSERT_TRUE(parsed) << parsed.error().ToString() << "\n" << text;
    EXPECT_EQ(parsed->revision, r.revision) << text;
    EXPECT_EQ(parsed->down_revisions, r.down_revisions) << text;
    EXPECT_EQ(parsed->branch_labels, r.branch_labels) << text;
    EXPECT_EQ(parsed->depends_on, r.depends_on) << text;
    EXPECT_EQ(parsed->message, r.message) << text;
    EXPECT_EQ(parsed->create_date, r.create_date) << text;
    EXPECT_EQ(parsed->upgrade_sql, r.upgrade_sql + "\n") << text;
    EXPECT_EQ(parsed->downgrade_sql, r.downgrade_sql) << text;
    EXPECT_EQ(RenderSqlRevision(*parsed).substr(0, text.find("-- upgrade")),
              text.substr(0, text.find("-- upgrade")));
  }
}

}  // namespace
}  // namespace sqlmend::script
