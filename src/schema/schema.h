// A model of one database's sqlite_schema: every table, index, view and
// trigger with its stored SQL, each table's kind (ordinary, virtual, shadow,
// WITHOUT ROWID, STRICT) and foreign keys. Read once through SQLite's own
// PRAGMAs (table_list, table_xinfo, foreign_key_list), so the model agrees
// with what SQLite will do with the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::schema {

enum class ObjectType { kTable, kIndex, kView, kTrigger };

enum class TableKind { kOrdinary, kVirtual, kShadow, kInternal /* sqlite_* */ };

struct ForeignKey {
  int id = 0;                        // PRAGMA foreign_key_list's id
  std::string parent;                // parent table name as written
  std::vector<std::string> from;     // child columns
  std::vector<std::string> to;       // parent columns; empty when omitted
  std::string on_update, on_delete, match;
};

struct Column {
  std::string name;
  std::string type;
  int pk = 0;          // 1-based position in the primary key, 0 if not in it
  int hidden = 0;      // table_xinfo: 2 = generated VIRTUAL, 3 = STORED
};

struct Object {
  ObjectType type;
  std::string name;
  std::string tbl_name;
  std::string sql;          // empty for automatic indexes
  int64_t schema_rowid = 0; // order in sqlite_schema
  // Tables only:
  TableKind kind = TableKind::kOrdinary;
  bool without_rowid = false;
  bool strict = false;
  bool has_rowid_alias = false;  // an INTEGER PRIMARY KEY column
  std::vector<Column> columns;
  std::vector<ForeignKey> foreign_keys;
};

class Schema {
 public:
  // Reads `schema_name` of the open database. Fails when the schema cannot
  // be read (a corrupt sqlite_schema, a locked file).
  static base::Result<Schema> Read(sqlite::Db& db, const std::string& schema_name = "main");

  // Every object in sqlite_schema rowid order.
  const std::vector<Object>& objects() const { return objects_; }

  // The table or view named `name`, ASCII case-insensitively; nullptr if none.
  const Object* FindTableOrView(std::string_view name) const;
  // True when `name` is an ordinary table (not virtual, view or internal).
  bool IsOrdinaryTable(std::string_view name) const;

  // Names of all tables, views (used for inference and for reports).
  std::vector<std::string> TableNames() const;

 private:
  std::vector<Object> objects_;
};

std::string_view ObjectTypeName(ObjectType type);

}  // namespace sqlmend::schema
