#include "migrate/apply_operation.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <set>
#include <utility>

#include "schema/reflect.h"
#include "migrate/text_clause.h"
#include "ops/batch.h"
#include "ops/identifier_preparer.h"
#include "ops/sqlite_renderer.h"

namespace sqlmend::migrate {
namespace {

using base::Fail;
using base::Result;
using base::Status;

std::string TableOf(const ops::Operation& operation) {
  return std::visit(
      [](const auto& op) -> std::string {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, ops::CreateTable>) {
          return op.table.name;
        } else if constexpr (std::is_same_v<T, ops::CreateIndex>) {
          return op.index.table;
        } else if constexpr (std::is_same_v<T, ops::Execute>) {
          return "";
        } else {
          return op.table;
        }
      },
      operation);
}

// Runs one statement, naming `table` in the error with SQLite's message.
Status Run(sqlite::Db& db, const std::string& table, const std::string& sql) {
  const Status status = db.Exec(sql);
  if (status.ok()) return status;
  return Status::Refused(table, status.message());
}

void BindLiteral(sqlite3_stmt* stmt, int index, const ops::Literal& literal) {
  switch (literal.kind) {
    case ops::Literal::Kind::kNull:
      sqlite3_bind_null(stmt, index);
      break;
    case ops::Literal::Kind::kInt:
      sqlite3_bind_int64(stmt, index, literal.integer);
      break;
    case ops::Literal::Kind::kFloat:
      sqlite3_bind_double(stmt, index, literal.real);
      break;
    case ops::Literal::Kind::kText:
      sqlite3_bind_text(stmt, index, literal.text.data(), static_cast<int>(literal.text.size()),
                        SQLITE_TRANSIENT);
      break;
    case ops::Literal::Kind::kBlob:
      sqlite3_bind_blob(stmt, index, literal.text.data(), static_cast<int>(literal.text.size()),
                        SQLITE_TRANSIENT);
      break;
  }
}

// Prepares `sql`, binds `values` in order and runs it to completion.
Status RunBound(sqlite::Db& db, const std::string& object, const std::string& sql,
                const std::vector<const ops::Literal*>& values) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Status::Refused(object, stmt.error().message());
  for (size_t i = 0; i < values.size(); i++) {
    BindLiteral(stmt->handle(), static_cast<int>(i + 1), *values[i]);
  }
  const Status status = stmt->Run();
  if (status.ok()) return status;
  return Status::Refused(object, status.message());
}

// The values `execute` binds, in "?" order, for the SQL it runs: a text()
// clause's ":name" parameters by name, compiled SQL's by position.
Result<std::pair<std::string, std::vector<const ops::Literal*>>> BoundStatement(
    const ops::Execute& execute) {
  std::vector<const ops::Literal*> values;
  if (!execute.text_clause) {
    for (const auto& entry : execute.parameters) values.push_back(&entry.second);
    return std::make_pair(execute.sql, values);
  }
  CompiledText compiled = CompileTextClause(execute.sql, "?");
  for (const std::string& name : compiled.bind_names) {
    const auto found = std::find_if(execute.parameters.begin(), execute.parameters.end(),
                                    [&name](const auto& entry) { return entry.first == name; });
    if (found == execute.parameters.end()) {
      return Fail(Status::Refused("",
                                  "(sqlalchemy.exc.InvalidRequestError) A value is required for "
                                  "bind parameter '" +
                                      name + "'"));
    }
    values.push_back(&found->second);
  }
  return std::make_pair(std::move(compiled.sql), values);
}

// op.execute: a text() clause binds ":name" by name (SQLAlchemy fails on
// a name without a value); compiled SQL binds by position.
Status ApplyExecute(sqlite::Db& db, const ops::Execute& execute) {
  auto bound = BoundStatement(execute);
  if (!bound) return bound.error();
  if (bound->second.empty() && execute.text_clause) return Run(db, "", bound->first);
  return RunBound(db, "", bound->first, bound->second);
}

