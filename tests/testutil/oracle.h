// Test-only: running a Python oracle script whose cases each print "CASE",
// then "ON <hex>" for each statement SQLAlchemy or Alembic produced (and
// "OFF <hex>" for each it wrote in --sql form), or "ERR <hex>" for the
// exception it raised ("Class: message"), and reading the outcomes back
// (hex.h carries the bytes).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sqlmend::testutil {

struct OracleOutcome {
  std::vector<std::string> statements;  // "ON" lines
  std::vector<std::string> offline;     // "OFF" lines
  std::optional<std::string> error;
};

// Runs `script` with Debian's /usr/bin/python3 (PYTHONHASHSEED=0) and
// returns one outcome per "CASE" line it printed; a failing run is a test
// failure (and fewer outcomes).
std::vector<OracleOutcome> RunCaseOracle(const std::string& script);

// Statements one per line, each in brackets: a readable diff in EXPECT_EQ.
std::string ShowStatements(const std::vector<std::string>& statements);

}  // namespace sqlmend::testutil
