// Differential test of batch mode against the real Alembic 1.8.1 and
// SQLAlchemy 1.4.46 (Debian's /usr/bin/python3), run as an oracle.
//
// Each case is a starting schema (SQL run on two copies), a Python snippet
// of batch operations run by Alembic's Operations on the first copy, and
// the same block as an ops::BatchAlterTable run by ApplyOperation on the
// second. The copies must then hold the same sqlite_master rows and the
// same table rows, or both runs must fail.
//
// NOTE: Alembic keeps a table's constraints in a Python set that hashes by
// address, so with several named (or several unnamed) constraints their
// order in its CREATE TABLE changes from run to run, PYTHONHASHSEED=0 or
// not. The comparison therefore sorts the constraint lines of each CREATE
// TABLE; everything else (columns, their order, every byte of each line)
// must match exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "migrate/apply_operation.h"
#include "sqlite/db.h"
#include "testutil/hex.h"
#include "testutil/testutil.h"

namespace sqlmend::migrate {
namespace {

using testutil::Unhex;
using testutil::PythonString;

using ops::BatchAlterTable;
using ops::Column;
using ops::Constraint;
using ops::ConstraintName;
using ops::Type;

struct Case {
  std::string name;
  std::string setup;   // SQL run on both copies
  std::string python;  // run with op, sa in scope
  BatchAlterTable batch;
  std::map<std::string, std::string> convention;  // target_metadata's (empty: default)
};

Column Col(std::string name, Type type, std::optional<bool> nullable = std::nullopt) {
  Column column;
  column.name = std::move(name);
  column.type = std::move(type);
  column.nullable = nullable;
  return column;
}

BatchAlterTable Batch(std::string table, std::vector<ops::BatchOperation> operations,
                      BatchAlterTable::Recreate recreate = BatchAlterTable::Recreate::kAuto) {
  BatchAlterTable batch;
  batch.table = std::move(table);
  batch.operations = std::move(operations);
  batch.recreate = recreate;
  return batch;
}

ops::AlterColumn Alter(std::string column) {
  ops::AlterColumn alter;
  alter.table = "t";
  alter.column = std::move(column);
  return alter;
}

ConstraintName N(std::string name) { return ConstraintName::Of(std::move(name)); }

constexpr char kParent[] = "CREATE TABLE p (id INTEGER NOT NULL, PRIMARY KEY (id));";
// A table as SQLAlchemy writes one: one clause per line.
constexpr char kRich[] = R"(CREATE TABLE p (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE t (
	id INTEGER NOT NULL, 
	name VARCHAR(20) DEFAULT 'x' NOT NULL, 
	qty INT DEFAULT 10, 
	price NUMERIC(10,2) DEFAULT (1+2), 
	code TEXT, 
	pid INTEGER, 
	flag BOOLEAN, 
	ratio double, 
	created DATETIME DEFAULT CURRENT_TIMESTAMP, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_name_qty UNIQUE (name, qty), 
	UNIQUE (code), 
	CHECK (qty > 0), 
	CONSTRAINT ck_price CHECK (price < 100), 
	CONSTRAINT fk_pid FOREIGN KEY(pid) REFERENCES p (id) ON DELETE CASCADE
);
CREATE INDEX ix_t_qty ON t (qty);
CREATE UNIQUE INDEX ix_t_price ON t (price) WHERE price > 0;
CREATE INDEX ix_t_expr ON t (lower(name));
INSERT INTO p VALUES (1), (2);
INSERT INTO t (id, name, qty, price, code, pid, created) VALUES (1, 'a', 1, 2.5, 'c1', 1, '2020-01-01'),
  (2, 'b', 3, 4, 'c2', 2, '2020-01-02');
)";
constexpr char kSimple[] = R"(CREATE TABLE p (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE t (
	id INTEGER NOT NULL, 
	a VARCHAR(10), 
	b INTEGER, 
	pid INTEGER, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_t_b ON t (b);
INSERT INTO p VALUES (1);
INSERT INTO t VALUES (1, '5', 2, 1), (2, 'x', 3, NULL);
)";

