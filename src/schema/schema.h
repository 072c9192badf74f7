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
  int hidden = 0;      // table_xinfo: 1 = hidden (virtual tables), 2 = generated
                       // VIRTUAL, 3 = generated STORED
  // SQLite computes a generated column and refuses a value for it.
  bool generated() const { return hidden == 2 || hidden == 3; }
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
  // An INTEGER PRIMARY KEY column that is the rowid itself, as SQLite decides
  // it (not "INTEGER PRIMARY KEY DESC" as a column constraint).
  bool has_rowid_alias = false;
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

// How the rows of a table are read and written back exactly: the one answer
// to "which columns are stored, and through which names", shared by fix-fk's
// reload, its verification digests and `dump`, so they cannot disagree.
struct RowShape {
  // The name that reaches a rowid no column carries: "rowid", "_rowid_" or
  // "oid", the first that no column uses (a column named rowid hides the
  // rowid under that name). Empty when no rowid needs writing: a WITHOUT
  // ROWID table, or an INTEGER PRIMARY KEY alias that carries it already.
  std::string rowid;
  // True when the table has a rowid of its own but columns named rowid,
  // _rowid_ and oid hide every name for it: SQL cannot read or keep it.
  bool rowid_hidden = false;
  // The columns an INSERT writes to reproduce a row, in declaration order:
  // every column but generated ones (SQLite computes those) and the hidden
  // columns of virtual tables. Columns added by ALTER TABLE ADD COLUMN are
  // here too: records written before the ADD read the column's default.
  std::vector<std::string> columns;
  // True when a table has generated columns: INSERT INTO t SELECT * FROM u
  // then supplies more values than the table takes, so the column list must
  // be named (unless SQLite takes its transfer path).
  bool has_generated = false;

  // "rowid, a, b": the rowid (when kept) then the columns, each quoted.
  std::string SelectList() const;
};

// The row shape of `table`, an ordinary or shadow table of a Schema.
RowShape ShapeOf(const Object& table);

}  // namespace sqlmend::schema
