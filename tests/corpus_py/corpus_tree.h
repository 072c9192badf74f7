// Test-only: the trees of fixtures/pyrev_corpus/ (see its README.md) copied
// into a temporary folder and run by alembic 1.8.1 or by sqlmend from inside
// that folder, as a user would (Alembic 1.8.1 resolves script_location
// against the working folder; every alembic.ini points sqlalchemy.url at
// %(here)s/app.db, so each copy has its own database).
#pragma once

#include <filesystem>
#include <string>

#include "testutil/testutil.h"

namespace sqlmend::corpus {

// fixtures/pyrev_corpus.
inline std::string CorpusFolder() { return std::string(SQLMEND_FIXTURES) + "/pyrev_corpus"; }

// Copies fixtures/pyrev_corpus/<tree> to `to` (created when missing),
// leaving out anything a manual alembic run may have left in the fixture
// (databases, bytecode).
inline void CopyTree(const std::string& tree, const std::string& to) {
  namespace fs = std::filesystem;
  const fs::path from = CorpusFolder() + "/" + tree;
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path& path = it->path();
    if (path.filename() == "__pycache__") {
      it.disable_recursion_pending();
      continue;
    }
    if (path.extension() == ".db" || path.extension() == ".pyc") continue;
    const fs::path target = fs::path(to) / fs::relative(path, from);
    if (it->is_directory()) {
      fs::create_directories(target);
    } else {
      fs::create_directories(target.parent_path());
      fs::copy_file(path, target, fs::copy_options::overwrite_existing);
    }
  }
}

// Runs Debian's alembic (not whatever `alembic` is on PATH) in `project`,
// with a fixed hash seed so any failure is reproducible (Alembic orders some
// output by Python set order).
inline testutil::RunResult RunAlembic(const std::string& project, const std::string& args) {
  return testutil::RunCommand("cd " + testutil::ShellQuote(project) +
                              " && PYTHONHASHSEED=0 /usr/bin/alembic " + args);
}

// Runs the built sqlmend in `project`.
inline testutil::RunResult RunOurs(const std::string& project, const std::string& args) {
  return testutil::RunCommand("cd " + testutil::ShellQuote(project) + " && " +
                              testutil::ShellQuote(SQLMEND_BIN) + " " + args);
}

}  // namespace sqlmend::corpus
