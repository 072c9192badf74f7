// Shared by the regression tests: build a database from SQL, run fix-fk,
// return the report.
#pragma once

#include <string>

#include "repair/fix_fk.h"
#include "testutil/testutil.h"

namespace sqlmend::regress {

inline base::Status FixSql(const testutil::TempDir& dir, const std::string& sql,
                           repair::Report* report, std::string* path_out = nullptr) {
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, sql);
  if (path_out) *path_out = path;
  return repair::FixFk(path, {}, report);
}

}  // namespace sqlmend::regress
