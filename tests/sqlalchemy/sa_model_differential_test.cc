// Revision snippets evaluated by sqlmend's SQLAlchemy/Alembic model and
// rendered by ops::RenderSqlite, compared with the statements Debian's
// Python (SQLAlchemy 1.4.46, Alembic 1.8.1) runs for the same snippet.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "alembic/op.h"
#include "ops/sqlite_renderer.h"
#include "python/interpreter.h"
#include "sqlalchemy/sqlalchemy.h"
#include "testutil/hex.h"
#include "testutil/oracle.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlalchemy {

using python::Interpreter;
using python::PythonModule;

namespace {

using testutil::Hex;
using testutil::Unhex;

constexpr char kPrelude[] =
    "from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import sqlite\n"
    "import enum\n";

const char* const kSnippets[] = {
    "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))",
    "op.create_table('t', sa.Column('a', sa.BigInteger()), sa.Column('b', sa.SmallInteger))",
    "op.create_table('t', sa.Column('a', sa.String(20)), sa.Column('b', sa.String()))",
    "op.create_table('t', sa.Column('a', sa.Unicode(5)), sa.Column('b', sa.UnicodeText()))",
    "op.create_table('t', sa.Column('a', sa.Text()), sa.Column('b', sa.Text(100)))",
    "op.create_table('t', sa.Column('a', sa.String(100, collation='nocase'), primary_key=True), "
    "sa.Column('b', sa.Text(collation='RTRIM')), sa.Column('c', sa.CHAR(3, 'binary')))",
    "op.create_table('t', sa.Column('a', sa.Boolean()), sa.Column('b', "
    "sa.Boolean(create_constraint=True, name='ck_b')))",
    "op.create_table('t', sa.Column('a', sa.Enum('x', 'yy', name='e')))",
    "op.create_table('t', sa.Column('a', sa.Enum('x', 'yyy', name='e', create_constraint=True)))",
    "op.create_table('t', sa.Column('a', sa.DateTime(timezone=True)), sa.Column('b', sa.Date), "
    "sa.Column('c', sa.Time()))",
    "op.create_table('t', sa.Column('a', sa.Float()), sa.Column('b', sa.Float(precision=10)))",
    "op.create_table('t', sa.Column('a', sa.Numeric(10, 2)), sa.Column('b', sa.Numeric(5)), "
    "sa.Column('c', sa.Numeric))",
    "op.create_table('t', sa.Column('a', sa.LargeBinary()), sa.Column('b', sa.JSON()))",
    "op.create_table('t', sa.Column('a', sa.LargeBinary(65536)), sa.Column('b', sa.DateTime(True)), "
    "sa.Column('c', sa.BLOB(16)), sa.Column('d', sa.JSON(True)))",
    "op.create_table('t', sa.Column('a', sa.INTEGER()), sa.Column('b', sa.VARCHAR(3)), "
    "sa.Column('c', sa.TEXT()))",
    "op.create_table('t', sa.Column('a', sa.CHAR(2)), sa.Column('b', sa.NCHAR(3)), sa.Column('c', "
    "sa.NVARCHAR(4)))",
    "op.create_table('t', sa.Column('a', sa.NUMERIC(8, 3)), sa.Column('b', sa.DECIMAL(8, 3)), "
    "sa.Column('c', sa.REAL()))",
    "op.create_table('t', sa.Column('a', sa.FLOAT()), sa.Column('b', sa.BOOLEAN()), sa.Column('c', "
    "sa.DATETIME()))",
    "op.create_table('t', sa.Column('a', sa.DATE()), sa.Column('b', sa.TIMESTAMP()), "
    "sa.Column('c', sa.BLOB()))",
    "op.create_table('t', sa.Column('a', sa.CLOB()), sa.Column('b', sa.BIGINT()), sa.Column('c', "
    "sa.SMALLINT()))",
    "op.create_table('t', sa.Column('a', sqlite.JSON()), sa.Column('b', sqlite.DATETIME()), "
    "sa.Column('c', sqlite.DATE()))",
    "op.create_table('t', sa.Column('a', sa.String(5).with_variant(sa.Text(), 'sqlite')))",
    "op.create_table('t', sa.Column('a', sa.Integer, server_default='5'))",
    "op.create_table('t', sa.Column('a', sa.Integer, server_default=sa.text('5')))",
    "op.create_table('t', sa.Column('a', sa.DateTime, server_default=sa.func.now()))",
    "op.create_table('t', sa.Column('a', sa.DateTime, server_default=sa.func.current_timestamp()))",
    "op.create_table('t', sa.Column('a', sa.Boolean, server_default=sa.false()))",
    "op.create_table('t', sa.Column('a', sa.Boolean, server_default=sa.true()))",
    "op.create_table('t', sa.Column('a', sa.String, server_default=sa.func.lower('X')))",
    "op.create_table('t', sa.Column('a', sa.String, server_default=sa.text(\"datetime('now')\")))",
    "op.create_table('t', sa.Column('a', sa.Integer, server_default=sa.literal_column('1 + 1')))",
    "op.create_table('t', sa.Column('a', sa.Integer, server_default=sa.DefaultClause('0')), "
    "sa.Column('b', sa.Integer, server_default=sa.schema.DefaultClause(sa.text('1 + 1'))))",
    "op.create_table('t', sa.Column('a', sa.Integer, nullable=False, unique=True), sa.Column('b', "
    "sa.Integer, index=True))",
    "op.create_table('t', sa.Column('id', sa.Integer), sa.Column('p', sa.Integer, "
    "sa.ForeignKey('p.id', ondelete='CASCADE', name='fk1')), sa.PrimaryKeyConstraint('id', "
    "name='pk'))",
    "op.create_table('t', sa.Column('a', sa.Integer), sa.Column('b', sa.Integer), "
    "sa.UniqueConstraint('a', 'b', name=op.f('uq_t_a')), sa.CheckConstraint('a > b', name='ck'))",
    "op.create_table('t', sa.Column('a', sa.Integer), sa.ForeignKeyConstraint(['a'], ['r.x'], "
    "onupdate='SET NULL', deferrable=True, initially='DEFERRED'))",
    "op.create_table('t', sa.Column('a', sa.Integer, sa.CheckConstraint('a > 0')), "
    "sa.Index('ix_t_a', 'a', unique=True))",
    "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), "
    "sqlite_autoincrement=True)",
    "op.create_table('t', sa.Column('a', sa.Integer, comment='c'), sa.Column('b', sa.String(3), "
    "key='bee'), comment='x')",
    "class Color(enum.Enum):\n    RED = 'r'\n    GREEN = 'gg'\n    BLUE = 3\nop.create_table('t', "
    "sa.Column('c', sa.Enum(Color, create_constraint=True, name='color')))",
    "class Color(str, enum.Enum):\n    LONGNAME = 'a'\n    B = 'b'\nop.create_table('t', "
    "sa.Column('c', sa.Enum(Color)))",
    "class GUID(sa.types.TypeDecorator):\n    impl = sa.CHAR\n    cache_ok = "
    "True\nop.create_table('t', sa.Column('g', GUID(32)), sa.Column('h', GUID))",
    "class G(sa.types.TypeDecorator):\n    impl = sa.CHAR\n    def load_dialect_impl(self, "
    "dialect):\n        if dialect.name == 'postgresql':\n            return "
    "dialect.type_descriptor(sa.Text())\n        return "
    "dialect.type_descriptor(sa.CHAR(36))\nop.create_table('t', sa.Column('g', G()))",
    "class S(sa.TypeDecorator):\n    impl = sa.String(10)\nop.create_table('t', sa.Column('s', "
    "S()))",
    "op.add_column('t', sa.Column('a', sa.String(10), server_default='x', nullable=False))",
    "op.add_column('t', sa.Column('a', sa.Integer, index=True))",
    "op.create_index(op.f('ix_t_a'), 't', ['a', 'b'], unique=True)",
    "op.create_index('ix', 't', [sa.text('lower(a)')], sqlite_where=sa.text('a IS NOT NULL'))",
    "op.drop_index('ix', table_name='t')",
    "op.drop_table('t')",
    "op.drop_column('t', 'a')",
    "op.rename_table('a', 'b')",
    "op.execute('UPDATE t SET a = 1')",
    "op.create_unique_constraint('uq', 't', ['a'])",
    "op.create_table('t', sa.Column('a', sa.Integer), sa.Column('b', sa.Integer), "
    "sa.PrimaryKeyConstraint('b', 'a'))",
    // The table op.create_table builds is alone in its MetaData: the foreign
    // key cannot give the column a type (NullType has no DDL).
    "op.create_table('t', sa.Column('p_id', sa.ForeignKey('p.id')))",
    // Given the referred Column itself, the foreign key types the column.
    "p = sa.Table('p', sa.MetaData(), sa.Column('id', sa.BigInteger, primary_key=True))\n"
    "op.create_table('t', sa.Column('p_id', sa.ForeignKey(p.c.id), primary_key=True))",
};

constexpr char kOracle[] = R"PY(
import sys, warnings, enum
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from alembic.migration import MigrationContext
from alembic.operations import Operations
warnings.simplefilter("ignore")

def run(code):
    ctx = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": open("/dev/null", "w")})
    online = []
    original = ctx.impl._exec
    def record(construct, *args, **kw):
        if isinstance(construct, str):
            construct = sa.text(construct)
        online.append(str(construct.compile(dialect=ctx.dialect)))
        return original(construct, *args, **kw)
    ctx.impl._exec = record
    print("CASE")
    try:
        exec(code, {"op": Operations(ctx), "sa": sa, "sqlite": sqlite, "enum": enum})
    except Exception as e:
        print("ERR " + ("%s: %s" % (type(e).__name__, e)).encode().hex())
        return
    for s in online:
        print("ON " + s.encode().hex())
)PY";

