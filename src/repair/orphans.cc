#include "repair/orphans.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "sql/tokenizer.h"

namespace sqlmend::repair {

namespace {

using base::Join;

bool SameColumns(std::vector<std::string> a, std::vector<std::string> b) {
  if (a.size() != b.size()) return false;
  for (auto& s : a) s = sql::AsciiLower(s);
  for (auto& s : b) s = sql::AsciiLower(s);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

base::Result<std::vector<std::string>> ParentKey(sqlite::Db& db, const schema::Schema& schema,
                                                 const AffectedFk& fk,
                                                 const std::string& schema_name) {
  const schema::Object* parent = schema.FindTableOrView(fk.target);
  if (!parent) return base::Fail(base::Status::Refused(fk.target, "no such table"));
  std::vector<std::pair<int, std::string>> pk;
  for (const auto& c : parent->columns) {
    if (c.pk > 0) pk.emplace_back(c.pk, c.name);
  }
  std::sort(pk.begin(), pk.end());
  std::vector<std::string> pk_names;
  for (auto& [pos, name] : pk) pk_names.push_back(name);

  std::vector<std::string> key = fk.parent_columns.empty() ? pk_names : fk.parent_columns;
  auto mismatch = [&] {
    return base::Fail(base::Status::Refused(
        fmt::format("table {}", fk.child),
        fmt::format("foreign key ({}) would reference {}({}), which is not {}'s primary key or a "
                    "UNIQUE index (SQLite reports \"foreign key mismatch\")",
                    Join(fk.columns), fk.target, Join(key), fk.target)));
  };
  if (key.empty() || key.size() != fk.columns.size()) return mismatch();
  if (SameColumns(key, pk_names)) return key;
  // Otherwise a UNIQUE index over exactly these columns must exist.
  auto list = db.Prepare(fmt::format("PRAGMA {}.index_list({})", sql::QuoteIdentifier(schema_name), sql::QuoteIdentifier(parent->name)));
  if (!list) return base::Fail(list.error());
  std::vector<std::string> unique_indexes;
  while (true) {
    auto row = list->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) break;
    // Partial indexes do not count (column 4 "partial").
    if (list->ColumnInt(2) == 1 && list->ColumnInt(4) == 0) unique_indexes.push_back(list->ColumnText(1));
  }
  for (const auto& index : unique_indexes) {
    auto info = db.Prepare(fmt::format("PRAGMA {}.index_info({})", sql::QuoteIdentifier(schema_name), sql::QuoteIdentifier(index)));
    if (!info) return base::Fail(info.error());
    std::vector<std::string> columns;
    while (true) {
      auto row = info->Step();
      if (!row) return base::Fail(row.error());
      if (!*row) break;
      columns.push_back(info->ColumnText(2));
    }
    if (SameColumns(columns, key)) return key;
  }
  return mismatch();
}

base::Result<int64_t> CountOrphans(sqlite::Db& db, const AffectedFk& fk,
                                   const std::vector<std::string>& parent_key,
                                   const std::string& schema_name) {
  // Unary + strips the child column's affinity, so the comparison applies
  // the parent column's affinity to the child value and uses the parent
  // column's collation (left operand), as the foreign key check does.
  std::string not_null, match;
  for (size_t i = 0; i < fk.columns.size(); ++i) {
    not_null += fmt::format("{}c.{} IS NOT NULL", i ? " AND " : "", sql::QuoteIdentifier(fk.columns[i]));
    match += fmt::format("{}p.{} = +c.{}", i ? " AND " : "", sql::QuoteIdentifier(parent_key[i]), sql::QuoteIdentifier(fk.columns[i]));
  }
  std::string query = fmt::format(
      "SELECT count(*) FROM {s}.{child} AS c WHERE {nn} AND NOT EXISTS "
      "(SELECT 1 FROM {s}.{parent} AS p WHERE {m})",
      fmt::arg("s", sql::QuoteIdentifier(schema_name)), fmt::arg("child", sql::QuoteIdentifier(fk.child)),
      fmt::arg("parent", sql::QuoteIdentifier(fk.target)), fmt::arg("nn", not_null), fmt::arg("m", match));
  return db.QueryInt(query);
}

}  // namespace sqlmend::repair
