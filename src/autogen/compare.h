// Compare: the project's models against a live SQLite database, as
// Alembic's autogenerate compares them on SQLite (autogenerate/compare.py),
// giving the differences `revision --autogenerate` writes and `check`
// reports.
//
// Both sides go through one reflection (schema/reflect.h, SQLAlchemy 1.4's
// Inspector): the database directly, and the models by writing their tables
// as SQLAlchemy's SQLite dialect creates them (ops/sqlite_renderer.h) into
// an in-memory database and reflecting that. So what a model declares
// implicitly (the NOT NULL of a primary key, the UNIQUE of unique=True,
// the index of index=True, the names a naming convention gives) is compared
// as the database would hold it. Types are compared as Alembic compares
// them: the model's type and the reflected one, each compiled for SQLite and
// tokenized (NUMERIC and DECIMAL are synonyms; arguments count only when
// both sides give the same number of them).
//
// What is compared, in Alembic's order: tables added (in dependency order,
// each followed by its indexes) and removed (sorted, each preceded by its
// indexes); then per table present on both sides (sorted): columns added
// (sorted), changed (type with compare_type, nullability, server default
// with compare_server_default), removed; indexes and unique constraints by
// name, unnamed unique constraints by columns; foreign keys by columns,
// target and options. The version table is never compared.
//
// Where sqlmend differs from Alembic 1.8.1 on purpose:
//   - expression indexes (Index("ix", func.lower(t.c.name))) are compared by
//     name and SQL text; Alembic cannot reflect them and reports them as
//     added on every run;
//   - server defaults are compared after the same normalization on both
//     sides, so func.now() against the "(CURRENT_TIMESTAMP)" it created is
//     no difference;
//   - a foreign key whose target table does not exist is a difference of
//     its own (kDanglingForeignKey), where Alembic raises NoSuchTableError.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/schema_item.h"
#include "sqlite/db.h"

namespace sqlmend::autogen {

// The models as autogenerate needs them: the tables of target_metadata in
// definition order, the naming convention, and for each column how to write
// its type in a revision (render.h).
struct ModelColumnType {
  std::string repr;                  // "sa.String(length=50)", "myapp.types.UTCDateTime()"
  std::vector<std::string> imports;  // "import myapp.types"
};

struct ModelTable {
  ops::Table table;
  std::vector<ModelColumnType> types;  // per column of `table`, in order
};

struct Model {
  std::vector<ModelTable> tables;
  ops::MetaData metadata;
};

// What a filter callable of env.py decides (include_object/include_name);
// `reflected` as Alembic passes it. Returns true to keep the object.
struct ObjectFilter {
  // (kind "table"/"column"/"index"/"unique_constraint"/"foreign_key_constraint",
  //  name, table name ("" for a table), reflected)
  std::function<base::Result<bool>(const std::string& kind, const std::string& name,
                                   const std::string& table, bool reflected)>
      include;
};

struct CompareOptions {
  bool compare_type = true;             // Alembic 1.12+'s default
  bool compare_server_default = false;  // Alembic's default
  std::string version_table = "alembic_version";
  ObjectFilter filter;  // empty: keep everything
};

struct Difference {
  enum class Kind {
    kAddTable,
    kRemoveTable,
    kAddColumn,
    kRemoveColumn,
    kModifyNullable,
    kModifyType,
    kModifyDefault,
    kAddIndex,
    kRemoveIndex,
    kAddUnique,
    kRemoveUnique,
    kAddForeignKey,
    kRemoveForeignKey,
    kDanglingForeignKey,
  };
  Kind kind = Kind::kAddTable;
  std::string table;
  std::string column;  // the column ops
  // kAddTable: the model's table (index into Model::tables); kRemoveTable:
  // the reflected one.
  std::optional<size_t> model_table;
  ops::Table reflected_table;
  // kAddColumn: the model's column (its index in its table); kRemoveColumn:
  // the reflected column.
  std::optional<size_t> model_column;
  ops::Column reflected_column;
  // kModify*: the database's (existing_*) and the model's values. The
  // types and nullabilities of both sides are always filled for a modify,
  // as Alembic's alter_column writes existing_type / existing_nullable.
  ops::Type existing_type;
  ops::Type type;
  bool existing_nullable = true;
  bool nullable = true;
  std::optional<std::string> existing_default;     // the database's text
  std::optional<ops::ServerDefault> server_default;  // the model's
  // Index / unique / foreign-key ops.
  ops::Index index;
  ops::UniqueConstraint unique;
  ops::ForeignKeyConstraint foreign_key;
};

// Whether `column` of `table` is nullable as SQLAlchemy makes it: as
// given, else unless it is part of the primary key.
bool Nullable(const ops::Table& table, const ops::Column& column);

// Alembic's name for the kind ("add_table", "modify_nullable", ...,
// "dangling_fk").
std::string KindName(Difference::Kind kind);

struct Comparison {
  std::vector<Difference> differences;  // in Alembic's order (above)
  // Messages Alembic logs ("Detected added table 'x'"), in order.
  std::vector<std::string> log;
};

// Compares `model` with the database `db` (opened read-only by the caller).
// Fails when a model table cannot be written for SQLite (a column without
// a type, a type SQLite cannot render: located by table) or the database
// cannot be read.
base::Result<Comparison> Compare(const Model& model, sqlite::Db& db, const CompareOptions& options);

}  // namespace sqlmend::autogen
