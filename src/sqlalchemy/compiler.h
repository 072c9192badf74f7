// The SQLite compiler of Core clause elements (elements.h), one visit per
// element kind, writing what SQLAlchemy 1.4's SQLiteCompiler writes:
//
//   SELECT account.id, count(*) AS count_1 \nFROM account \nWHERE ... ORDER BY ...
//   UPDATE account SET weight=? WHERE account.weight IS NULL
//   INSERT INTO account (id, name) VALUES (?, ?)
//   DELETE FROM account WHERE account.id IN (?, ?, ?)
//
// Online, values are bound by position ("?", pysqlite's qmark style) after
// their type's bind processing (BindLiteral in types.h); with literal binds
// (Alembic's --sql, DDL) they are written inline by the type's literal
// processor. Unlabelled expressions in a SELECT list are labelled as
// SQLAlchemy labels them (anon_1, count_1, max_1, ...). An INSERT fills the
// columns it has no value for whose Column has a Python-side default=
// (column_default.h), as SQLAlchemy's crud does: a value or a callable's
// result bound ("?"; "NULL" with literal binds), an expression inline;
// insert().from_select() appends them to the SELECT. A subquery in WHERE,
// SET or a SELECT list is correlated to the enclosing statement's tables.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "ops/operation.h"
#include "python/value.h"
#include "sqlalchemy/elements.h"

namespace sqlmend::sqlalchemy {

struct CompiledStatement {
  std::string sql;
  std::vector<ops::Literal> parameters;  // in "?" order; empty with literal binds
};

struct CompileOptions {
  bool literal_binds = false;
  // Offline without literal binds (--sql when env.py does not ask for
  // them): an IN list is SQLAlchemy's one expanding parameter, written
  // "(__[POSTCOMPILE_<column>_<n>])", as its compiler leaves it.
  bool postcompile_in = false;
  // Columns written as table.column (statements) or bare (DDL: a CHECK, an
  // index expression, a partial index's WHERE).
  bool include_table = true;
  // Execution parameters by name: values for bindparam("x") without a
  // value, and an insert()'s or update()'s values when the statement has
  // none of its own (connection.execute(t.insert(), {...})).
  std::vector<std::pair<std::string, python::Value>> execution;
};

base::Result<CompiledStatement> Compile(python::CallContext& context, const ElementPtr& element,
                                        const CompileOptions& options);

// The SQL of an expression or statement with its values inline, columns as
// `options.include_table` says (DDL: bare).
base::Result<std::string> CompileLiteral(python::CallContext& context, const ElementPtr& element,
                                         bool include_table);

// The stem of the label SQLAlchemy gives `element` as an unnamed item of a
// SELECT list, numbered per stem from 1: "anon" (anon_1), a function's name
// (count_1), or "" for none (a column, a label, text(), a unary).
std::string SelectLabelStem(const ElementPtr& element);

// True for a SELECT, INSERT, UPDATE or DELETE.
bool IsStatement(const ElementPtr& element);

// func.now() / func.current_timestamp() without arguments: a server default
// SQLAlchemy writes as CURRENT_TIMESTAMP.
bool IsCurrentTimestamp(const ElementPtr& element);

}  // namespace sqlmend::sqlalchemy