// op.bulk_insert online: SQLAlchemy's executemany of the first row's
// statement; a later row lacking one of its keys fails as SQLAlchemy does.
Status ApplyBulkInsert(sqlite::Db& db, const ops::BulkInsert& insert) {
  if (insert.rows.empty()) return {};
  const auto& first = insert.rows.front();
  const std::string sql = ops::BulkInsertSql(insert, first, false);
  std::vector<std::string> names;
  for (const ops::Column& column : insert.columns) {
    if (std::any_of(first.begin(), first.end(),
                    [&](const auto& entry) { return entry.first == column.name; })) {
      names.push_back(column.name);
    }
  }
  for (size_t group = 0; group < insert.rows.size(); group++) {
    const auto& row = insert.rows[group];
    std::vector<const ops::Literal*> values;
    for (const std::string& name : names) {
      const auto found = std::find_if(row.begin(), row.end(),
                                      [&](const auto& entry) { return entry.first == name; });
      if (found == row.end()) {
        return Status::Refused(insert.table,
                               "(sqlalchemy.exc.StatementError) A value is required for bind "
                               "parameter '" +
                                   name + "', in parameter group " + std::to_string(group));
      }
      values.push_back(&found->second);
    }
    SQLMEND_RETURN_IF_ERROR(RunBound(db, insert.table, sql, values));
  }
  return {};
}

std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Every row of `sql`, columns joined by '|'.
Result<std::vector<std::string>> Lines(sqlite::Db& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  std::vector<std::string> out;
  while (true) {
    auto step = stmt->Step();
    if (!step) return Fail(step.error());
    if (!*step) return out;
    std::string line;
    for (int i = 0; i < stmt->ColumnCount(); i++) {
      if (i > 0) line += "|";
      line += stmt->ColumnIsNull(i) ? "NULL" : stmt->ColumnText(i);
    }
    out.push_back(std::move(line));
  }
}

// Logs, per other table with a foreign key to `table`, how many of its rows
// point at it (a non-NULL key): the rows a rebuild with foreign keys on
// would cascade-delete, and that this rebuild keeps. One query finds the
// referencing columns of every table; tables without such rows say nothing.
Status LogChildRows(sqlite::Db& db, const std::string& table, const ApplyContext& context) {
  if (!context.log) return {};
  auto references = Lines(db,
                          "SELECT m.name, f.\"from\" FROM sqlite_master AS m, "
                          "pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND "
                          "m.name <> " + Quoted(table) + " AND f.\"table\" = " + Quoted(table) +
                              " ORDER BY m.name, f.id, f.seq");
  if (!references) return references.error();
  std::vector<std::pair<std::string, std::string>> children;  // table -> "a IS NOT NULL OR ..."
  for (const std::string& line : *references) {
    const size_t bar = line.find('|');
    const std::string child = line.substr(0, bar);
    const std::string test = ops::SqlalchemyQuote(line.substr(bar + 1)) + " IS NOT NULL";
    if (children.empty() || children.back().first != child) {
      children.emplace_back(child, test);
    } else {
      children.back().second += " OR " + test;
    }
  }
  for (const auto& [child, test] : children) {
    auto count = db.QueryInt("SELECT count(*) FROM " + ops::SqlalchemyQuote(child) + " WHERE " + test);
    if (!count) return count.error();
    if (*count == 0) continue;
    context.log(child + ": " + std::to_string(*count) + " rows reference " + table +
                " (kept: the table is rebuilt with foreign keys off)");
  }
  return {};
}

Result<std::vector<std::string>> ForeignKeyViolations(sqlite::Db& db) {
  return Lines(db, "PRAGMA foreign_key_check");
}

