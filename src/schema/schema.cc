#include "schema/schema.h"

#include <fmt/format.h>

#include "sql/tokenizer.h"

namespace sqlmend::schema {

namespace {

std::string Quote(std::string_view name) { return sql::QuoteIdentifier(name); }

base::Status ReadColumns(sqlite::Db& db, const std::string& schema_name, Object& table) {
  auto stmt = db.Prepare(fmt::format("PRAGMA {}.table_xinfo({})", Quote(schema_name),
                                     Quote(table.name)));
  if (!stmt) return stmt.error();
  int pk_columns = 0;
  std::string pk_type;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    Column c;
    c.name = stmt->ColumnText(1);
    c.type = stmt->ColumnText(2);
    c.pk = static_cast<int>(stmt->ColumnInt(5));
    c.hidden = static_cast<int>(stmt->ColumnInt(6));
    if (c.pk > 0) {
      ++pk_columns;
      pk_type = c.type;
    }
    table.columns.push_back(std::move(c));
  }
  // A rowid alias is a single-column PRIMARY KEY declared exactly INTEGER
  // on a rowid table, except "INTEGER PRIMARY KEY DESC" as a column
  // constraint, which SQLite keeps as an ordinary column. Rather than parse
  // that out of the SQL, ask SQLite: reading an alias compiles to OP_Rowid,
  // any other column to OP_Column.
  table.has_rowid_alias = false;
  if (table.without_rowid || pk_columns != 1 || !sql::AsciiIEquals(pk_type, "INTEGER")) {
    return base::Status::Ok();
  }
  for (const Column& c : table.columns) {
    if (c.pk != 1) continue;
    auto explain = db.Prepare(fmt::format("EXPLAIN SELECT {} FROM {}.{} NOT INDEXED",
                                          Quote(c.name), Quote(schema_name), Quote(table.name)));
    if (!explain) return explain.error();
    while (true) {
      auto row = explain->Step();
      if (!row) return row.error();
      if (!*row) break;
      table.has_rowid_alias = table.has_rowid_alias || explain->ColumnText(1) == "Rowid";
    }
  }
  return base::Status::Ok();
}

base::Status ReadForeignKeys(sqlite::Db& db, const std::string& schema_name, Object& table) {
  auto stmt = db.Prepare(fmt::format("PRAGMA {}.foreign_key_list({})", Quote(schema_name),
                                     Quote(table.name)));
  if (!stmt) return stmt.error();
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    int id = static_cast<int>(stmt->ColumnInt(0));
    if (table.foreign_keys.empty() || table.foreign_keys.back().id != id) {
      ForeignKey fk;
      fk.id = id;
      fk.parent = stmt->ColumnText(2);
      fk.on_update = stmt->ColumnText(5);
      fk.on_delete = stmt->ColumnText(6);
      fk.match = stmt->ColumnText(7);
      table.foreign_keys.push_back(std::move(fk));
    }
    ForeignKey& fk = table.foreign_keys.back();
    fk.from.push_back(stmt->ColumnText(3));
    if (!stmt->ColumnIsNull(4)) fk.to.push_back(stmt->ColumnText(4));
  }
  // foreign_key_list lists keys in reverse declaration order; keep it.
  return base::Status::Ok();
}

}  // namespace

std::string RowShape::SelectList() const {
  std::string list = rowid;
  for (const std::string& column : columns) {
    list += (list.empty() ? "" : ", ") + Quote(column);
  }
  return list;
}

RowShape ShapeOf(const Object& table) {
  RowShape shape;
  for (const Column& c : table.columns) {
    if (c.generated()) {
      shape.has_generated = true;
    } else if (c.hidden == 0) {
      shape.columns.push_back(c.name);
    }
  }
  if (table.without_rowid || table.has_rowid_alias) return shape;
  for (const char* candidate : {"rowid", "_rowid_", "oid"}) {
    bool taken = false;
    for (const Column& c : table.columns) taken = taken || sql::AsciiIEquals(c.name, candidate);
    if (!taken) {
      shape.rowid = candidate;
      return shape;
    }
  }
  shape.rowid_hidden = true;
  return shape;
}

std::string_view ObjectTypeName(ObjectType type) {
  switch (type) {
    case ObjectType::kTable: return "table";
    case ObjectType::kIndex: return "index";
    case ObjectType::kView: return "view";
    case ObjectType::kTrigger: return "trigger";
  }
  return "object";
}

base::Result<Schema> Schema::Read(sqlite::Db& db, const std::string& schema_name) {
  Schema schema;
  auto stmt = db.Prepare(fmt::format(
      "SELECT type, name, tbl_name, coalesce(sql,''), rowid FROM {}.sqlite_schema ORDER BY rowid",
      Quote(schema_name)));
  if (!stmt) return base::Fail(stmt.error());
  while (true) {
    auto row = stmt->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) break;
    Object o;
    std::string type = stmt->ColumnText(0);
    if (type == "table") o.type = ObjectType::kTable;
    else if (type == "index") o.type = ObjectType::kIndex;
    else if (type == "view") o.type = ObjectType::kView;
    else if (type == "trigger") o.type = ObjectType::kTrigger;
    else continue;
    o.name = stmt->ColumnText(1);
    o.tbl_name = stmt->ColumnText(2);
    o.sql = stmt->ColumnText(3);
    o.schema_rowid = stmt->ColumnInt(4);
    schema.objects_.push_back(std::move(o));
  }
  // PRAGMA table_list (3.37+) tells ordinary, virtual and shadow tables apart
  // and flags WITHOUT ROWID and STRICT.
  auto list = db.Prepare(fmt::format("PRAGMA {}.table_list", Quote(schema_name)));
  if (!list) return base::Fail(list.error());
  while (true) {
    auto row = list->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) break;
    if (list->ColumnText(0) != schema_name) continue;
    std::string name = list->ColumnText(1);
    std::string type = list->ColumnText(2);
    for (Object& o : schema.objects_) {
      if (o.type != ObjectType::kTable || o.name != name) continue;
      if (type == "virtual") o.kind = TableKind::kVirtual;
      else if (type == "shadow") o.kind = TableKind::kShadow;
      o.without_rowid = list->ColumnInt(4) != 0;
      o.strict = list->ColumnInt(5) != 0;
    }
  }
  for (Object& o : schema.objects_) {
    if (o.type != ObjectType::kTable) continue;
    if (o.name.rfind("sqlite_", 0) == 0) o.kind = TableKind::kInternal;
    if (o.kind == TableKind::kVirtual) continue;
    if (auto st = ReadColumns(db, schema_name, o); !st.ok()) return base::Fail(st);
    if (auto st = ReadForeignKeys(db, schema_name, o); !st.ok()) return base::Fail(st);
  }
  return schema;
}

const Object* Schema::FindTableOrView(std::string_view name) const {
  for (const Object& o : objects_) {
    if ((o.type == ObjectType::kTable || o.type == ObjectType::kView) &&
        sql::AsciiIEquals(o.name, name)) {
      return &o;
    }
  }
  return nullptr;
}

bool Schema::IsOrdinaryTable(std::string_view name) const {
  const Object* o = FindTableOrView(name);
  return o && o->type == ObjectType::kTable && o->kind == TableKind::kOrdinary;
}

std::vector<std::string> Schema::TableNames() const {
  std::vector<std::string> names;
  for (const Object& o : objects_) {
    if (o.type == ObjectType::kTable || o.type == ObjectType::kView) names.push_back(o.name);
  }
  return names;
}

}  // namespace sqlmend::schema