using Outcome = testutil::OracleOutcome;

std::vector<Outcome> RunOracle() {
  std::string script = kOracle;
  for (const char* snippet : kSnippets) {
    script += "run(bytes.fromhex('" + Hex(snippet) + "').decode())\n";
  }
  return testutil::RunCaseOracle(script);
}

Outcome RunSqlmend(const std::string& snippet) {
  Outcome out;
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreter's functions
  auto module = PythonModule::Parse(kPrelude + snippet + "\n", "rev.py");
  if (!module) {
    out.error = module.error().ToString();
    return out;
  }
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  auto log = std::make_shared<alembic::OperationLog>();
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  alembic::InstallAlembicOp(interpreter, log);
  base::Status status = interpreter.Run(*keep.back());
  if (!status.ok()) {
    out.error = status.ToString();
    return out;
  }
  for (const ops::Operation& operation : log->operations) {
    auto statements = ops::RenderSqlite(operation, {});
    if (!statements) {
      out.error = statements.error().ToString();
      return out;
    }
    out.statements.insert(out.statements.end(), statements->begin(), statements->end());
  }
  return out;
}

TEST(SaModelDifferentialTest, SnippetsRenderAsSqlalchemyCompilesThem) {
  const std::vector<Outcome> oracle = RunOracle();
  ASSERT_EQ(oracle.size(), std::size(kSnippets));
  for (size_t i = 0; i < oracle.size(); ++i) {
    const Outcome mine = RunSqlmend(kSnippets[i]);
    if (oracle[i].error) {
      EXPECT_TRUE(mine.error.has_value()) << kSnippets[i] << "\nPython: " << *oracle[i].error;
      continue;
    }
    ASSERT_FALSE(mine.error.has_value()) << kSnippets[i] << "\n" << *mine.error;
    EXPECT_EQ(testutil::ShowStatements(mine.statements), testutil::ShowStatements(oracle[i].statements)) << kSnippets[i];
  }
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
