// doctor on files holding the debris failed migrations leave, built with the
// statements those migrations run: what it reports, that it writes nothing
// without --fix, and what --fix repairs (and leaves, with the reason).
#include "repair/doctor.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::repair {
namespace {

using testutil::Query;

// An Alembic batch rebuild of posts stopped before DROP TABLE; one of users
// stopped between DROP TABLE and the rename (foreign keys off, so posts
// still says REFERENCES users); a rename-first rebuild left tags_old.
constexpr char kDebris[] = R"(
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1, 'a'), (2, 'b');
INSERT INTO posts VALUES (1, 1), (2, 2);
CREATE TABLE _alembic_tmp_posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), extra TEXT);
INSERT INTO _alembic_tmp_posts(id, user_id) SELECT id, user_id FROM posts;
CREATE TABLE _alembic_tmp_users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO _alembic_tmp_users(id, name) SELECT id, name FROM users;
DROP TABLE users;
CREATE TABLE tags(id INTEGER PRIMARY KEY);
CREATE TABLE tags_old(id INTEGER PRIMARY KEY);
INSERT INTO tags_old VALUES (5);
)";

class DoctorTest : public ::testing::Test {
 protected:
  std::string Make(const std::string& sql) {
    std::string path = dir_.File("app.sqlite");
    testutil::ExecSql(path, sql);
    return path;
  }

  // Runs doctor --fix on `path`.
  static base::Code Fix(const std::string& path, DoctorReport* report) {
    DoctorOptions options;
    options.fix = true;
    return Doctor(path, options, report).code();
  }

  static const DoctorFinding* Find(const DoctorReport& report, const std::string& object) {
    for (const auto& f : report.findings) {
      if (f.object == object) return &f;
    }
    return nullptr;
  }

  testutil::TempDir dir_;
};

TEST_F(DoctorTest, HealthyFileHasNothingAndIsNotWritten) {
  std::string path = Make("CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
  auto before = testutil::TakeSnapshot(path);
  DoctorOptions options;
  options.fix = true;
  DoctorReport report;
  EXPECT_OK(Doctor(path, options, &report));
  EXPECT_TRUE(report.findings.empty());
  EXPECT_FALSE(report.fix_ran);
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
}

TEST_F(DoctorTest, ReportsDebrisWithReasonsAndWritesNothing) {
  std::string path = Make(kDebris);
  auto before = testutil::TakeSnapshot(path);
  auto listing = testutil::ListDir(dir_.path());
  DoctorReport report;
  EXPECT_EQ(Doctor(path, {}, &report).code(), base::Code::kDamage);
  const DoctorFinding* posts = Find(report, "table _alembic_tmp_posts");
  ASSERT_NE(posts, nullptr);
  EXPECT_NE(posts->problem.find("posts still exists with 2 rows"), std::string::npos) << posts->problem;
  EXPECT_NE(posts->fix.find("drop _alembic_tmp_posts"), std::string::npos);
  const DoctorFinding* users = Find(report, "table _alembic_tmp_users");
  ASSERT_NE(users, nullptr);
  EXPECT_NE(users->problem.find("users is missing"), std::string::npos) << users->problem;
  EXPECT_NE(users->fix.find("rename _alembic_tmp_users to users"), std::string::npos);
  // Alembic records a revision after its last step: this one never was.
  EXPECT_NE(users->problem.find("alembic_version still holds no revision"), std::string::npos)
      << users->problem;
  const DoctorFinding* tags = Find(report, "table tags_old");
  ASSERT_NE(tags, nullptr);
  EXPECT_TRUE(tags->fix.empty());
  EXPECT_NE(tags->left.find("DROP TABLE it yourself"), std::string::npos);
  // posts REFERENCES users, which the rename brings back: not dangling.
  for (const auto& f : report.findings) EXPECT_NE(f.kind, "dangling") << f.object;
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
  EXPECT_EQ(testutil::ListDir(dir_.path()), listing);
}

TEST_F(DoctorTest, FixFinishesTheBatchAndLeavesTheRest) {
  std::string path = Make(kDebris);
  DoctorReport report;
  EXPECT_EQ(Fix(path, &report), base::Code::kDamage);  // tags_old stays
  EXPECT_TRUE(report.fix_ran);
  EXPECT_TRUE(Find(report, "table _alembic_tmp_posts")->fixed);
  EXPECT_TRUE(Find(report, "table _alembic_tmp_users")->fixed);
  EXPECT_FALSE(Find(report, "table tags_old")->fixed);
  EXPECT_EQ(Query(path, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"),
            (std::vector<std::string>{"posts", "tags", "tags_old", "users"}));
  EXPECT_EQ(Query(path, "SELECT id, name, quote(email) FROM users"),
            (std::vector<std::string>{"1|a|NULL", "2|b|NULL"}));
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
  ASSERT_FALSE(report.repair.backup_path.empty());
  EXPECT_EQ(Query(report.repair.backup_path, "SELECT count(*) FROM _alembic_tmp_users"),
            std::vector<std::string>{"2"});
  DoctorReport again;
  EXPECT_EQ(Doctor(path, {}, &again).code(), base::Code::kDamage);
  ASSERT_EQ(again.findings.size(), 1u);
  EXPECT_EQ(again.findings[0].object, "table tags_old");
}

TEST_F(DoctorTest, TemporaryWithMoreRowsIsLeftWithTheReason) {
  std::string path = Make(R"(
CREATE TABLE t(id INTEGER PRIMARY KEY);
CREATE TABLE _alembic_tmp_t(id INTEGER PRIMARY KEY);
INSERT INTO _alembic_tmp_t VALUES (1), (2);
INSERT INTO t VALUES (1);
)");
  auto before = testutil::TakeSnapshot(path);
  DoctorReport report;
  EXPECT_EQ(Fix(path, &report), base::Code::kDamage);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].left.find("more rows than t"), std::string::npos);
  EXPECT_FALSE(report.fix_ran);
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
}