std::vector<Case> Cases() {
  using R = BatchAlterTable::Recreate;
  std::vector<Case> cases;
  cases.push_back({"recreate_always_rich",
                   kRich,
                   "with op.batch_alter_table('t', recreate='always') as b: pass",
                   Batch("t", {}, R::kAlways),
                   {}});
  cases.push_back({"drop_column",
                   kSimple,
                   "with op.batch_alter_table('t') as b: b.drop_column('a')",
                   Batch("t", {ops::DropColumn{"t", "a"}}),
                   {}});
  cases.push_back({"drop_indexed_column_fails",
                   kSimple,
                   "with op.batch_alter_table('t') as b: b.drop_column('b')",
                   Batch("t", {ops::DropColumn{"t", "b"}}),
                   {}});
  {
    Column not_null = Col("n", Type::Integer(), false);
    not_null.server_default = ops::ServerDefault::String("0");
    cases.push_back(
        {"add_columns",
         kSimple,
         "with op.batch_alter_table('t', recreate='always') as b:\n"
         "    b.add_column(sa.Column('c', sa.String(5)))\n"
         "    b.add_column(sa.Column('n', sa.Integer, nullable=False, server_default='0'))",
         Batch("t", {ops::AddColumn{"t", Col("c", Type::String(5))}, ops::AddColumn{"t", not_null}},
               R::kAlways),
         {}});
    cases.push_back({"add_column_without_rebuild",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.add_column(sa.Column('n', sa.Integer, nullable=False, "
                     "server_default='0'))",
                     Batch("t", {ops::AddColumn{"t", not_null}}),
                     {}});
  }
  {
    // A column that brings a table constraint (a foreign key, unique=True)
    // adds an add_constraint to the batch in Alembic, so "auto" rebuilds the
    // table; index=True only adds a CREATE INDEX.
    Column referencing = Col("qid", Type::Integer(), true);
    ops::ForeignKey to_parent;
    to_parent.target_table = "p";
    to_parent.target_column = "id";
    to_parent.options.ondelete = "SET NULL";
    to_parent.name = N("fk_t_qid");
    referencing.foreign_keys.push_back(to_parent);
    cases.push_back({"add_column_with_foreign_key_rebuilds",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.add_column(sa.Column('qid', sa.Integer, sa.ForeignKey('p.id', "
                     "name='fk_t_qid', ondelete='SET NULL'), nullable=True))",
                     Batch("t", {ops::AddColumn{"t", referencing}}),
                     {}});
    Column unique = Col("u", Type::Integer());
    unique.unique = true;
    cases.push_back({"add_unique_column_rebuilds",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.add_column(sa.Column('u', sa.Integer, unique=True))",
                     Batch("t", {ops::AddColumn{"t", unique}}),
                     {}});
    Column indexed = Col("x", Type::Integer());
    indexed.unique = true;
    indexed.index = true;
    cases.push_back({"add_unique_indexed_column_without_rebuild",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.add_column(sa.Column('x', sa.Integer, unique=True, index=True))",
                     Batch("t", {ops::AddColumn{"t", indexed}}),
                     {}});
  }
  {
    ops::AlterColumn retype = Alter("a");
    retype.type = Type::Integer();
    retype.new_column_name = "a2";
    ops::AlterColumn nullable = Alter("b");
    nullable.nullable = false;
    nullable.server_default = std::optional<ops::ServerDefault>(ops::ServerDefault::String("7"));
    cases.push_back({"alter_columns",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.alter_column('a', type_=sa.Integer, new_column_name='a2')\n"
                     "    b.alter_column('b', nullable=False, server_default='7')",
                     Batch("t", {retype, nullable}),
                     {}});
    ops::AlterColumn drop_default = Alter("name");
    drop_default.server_default = std::optional<ops::ServerDefault>();
    ops::AlterColumn widen = Alter("code");
    widen.type = Type::String(50);
    cases.push_back({"alter_rich",
                     kRich,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.alter_column('name', server_default=None)\n"
                     "    b.alter_column('code', type_=sa.String(50))",
                     Batch("t", {drop_default, widen}),
                     {}});
  }
  {
    Constraint fk =
        Constraint::Of(ops::ForeignKeyConstraint{{"pid"}, "p", {"id"}, {}, N("fk_t_p")});
    Constraint unnamed_fk =
        Constraint::Of(ops::ForeignKeyConstraint{{"pid"}, "p", {"id"}, {}, ConstraintName::None()});
    cases.push_back({"create_foreign_key",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.create_foreign_key('fk_t_p', 'p', ['pid'], ['id'])",
                     Batch("t", {ops::AddConstraint{"t", fk}}),
                     {}});
    cases.push_back({"create_foreign_key_by_convention",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.create_foreign_key(None, 'p', ['pid'], ['id'])",
                     Batch("t", {ops::AddConstraint{"t", unnamed_fk}}),
                     {{"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}}});
    cases.push_back({"create_foreign_key_unnamed_fails",
                     kSimple,
                     "with op.batch_alter_table('t') as b:\n"
                     "    b.create_foreign_key(None, 'p', ['pid'], ['id'])",
                     Batch("t", {ops::AddConstraint{"t", unnamed_fk}}),
                     {}});
  }
  cases.push_back({"drop_constraints",
                   kRich,
                   "with op.batch_alter_table('t') as b:\n"
                   "    b.drop_constraint('fk_pid', type_='foreignkey')\n"
                   "    b.drop_constraint('uq_name_qty', type_='unique')\n"
                   "    b.drop_constraint('ck_price', type_='check')",
                   Batch("t", {ops::DropConstraint{N("fk_pid"), "t", "foreignkey"},
                               ops::DropConstraint{N("uq_name_qty"), "t", "unique"},
                               ops::DropConstraint{N("ck_price"), "t", "check"}}),
                   {}});
  cases.push_back({"drop_missing_constraint_fails",
                   kSimple,
                   "with op.batch_alter_table('t') as b: b.drop_constraint('nope')",
                   Batch("t", {ops::DropConstraint{N("nope"), "t", ""}}),
                   {}});
  {
    BatchAlterTable batch = Batch("t", {ops::DropConstraint{N("fk_t_pid_p"), "t", "foreignkey"}});
    batch.naming_convention = std::map<std::string, std::string>{
        {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}};
    cases.push_back({"drop_unnamed_by_batch_convention",
                     std::string(kParent) +
                         "CREATE TABLE t (\n\tid INTEGER NOT NULL, \n\tpid INTEGER, \n\tPRIMARY "
                         "KEY (id), \n\tFOREIGN KEY(pid) REFERENCES p (id)\n);",
                     "with op.batch_alter_table('t', naming_convention={'fk': "
                     "'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}) as b:\n"
                     "    b.drop_constraint('fk_t_pid_p', type_='foreignkey')",
                     batch,
                     {}});
  }
  cases.push_back(
      {"create_unique_check_primary",
       kSimple,
       "with op.batch_alter_table('t') as b:\n"
       "    b.create_unique_constraint('uq_t_a', ['a'])\n"
       "    b.create_check_constraint('ck_t_b', 'b > 0')\n"
       "    b.create_primary_key('pk_t', ['id', 'a'])",
       Batch("t",
             {ops::AddConstraint{"t",
                                 Constraint::Of(ops::UniqueConstraint{{"a"}, N("uq_t_a"), {}, {}})},
              ops::AddConstraint{"t", Constraint::Of(ops::CheckConstraint{"b > 0", N("ck_t_b")})},
              ops::AddConstraint{
                  "t", Constraint::Of(ops::PrimaryKeyConstraint{{"id", "a"}, N("pk_t"), {}, {}})}}),
       {}});
  cases.push_back({"indexes_in_batch",
                   kSimple,
                   "with op.batch_alter_table('t', recreate='always') as b:\n"
                   "    b.drop_index('ix_t_b')\n"
                   "    b.create_index('ix_t_a', ['a', 'b'], unique=True)",
                   Batch("t",
                         {ops::DropIndex{N("ix_t_b"), "t"},
                          ops::CreateIndex{ops::Index{N("ix_t_a"),
                                                      "t",
                                                      {ops::IndexElement::ColumnName("a"),
                                                       ops::IndexElement::ColumnName("b")},
                                                      true,
                                                      std::nullopt}}},
                         R::kAlways),
                   {}});
  cases.push_back(
      {"index_only_batch_does_not_rebuild",
       kSimple,
       "with op.batch_alter_table('t') as b:\n"
       "    b.create_index('ix_t_a', ['a'])",
       Batch("t",
             {ops::CreateIndex{ops::Index{
                 N("ix_t_a"), "t", {ops::IndexElement::ColumnName("a")}, false, std::nullopt}}}),
       {}});
  {
    BatchAlterTable batch = Batch("t", {}, R::kAlways);
    batch.partial_reordering = {{"b", "a"}, {"pid", "id"}};
    cases.push_back({"partial_reordering",
                     kSimple,
                     "with op.batch_alter_table('t', recreate='always', "
                     "partial_reordering=[('b', 'a'), ('pid', 'id')]) as b: pass",
                     batch,
                     {}});
  }
  {
    BatchAlterTable batch = Batch("t", {}, R::kAlways);
    batch.table_args = {Constraint::Of(ops::CheckConstraint{"b < 100", N("ck_b_small")})};
    cases.push_back({"table_args",
                     kSimple,
                     "with op.batch_alter_table('t', recreate='always', "
                     "table_args=(sa.CheckConstraint('b < 100', name='ck_b_small'),)) as b: pass",
                     batch,
                     {}});
  }
  {
    ops::Table copy;
    copy.name = "t";
    Column id = Col("id", Type::Integer());
    id.primary_key = true;
    copy.columns = {id, Col("a", Type::String(10)), Col("b", Type::Integer()),
                    Col("pid", Type::Integer())};
    copy.indexes = {
        ops::Index{N("ix_t_b"), "t", {ops::IndexElement::ColumnName("b")}, false, std::nullopt}};
    BatchAlterTable batch = Batch("t", {ops::DropColumn{"t", "pid"}});
    batch.copy_from = copy;
    cases.push_back(
        {"copy_from",
         kSimple,
         "t = sa.Table('t', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),\n"
         "    sa.Column('a', sa.String(10)), sa.Column('b', sa.Integer), sa.Column('pid', "
         "sa.Integer),\n"
         "    sa.Index('ix_t_b', 'b'))\n"
         "with op.batch_alter_table('t', copy_from=t) as b: b.drop_column('pid')",
         batch,
         {}});
  }
  cases.push_back({"autoincrement_and_inline_references",
                   std::string(kParent) +
                       "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER "
                       "CONSTRAINT fk_inline REFERENCES p(id) ON DELETE CASCADE, v INT UNIQUE);"
                       "INSERT INTO p VALUES (1); INSERT INTO t (pid, v) VALUES (1, 9);",
                   "with op.batch_alter_table('t', recreate='always') as b: pass",
                   Batch("t", {}, R::kAlways),
                   {}});
  return cases;
}

// --- The oracle ---------------------------------------------------------------

constexpr char kBatchOracle[] = R"PY(
import sys, warnings
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
warnings.simplefilter("ignore")

def run(path, code, naming):
    md = sa.MetaData(naming_convention=naming) if naming else sa.MetaData()
    engine = sa.create_engine("sqlite:///" + path)
    print("CASE")
    try:
        with engine.begin() as conn:
            ctx = MigrationContext.configure(conn, opts={"target_metadata": md})
            exec(code, {"op": Operations(ctx), "sa": sa})
        print("OK")
    except Exception as e:
        print("ERR " + ("%s: %s" % (type(e).__name__, e)).splitlines()[0].encode().hex())
    engine.dispose()
)PY";



// The oracle's outcome per case: nullopt = success, else its error.
std::vector<std::optional<std::string>> RunOracle(const std::vector<Case>& cases,
                                                  const std::vector<std::string>& paths) {
  std::string script = kBatchOracle;
  for (size_t i = 0; i < cases.size(); i++) {
    std::string naming = "None";
    if (!cases[i].convention.empty()) {
      naming = "{";
      for (const auto& [key, value] : cases[i].convention) {
        naming += PythonString(key) + ": " + PythonString(value) + ", ";
      }
      naming += "}";
    }
    script += "run(" + PythonString(paths[i]) + ", " + PythonString(cases[i].python) + ", " +
              naming + ")\n";
  }
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("oracle.py"), script);
  const testutil::RunResult run = testutil::RunCommand("PYTHONHASHSEED=0 /usr/bin/python3 " +
                                                       testutil::ShellQuote(dir.File("oracle.py")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::optional<std::string>> out;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line == "CASE") out.emplace_back();
    if (line.rfind("ERR ", 0) == 0 && !out.empty()) out.back() = Unhex(line.substr(4));
  }
  return out;
}

// A CREATE TABLE with its constraint lines sorted (see the NOTE above).
std::string Canonical(const std::string& sql) {
  std::vector<std::string> lines;
  std::istringstream in(sql);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= 2 && line.substr(line.size() - 2) == ", ") line.resize(line.size() - 2);
    lines.push_back(line);
  }
  std::vector<std::string> constraints;
  std::vector<std::string> out;
  for (const std::string& l : lines) {
    for (const char* word :
         {"\tCONSTRAINT ", "\tUNIQUE ", "\tFOREIGN KEY", "\tCHECK ", "\tPRIMARY KEY"}) {
      if (l.rfind(word, 0) == 0) {
        constraints.push_back(l);
        goto next;
      }
    }
    out.push_back(l);
  next:;
  }
  std::sort(constraints.begin(), constraints.end());
  std::string text;
  for (const std::string& l : out) text += l + "\n";
  for (const std::string& l : constraints) text += l + "\n";
  return text;
}

std::string Dump(const std::string& path) {
  std::string out;
  for (const std::string& row :
       testutil::Query(path,
                       "SELECT type || '|' || name || '|' || tbl_name, sql FROM "
                       "sqlite_master ORDER BY type, name")) {
    out += Canonical(row) + "\n";
  }
  for (const std::string& table :
       testutil::Query(path,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                       "LIKE 'sqlite_%' ORDER BY name")) {
    out += "-- " + table + "\n";
    for (const std::string& row : testutil::Query(path, "SELECT * FROM \"" + table + "\"")) {
      out += row + "\n";
    }
  }
  return out;
}

TEST(BatchDifferentialTest, MatchesAlembic) {
  const std::vector<Case> cases = Cases();
  testutil::TempDir dir;
  std::vector<std::string> oracle_paths;
  for (size_t i = 0; i < cases.size(); i++) {
    oracle_paths.push_back(dir.File("oracle" + std::to_string(i) + ".db"));
    testutil::ExecSql(oracle_paths.back(), cases[i].setup);
  }
  const auto oracle = RunOracle(cases, oracle_paths);
  ASSERT_EQ(oracle.size(), cases.size());
  for (size_t i = 0; i < cases.size(); i++) {
    const Case& c = cases[i];
    SCOPED_TRACE(c.name);
    const std::string path = dir.File("ours" + std::to_string(i) + ".db");
    testutil::ExecSql(path, c.setup);
    const std::string before = Dump(path);
    base::Status status;
    {
      auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
      ASSERT_TRUE(db.has_value());
      ASSERT_OK(db->Exec("BEGIN"));
      ApplyContext context;
      if (!c.convention.empty()) context.metadata.naming_convention = c.convention;
      status = ApplyOperation(*db, c.batch, context);
      ASSERT_OK(db->Exec(status.ok() ? "COMMIT" : "ROLLBACK"));
    }
    if (oracle[i]) {
      EXPECT_FALSE(status.ok()) << "Alembic failed: " << *oracle[i];
      EXPECT_EQ(Dump(path), before) << "a failure must leave the database unchanged";
      continue;
    }
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(Dump(path), Dump(oracle_paths[i]));
  }
}

}  // namespace
}  // namespace sqlmend::migrate
