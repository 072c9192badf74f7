// The plain-SQL revision format, for teams that want no Python at all.
//
// A .sql file in a versions folder is one revision: a header of
// "-- key: value" comment lines, then an upgrade and a downgrade section,
// each opened by a line that reads exactly "-- upgrade" or "-- downgrade":
//
//   -- revision: 0c3414079bfe
//   -- down_revision: 1a2b3c4d5e6f        (empty or None: a base; "a, b": a merge)
//   -- branch_labels: auth               (optional, comma-separated)
//   -- depends_on: 9f8e7d6c5b4a          (optional, comma-separated)
//   -- message: add users.email          (optional; history and logs show it)
//   -- create_date: 2026-11-24 23:18:07.123456   (optional)
//
//   -- upgrade
//   ALTER TABLE users ADD COLUMN email TEXT;
//
//   -- downgrade
//   ALTER TABLE users DROP COLUMN email;
//
// Keys are case-insensitive; unknown keys are an error (a typo must not
// silently drop a dependency). The sections hold any SQL SQLite accepts,
// split into statements as sqlite3_complete() would; an empty section is a
// revision that changes nothing in that direction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::script {

struct SqlRevision {
  std::string path;
  std::string revision;
  std::vector<std::string> down_revisions;  // empty: a base revision
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string message;
  std::string create_date;
  std::string upgrade_sql;    // the section's text, statements not yet split
  std::string downgrade_sql;
  int upgrade_line = 0;       // 1-based line of the first upgrade SQL line
  int downgrade_line = 0;
};

// Parses the text of a .sql revision. Errors name `path` and the line:
// "path:3: unknown header key 'down_revison'".
base::Result<SqlRevision> ParseSqlRevision(std::string_view text, const std::string& path);

// Renders a new .sql revision file with the given identifiers and empty
// sections (what `revision -m` writes for an SQL project).
std::string RenderSqlRevision(const SqlRevision& revision);

}  // namespace sqlmend::script
