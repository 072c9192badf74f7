// Test-only: the databases a fleet test tree is made of, built through the
// real SQLite at test time, and small helpers over a run's results.
#pragma once

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "batch/summary.h"
#include "testutil/testutil.h"

namespace sqlmend::batch::fleet_tree {

// A parent, a child that references it, a few rows.
inline constexpr char kSetup[] = R"(
PRAGMA legacy_alter_table=OFF;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT);
INSERT INTO users VALUES (1,'a'),(2,'b');
INSERT INTO posts VALUES (10,1,'p1'),(11,2,'p2');
)";

// The rename-first migration that leaves posts naming users__old.
inline constexpr char kMigrate[] = R"(
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
INSERT INTO users(id, name) SELECT id, name FROM users__old;
DROP TABLE users__old;
)";

// A leftover name that matches no live table: fix-fk refuses.
inline constexpr char kUnresolvable[] = R"(
ALTER TABLE users RENAME TO zz_gone;
CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
DROP TABLE zz_gone;
)";

inline void MakeParent(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
}
inline void Broken(const std::string& path) {
  MakeParent(path);
  testutil::ExecSql(path, std::string(kSetup) + kMigrate);
}
inline void Healthy(const std::string& path) {
  MakeParent(path);
  testutil::ExecSql(path, kSetup);
}
inline void Unresolvable(const std::string& path) {
  MakeParent(path);
  testutil::ExecSql(path, std::string(kSetup) + kUnresolvable);
}
// A broken database whose migration lives only in its -wal (the connection
// closes without checkpointing).
inline void BrokenInWal(const std::string& path) {
  MakeParent(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
  };
  exec("PRAGMA journal_mode=WAL;");
  exec(kSetup);
  exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
  exec(kMigrate);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_close(db);
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
}
// The first `bytes` bytes of a broken database: a header, then nothing.
inline void Truncated(const std::string& path, size_t bytes = 1000) {
  Broken(path + ".whole");
  testutil::WriteFile(path, testutil::ReadFile(path + ".whole").substr(0, bytes));
  std::filesystem::remove(path + ".whole");
}

// Tables whose REFERENCES name a table that does not exist.
inline int DanglingTables(const std::string& path) {
  auto rows = testutil::Query(path,
      "SELECT count(DISTINCT m.name) FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f"
      " WHERE m.type = 'table' AND f.\"table\" NOT IN"
      " (SELECT name FROM sqlite_schema WHERE type = 'table')");
  return rows.empty() ? -1 : std::stoi(rows[0]);
}

// The result for `path` (by path or link); fails the test when absent or
// reported twice.
inline const FileResult* Find(const Summary& summary, const std::string& path) {
  const FileResult* found = nullptr;
  for (const auto& r : summary.results) {
    if (r.path == path || r.link == path) {
      EXPECT_EQ(found, nullptr) << path << " reported twice";
      found = &r;
    }
  }
  EXPECT_NE(found, nullptr) << path << " not reported";
  return found;
}

inline std::string OutcomeOf(const Summary& summary, const std::string& path) {
  const FileResult* r = Find(summary, path);
  return r ? std::string(OutcomeName(r->outcome)) : "<none>";
}

// Every file under `root` whose name carries the temporary marker.
inline std::vector<std::string> Leftovers(const std::string& root) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().filename().string().find(".sqlmend-tmp-") != std::string::npos) {
      out.push_back(e.path());
    }
  }
  return out;
}

// (mtime_ns, bytes) of a file: what "untouched" means.
struct Touch {
  int64_t mtime_ns = 0;
  std::string bytes;
  bool operator==(const Touch&) const = default;
};
inline Touch TouchOf(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          testutil::ReadFile(path)};
}

}  // namespace sqlmend::batch::fleet_tree
