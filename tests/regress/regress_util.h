// Shared by the regression tests: build a database from SQL, run fix-fk,
// return the report.
#pragma once

#include <string>
#include <vector>

#include "graph/revision.h"

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

// A chain r0 <- r1 <- ... of `length` revisions.
inline std::vector<graph::Revision> Chain(int length) {
  std::vector<graph::Revision> chain;
  chain.reserve(length);
  for (int i = 0; i < length; ++i) {
    chain.push_back(graph::Rev("r" + std::to_string(i),
                               i == 0 ? std::vector<std::string>{}
                                      : std::vector<std::string>{"r" + std::to_string(i - 1)}));
  }
  return chain;
}

}  // namespace sqlmend::regress
