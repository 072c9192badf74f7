#include "ops/sqlite_renderer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "ops/identifier_preparer.h"
#include "sql/tokenizer.h"

namespace sqlmend::ops {
namespace {

using base::Fail;
using base::Result;
using base::Status;

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); i++) {
    if (i > 0) out += ", ";
    out += SqlalchemyQuote(names[i]);
  }
  return out;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// IdentifierPreparer.validate_sql_phrase: the phrase must match one of
// `allowed` (case-insensitive, whole text); it is written as given.
Status ValidatePhrase(const std::string& object, const std::string& phrase,
                      const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), Upper(phrase)) != allowed.end()) return {};
  return Status::Refused(object, "Unexpected SQL phrase: '" + phrase + "'");
}

// " DEFERRABLE" / " NOT DEFERRABLE", then " INITIALLY x".
Result<std::string> Deferrability(const std::string& object, std::optional<bool> deferrable,
                                  const std::optional<std::string>& initially) {
  std::string out;
  if (deferrable) out += *deferrable ? " DEFERRABLE" : " NOT DEFERRABLE";
  if (initially) {
    SQLMEND_RETURN_IF_ERROR(ValidatePhrase(object, *initially, {"DEFERRED", "IMMEDIATE"}));
    out += " INITIALLY " + *initially;
  }
  return out;
}

// A naming subject without a foreign-key target.
NamingSubject Subject(std::string kind, const std::string& table, ConstraintName name,
                      std::vector<std::string> columns) {
  NamingSubject subject;
  subject.kind = std::move(kind);
  subject.table = table;
  subject.name = std::move(name);
  subject.columns = std::move(columns);
  return subject;
}

// "CONSTRAINT name " when the constraint ends up named.
Result<std::string> ConstraintPrefix(const MetaData& metadata, const NamingSubject& subject) {
  auto name = ResolveConstraintName(metadata, subject);
  if (!name) return Fail(name.error());
  if (!*name) return std::string();
  return "CONSTRAINT " + SqlalchemyQuote(**name) + " ";
}

// The column specification followed by the column's own CHECK constraints
// (DDLCompiler.visit_create_column; Alembic's add_column does the same).
// A column-level CHECK has no columns of its own: %(column_0_name)s is "".
// A column without a type (NullType), and one of a dialect type SQLite's
// type compiler cannot render (Type::Unrenderable), are the CompileError
// SQLAlchemy's type compiler raises for them.
Result<std::string> ColumnSql(const MetaData& metadata, const std::string& table,
                              const Column& column, bool is_primary_key,
                              bool inline_autoincrement) {
  const std::string where = "(in table '" + table + "', column '" + column.name + "'): ";
  if (column.type.IsNull()) {
    return Fail(Status::Refused(table, where +
                                           "Can't generate DDL for NullType(); did you forget "
                                           "to specify a type on this Column?"));
  }
  if (column.type.unrenderable) {
    return Fail(Status::Refused(
        table, where + "Compiler <sqlalchemy.dialects.sqlite.base.SQLiteTypeCompiler> can't "
                       "render element of type " + column.type.raw));
  }
  std::string out = RenderColumnSpecification(column, is_primary_key, inline_autoincrement);
  for (const CheckConstraint& check : column.checks) {
    auto prefix = ConstraintPrefix(metadata, Subject("ck", table, check.name, {}));
    if (!prefix) return Fail(prefix.error());
    out += " " + *prefix + "CHECK (" + check.sqltext + ")";
  }
  return out;
}

// The table with what SQLAlchemy derives when the columns join it.
struct ResolvedTable {
  const Table* table;
  std::vector<std::string> primary_key;
  bool inline_autoincrement = false;  // "PRIMARY KEY AUTOINCREMENT" on the pk column
};

ResolvedTable Resolve(const Table& table) {
  ResolvedTable resolved{&table, {}, false};
  if (table.primary_key) {
    resolved.primary_key = table.primary_key->columns;
  } else {
    for (const Column& column : table.columns) {
      if (column.primary_key) resolved.primary_key.push_back(column.name);
    }
  }
  if (table.sqlite_autoincrement && resolved.primary_key.size() == 1) {
    for (const Column& column : table.columns) {
      if (column.name == resolved.primary_key[0]) {
        resolved.inline_autoincrement =
            column.type.HasIntegerAffinity() && column.foreign_keys.empty();
      }
    }
  }
  return resolved;
}

