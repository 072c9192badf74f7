// Declarative model modules (mixins, @declared_attr, inheritance,
// column_property, sqlalchemy.ext.mutable) evaluated by sqlmend's model,
// their tables rendered by ops::RenderSqlite, compared with the CREATE
// TABLE Debian's SQLAlchemy 1.4.46 compiles for the same module's
// Base.metadata, and with the error it raises where it refuses one.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ops/sqlite_renderer.h"
#include "python/interpreter.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sqlalchemy.h"
#include "testutil/hex.h"
#include "testutil/oracle.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlalchemy::declarative_test {

using python::Interpreter;
using python::PythonModule;
using python::Value;

namespace {

using testutil::Hex;
using testutil::Unhex;

constexpr char kPrelude[] =
    "import sqlalchemy as sa\n"
    "from sqlalchemy import Column, Integer, String, ForeignKey, Float, Text, Enum, JSON\n"
    "from sqlalchemy.orm import declarative_base, declared_attr, relationship, "
    "column_property, deferred, has_inherited_table\n"
    "from sqlalchemy.ext.mutable import MutableDict, MutableList\n";

// Each module defines `Base`; its tables are compared in definition order.
const char* const kModules[] = {
    // A mixin's plain columns and @declared_attr columns (one with a
    // foreign key), in definition order, after the class's own.
    "Base = declarative_base()\n"
    "class Owner(Base):\n    __tablename__ = 'owner'\n    id = Column(Integer, primary_key=True)\n"
    "class Stamped:\n    created = Column(String(20))\n"
    "    @declared_attr\n    def owner_id(cls):\n        return Column(Integer, ForeignKey('owner.id'))\n"
    "    @declared_attr\n    def weight(cls):\n        return Column(Float(), nullable=False)\n"
    "    @declared_attr\n    def kind(cls):\n"
    "        return Column(Enum('a', 'b', name='kind_' + cls.__tablename__))\n"
    "class Item(Stamped, Base):\n    __tablename__ = 'item'\n"
    "    id = Column(Integer, primary_key=True)\n    name = Column(String(5))\n",
    // __tablename__ and __table_args__ from @declared_attr functions of a
    // mixin, the second reading the first through cls.
    "Base = declarative_base()\n"
    "class Named:\n    @declared_attr\n    def __tablename__(cls):\n"
    "        return cls.__name__.lower() + 's'\n"
    "    @declared_attr\n    def __table_args__(cls):\n"
    "        return (sa.UniqueConstraint('code', name='uq_' + cls.__tablename__),)\n"
    "    code = Column(String(8))\n"
    "class Thing(Named, Base):\n    id = Column(Integer, primary_key=True)\n"
    "class Other(Named, Base):\n    id = Column(Integer, primary_key=True)\n",
    // Joined inheritance with a mixin of declared columns, and a subclass
    // overriding a relationship with None (nbgrader's cells).
    "Base = declarative_base()\n"
    "class Cell(Base):\n    __tablename__ = 'cell'\n"
    "    __table_args__ = (sa.UniqueConstraint('name', 'type'),)\n"
    "    id = Column(String(32), primary_key=True)\n    name = Column(String(128))\n"
    "    type = Column(String(50))\n    grades = relationship('Grade')\n"
    "    __mapper_args__ = {'polymorphic_identity': 'Cell', 'polymorphic_on': type}\n"
    "class Graded:\n    @declared_attr\n    def max_score(cls):\n"
    "        return Column(Float(), nullable=False)\n"
    "    @declared_attr\n    def cell_type(cls):\n"
    "        return Column(Enum('code', 'markdown', name='cell_type'), nullable=False)\n"
    "class GradeCell(Cell, Graded):\n    __tablename__ = 'grade_cells'\n"
    "    id = Column(String(32), ForeignKey('cell.id'), primary_key=True)\n    grades = None\n"
    "    __mapper_args__ = {'polymorphic_identity': 'GradeCell'}\n"
    "class TaskCell(Cell, Graded):\n    __tablename__ = 'task_cells'\n"
    "    id = Column(String(32), ForeignKey('cell.id'), primary_key=True)\n",
    // Single-table inheritance: the subclass's columns join the table.
    "Base = declarative_base()\n"
    "class Employee(Base):\n    __tablename__ = 'employee'\n"
    "    id = Column(Integer, primary_key=True)\n    type = Column(String(20))\n"
    "    __mapper_args__ = {'polymorphic_on': type}\n"
    "class Engineer(Employee):\n    language = Column(String(30))\n"
    "class Manager(Employee):\n    reports = Column(Integer)\n",
    // declarative_base(cls=...) with a declared __tablename__ and a common
    // id column; has_inherited_table() choosing a table.
    "class Model:\n    id = Column(Integer, primary_key=True)\n"
    "    @declared_attr\n    def __tablename__(cls):\n"
    "        return None if has_inherited_table(cls) else cls.__name__.lower()\n"
    "Base = declarative_base(cls=Model)\n"
    "class User(Base):\n    name = Column(String(10))\n    __mapper_args__ = {'polymorphic_on': name}\n"
    "class Admin(User):\n    level = Column(Integer)\n",
    // column_property() and deferred() of a Column map the column;
    // column_property() of an expression adds none.
    "Base = declarative_base()\n"
    "class Doc(Base):\n    __tablename__ = 'doc'\n    id = Column(Integer, primary_key=True)\n"
    "    body = deferred(Column(Text))\n    title = column_property(Column(String(9)), "
    "deferred=True)\n"
    "    shout = column_property(sa.func.upper(title))\n",
    // A type wrapped by as_mutable() is the type, as an instance.
    "class JSONString(sa.types.TypeDecorator):\n    impl = String\n    cache_ok = True\n"
    "Base = declarative_base()\n"
    "class Server(Base):\n    __tablename__ = 'server'\n    id = Column(Integer, primary_key=True)\n"
    "    params = Column(MutableDict.as_mutable(JSONString))\n"
    "    tags = Column(MutableList.as_mutable(JSON()))\n"
    "    other = Column(MutableDict.as_mutable(JSONString(40)))\n",
    // A mixin column with a foreign key must be a declared_attr.
    "Base = declarative_base()\n"
    "class P(Base):\n    __tablename__ = 'p'\n    id = Column(Integer, primary_key=True)\n"
    "class HasP:\n    p_id = Column(Integer, ForeignKey('p.id'))\n"
    "class C(HasP, Base):\n    __tablename__ = 'c'\n    id = Column(Integer, primary_key=True)\n",
    // __table_args__ on a single-table subclass.
    "Base = declarative_base()\n"
    "class A(Base):\n    __tablename__ = 'a'\n    id = Column(Integer, primary_key=True)\n"
    "class B(A):\n    __table_args__ = (sa.UniqueConstraint('id'),)\n    x = Column(Integer)\n",
};

constexpr char kOracle[] = R"PY(
import warnings
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
warnings.simplefilter("ignore")

def run(code):
    print("CASE")
    scope = {}
    try:
        exec(code, scope)
    except Exception as e:
        print("ERR " + ("%s: %s" % (type(e).__name__, e)).encode().hex())
        return
    for table in scope["Base"].metadata.tables.values():
        text = str(sa.schema.CreateTable(table).compile(dialect=sqlite.dialect()))
        print("ON " + text.encode().hex())
)PY";

