// Inspect: what is dangling in a database and how it would be repaired.
//
// Analyze() reads the schema and finds, without writing anything:
//   1. every FOREIGN KEY whose parent names no table (PRAGMA foreign_key_list
//      against the live tables, ASCII case-insensitively), or names a view
//      or virtual table;
//   2. every view and trigger that names a missing table, by the same test
//      SQLite applies before a rename: an ALTER TABLE ... RENAME (non-legacy)
//      on an in-memory copy of the schema, which re-resolves every view and
//      trigger and fails on the first that does not resolve. Each failure
//      names one missing table; it is resolved, the rewrite applied to the
//      copy, and the probe repeated until it passes (bounded);
//   3. a Resolution per missing name (--map, else affix inference);
//   4. the rewritten SQL of every affected table, view and trigger.
// The same probe verifies a repaired file (ProbeSchema).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "repair/report.h"
#include "schema/resolver.h"
#include "schema/rewriter.h"
#include "schema/schema.h"
#include "sqlite/db.h"

namespace sqlmend::repair {

struct Analysis {
  schema::Schema schema;
  std::vector<Resolution> resolutions;      // one per missing name
  std::vector<AffectedFk> fks;              // foreign keys to missing names
  std::vector<std::string> broken_objects;  // "view v" naming a missing table
  // Objects that fail to resolve for another reason (not rename damage):
  // "view v: no such column: x". fix-fk refuses while any remain.
  std::vector<std::string> unrepairable;
  schema::RenameMap renames;                // lowered missing -> live table
  std::map<std::string, std::string> new_sql;  // object name -> rewritten SQL

  bool damaged() const { return !resolutions.empty() || !unrepairable.empty(); }
  // True when every missing name resolved and nothing else is broken.
  bool repairable() const;
  // The SQL to write for `object`: rewritten when it changed.
  const std::string& SqlFor(const schema::Object& object) const;
};

// Analyzes the database open on `db` (schema "main"). `maps` are --map pairs.
// A --map for a name that is not dangling is an error (kUsage), so a typo
// does not go unnoticed.
base::Result<Analysis> Analyze(sqlite::Db& db, const schema::NameMaps& maps);

// Creates the tables, virtual tables, views and triggers of `objects` (with
// `sql_for` giving each one's SQL) in a fresh in-memory database and runs
// the non-legacy rename probe there. Returns the problems found, one line per
// view or trigger that does not resolve ("view v: no such table: main.x");
// empty when the schema is consistent. Views are also prepared one by one.
std::vector<std::string> ProbeSchema(const std::vector<schema::Object>& objects,
                                     const std::function<const std::string&(const schema::Object&)>& sql_for);

}  // namespace sqlmend::repair
