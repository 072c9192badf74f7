// Columns declared without a type whose ForeignKey names their type:
// `Column("parent_id", ForeignKey("parent.id"))`. SQLAlchemy 1.4 gives such
// a column the referred column's type once the ForeignKey and that column
// are in one MetaData, whichever table came first, through chains of such
// columns and through table-level ForeignKeyConstraints; until then it is
// NullType, for which no DDL can be written. Each case is run by Debian's
// SQLAlchemy (in the test) and by sqlmend's model: str() of every column's
// type and the CREATE TABLE of every table in `tables` must be identical.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ops/sqlite_renderer.h"
#include "python/interpreter.h"
#include "python/parser.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sqlalchemy.h"
#include "testutil/hex.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlalchemy {
namespace {

using python::Interpreter;
using python::PythonModule;
using python::Value;
using testutil::Hex;
using testutil::Unhex;

constexpr char kForeignKeyPrelude[] =
    "import sqlalchemy as sa\n"
    "from sqlalchemy.orm import declarative_base\n"
    "m = sa.MetaData()\n";

// Each sets `tables`, the Tables whose columns and DDL are compared.
const char* const kForeignKeyCases[] = {
    // The referring table first, then the referred one.
    "c = sa.Table('child', m, sa.Column('id', sa.Integer, primary_key=True),\n"
    "    sa.Column('parent_id', sa.ForeignKey('parent.id', ondelete='CASCADE'), "
    "nullable=False))\n"
    "p = sa.Table('parent', m, sa.Column('id', sa.BigInteger, primary_key=True))\n"
    "tables = [c, p]\n",
    // The referred table first; a String type with its length.
    "p = sa.Table('p', m, sa.Column('code', sa.String(8), primary_key=True))\n"
    "c = sa.Table('c', m, sa.Column('code', sa.ForeignKey('p.code'), primary_key=True))\n"
    "tables = [p, c]\n",
    // An association table of two primary-key foreign keys (declared before
    // both tables it joins).
    "link = sa.Table('link', m,\n"
    "    sa.Column('a_id', sa.ForeignKey('a.id', ondelete='CASCADE'), primary_key=True),\n"
    "    sa.Column('b_id', sa.ForeignKey('b.id', ondelete='CASCADE'), primary_key=True))\n"
    "a = sa.Table('a', m, sa.Column('id', sa.Integer, primary_key=True))\n"
    "b = sa.Table('b', m, sa.Column('id', sa.Unicode(20), primary_key=True))\n"
    "tables = [link, a, b]\n",
    // Declarative classes, the referring one first.
    "Base = declarative_base()\n"
    "class Child(Base):\n"
    "    __tablename__ = 'child'\n"
    "    id = sa.Column(sa.Integer, primary_key=True)\n"
    "    parent_id = sa.Column(sa.ForeignKey('parent.id'), index=True)\n"
    "class Parent(Base):\n"
    "    __tablename__ = 'parent'\n"
    "    id = sa.Column(sa.Integer, primary_key=True)\n"
    "tables = [Child.__table__, Parent.__table__]\n",
    // A None where the type would be (Column(None, ForeignKey(...))), as
    // joined-table inheritance declares the subclass's primary key:
    // SQLAlchemy skips it and the foreign key gives the type. The subclass
    // maps its own column and its base's under one column_property().
    "Base = declarative_base(metadata=m)\n"
    "class Submission(Base):\n"
    "    __tablename__ = 'submission'\n"
    "    id = sa.Column(sa.BigInteger, primary_key=True)\n"
    "    kind = sa.Column(sa.String(20))\n"
    "    user_id = sa.Column(sa.Integer)\n"
    "    __mapper_args__ = {'polymorphic_on': kind}\n"
    "class Solve(Submission):\n"
    "    __tablename__ = 'solve'\n"
    "    id = sa.Column(None, sa.ForeignKey('submission.id', ondelete='CASCADE'),\n"
    "                   primary_key=True)\n"
    "    user_id = sa.orm.column_property(sa.Column(sa.Integer, nullable=False),\n"
    "                                     Submission.user_id)\n"
    "    __mapper_args__ = {'polymorphic_identity': 'solve'}\n"
    "named = sa.Table('named', m, sa.Column('sid', None, sa.ForeignKey('submission.id')))\n"
    "tables = [Solve.__table__, named]\n",
    // A chain: c.b_x refers to b.x, itself untyped until a comes.
    "c = sa.Table('c', m, sa.Column('b_x', sa.ForeignKey('b.x')))\n"
    "b = sa.Table('b', m, sa.Column('x', sa.ForeignKey('a.id'), unique=True))\n"
    "a = sa.Table('a', m, sa.Column('id', sa.Date, primary_key=True))\n"
    "tables = [c, b, a]\n",
    // A table-level ForeignKeyConstraint types its columns too.
    "c = sa.Table('c', m, sa.Column('p_id'), sa.Column('p_code'),\n"
    "    sa.ForeignKeyConstraint(['p_id', 'p_code'], ['p.id', 'p.code']))\n"
    "p = sa.Table('p', m, sa.Column('id', sa.Integer), sa.Column('code', sa.String(3)),\n"
    "    sa.PrimaryKeyConstraint('id', 'code'))\n"
    "tables = [c, p]\n",
    // A table that refers to itself.
    "n = sa.Table('node', m, sa.Column('id', sa.Integer, primary_key=True),\n"
    "    sa.Column('parent_id', sa.ForeignKey('node.id')))\n"
    "tables = [n]\n",
    // The referred table never comes: NullType, and no DDL.
    "c = sa.Table('c', m, sa.Column('id', sa.Integer, primary_key=True),\n"
    "    sa.Column('p_id', sa.ForeignKey('missing.id')))\n"
    "tables = [c]\n",
    // Another MetaData's table does not count.
    "p = sa.Table('p', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True))\n"
    "c = sa.Table('c', m, sa.Column('p_id', sa.ForeignKey('p.id')))\n"
    "tables = [c]\n",
    // ...but a ForeignKey given the Column object itself resolves at once.
    "p = sa.Table('p', sa.MetaData(), sa.Column('id', sa.String(5), primary_key=True))\n"
    "c = sa.Table('c', m, sa.Column('p_id', sa.ForeignKey(p.c.id)))\n"
    "tables = [c]\n",
};

constexpr char kForeignKeyOracle[] = R"PY(
import sys, warnings
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable
warnings.simplefilter("ignore")

def run(code):
    print("CASE")
    scope = {}
    exec(code, scope)
    for t in scope["tables"]:
        print("TYPES " + repr([str(c.type) for c in t.c]).encode().hex())
        try:
            print("DDL " + str(CreateTable(t).compile(dialect=sqlite.dialect())).encode().hex())
        except Exception as e:
            print("ERR " + ("%s: %s" % (type(e).__name__, e)).encode().hex())
)PY";

