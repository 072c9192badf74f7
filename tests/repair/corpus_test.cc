// The fix-fk corpus, checked against SQLite itself. Each fixtures/fk/<case>.sql
// builds two files from the same SQL (testutil/corpus.h): broken.db with
// SQLite 3.26+ rename semantics, which leave the references dangling, and
// good.db with legacy_alter_table=ON, the file the migration's authors
// expected. fix-fk must turn the first into the second: same schema up to
// quoting and case of names, same rows with the same rowids and exact
// values, same header settings, same foreign_key_check count, a clean
// integrity_check. Refused and healthy cases must leave every byte alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "base/status.h"
#include "repair/analyze.h"
#include "repair/dump.h"
#include "sqlite/db.h"
#include "repair/fix_fk.h"
#include "repair/report.h"
#include "testutil/corpus.h"
#include "testutil/testutil.h"

namespace sqlmend::repair {
namespace {

namespace fs = std::filesystem;
using testutil::Fixture;

// The image of a copy of `path` (with its -wal), so that reading never
// checkpoints, deletes or adds a file beside `path`.
testutil::DbImage ImageOfCopy(const std::string& path, const std::string& copy) {
  EXPECT_OK(testutil::CopyDatabase(path, copy));
  auto image = testutil::ReadImage(copy);
  EXPECT_TRUE(image.has_value()) << image.error().ToString();
  return image.value_or(testutil::DbImage{});
}

// The comparator must not be vacuous: it sees what fix-fk could get wrong.
TEST(CorpusCompareTest, NormalizeSqlIgnoresOnlyQuotingCaseAndSpace) {
  EXPECT_EQ(testutil::NormalizeSql("CREATE TABLE c(p REFERENCES [Users] (id))"),
            testutil::NormalizeSql("create table c(p references \"users\"(ID))"));
  EXPECT_EQ(testutil::NormalizeSql("CREATE TABLE c(p REFERENCES \"we\"\"ird\")"),
            testutil::NormalizeSql("CREATE TABLE c(p REFERENCES `we\"ird`)"));
  EXPECT_NE(testutil::NormalizeSql("CREATE TABLE c(n DEFAULT 'users_old')"),
            testutil::NormalizeSql("CREATE TABLE c(n DEFAULT 'users')"));
  EXPECT_NE(testutil::NormalizeSql("CREATE TABLE c(n) /* users_old */"),
            testutil::NormalizeSql("CREATE TABLE c(n) /* users */"));
  EXPECT_NE(testutil::NormalizeSql("CREATE TABLE c(p REFERENCES \"a b\")"),
            testutil::NormalizeSql("CREATE TABLE c(p REFERENCES a b)"));
}

TEST(CorpusCompareTest, DiffImagesSeesRowidsExactValuesAndHeader) {
  testutil::TempDir dir;
  const std::string setup =
      "CREATE TABLE t(a, r REAL); INSERT INTO t VALUES (-0.0, 5e-324), (CAST(X'610062' AS TEXT), 1), (3, 3);"
      "DELETE FROM t WHERE rowid = 2; INSERT INTO t VALUES (CAST(X'610062' AS TEXT), 1);";
  testutil::ExecSql(dir.File("a.db"), setup);
  testutil::ExecSql(dir.File("same.db"), setup);
  testutil::ExecSql(dir.File("renumbered.db"), setup + "VACUUM;");
  testutil::ExecSql(dir.File("zero.db"), setup + "UPDATE t SET a = 0.0 WHERE rowid = 1;");
  testutil::ExecSql(dir.File("cut.db"), setup + "UPDATE t SET a = 'a' WHERE rowid = 4;");
  testutil::ExecSql(dir.File("version.db"), setup + "PRAGMA user_version = 7;");
  auto image = [&](const std::string& name) {
    auto result = testutil::ReadImage(dir.File(name));
    EXPECT_TRUE(result.has_value()) << name;
    return result.value_or(testutil::DbImage{});
  };
  const testutil::DbImage a = image("a.db");
  EXPECT_EQ(testutil::DiffImages(a, image("same.db")), "");
  EXPECT_NE(testutil::DiffImages(a, image("renumbered.db")), "");  // VACUUM renumbers rowids
  EXPECT_NE(testutil::DiffImages(a, image("zero.db")), "");        // -0.0 became 0.0
  EXPECT_NE(testutil::DiffImages(a, image("cut.db")), "");         // text cut at its NUL
  EXPECT_NE(testutil::DiffImages(a, image("version.db")), "");
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, FixFkGivesTheFileLegacyRenameGives) {
  auto fixture = testutil::LoadFixture(testutil::CorpusFolder(), GetParam());
  ASSERT_TRUE(fixture.has_value()) << fixture.error().ToString();
  SCOPED_TRACE(fixture->description);
  testutil::TempDir dir;
  testutil::TempDir scratch;
  ASSERT_OK(testutil::BuildPair(*fixture, dir.path()));
  const std::string broken = dir.File("broken.db");
  const std::string good = dir.File("good.db");

  // 1. The pair is what the fixture claims: the good file is sound and runs
  //    every probe; the broken file is really broken and fails every probe.
  const testutil::DbImage good_image = ImageOfCopy(good, scratch.File("good-copy.db"));
  ASSERT_EQ(good_image.integrity, "ok");
  const testutil::DbImage broken_image = ImageOfCopy(broken, scratch.File("broken-copy.db"));
  if (fixture->expect != Fixture::Expect::kHealthy) {
    testutil::Aspects schema_only{.rows = false, .header = false, .foreign_keys = false, .integrity = false};
    EXPECT_NE(testutil::DiffImages(good_image, broken_image, schema_only), "")
        << "the migration left nothing dangling";
  }
  if (fixture->expect == Fixture::Expect::kFixed) {
    EXPECT_FALSE(fixture->probes.empty()) << "a damaged fixture needs a -- probe: line";
  }
  for (const std::string& probe : fixture->probes) {
    EXPECT_OK(testutil::RunProbe(scratch.File("good-copy.db"), probe));
    EXPECT_FALSE(testutil::RunProbe(scratch.File("broken-copy.db"), probe).ok())
        << "probe succeeds on the broken file: " << probe;
  }
  if (fixture->keep_wal) {
    ASSERT_TRUE(fs::exists(broken + "-wal"));
    ASSERT_GT(fs::file_size(broken + "-wal"), 0u);
  }

  // 2. Repair.
  const testutil::Snapshot before = testutil::TakeSnapshot(broken);
  const std::vector<std::string> listing = testutil::ListDir(dir.path());
  FixOptions options;
  options.maps = fixture->maps;
  options.keep_backup = true;
  Report report;
  const base::Status status = FixFk(broken, options, &report);

  // 3. Refusals and healthy files change nothing on disk.
  if (fixture->expect == Fixture::Expect::kRefused) {
    EXPECT_EQ(status.code(), base::Code::kRefused) << status.ToString();
    EXPECT_TRUE(testutil::TakeSnapshot(broken) == before) << "a refused file changed";
    EXPECT_EQ(testutil::ListDir(dir.path()), listing);
    return;
  }
  if (fixture->expect == Fixture::Expect::kHealthy) {
    EXPECT_OK(status);
    EXPECT_EQ(report.outcome, Report::Outcome::kHealthy);
    EXPECT_TRUE(testutil::TakeSnapshot(broken) == before) << "a healthy file was rewritten";
    EXPECT_EQ(testutil::ListDir(dir.path()), listing);
    return;
  }

  // 4. The repaired file is the good file.
  ASSERT_OK(status);
  EXPECT_EQ(report.outcome, Report::Outcome::kFixed);
  EXPECT_FALSE(fs::exists(broken + "-wal") && fs::file_size(broken + "-wal") > 0)
      << "a stale -wal beside the repaired file would be replayed onto it";
  const testutil::DbImage fixed_image = ImageOfCopy(broken, scratch.File("fixed-copy.db"));
  EXPECT_EQ(testutil::DiffImages(good_image, fixed_image), "");

  // 5. Orphans are reported, one per foreign_key_check row, and kept.
  int64_t orphans = 0;
  for (const AffectedFk& fk : report.fks) {
    EXPECT_GE(fk.orphans, 0) << fk.child << " -> " << fk.target;
    if (fk.orphans > 0) orphans += fk.orphans;
  }
  EXPECT_EQ(orphans, fixed_image.foreign_key_violations);

  // 6. The original is kept, as it was.
  ASSERT_FALSE(report.backup_path.empty());
  ASSERT_TRUE(fs::exists(report.backup_path)) << report.backup_path;
  if (fixture->keep_wal) {
    // The original's content lived partly in its -wal; compare what it says.
    testutil::DbImage backup_image = ImageOfCopy(report.backup_path, scratch.File("backup-copy.db"));
    testutil::Aspects content{.foreign_keys = false, .integrity = false};
    EXPECT_EQ(testutil::DiffImages(broken_image, backup_image, content), "");
  } else {
    EXPECT_TRUE(testutil::ReadFile(report.backup_path) == before.files.at(broken))
        << "the backup differs from the original";
  }

  // 7. Writes that failed on the broken file now succeed.
  for (const std::string& probe : fixture->probes) {
    EXPECT_OK(testutil::RunProbe(scratch.File("fixed-copy.db"), probe));
  }
}

// dump --fix-fk and fix-fk read rows through the same RowShape: the dump,
// loaded by SQLite, must give the same file fix-fk writes (generated
// columns, hidden rowids, short records and all).
TEST_P(CorpusTest, DumpFixFkLoadsIntoTheFileFixFkWrites) {
  auto fixture = testutil::LoadFixture(testutil::CorpusFolder(), GetParam());
  ASSERT_TRUE(fixture.has_value()) << fixture.error().ToString();
  if (fixture->expect != Fixture::Expect::kFixed) GTEST_SKIP() << "nothing to repair";
  testutil::TempDir dir;
  testutil::TempDir scratch;
  ASSERT_OK(testutil::BuildPair(*fixture, dir.path()));
  const testutil::DbImage good_image = ImageOfCopy(dir.File("good.db"), scratch.File("good-copy.db"));
  // What `sqlmend dump --fix-fk` does, on a copy (a -wal stays put).
  ASSERT_OK(testutil::CopyDatabase(dir.File("broken.db"), scratch.File("broken-copy.db")));
  auto db = sqlite::Db::Open(scratch.File("broken-copy.db"), sqlite::OpenMode::kReadOnly, {});
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  auto analysis = Analyze(*db, fixture->maps);
  ASSERT_TRUE(analysis.has_value()) << analysis.error().ToString();
  DumpOptions options;
  options.rewrite_sql = [&](std::string_view type, std::string_view name, std::string_view sql) {
    for (const auto& o : analysis->schema.objects()) {
      if (o.name == name && schema::ObjectTypeName(o.type) == type) return analysis->SqlFor(o);
    }
    return std::string(sql);
  };
  std::ostringstream text;
  ASSERT_OK(WriteDump(*db, options, text));
  db->Close();
  ASSERT_OK(testutil::LoadSql(scratch.File("loaded.db"), text.str()));
  const testutil::DbImage loaded = ImageOfCopy(scratch.File("loaded.db"), scratch.File("loaded-copy.db"));
  EXPECT_EQ(testutil::DiffImages(good_image, loaded), "");
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest,
                         ::testing::ValuesIn(testutil::ListFixtures(testutil::CorpusFolder())),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace sqlmend::repair
