// Token-level rewriting: only identifier tokens naming a renamed table
// change; literals, comments, DEFAULT and CHECK text never do.
#include "schema/rewriter.h"

#include <gtest/gtest.h>

namespace sqlmend::schema {
namespace {

const RenameMap kRenames = {{"users__old", "users"}, {"we\"ird_old", "we\"ird"}};

struct RewriteCase {
  const char* input;
  const char* expected;
};

TEST(RewriterTest, References) {
  const RewriteCase cases[] = {
      {R"(CREATE TABLE p(u INTEGER REFERENCES "users__old"(id)))",
       R"(CREATE TABLE p(u INTEGER REFERENCES "users"(id)))"},
      {R"(CREATE TABLE p(u REFERENCES USERS__OLD ON DELETE CASCADE))",
       R"(CREATE TABLE p(u REFERENCES "users" ON DELETE CASCADE))"},
      {R"(CREATE TABLE p(u, FOREIGN KEY(u) REFERENCES [users__old] (id) DEFERRABLE INITIALLY DEFERRED))",
       R"(CREATE TABLE p(u, FOREIGN KEY(u) REFERENCES "users" (id) DEFERRABLE INITIALLY DEFERRED))"},
      {R"(CREATE TABLE p(u REFERENCES `users__old`, note TEXT DEFAULT 'users__old' CHECK (note <> 'users__old')) /* users__old */)",
       R"(CREATE TABLE p(u REFERENCES "users", note TEXT DEFAULT 'users__old' CHECK (note <> 'users__old')) /* users__old */)"},
      {R"(CREATE TABLE p(u REFERENCES /* c */ "users__old"))",
       R"(CREATE TABLE p(u REFERENCES /* c */ "users"))"},
      {R"(CREATE TABLE p(u REFERENCES "we""ird_old"(id)))",
       R"(CREATE TABLE p(u REFERENCES "we""ird"(id)))"},
      {R"(CREATE TABLE users__old_log(x REFERENCES other))",
       R"(CREATE TABLE users__old_log(x REFERENCES other))"},
  };
  for (const RewriteCase& c : cases) {
    EXPECT_EQ(RewriteReferences(c.input, kRenames).sql, c.expected) << c.input;
  }
}

TEST(RewriterTest, ViewsAndTriggers) {
  const RewriteCase cases[] = {
      {R"(CREATE VIEW v AS SELECT "users__old".id, 'users__old' FROM "users__old" -- users__old)",
       R"(CREATE VIEW v AS SELECT "users".id, 'users__old' FROM "users" -- users__old)"},
      {R"(CREATE VIEW v AS SELECT * FROM main."users__old" JOIN (SELECT * FROM "users__old") s)",
       R"(CREATE VIEW v AS SELECT * FROM main."users" JOIN (SELECT * FROM "users") s)"},
      // A column named like the table, qualified by an alias, stays.
      {R"(CREATE VIEW v AS SELECT a.users__old FROM t a)",
       R"(CREATE VIEW v AS SELECT a.users__old FROM t a)"},
      {R"(CREATE TRIGGER tr AFTER INSERT ON c BEGIN INSERT INTO "users__old"(id) VALUES(1); UPDATE "users__old" SET x=1; DELETE FROM "users__old"; END)",
       R"(CREATE TRIGGER tr AFTER INSERT ON c BEGIN INSERT INTO "users"(id) VALUES(1); UPDATE "users" SET x=1; DELETE FROM "users"; END)"},
  };
  for (const RewriteCase& c : cases) {
    EXPECT_EQ(RewriteTableNames(c.input, kRenames).sql, c.expected) << c.input;
  }
}

TEST(RewriterTest, UntouchedTextIsByteIdentical) {
  std::string sql = "CREATE TABLE t(a TEXT DEFAULT 'x', b REFERENCES other)";
  Rewritten r = RewriteReferences(sql, kRenames);
  EXPECT_EQ(r.sql, sql);
  EXPECT_EQ(r.edits, 0);
}

}  // namespace
}  // namespace sqlmend::schema

namespace sqlmend::schema {
namespace {

// A column spelt like the leftover table stays; only table positions change.
TEST(RewriterTest, ColumnsSpeltLikeTheTableStay) {
  const RenameMap renames = {{"price_old", "price"}};
  const RewriteCase cases[] = {
      {"CREATE VIEW v AS SELECT price_old FROM quotes WHERE price_old > 0",
       "CREATE VIEW v AS SELECT price_old FROM quotes WHERE price_old > 0"},
      {"CREATE VIEW v AS SELECT q.price_old, price_old AS again, price_old.amount FROM quotes AS q, "
       "price_old JOIN x ON x.a = price_old.id",
       "CREATE VIEW v AS SELECT q.price_old, price_old AS again, \"price\".amount FROM quotes AS q, "
       "\"price\" JOIN x ON x.a = \"price\".id"},
      {"CREATE VIEW v AS SELECT * FROM (SELECT price_old FROM price_old) s, price_old",
       "CREATE VIEW v AS SELECT * FROM (SELECT price_old FROM \"price\") s, \"price\""},
      {"CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE OR REPLACE price_old SET price_old = 1; END",
       "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE OR REPLACE \"price\" SET price_old = 1; END"},
  };
  for (const RewriteCase& c : cases) {
    EXPECT_EQ(RewriteTableNames(c.input, renames).sql, c.expected) << c.input;
  }
}

}  // namespace
}  // namespace sqlmend::schema