// One table's outcome: the column types, then the DDL or an error.
struct TableOutcome {
  std::string types;
  std::optional<std::string> ddl;
  std::optional<std::string> error;
};

std::vector<std::vector<TableOutcome>> RunForeignKeyOracle() {
  std::string script = kForeignKeyOracle;
  for (const char* code : kForeignKeyCases) {
    script += "run(bytes.fromhex('" + Hex(std::string(kForeignKeyPrelude) + code) + "').decode())\n";
  }
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("oracle.py"), script);
  const testutil::RunResult run = testutil::RunCommand("PYTHONHASHSEED=0 /usr/bin/python3 " +
                                                       testutil::ShellQuote(dir.File("oracle.py")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::vector<TableOutcome>> results;
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line == "CASE") {
      results.emplace_back();
    } else if (!results.empty() && line.rfind("TYPES ", 0) == 0) {
      results.back().push_back(TableOutcome{Unhex(line.substr(6)), {}, {}});
    } else if (!results.empty() && !results.back().empty() && line.rfind("DDL ", 0) == 0) {
      results.back().back().ddl = Unhex(line.substr(4));
    } else if (!results.empty() && !results.back().empty() && line.rfind("ERR ", 0) == 0) {
      results.back().back().error = Unhex(line.substr(4));
    }
  }
  return results;
}

std::vector<TableOutcome> RunForeignKeyCase(const std::string& code) {
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreters
  std::vector<TableOutcome> out;
  // The types as the model's own str() gives them, in Python's repr.
  auto module = PythonModule::Parse(
      kForeignKeyPrelude + code + "types = [repr([str(c.type) for c in t.c]) for t in tables]\n",
      "models.py");
  EXPECT_TRUE(module.has_value()) << module.error().ToString();
  if (!module) return out;
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status status = interpreter.Run(*keep.back());
  EXPECT_TRUE(status.ok()) << status.ToString();
  const Value* tables = interpreter.Global("tables");
  const Value* types = interpreter.Global("types");
  if (!status.ok() || tables == nullptr || types == nullptr) return out;
  const std::vector<Value> table_values = tables->Items();
  for (size_t i = 0; i < table_values.size(); ++i) {
    TableValue* table = AsTable(table_values[i]);
    EXPECT_NE(table, nullptr);
    if (table == nullptr) return out;
    TableOutcome outcome;
    outcome.types = python::ToStr(types->Items().at(i));
    auto statements = ops::RenderSqlite(ops::CreateTable{table->table}, {});
    if (statements) {
      outcome.ddl = statements->front();
    } else {
      outcome.error = statements.error().ToString();
    }
    out.push_back(std::move(outcome));
  }
  return out;
}

TEST(ForeignKeyTypeTest, UntypedColumnsTakeTheReferredColumnsType) {
  const std::vector<std::vector<TableOutcome>> oracle = RunForeignKeyOracle();
  ASSERT_EQ(oracle.size(), std::size(kForeignKeyCases));
  for (size_t i = 0; i < oracle.size(); ++i) {
    const std::vector<TableOutcome> mine = RunForeignKeyCase(kForeignKeyCases[i]);
    ASSERT_EQ(mine.size(), oracle[i].size()) << kForeignKeyCases[i];
    for (size_t t = 0; t < mine.size(); ++t) {
      EXPECT_EQ(mine[t].types, oracle[i][t].types) << kForeignKeyCases[i] << "table " << t;
      if (oracle[i][t].error) {
        EXPECT_TRUE(mine[t].error.has_value()) << kForeignKeyCases[i] << "\nPython: " << *oracle[i][t].error;
        if (mine[t].error) {
          EXPECT_NE(mine[t].error->find("Can't generate DDL for NullType()"), std::string::npos)
              << *mine[t].error;
        }
        continue;
      }
      ASSERT_FALSE(mine[t].error.has_value()) << kForeignKeyCases[i] << "\n" << *mine[t].error;
      EXPECT_EQ(*mine[t].ddl, *oracle[i][t].ddl) << kForeignKeyCases[i];
    }
  }
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