bool InPrimaryKey(const ResolvedTable& resolved, const std::string& column) {
  return std::find(resolved.primary_key.begin(), resolved.primary_key.end(), column) !=
         resolved.primary_key.end();
}

Result<std::string> ForeignKeySql(const MetaData& metadata, const std::string& table,
                                  const ForeignKeyConstraint& fk) {
  NamingSubject subject = Subject("fk", table, fk.name, fk.columns);
  subject.referred_table = fk.target_table;
  subject.referred_columns = fk.target_columns;
  auto prefix = ConstraintPrefix(metadata, subject);
  if (!prefix) return Fail(prefix.error());
  std::string out = *prefix + "FOREIGN KEY(" + JoinQuoted(fk.columns) + ") REFERENCES " +
                    SqlalchemyQuote(fk.target_table) + " (" + JoinQuoted(fk.target_columns) + ")";
  const ForeignKeyOptions& options = fk.options;
  if (options.match) out += " MATCH " + *options.match;
  const std::vector<std::string> actions = {"RESTRICT", "CASCADE", "SET NULL", "NO ACTION",
                                            "SET DEFAULT"};
  if (options.ondelete) {
    SQLMEND_RETURN_IF_ERROR(ValidatePhrase(table, *options.ondelete, actions));
    out += " ON DELETE " + *options.ondelete;
  }
  if (options.onupdate) {
    SQLMEND_RETURN_IF_ERROR(ValidatePhrase(table, *options.onupdate, actions));
    out += " ON UPDATE " + *options.onupdate;
  }
  auto deferrability = Deferrability(table, options.deferrable, options.initially);
  if (!deferrability) return Fail(deferrability.error());
  return out + *deferrability;
}

// The CHECK a Boolean or Enum with create_constraint makes. Its name is the
// type's name; an unnamed one is named by the "ck" convention at compile
// time (SQLAlchemy's _NONE_NAME), which resolves the same way.
Result<std::string> TypeCheckSql(const MetaData& metadata, const std::string& table,
                                 const Column& column) {
  auto prefix =
      ConstraintPrefix(metadata, Subject("ck", table, {column.type.name, false}, {column.name}));
  if (!prefix) return Fail(prefix.error());
  std::string values;
  if (column.type.kind == Type::Kind::kBoolean) {
    values = "0, 1";
  } else {
    for (const std::string& value : column.type.enum_values) {
      if (!values.empty()) values += ", ";
      values += sql::QuoteString(value);
    }
  }
  return *prefix + "CHECK (" + SqlalchemyQuote(column.name) + " IN (" + values + "))";
}

