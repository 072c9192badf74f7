#include "testutil/oracle.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testutil/hex.h"
#include "testutil/testutil.h"

namespace sqlmend::testutil {

std::vector<OracleOutcome> RunCaseOracle(const std::string& script) {
  TempDir dir;
  WriteFile(dir.File("oracle.py"), script);
  const RunResult run =
      RunCommand("PYTHONHASHSEED=0 /usr/bin/python3 " + ShellQuote(dir.File("oracle.py")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<OracleOutcome> results;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line == "CASE") {
      results.emplace_back();
    } else if (!results.empty() && line.rfind("ON ", 0) == 0) {
      results.back().statements.push_back(Unhex(line.substr(3)));
    } else if (!results.empty() && line.rfind("OFF ", 0) == 0) {
      results.back().offline.push_back(Unhex(line.substr(4)));
    } else if (!results.empty() && line.rfind("ERR ", 0) == 0) {
      results.back().error = Unhex(line.substr(4));
    }
  }
  return results;
}

std::string ShowStatements(const std::vector<std::string>& statements) {
  std::string out;
  for (const std::string& statement : statements) out += "[" + statement + "]\n";
  return out;
}

}  // namespace sqlmend::testutil
