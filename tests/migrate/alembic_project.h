// Test-only: a real Alembic project in a temporary folder, for differential
// tests of the runner against Alembic 1.8.1.
//
// The project is made by `alembic init -t generic alembic`, its
// sqlalchemy.url points at test.db in the project folder, and each revision
// is a file whose bodies are op.execute("...") calls only. Alembic runs from
// inside the project folder (1.8.1 resolves script_location against the
// working folder), several commands in one Python process to pay Alembic's
// start-up once; sqlmend loads the same project through config::LoadConfig
// and script::ScriptDirectory::Load.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "config/alembic_config.h"
#include "script/script_directory.h"
#include "testutil/testutil.h"

namespace sqlmend::migrate::testing {

// One revision: its id, parents, docstring and the SQL of its bodies.
struct Rev {
  Rev(std::string id, std::vector<std::string> down, std::vector<std::string> up_sql,
      std::vector<std::string> down_sql, std::string doc = "",
      std::vector<std::string> depends_on = {})
      : id(std::move(id)),
        down(std::move(down)),
        up_sql(std::move(up_sql)),
        down_sql(std::move(down_sql)),
        doc(std::move(doc)),
        depends_on(std::move(depends_on)) {}
  std::string id;
  std::vector<std::string> down;
  std::vector<std::string> up_sql;
  std::vector<std::string> down_sql;
  std::string doc;  // default: "revision <id>"
  std::vector<std::string> depends_on;
};

// A Python string literal holding `text`.
inline std::string PythonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

inline std::string PythonIds(const std::vector<std::string>& ids) {
  if (ids.empty()) return "None";
  if (ids.size() == 1) return PythonString(ids[0]);
  std::string out = "(";
  for (const auto& id : ids) out += PythonString(id) + ", ";
  return out + ")";
}

inline std::string RevisionFile(const Rev& rev) {
  auto body = [](const std::vector<std::string>& sql) {
    if (sql.empty()) return std::string("    pass\n");
    std::string out;
    for (const auto& statement : sql) out += "    op.execute(" + PythonString(statement) + ")\n";
    return out;
  };
  return "\"\"\"" + (rev.doc.empty() ? "revision " + rev.id : rev.doc) +
         "\n\n\"\"\"\nfrom alembic import op\n\nrevision = " + PythonString(rev.id) +
         "\ndown_revision = " + PythonIds(rev.down) + "\nbranch_labels = None\ndepends_on = " +
         PythonIds(rev.depends_on) + "\n\n\ndef upgrade():\n" + body(rev.up_sql) +
         "\n\ndef downgrade():\n" + body(rev.down_sql);
}

constexpr char kDriver[] = R"PY(
import shlex, sys
sys.stderr = sys.stdout
from alembic.config import main
for line in open("commands.txt"):
    line = line.strip()
    print("=== " + line, flush=True)
    try:
        main(argv=shlex.split(line), prog="alembic")
    except SystemExit:
        pass
    sys.stdout.flush()
)PY";

class AlembicProject {
 public:
  explicit AlembicProject(const std::vector<Rev>& revisions) {
    auto init = Shell("alembic init -t generic alembic");
    EXPECT_EQ(init.exit_code, 0) << init.out << init.err;
    std::string ini = testutil::ReadFile(dir_.File("alembic.ini"));
    const std::string url_key = "sqlalchemy.url = ";
    size_t at = ini.find(url_key);
    ini.replace(at, ini.find('\n', at) - at, url_key + "sqlite:///test.db");
    testutil::WriteFile(dir_.File("alembic.ini"), ini);
    for (const Rev& rev : revisions) {
      testutil::WriteFile(dir_.File("alembic/versions/" + rev.id + "_r.py"), RevisionFile(rev));
    }
  }

  const std::string& dir() const { return dir_.path(); }
  std::string db() const { return dir_.File("test.db"); }

  testutil::RunResult Shell(const std::string& command) const {
    return testutil::RunCommand("cd " + testutil::ShellQuote(dir_.path()) + " && " + command);
  }

  // Runs `alembic <line>` for each line in one process; returns what each
  // printed to stdout (Alembic's log lines go to stderr and are dropped
  // when `keep_log` is false).
  std::vector<std::string> Alembic(const std::vector<std::string>& lines,
                                   bool keep_log = false) const {
    std::string commands;
    for (const auto& line : lines) commands += line + "\n";
    testutil::WriteFile(dir_.File("commands.txt"), commands);
    testutil::WriteFile(dir_.File("driver.py"), keep_log ? std::string(kDriver)
                                                          : DriverWithoutLog());
    auto run = Shell("/usr/bin/python3 driver.py");
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    std::vector<std::string> outputs;
    std::istringstream in(run.out);
    std::string text;
    while (std::getline(in, text)) {
      if (text.rfind("=== ", 0) == 0) {
        outputs.emplace_back();
        continue;
      }
      if (!outputs.empty()) outputs.back() += text + "\n";
    }
    EXPECT_EQ(outputs.size(), lines.size()) << run.out;
    return outputs;
  }

  // The project's configuration as sqlmend reads it.
  base::Result<config::AlembicConfig> Config() const {
    config::ConfigArgs args;
    args.config_paths = {dir_.File("alembic.ini")};
    config::Environment environment;
    environment.cwd = dir_.path();
    return config::LoadConfig(args, environment);
  }

  // The project as sqlmend loads it.
  base::Result<script::ScriptDirectory> Load() const {
    auto config = Config();
    if (!config) return base::Fail(config.error());
    return script::ScriptDirectory::Load(*config);
  }

 private:
  static std::string DriverWithoutLog() {
    std::string driver = kDriver;
    driver.replace(driver.find("sys.stderr = sys.stdout\n"), 24, "");
    return driver;
  }

  testutil::TempDir dir_;
};

}  // namespace sqlmend::migrate::testing