// The table-level constraint clauses, in the order of the header's steps.
Result<std::vector<std::string>> ConstraintClauses(const MetaData& metadata,
                                                   const ResolvedTable& resolved) {
  const Table& table = *resolved.table;
  std::vector<std::string> clauses;
  auto add = [&clauses](Result<std::string> clause) -> Status {
    if (!clause) return clause.error();
    clauses.push_back(*clause);
    return {};
  };
  if (!resolved.primary_key.empty() && !resolved.inline_autoincrement) {
    const PrimaryKeyConstraint explicit_pk =
        table.primary_key.value_or(PrimaryKeyConstraint{resolved.primary_key, {}, {}, {}});
    auto prefix = ConstraintPrefix(
        metadata, Subject("pk", table.name, explicit_pk.name, resolved.primary_key));
    if (!prefix) return Fail(prefix.error());
    auto deferrability = Deferrability(table.name, explicit_pk.deferrable, explicit_pk.initially);
    if (!deferrability) return Fail(deferrability.error());
    clauses.push_back(*prefix + "PRIMARY KEY (" + JoinQuoted(resolved.primary_key) + ")" +
                      *deferrability);
  }
  for (const Constraint& constraint : table.constraints) {
    switch (constraint.kind) {
      case Constraint::Kind::kUnique: {
        const UniqueConstraint& unique = constraint.unique;
        auto prefix =
            ConstraintPrefix(metadata, Subject("uq", table.name, unique.name, unique.columns));
        if (!prefix) return Fail(prefix.error());
        auto deferrability = Deferrability(table.name, unique.deferrable, unique.initially);
        if (!deferrability) return Fail(deferrability.error());
        clauses.push_back(*prefix + "UNIQUE (" + JoinQuoted(unique.columns) + ")" + *deferrability);
        break;
      }
      case Constraint::Kind::kCheck: {
        auto prefix =
            ConstraintPrefix(metadata, Subject("ck", table.name, constraint.check.name, {}));
        if (!prefix) return Fail(prefix.error());
        clauses.push_back(*prefix + "CHECK (" + constraint.check.sqltext + ")");
        break;
      }
      case Constraint::Kind::kForeignKey:
        SQLMEND_RETURN_IF_ERROR(add(ForeignKeySql(metadata, table.name, constraint.foreign_key)));
        break;
      case Constraint::Kind::kPrimaryKey:
        return Fail(
            Status::Refused(table.name, "a table's primary key belongs in Table::primary_key"));
    }
  }
  for (const Column& column : table.columns) {
    if (column.unique && !column.index) {
      auto prefix = ConstraintPrefix(metadata, Subject("uq", table.name, {}, {column.name}));
      if (!prefix) return Fail(prefix.error());
      clauses.push_back(*prefix + "UNIQUE (" + SqlalchemyQuote(column.name) + ")");
    }
    if (column.type.CreatesCheck()) {
      SQLMEND_RETURN_IF_ERROR(add(TypeCheckSql(metadata, table.name, column)));
    }
    for (const ForeignKey& fk : column.foreign_keys) {
      SQLMEND_RETURN_IF_ERROR(add(ForeignKeySql(
          metadata, table.name,
          {{column.name}, fk.target_table, {fk.target_column}, fk.options, fk.name})));
    }
  }
  return clauses;
}

Result<std::string> CreateTableSql(const MetaData& metadata, const Table& table) {
  const ResolvedTable resolved = Resolve(table);
  std::string out = "\nCREATE TABLE " + SqlalchemyQuote(table.name) + " (";
  std::string separator = "\n";
  for (const Column& column : table.columns) {
    const bool is_primary_key = InPrimaryKey(resolved, column.name);
    if (is_primary_key && column.autoincrement == Autoincrement::kTrue &&
        resolved.primary_key.size() != 1) {
      return Fail(Status::Refused(
          table.name, "SQLite does not support autoincrement for composite primary keys"));
    }
    auto column_sql = ColumnSql(metadata, table.name, column, is_primary_key,
                                is_primary_key && resolved.inline_autoincrement);
    if (!column_sql) return Fail(column_sql.error());
    out += separator + "\t" + *column_sql;
    separator = ", \n";
  }
  auto clauses = ConstraintClauses(metadata, resolved);
  if (!clauses) return Fail(clauses.error());
  if (!clauses->empty()) {
    out += separator + "\t";
    for (size_t i = 0; i < clauses->size(); i++) {
      if (i > 0) out += ", \n\t";
      out += (*clauses)[i];
    }
  }
  return out + (table.sqlite_with_rowid ? "\n)\n\n" : "\n)\n WITHOUT ROWID\n\n");
}

Result<std::string> CreateIndexSql(const MetaData& metadata, const Index& index) {
  std::vector<std::string> labels;
  for (const IndexElement& element : index.elements) labels.push_back(element.text);
  auto name = ResolveConstraintName(metadata, Subject("ix", index.table, index.name, labels));
  if (!name) return Fail(name.error());
  if (!*name) {
    return Fail(Status::Refused(index.table, "CREATE INDEX requires that the index have a name"));
  }
  std::string out = index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out += SqlalchemyQuote(**name) + " ON " + SqlalchemyQuote(index.table) + " (";
  for (size_t i = 0; i < index.elements.size(); i++) {
    if (i > 0) out += ", ";
    const IndexElement& element = index.elements[i];
    out += element.is_expression ? element.text : SqlalchemyQuote(element.text);
  }
  out += ")";
  if (index.sqlite_where) out += " WHERE " + *index.sqlite_where;
  return out;
}

