// Type: SQLAlchemy's column types as data, and the text SQLite's type
// compiler writes for them.
//
// A revision file names types as `sa.Integer()`, `sa.String(length=20)`,
// `sa.Enum("a", "b", name="kind")`; the sqlalchemy module turns each call into a Type, and the
// renderer asks CompileSqliteType() for the word that goes into CREATE TABLE.
// The spelling follows SQLAlchemy 1.4's SQLiteTypeCompiler: the generic types
// fall back to their upper-case SQL names (Integer -> INTEGER, String ->
// VARCHAR, Unicode -> VARCHAR, UnicodeText -> TEXT, Enum -> VARCHAR(n) where
// n is the longest value, LargeBinary -> BLOB). NOTE: SQLAlchemy 2.0 spells
// these the same; it adds Double (DOUBLE) and Uuid (CHAR(32) on SQLite),
// which 1.4 lacks and which the sqlalchemy module can pass as Raw.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sqlmend::ops {

struct Type {
  enum class Kind {
    kInteger,
    kBigInteger,
    kSmallInteger,
    kString,  // also Unicode: both compile to VARCHAR[(n)]
    kText,    // also UnicodeText
    kBoolean,
    kEnum,
    kDateTime,
    kDate,
    kTime,
    kFloat,
    kNumeric,
    kLargeBinary,
    kJson,
    kRaw,  // an upper-case or dialect type given by its SQL name, e.g. "CHAR(3)"
  };

  Kind kind = Kind::kInteger;
  std::optional<int> length;     // String, Unicode, Text
  std::optional<int> precision;  // Numeric; Float keeps it, but DDL writes FLOAT
  std::optional<int> scale;      // Numeric
  // Enum: the values, in declaration order (they become VARCHAR(n) and the
  // CHECK's IN list).
  std::vector<std::string> enum_values;
  // Boolean and Enum: the name given to the type, which names the CHECK
  // constraint the type creates (before any naming convention).
  std::optional<std::string> name;
  // Enum: native_enum=False changes nothing on SQLite, which has no ENUM.
  bool native_enum = true;
  // Boolean and Enum: emit CHECK (x IN (...)). NOTE: SQLAlchemy 1.4 changed
  // the default of create_constraint to False for both types (1.3 had True);
  // 2.0 keeps False. The differential test checks this against 1.4.46.
  bool create_constraint = false;
  std::string raw;  // Kind::kRaw: the SQL text, written verbatim
  // String-like types: collation="nocase" compiles to VARCHAR COLLATE "nocase".
  std::optional<std::string> collation;
  bool unrenderable = false;  // see Unrenderable()
  // Numeric (and Float(asdecimal=True)) in Python: results come back as
  // decimal.Decimal of "%.<n>f" of the number SQLite returns, n being this
  // (SQLAlchemy's decimal_return_scale, else the scale, else 10). nullopt:
  // results as SQLite returns them. No effect on DDL.
  std::optional<int> decimal_places;

  static Type Integer() { return {}; }
  static Type BigInteger() { return Of(Kind::kBigInteger); }
  static Type SmallInteger() { return Of(Kind::kSmallInteger); }
  static Type String(std::optional<int> length = std::nullopt);
  static Type Unicode(std::optional<int> length = std::nullopt) { return String(length); }
  static Type Text(std::optional<int> length = std::nullopt);
  static Type UnicodeText() { return Text(); }
  static Type Boolean(bool create_constraint = false,
                      std::optional<std::string> name = std::nullopt);
  static Type Enum(std::vector<std::string> values, std::optional<std::string> name = std::nullopt,
                   bool create_constraint = false, bool native_enum = true);
  static Type DateTime() { return Of(Kind::kDateTime); }
  static Type Date() { return Of(Kind::kDate); }
  static Type Time() { return Of(Kind::kTime); }
  static Type Float(std::optional<int> precision = std::nullopt);
  static Type Numeric(std::optional<int> precision = std::nullopt,
                      std::optional<int> scale = std::nullopt);
  static Type LargeBinary() { return Of(Kind::kLargeBinary); }
  static Type Json() { return Of(Kind::kJson); }
  static Type Raw(std::string sql);
  // NullType: a column declared without a type (Raw with no text). DDL
  // cannot be written for it; a Column whose ForeignKey resolves takes the
  // referred column's type instead (sqlalchemy/schema.h).
  static Type Null() { return Raw(""); }
  // A dialect's type SQLite's type compiler has no rendering for
  // (postgresql.INTERVAL, mysql.TINYINT), named by its SQL name in `raw`
  // and marked `unrenderable`. It stands where no DDL is written for it (an
  // alter_column's existing_type, a model column that is never created);
  // DDL for it is the CompileError SQLAlchemy raises (sqlite_renderer.h).
  static Type Unrenderable(std::string name);
  static Type Of(Kind kind);

  bool IsNull() const { return kind == Kind::kRaw && raw.empty(); }

  // True for the types whose Python class derives from sqlalchemy.Integer
  // (Integer, BigInteger, SmallInteger): only they can carry SQLite's
  // "PRIMARY KEY AUTOINCREMENT". A raw "INTEGER" counts as well.
  bool HasIntegerAffinity() const;
  // True when the type creates a CHECK constraint on SQLite (a Boolean or
  // Enum with create_constraint).
  bool CreatesCheck() const;
};

// The type as SQLAlchemy 1.4's SQLite dialect spells it in DDL: "INTEGER",
// "VARCHAR(20)", "NUMERIC(10, 2)", "VARCHAR(3)" for Enum("a", "bcd"). Never
// fails: every Type has a spelling.
std::string CompileSqliteType(const Type& type);

}  // namespace sqlmend::ops