Status ApplyRebuild(sqlite::Db& db, const ops::BatchAlterTable& batch,
                    const ApplyContext& context) {
  ops::Table existing;
  const bool reflected = !batch.copy_from.has_value();
  if (reflected) {
    auto table = schema::ReflectTable(db, batch.table);
    if (!table) return table.error();
    existing = std::move(*table);
  } else {
    existing = *batch.copy_from;
  }
  auto plan = ops::PlanTableRebuild(batch, existing, reflected, context.metadata);
  if (!plan) return plan.error();
  SQLMEND_RETURN_IF_ERROR(LogChildRows(db, batch.table, context));
  std::set<std::string> violations_before;
  if (context.foreign_keys_enforced) {
    auto before = ForeignKeyViolations(db);
    if (!before) return before.error();
    violations_before.insert(before->begin(), before->end());
  }
  auto triggers = Lines(db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = " +
                                Quoted(batch.table) + " AND sql IS NOT NULL ORDER BY rowid");
  if (!triggers) return triggers.error();
  for (const std::string& statement : plan->Statements()) {
    // The rename of _alembic_tmp_<t> back to <t> runs in legacy mode:
    // nothing refers to the temporary name, so the result is the same, but
    // SQLite then skips re-checking every view and trigger of the schema,
    // which made each rebuild cost time in proportion to the whole schema.
    const bool rename = statement.rfind("ALTER TABLE ", 0) == 0 &&
                        statement.find(" RENAME TO ") != std::string::npos;
    if (rename) SQLMEND_RETURN_IF_ERROR(db.Exec("PRAGMA legacy_alter_table=ON"));
    Status status;
    if (statement == plan->copy_rows && !plan->copy_parameters.empty()) {
      std::vector<const ops::Literal*> values;
      for (const ops::Literal& value : plan->copy_parameters) values.push_back(&value);
      status = RunBound(db, batch.table, statement, values);
    } else {
      status = Run(db, batch.table, statement);
    }
    if (rename) {
      Status restore = db.Exec("PRAGMA legacy_alter_table=OFF");
      if (status.ok()) status = restore;
    }
    SQLMEND_RETURN_IF_ERROR(status);
  }
  for (const std::string& trigger : *triggers) {
    const Status status = db.Exec(trigger);
    if (!status.ok()) {
      return Status::Refused(batch.table,
                             "cannot recreate a trigger after the rebuild: " + status.message());
    }
  }
  if (context.foreign_keys_enforced) {
    auto after = ForeignKeyViolations(db);
    if (!after) return after.error();
    for (const std::string& violation : *after) {
      if (violations_before.count(violation) == 0) {
        return Status::Refused(batch.table, "the rebuild would break a foreign key (" + violation +
                                                "); nothing was changed");
      }
    }
  }
  return {};
}

}  // namespace

bool RebuildsTable(const ops::Operation& operation) {
  const auto* batch = std::get_if<ops::BatchAlterTable>(&operation);
  return batch != nullptr && ops::BatchRecreates(*batch);
}

Status ApplyOperation(sqlite::Db& db, const ops::Operation& operation,
                      const ApplyContext& context) {
  if (const auto* execute = std::get_if<ops::Execute>(&operation)) {
    return ApplyExecute(db, *execute);
  }
  if (const auto* insert = std::get_if<ops::BulkInsert>(&operation)) {
    return ApplyBulkInsert(db, *insert);
  }
  std::vector<std::string> statements;
  if (const auto* batch = std::get_if<ops::BatchAlterTable>(&operation)) {
    if (ops::BatchRecreates(*batch)) return ApplyRebuild(db, *batch, context);
    auto rendered = ops::RenderBatchWithoutRebuild(*batch, context.metadata);
    if (!rendered) return rendered.error();
    statements = std::move(*rendered);
  } else {
    ops::RenderOptions options;
    options.metadata = context.metadata;
    auto rendered = ops::RenderSqlite(operation, options);
    if (!rendered) return rendered.error();
    statements = std::move(*rendered);
  }
  const std::string table = TableOf(operation);
  for (const std::string& statement : statements) {
    SQLMEND_RETURN_IF_ERROR(Run(db, table, statement));
  }
  return {};
}

