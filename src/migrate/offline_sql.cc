// WriteOfflineSql: the script `alembic upgrade|downgrade|stamp --sql` prints
// for SQLite (Alembic 1.8.1, SQLAlchemy 1.4), byte for byte.
//
// MigrationContext.run_migrations in offline mode, for each step:
//   1. when the simulated version table holds no rows, the CREATE TABLE of
//      the version table (SQLAlchemy's DDL);
//   2. static_output("-- Running <short_log>");
//   3. each op.execute() string, compiled as text() with literal binds;
//   4. the HeadMaintainer's INSERT / UPDATE / DELETE with literal values;
// and after the last step, DROP TABLE when no rows are left. Every piece is
// written by DefaultImpl._exec / static_output: tabs as four spaces,
// stripped, ";" appended, then a blank line ("\n\n").
#include <sqlite3.h>

#include <set>
#include <string_view>

#include "migrate/apply_operation.h"
#include "migrate/runner.h"
#include "migrate/step_sql.h"
#include "ops/identifier_preparer.h"
#include "migrate/text_clause.h"

namespace sqlmend::migrate {

namespace {

// SQLAlchemy's quoting of names (reserved words, case, odd characters).
std::string QuoteIdentifier(const std::string& name) { return ops::SqlalchemyQuote(name); }

class OfflineWriter {
 public:
  OfflineWriter(const Target& target, std::ostream& out) : out_(out) {
    table_ = QuoteIdentifier(target.version_table);
    if (target.version_table_schema) {
      table_ = QuoteIdentifier(*target.version_table_schema) + "." + table_;
    }
    constraint_ = QuoteIdentifier(target.version_table + "_pkc");
  }

  // static_output(): the text and a blank line.
  void Output(std::string_view text) { out_ << text << "\n\n"; }
  void Exec(std::string_view compiled) { Output(OfflineStatement(compiled)); }

  void CreateVersionTable() {
    Exec("CREATE TABLE " + table_ + " (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT " +
         constraint_ + " PRIMARY KEY (version_num)\n)");
  }
  void DropVersionTable() { Exec("DROP TABLE " + table_); }

  // The HeadMaintainer's statements; values are literal_column("'%s'"), so
  // a revision id is written between quotes as it is.
  void Change(const graph::VersionChange& change) {
    switch (change.kind) {
      case graph::VersionChange::Kind::kInsert:
        Exec("INSERT INTO " + table_ + " (version_num) VALUES ('" + change.to + "')");
        break;
      case graph::VersionChange::Kind::kDelete:
        Exec("DELETE FROM " + table_ + " WHERE " + table_ + ".version_num = '" + change.from +
             "'");
        break;
      case graph::VersionChange::Kind::kUpdate:
        Exec("UPDATE " + table_ + " SET version_num='" + change.to + "' WHERE " + table_ +
             ".version_num = '" + change.from + "'");
        break;
    }
  }

 private:
  std::ostream& out_;
  std::string table_;
  std::string constraint_;
};

// The statements of a .sql revision section, split where sqlite3_complete()
// says a statement ends, each without its ';'.
std::vector<std::string> SplitSqlSection(std::string_view text) {
  std::vector<std::string> statements;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ';') continue;
    std::string candidate(text.substr(start, i + 1 - start));
    if (!sqlite3_complete(candidate.c_str())) continue;
    candidate.pop_back();
    statements.push_back(std::move(candidate));
    start = i + 1;
  }
  std::string rest(text.substr(start));
  if (rest.find_first_not_of(" \t\r\n\f\v") != std::string::npos) statements.push_back(rest);
  return statements;
}

}  // namespace

base::Status WriteOfflineSql(const Target& target, const graph::Plan& plan,
                             const std::vector<std::string>& starting_heads,
                             const script::ScriptDirectory& scripts, std::ostream& out,
                             script::PythonRuntime* python) {
  // Every body is read, and every operation rendered, before the first byte
  // is written: a step Alembic cannot write offline (a batch operation that
  // needs to reflect its table) fails the whole script, as in Alembic.
  auto plan_sql = LoadPlanSql(scripts, plan, python);
  if (!plan_sql) return plan_sql.error();
  std::vector<std::vector<std::string>> rendered(plan_sql->size());
  for (size_t i = 0; i < plan_sql->size(); ++i) {
    const StepSql& sql = (*plan_sql)[i];
    // A body that reads the database cannot be written offline (Alembic's
    // offline connection returns no rows either).
    if (sql.needs_database) return sql.stopped;
    for (size_t k = 0; k < sql.operations.size(); ++k) {
      const ops::Operation& operation = sql.operations[k];
      const auto* execute = std::get_if<ops::Execute>(&operation);
      if (execute != nullptr && execute->text_clause && execute->parameters.empty()) {
        rendered[i].push_back(OfflineStatement(CompileTextClause(execute->sql, "NULL").sql));
        continue;
      }
      auto statements = OfflineStatements(
          operation, python != nullptr ? python->env().target_metadata : ops::MetaData{},
          python == nullptr || python->env().literal_binds);
      if (!statements) return LocateOperationError(sql, sql.locations[k], statements.error());
      for (std::string& statement : *statements) rendered[i].push_back(std::move(statement));
    }
  }

  OfflineWriter writer(target, out);
  std::set<std::string> heads(starting_heads.begin(), starting_heads.end());
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const graph::Step& step = plan.steps[i];
    if (heads.empty()) writer.CreateVersionTable();
    writer.Output("-- Running " + step.ShortLog());
    const StepSql& sql = (*plan_sql)[i];
    for (const script::SqlText& text : sql.texts) {
      if (sql.through_text_clause) {
        writer.Exec(CompileTextClause(text.sql, "NULL").sql);
      } else {
        for (const std::string& statement : SplitSqlSection(text.sql)) writer.Exec(statement);
      }
    }
    for (const std::string& statement : rendered[i]) writer.Output(statement);
    for (const graph::VersionChange& change : step.version_changes) {
      writer.Change(change);
      if (change.kind != graph::VersionChange::Kind::kInsert) heads.erase(change.from);
      if (change.kind != graph::VersionChange::Kind::kDelete) heads.insert(change.to);
    }
  }
  if (heads.empty()) writer.DropVersionTable();
  out.flush();
  if (!out) return base::Status::Environment("--sql output", "cannot write the script");
  return base::Status::Ok();
}

}  // namespace sqlmend::migrate