TEST_F(DoctorTest, VersionTableAgainstTheProject) {
  std::string path = Make(
      "CREATE TABLE alembic_version(version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
      "INSERT INTO alembic_version VALUES ('aaa'), ('zzz');");
  DoctorOptions options;
  options.fix = true;
  options.known_revisions = std::set<std::string>{"aaa", "bbb"};
  options.heads = 1;
  DoctorReport report;
  EXPECT_EQ(Doctor(path, options, &report).code(), base::Code::kDamage);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].kind, "version-rows");
  EXPECT_EQ(report.findings[1].kind, "unknown-revision");
  EXPECT_NE(report.findings[1].problem.find("zzz"), std::string::npos);
  EXPECT_FALSE(report.fix_ran);
  // Without the project, several rows may be branches: nothing to say.
  DoctorReport plain;
  EXPECT_OK(Doctor(path, {}, &plain));
}

TEST_F(DoctorTest, DanglingNamesAreFixedAsFixFkFixesThem) {
  std::string path = Make(R"(
CREATE TABLE users(id INTEGER PRIMARY KEY);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1);
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(id INTEGER PRIMARY KEY, x);
INSERT INTO users(id) SELECT id FROM users__old;
DROP TABLE users__old;
)");
  DoctorOptions options;
  options.fix = true;
  DoctorReport report;
  EXPECT_OK(Doctor(path, options, &report));
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, "dangling");
  EXPECT_TRUE(report.findings[0].fixed);
  EXPECT_EQ(Query(path, "SELECT \"table\" FROM pragma_foreign_key_list('posts')"),
            std::vector<std::string>{"users"});
}

TEST_F(DoctorTest, AnUnresolvableNameLeavesEverythingWithTheReason) {
  std::string path = Make(R"(
CREATE TABLE t(id INTEGER PRIMARY KEY);
CREATE TABLE _alembic_tmp_t(id INTEGER PRIMARY KEY);
CREATE TABLE c(id INTEGER PRIMARY KEY, x REFERENCES zzz_gone(id));
)");
  auto before = testutil::TakeSnapshot(path);
  DoctorReport report;
  EXPECT_EQ(Fix(path, &report), base::Code::kDamage);
  EXPECT_FALSE(report.fix_ran);
  const DoctorFinding* tmp = Find(report, "table _alembic_tmp_t");
  ASSERT_NE(tmp, nullptr);
  EXPECT_NE(tmp->left.find("cannot be resolved"), std::string::npos) << tmp->left;
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
}

TEST_F(DoctorTest, NonDatabaseIsRefusedUntouched) {
  std::string path = dir_.File("notes.txt");
  testutil::WriteFile(path, "not sqlite");
  DoctorReport report;
  EXPECT_EQ(Doctor(path, {}, &report).code(), base::Code::kUnusableInput);
  EXPECT_EQ(testutil::ReadFile(path), "not sqlite");
}

}  // namespace
}  // namespace sqlmend::repair