Result<std::vector<std::string>> OfflineStatements(const ops::Operation& operation,
                                                   const ops::MetaData& metadata,
                                                   bool literal_binds) {
  std::vector<std::string> statements;
  if (const auto* batch = std::get_if<ops::BatchAlterTable>(&operation)) {
    if (!ops::BatchRecreates(*batch)) {
      auto rendered = ops::RenderBatchWithoutRebuild(*batch, metadata);
      if (!rendered) return Fail(rendered.error());
      statements = std::move(*rendered);
    } else if (!batch->copy_from) {
      return Fail(Status::Refused(
          batch->table,
          "This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires "
          "a live database connection with which to reflect the table \"" +
              batch->table +
              "\". To generate a batch SQL migration script using table \"move and copy\", a "
              "complete Table object should be passed to the \"copy_from\" argument of the "
              "batch_alter_table() method so that table reflection can be skipped."));
    } else {
      auto plan = ops::PlanTableRebuild(*batch, *batch->copy_from, false, metadata);
      if (!plan) return Fail(plan.error());
      statements = plan->Statements(literal_binds);
    }
  } else if (const auto* execute = std::get_if<ops::Execute>(&operation)) {
    // A Core statement has its literal form, written with literal_binds;
    // other compiled SQL is written as it runs.
    if (execute->text_clause || execute->plain_string) {
      statements.push_back(CompileTextClause(execute->sql, "NULL").sql);
    } else if (!literal_binds) {
      statements.push_back(execute->placeholder_sql.empty() ? execute->sql
                                                            : execute->placeholder_sql);
    } else {
      if (!execute->literal_error.empty()) return Fail(Status::Refused("", execute->literal_error));
      statements.push_back(execute->literal_sql.empty() ? execute->sql : execute->literal_sql);
    }
  } else {
    ops::RenderOptions options;
    options.metadata = metadata;
    auto rendered = ops::RenderSqlite(operation, options);
    if (!rendered) return Fail(rendered.error());
    statements = std::move(*rendered);
  }
  for (std::string& statement : statements) statement = ops::OfflineForm(statement);
  return statements;
}

Result<sqlalchemy::ResultSet> QueryStatement(sqlite::Db& db, const ops::Execute& execute) {
  auto bound = BoundStatement(execute);
  if (!bound) return Fail(bound.error());
  sqlalchemy::ResultSet out;
  const std::string& sql = bound->first;
  const char* next = sql.c_str();
  const char* end = next + sql.size();
  size_t used = 0;
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* start = next;
    int rc = db.PrepareOne(std::string_view(start, static_cast<size_t>(end - start)), &raw, &next);
    if (rc != SQLITE_OK) return Fail(Status::Refused("", sqlite3_errmsg(db.handle())));
    if (raw == nullptr) break;
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    const int parameters = sqlite3_bind_parameter_count(raw);
    if (used + static_cast<size_t>(parameters) > bound->second.size()) {
      return Fail(Status::Refused(
          "", "Incorrect number of bindings supplied. The current statement uses " +
                  std::to_string(parameters) + ", and there are " +
                  std::to_string(bound->second.size() - used) + " supplied."));
    }
    for (int i = 0; i < parameters; ++i) BindLiteral(raw, i + 1, *bound->second[used++]);
    out.columns.clear();
    out.rows.clear();
    const int columns = sqlite3_column_count(raw);
    for (int i = 0; i < columns; ++i) out.columns.emplace_back(sqlite3_column_name(raw, i));
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      std::vector<sqlalchemy::Cell> row(static_cast<size_t>(columns));
      for (int i = 0; i < columns; ++i) {
        sqlalchemy::Cell& cell = row[static_cast<size_t>(i)];
        switch (sqlite3_column_type(raw, i)) {
          case SQLITE_INTEGER:
            cell.kind = sqlalchemy::Cell::Kind::kInt;
            cell.integer = sqlite3_column_int64(raw, i);
            break;
          case SQLITE_FLOAT:
            cell.kind = sqlalchemy::Cell::Kind::kFloat;
            cell.real = sqlite3_column_double(raw, i);
            break;
          case SQLITE_TEXT:
            cell.kind = sqlalchemy::Cell::Kind::kText;
            cell.text.assign(reinterpret_cast<const char*>(sqlite3_column_text(raw, i)),
                             static_cast<size_t>(sqlite3_column_bytes(raw, i)));
            break;
          case SQLITE_BLOB:
            cell.kind = sqlalchemy::Cell::Kind::kBlob;
            if (const void* blob = sqlite3_column_blob(raw, i)) {
              cell.text.assign(static_cast<const char*>(blob),
                               static_cast<size_t>(sqlite3_column_bytes(raw, i)));
            }
            break;
          default:
            break;
        }
      }
      out.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Fail(Status::Refused("", sqlite3_errmsg(db.handle())));
    out.rowcount = columns == 0 ? sqlite3_changes(db.handle()) : -1;
  }
  out.last_insert_rowid = sqlite3_last_insert_rowid(db.handle());
  return out;
}

}  // namespace sqlmend::migrate