// The CREATE INDEX statements of index=True columns.
Status AppendColumnIndexes(const MetaData& metadata, const std::string& table,
                           const std::vector<Column>& columns, std::vector<std::string>* out) {
  for (const Column& column : columns) {
    if (!column.index) continue;
    Index index{{}, table, {IndexElement::ColumnName(column.name)}, column.unique, std::nullopt};
    auto sql = CreateIndexSql(metadata, index);
    if (!sql) return sql.error();
    out->push_back(*sql);
  }
  return {};
}

constexpr char kNoConstraintAlter[] =
    "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode "
    "feature which allows for SQLite migrations using a copy-and-move strategy.";

Status ColumnCommentError(const std::string& table) {
  return Status::Refused(table,
                         "Compiler <sqlalchemy.dialects.sqlite.base.SQLiteDDLCompiler> can't "
                         "render element of type <class 'alembic.ddl.base.ColumnComment'>");
}

// SQLiteImpl.render_ddl_sql_expr for a server default: the compiled text,
// parenthesized when it looks like a bare SQL expression
// (_guess_if_default_is_unparenthesized_sql_expr: not one digit or dot, not
// '...', not (...)).
std::string AlterDefaultSql(const ServerDefault& server_default) {
  std::string text;
  switch (server_default.kind) {
    case ServerDefault::Kind::kString:
      text = sql::QuoteString(server_default.text);
      break;
    case ServerDefault::Kind::kText:
      text = server_default.text;
      break;
    case ServerDefault::Kind::kNow:
      text = "CURRENT_TIMESTAMP";
      break;
    case ServerDefault::Kind::kExpression:
      text = server_default.text;
      break;
  }
  const bool one_digit =
      text.size() == 1 && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.');
  const bool quoted = text.size() >= 3 && text.front() == '\'' && text.back() == '\'';
  const bool parenthesized = text.size() >= 3 && text.front() == '(' && text.back() == ')';
  if (text.empty() || one_digit || quoted || parenthesized) return text;
  return "(" + text + ")";
}

