// The repair verbs: check-fk, fix-fk and dump, one function each. They take
// parsed options, run the repair library, and return the report plus the
// Status whose message is the one line the user reads
// ("sqlmend: <file>: <problem>") and whose code is the exit code.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "repair/check_fk.h"
#include "repair/doctor.h"
#include "repair/fix_fk.h"
#include "repair/report.h"

namespace sqlmend::commands {

struct RepairRun {
  repair::Report report;
  base::Status status;
};

RepairRun CheckFk(const std::string& path, const repair::CheckOptions& options);
RepairRun FixFk(const std::string& path, const repair::FixOptions& options);

struct DoctorRun {
  repair::DoctorReport report;
  base::Status status;
};

// sqlmend doctor: `config_paths` (-c, may be empty) names the Alembic project
// whose script directory says which revisions exist and how many heads.
DoctorRun Doctor(const std::string& path, repair::DoctorOptions options,
                 const std::vector<std::string>& config_paths);

struct DumpArgs {
  bool fix_fk = false;
  std::vector<std::pair<std::string, std::string>> maps;
  int busy_timeout_ms = 2000;
};

// Writes the dump of `path` to `out`. Never writes to the database.
base::Status Dump(const std::string& path, const DumpArgs& args, std::ostream& out);

// Parses "OLD=NEW"; kUsage when malformed.
base::Result<std::pair<std::string, std::string>> ParseMap(const std::string& text);

}  // namespace sqlmend::commands
