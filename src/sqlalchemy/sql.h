// SQL text values of the SQLAlchemy model: sa.text(...) with .bindparams(),
// and Alembic's op.inline_literal() (an ExpressionValue: SQL already
// compiled). Every other SQL expression (sa.func, sa.false(), literal(),
// columns, statements) is a clause element (elements.h) compiled by
// compiler.h; CompileLiteralSql() and ServerDefaultOf() accept both.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ops/operation.h"
#include "ops/schema_item.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

// sa.text("..."): SQL written verbatim, with bind values from
// .bindparams(name=value, ...).
class TextValue : public python::HostObject {
 public:
  explicit TextValue(std::string sql) : sql_(std::move(sql)) {}
  std::string TypeName() const override { return "TextClause"; }
  std::string Repr() const override { return "<sqlalchemy.sql.elements.TextClause object>"; }
  // bindparams(*bindparam(...), **values) -> a new TextValue; columns(...)
  // and execution_options(...) -> itself; .text -> the SQL.
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  const std::string& sql() const { return sql_; }
  const std::vector<std::pair<std::string, python::Value>>& binds() const { return binds_; }

 private:
  std::string sql_;
  std::vector<std::pair<std::string, python::Value>> binds_;
};

// A compiled SQL expression: a function call, false()/true(), a literal
// column. `now` marks CURRENT_TIMESTAMP (ServerDefault::Now).
class ExpressionValue : public python::HostObject {
 public:
  ExpressionValue(std::string sql, bool now = false) : sql_(std::move(sql)), now_(now) {}
  std::string TypeName() const override { return "ColumnElement"; }
  std::string Repr() const override { return "<sqlalchemy expression " + sql_ + ">"; }
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  const std::string& sql() const { return sql_; }
  bool now() const { return now_; }

 private:
  std::string sql_;
  bool now_ = false;
};

// sa.DDL(statement, context=None, bind=None): a literal DDL statement.
// Executed (op.execute, connection.execute) it runs `statement % context`
// ('%' written '%%'), with no bind parameters, whatever execute_if() said:
// SQLAlchemy applies execute_if() conditions to DDL events only, and table
// events never fire during a migration. execute_if() and against() return
// the statement.
class DdlValue : public python::HostObject {
 public:
  DdlValue(std::string statement, python::Value context)
      : statement_(std::move(statement)), context_(std::move(context)) {}
  std::string TypeName() const override { return "DDL"; }
  std::string Repr() const override { return "<sqlalchemy.sql.ddl.DDL object>"; }
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  // The SQL it executes.
  base::Result<std::string> Sql(python::CallContext& context) const;

 private:
  std::string statement_;
  python::Value context_;  // a dict
};

// sa.text, added to `module` (elements.h's AddCoreFunctions() adds the
// rest).
void AddSqlFunctions(python::ModuleObject& module);

// sa.DDL, added to `module` (sqlalchemy and sqlalchemy.schema).
void AddDdl(python::ModuleObject& module);

// The SQL text `value` compiles to with literal binds (see above): an
// ExpressionValue's or TextValue's SQL, a str quoted, a number, None as
// NULL. Raises TypeError for what has no SQL form.
base::Result<std::string> CompileLiteralSql(python::CallContext& context,
                                            const python::Value& value);

// server_default=: a str (kString), sa.text (kText), func.now() (kNow),
// another expression (kExpression), or a DefaultClause of one of those.
// Raises TypeError (SQLAlchemy's ArgumentError) for other values.
base::Result<ops::ServerDefault> ServerDefaultOf(python::CallContext& context,
                                                 const python::Value& value);
// sa.DefaultClause(arg, for_update=False) (also sqlalchemy.schema's): an
// object with .arg and .for_update that server_default= reads as its arg.
base::Result<python::Value> MakeDefaultClause(python::CallContext& context, python::Args& args);

// A bound Python value as SQLAlchemy's SQLite types bind it: None, bool as
// 0/1, int, float, str; for a JSON column (type given) any JSON-able value as
// its json.dumps() text; an enum member as its name. Raises TypeError for
// other values.
base::Result<ops::Literal> LiteralOf(python::CallContext& context, const python::Value& value,
                                     const ops::Type* type = nullptr);

// `text` as a SQL string literal: '...' with ' doubled (String's literal
// processor).
std::string QuoteSqlString(const std::string& text);

// The SQL of a TextValue or str (op.execute's argument), or nullopt.
const TextValue* AsText(const python::Value& value);

// The DdlValue `value` holds, or nullptr.
const DdlValue* AsDdl(const python::Value& value);

}  // namespace sqlmend::sqlalchemy