// DefaultImpl.alter_column outside batch mode: one ALTER per change, in
// Alembic's order (nullable, server default, type, comment, name). Only the
// rename is SQL SQLite accepts; the others fail when run, as in Alembic.
Status AppendAlterColumn(const AlterColumn& alter, std::vector<std::string>* out) {
  const std::string prefix = "ALTER TABLE " + SqlalchemyQuote(alter.table) + " ";
  const std::string column = "ALTER COLUMN " + SqlalchemyQuote(alter.column) + " ";
  if (alter.nullable) {
    out->push_back(prefix + column + (*alter.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
  }
  if (alter.server_default) {
    out->push_back(prefix + column +
                   (*alter.server_default ? "SET DEFAULT " + AlterDefaultSql(**alter.server_default)
                                          : std::string("DROP DEFAULT")));
  }
  if (alter.type) out->push_back(prefix + column + "TYPE " + CompileSqliteType(*alter.type));
  if (alter.comment) return ColumnCommentError(alter.table);
  if (alter.new_column_name) {
    out->push_back(prefix + "RENAME " + SqlalchemyQuote(alter.column) + " TO " +
                   SqlalchemyQuote(*alter.new_column_name));
  }
  return {};
}

// Python's repr() of a float: the shortest text that reads back the same,
// with ".0" for integral values.
std::string FloatLiteral(double value) {
  char buffer[64];
  for (int precision = 1; precision <= 17; precision++) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string text = buffer;
  if (text.find_first_of(".eni") == std::string::npos) text += ".0";
  return text;
}

std::string LiteralSql(const Literal& literal) {
  if (!literal.literal_sql.empty()) return literal.literal_sql;
  switch (literal.kind) {
    case Literal::Kind::kNull:
      return "NULL";
    case Literal::Kind::kInt:
      return std::to_string(literal.integer);
    case Literal::Kind::kFloat:
      return FloatLiteral(literal.real);
    case Literal::Kind::kText:
    // LargeBinary's literal processor writes the octets as a string literal.
    case Literal::Kind::kBlob:
      return sql::QuoteString(literal.text);
  }
  return "NULL";
}

// "INSERT INTO t (a, b) VALUES (...)" for one row: the table's columns that
// the row names, in table order; values inline or as "?".
std::string InsertSql(const BulkInsert& insert,
                      const std::vector<std::pair<std::string, Literal>>& row, bool inline_values) {
  std::string names;
  std::string values;
  for (const Column& column : insert.columns) {
    const auto found = std::find_if(row.begin(), row.end(),
                                    [&](const auto& entry) { return entry.first == column.name; });
    if (found == row.end()) continue;
    if (!names.empty()) {
      names += ", ";
      values += ", ";
    }
    names += SqlalchemyQuote(column.name);
    values += inline_values ? LiteralSql(found->second) : "?";
  }
  return "INSERT INTO " + SqlalchemyQuote(insert.table) + " (" + names + ") VALUES (" + values +
         ")";
}

Result<std::vector<std::string>> Statements(const Operation& operation, const MetaData& metadata) {
  std::vector<std::string> out;
  if (const auto* create = std::get_if<CreateTable>(&operation)) {
    auto sql = CreateTableSql(metadata, create->table);
    if (!sql) return Fail(sql.error());
    out.push_back(*sql);
    SQLMEND_RETURN_IF_ERROR(
        AppendColumnIndexes(metadata, create->table.name, create->table.columns, &out));
    for (Index index : create->table.indexes) {
      index.table = create->table.name;
      auto index_sql = CreateIndexSql(metadata, index);
      if (!index_sql) return Fail(index_sql.error());
      out.push_back(*index_sql);
    }
  } else if (const auto* drop = std::get_if<DropTable>(&operation)) {
    out.push_back("\nDROP TABLE " + SqlalchemyQuote(drop->table));
  } else if (const auto* add = std::get_if<AddColumn>(&operation)) {
    // Alembic's toimpl.add_column adds the column's constraints one by one
    // through impl.add_constraint, which SQLite's impl refuses; the CHECK of a
    // Boolean/Enum only draws a warning and is skipped.
    if ((add->column.unique && !add->column.index) || !add->column.foreign_keys.empty()) {
      return Fail(Status::Refused(add->table + "." + add->column.name,
                                  "No support for ALTER of constraints in SQLite dialect. "
                                  "Please refer to the batch mode feature which allows for "
                                  "SQLite migrations using a copy-and-move strategy."));
    }
    auto column_sql = ColumnSql(metadata, add->table, add->column, add->column.primary_key, false);
    if (!column_sql) return Fail(column_sql.error());
    out.push_back("ALTER TABLE " + SqlalchemyQuote(add->table) + " ADD COLUMN " + *column_sql);
    SQLMEND_RETURN_IF_ERROR(AppendColumnIndexes(metadata, add->table, {add->column}, &out));
  } else if (const auto* drop_column = std::get_if<DropColumn>(&operation)) {
    out.push_back("ALTER TABLE " + SqlalchemyQuote(drop_column->table) + " DROP COLUMN " +
                  SqlalchemyQuote(drop_column->column));
  } else if (const auto* create_index = std::get_if<CreateIndex>(&operation)) {
    auto sql = CreateIndexSql(metadata, create_index->index);
    if (!sql) return Fail(sql.error());
    out.push_back(*sql);
  } else if (const auto* drop_index = std::get_if<DropIndex>(&operation)) {
    auto name =
        ResolveConstraintName(metadata, Subject("ix", drop_index->table, drop_index->name, {}));
    if (!name) return Fail(name.error());
    if (!*name) {
      return Fail(
          Status::Refused(drop_index->table, "DROP INDEX requires that the index have a name"));
    }
    out.push_back("\nDROP INDEX " + SqlalchemyQuote(**name));
  } else if (const auto* rename = std::get_if<RenameTable>(&operation)) {
    out.push_back("ALTER TABLE " + SqlalchemyQuote(rename->table) + " RENAME TO " +
                  SqlalchemyQuote(rename->new_name));
  } else if (const auto* execute = std::get_if<Execute>(&operation)) {
    if (!execute->literal_error.empty()) return Fail(Status::Refused("", execute->literal_error));
    out.push_back(execute->literal_sql.empty() ? execute->sql : execute->literal_sql);
  } else if (const auto* alter = std::get_if<AlterColumn>(&operation)) {
    SQLMEND_RETURN_IF_ERROR(AppendAlterColumn(*alter, &out));
  } else if (std::holds_alternative<AddConstraint>(operation) ||
             std::holds_alternative<DropConstraint>(operation)) {
    const std::string& table = std::holds_alternative<AddConstraint>(operation)
                                   ? std::get<AddConstraint>(operation).table
                                   : std::get<DropConstraint>(operation).table;
    return Fail(Status::Refused(table, kNoConstraintAlter));
  } else if (const auto* comment = std::get_if<Comment>(&operation)) {
    if (comment->column) return Fail(ColumnCommentError(comment->table));
    out.push_back("COMMENT ON TABLE " + SqlalchemyQuote(comment->table) + " IS " +
                  (comment->text ? sql::QuoteString(*comment->text) : "NULL"));
  } else if (const auto* insert = std::get_if<BulkInsert>(&operation)) {
    for (const auto& row : insert->rows) out.push_back(InsertSql(*insert, row, true));
  } else if (std::holds_alternative<BatchAlterTable>(operation)) {
    return Fail(Status::Refused(std::get<BatchAlterTable>(operation).table,
                                "a batch is planned by ops/batch.h, not rendered alone"));
  }
  return out;
}

}  // namespace

std::string OfflineForm(const std::string& statement) {
  std::string text;
  for (char c : statement) {
    if (c == '\t') {
      text += "    ";
    } else {
      text += c;
    }
  }
  const auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  const auto first = std::find_if_not(text.begin(), text.end(), is_space);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
  if (first >= last) return ";";
  return std::string(first, last) + ";";
}

std::string RenderColumnSpecification(const Column& column, bool is_primary_key,
                                      bool inline_autoincrement) {
  std::string out = SqlalchemyQuote(column.name) + " " + CompileSqliteType(column.type);
  if (column.server_default) {
    const ServerDefault& server_default = *column.server_default;
    switch (server_default.kind) {
      case ServerDefault::Kind::kString:
        out += " DEFAULT " + sql::QuoteString(server_default.text);
        break;
      case ServerDefault::Kind::kText:
        // A TextClause is not a ColumnElement: no parentheses, even around
        // datetime('now'). NOTE: SQLAlchemy 2.0 parenthesizes any default
        // that does not start with a quote or "(" and holds a non-word
        // character: DEFAULT (datetime('now')); and writes func.now() bare,
        // DEFAULT CURRENT_TIMESTAMP. sqlmend follows 1.4.
        out += " DEFAULT " + server_default.text;
        break;
      case ServerDefault::Kind::kNow:
        // func.now() is a ColumnElement: parenthesized. SQLite's compiler
        // spells now() as CURRENT_TIMESTAMP.
        out += " DEFAULT (CURRENT_TIMESTAMP)";
        break;
      case ServerDefault::Kind::kExpression:
        out += " DEFAULT (" + server_default.text + ")";
        break;
    }
  }
  if (!column.nullable.value_or(!is_primary_key)) out += " NOT NULL";
  if (inline_autoincrement) out += " PRIMARY KEY AUTOINCREMENT";
  return out;
}

Result<std::vector<std::string>> RenderSqlite(const Operation& operation,
                                              const RenderOptions& options) {
  auto statements = Statements(operation, options.metadata);
  if (!statements || !options.as_sql) return statements;
  for (std::string& statement : *statements) statement = OfflineForm(statement);
  return statements;
}

std::string BulkInsertSql(const BulkInsert& insert,
                          const std::vector<std::pair<std::string, Literal>>& row,
                          bool inline_values) {
  return InsertSql(insert, row, inline_values);
}

}  // namespace sqlmend::ops
