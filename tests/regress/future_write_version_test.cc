// Bug: fix-fk exited 5 ("environment: read-only file") on a database whose
// header gives a file format write version above 2. SQLite opens such a
// file read-only (a format newer than it can write), so the first write
// failed with "attempt to write a readonly database", as if the file or its
// folder were read-only. The file is the problem, not the environment: it
// is unusable input for a command that writes it or copies it (exit 4, with
// the reason), while check-fk and fix-fk --dry-run, which only read, still
// report on it.
#include <gtest/gtest.h>

#include <fstream>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

void SetWriteVersion(const std::string& path, char version) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(18);
  file.put(version);
}

TEST(RegressFutureWriteVersion, FixFkRefusesAsUnusableInput) {
  testutil::TempDir dir;
  const std::string path = dir.File("app.db");
  testutil::ExecSql(path,
                    "CREATE TABLE users(id INTEGER PRIMARY KEY);"
                    "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id REFERENCES users(id));"
                    "ALTER TABLE users RENAME TO users_old;"
                    "CREATE TABLE users(id INTEGER PRIMARY KEY); DROP TABLE users_old;");
  SetWriteVersion(path, 3);
  const testutil::Snapshot before = testutil::TakeSnapshot(path);
  const std::string quoted = testutil::ShellQuote(path);

  auto fix = testutil::RunSqlmend("fix-fk " + quoted);
  EXPECT_EQ(fix.exit_code, 4) << fix.err;
  EXPECT_EQ(fix.err, "sqlmend: " + path +
                         ": file format write version 3 is newer than this SQLite can write "
                         "(header byte 18; it reads the file but writes only versions 1 and "
                         "2)\n");
  EXPECT_EQ(testutil::RunSqlmend("fix-fk --output " +
                                 testutil::ShellQuote(dir.File("out.db")) + " " + quoted)
                .exit_code,
            4);
  EXPECT_EQ(testutil::RunSqlmend("fix-fk --stamp abc " + quoted).exit_code, 4);
  EXPECT_EQ(testutil::RunSqlmend("doctor --fix " + quoted).exit_code, 4);
  // Reading it is fine.
  EXPECT_EQ(testutil::RunSqlmend("check-fk " + quoted).exit_code, 1);
  EXPECT_EQ(testutil::RunSqlmend("fix-fk --dry-run " + quoted).exit_code, 1);
  EXPECT_EQ(testutil::TakeSnapshot(path), before);
  EXPECT_EQ(testutil::ListDir(dir.path()), std::vector<std::string>{"app.db"});
}

}  // namespace
}  // namespace sqlmend