using Outcome = testutil::OracleOutcome;

std::vector<Outcome> RunOracle() {
  std::string script = kOracle;
  for (const char* module : kModules) {
    script += "run(bytes.fromhex('" + Hex(std::string(kPrelude) + module) + "').decode())\n";
  }
  return testutil::RunCaseOracle(script);
}

Outcome RunSqlmend(const std::string& source) {
  Outcome out;
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreter's functions
  auto module = PythonModule::Parse(kPrelude + source, "models.py");
  if (!module) {
    out.error = module.error().ToString();
    return out;
  }
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status status = interpreter.Run(*keep.back());
  if (!status.ok()) {
    out.error = status.ToString();
    return out;
  }
  const Value* base = interpreter.Global("Base");
  const Value* metadata = base != nullptr && base->Is(Value::Kind::kClass)
                              ? base->AsClass()->Lookup("metadata")
                              : nullptr;
  if (metadata == nullptr || AsMetaData(*metadata) == nullptr) {
    out.error = "no Base.metadata";
    return out;
  }
  for (const auto& table : AsMetaData(*metadata)->tables) {
    auto statements = ops::RenderSqlite(ops::CreateTable{table->table}, {});
    if (!statements) {
      out.error = statements.error().ToString();
      return out;
    }
    out.statements.push_back(statements->front());  // CREATE TABLE; indexes follow
  }
  return out;
}

TEST(DeclarativeDifferentialTest, ModelTablesAsSqlalchemyMapsThem) {
  const std::vector<Outcome> oracle = RunOracle();
  ASSERT_EQ(oracle.size(), std::size(kModules));
  for (size_t i = 0; i < oracle.size(); ++i) {
    const Outcome mine = RunSqlmend(kModules[i]);
    if (oracle[i].error) {
      if (!mine.error) {
        ADD_FAILURE() << kModules[i] << "\nPython: " << *oracle[i].error;
        continue;
      }
      // The same exception class, located in the module.
      const std::string python_class = oracle[i].error->substr(0, oracle[i].error->find(':'));
      EXPECT_NE(mine.error->find(python_class), std::string::npos)
          << kModules[i] << "\nPython: " << *oracle[i].error << "\nsqlmend: " << *mine.error;
      continue;
    }
    if (mine.error) {
      ADD_FAILURE() << kModules[i] << "\n" << *mine.error;
      continue;
    }
    EXPECT_EQ(testutil::ShowStatements(mine.statements), testutil::ShowStatements(oracle[i].statements)) << kModules[i];
  }
}

// Reading a declared attribute through the class calls it with the class;
// within one scan each is called once, so cls.other gives the same column.
TEST(DeclarativeDifferentialTest, DeclaredAttrCalledOncePerScan) {
  static std::unique_ptr<PythonModule> keep;
  auto module = PythonModule::Parse(
      std::string(kPrelude) +
          "calls = []\nBase = declarative_base()\n"
          "class M:\n    @declared_attr\n    def a(cls):\n        calls.append(cls.__name__)\n"
          "        return Column(Integer)\n"
          "    @declared_attr\n    def b(cls):\n        return column_property(cls.a + 1)\n"
          "class T(M, Base):\n    __tablename__ = 't'\n    id = Column(Integer, primary_key=True)\n"
          "same = M.a is M.a\n"
          "result = (calls, T.a.name, T.__table__.name, same)\n",
      "m.py");
  ASSERT_TRUE(module.has_value());
  keep = std::make_unique<PythonModule>(std::move(*module));
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status status = interpreter.Run(*keep);
  ASSERT_TRUE(status.ok()) << status.ToString();
  // M.a outside a scan calls the function each time (two new columns).
  EXPECT_EQ(python::Repr(*interpreter.Global("result")), "(['T', 'M', 'M'], 'a', 't', False)");
}

}  // namespace
}  // namespace sqlmend::sqlalchemy::declarative_test
