// check-fk: diagnoses one database, never writing to it.
//
// Reports every dangling REFERENCES target, every view and trigger naming a
// missing table, the live table inferred for each name and the rule that
// inferred it, the affected child tables, quick_check's verdict, and the
// orphan rows each repaired foreign key would report, with what each
// --orphans policy (quarantine, null, delete) would do to them. Outcomes: kHealthy
// (Status OK), kDamaged (Status kDamage; all names resolvable), or a Status
// of kRefused when a name cannot be resolved or something else is broken.
#pragma once

#include <string>

#include "base/status.h"
#include "repair/analyze.h"
#include "repair/report.h"
#include "sqlite/db.h"

namespace sqlmend::repair {

struct CheckOptions {
  std::vector<std::pair<std::string, std::string>> maps;  // --map OLD=NEW
  int busy_timeout_ms = 2000;
};

base::Status CheckFk(const std::string& path, const CheckOptions& options, Report* report);

// Shared with fix-fk: copies the analysis into the report.
void FillDiagnosis(const Analysis& analysis, Report* report);

// Shared with fix-fk: checks each resolved foreign key's parent key and
// counts its orphan rows on `db` (the source), into report->fks. Fails
// (kRefused) when a repaired key would not match a primary key or UNIQUE
// index of its new parent.
base::Status CountAllOrphans(sqlite::Db& db, const Analysis& analysis, Report* report);

// The Status that refuses an analysis with unresolved names or other broken
// objects (one line naming the file; each name's --map hint is in the report).
base::Status UnrepairableStatus(const std::string& path, const Analysis& analysis);

}  // namespace sqlmend::repair
