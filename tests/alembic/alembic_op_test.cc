// The recorded `op` and `batch_op`: each call becomes one ops::Operation,
// located at the call, in call order.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>

#include "alembic/op.h"
#include "ops/sqlite_renderer.h"
#include "sqlalchemy/sqlalchemy.h"

namespace sqlmend::alembic {

using python::Interpreter;
using python::PythonModule;

namespace {

constexpr char kPrelude[] =
    "from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import sqlite\n";

struct Planned {
  base::Status status;
  std::shared_ptr<OperationLog> log = std::make_shared<OperationLog>();
};

// Runs `body` (after kPrelude) at module level and returns what it recorded.
Planned Plan(const std::string& body) {
  Planned out;
  auto module = PythonModule::Parse(kPrelude + body, "rev.py");
  if (!module) {
    out.status = module.error();
    return out;
  }
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreter's functions
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  Interpreter interpreter;
  sqlalchemy::InstallSqlalchemy(interpreter);
  InstallAlembicOp(interpreter, out.log);
  out.status = interpreter.Run(*keep.back());
  return out;
}

std::string Rendered(const ops::Operation& operation) {
  auto statements = ops::RenderSqlite(operation, {});
  if (!statements) return "error: " + statements.error().ToString();
  std::string out;
  for (const std::string& s : *statements) out += s + ";";
  return out;
}

TEST(AlembicOpTest, RecordsTheExampleRevisionInCallOrder) {
  Planned planned = Plan(R"PY(
def upgrade():
    op.create_table('user',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=True),
        sa.Column('kind', sa.Enum('a', 'b', name='kind'), server_default='a'),
        sa.Column('created', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)')),
        sa.Column('org_id', sa.Integer()),
        sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_user_org_id_org'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user')), sqlite_autoincrement=True)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(120), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_email'), ['email'], unique=True)
        batch_op.alter_column('name', existing_type=sa.VARCHAR(length=50), nullable=False)
        batch_op.drop_constraint('uq_user_name', type_='unique')
    op.bulk_insert(sa.table('user', sa.column('id', sa.Integer), sa.column('name', sa.String)), [{'id': 1, 'name': 'x'}])
    op.execute(sa.text("UPDATE user SET name = :n").bindparams(n='y'))
    conn = op.get_bind(); conn.execute(sa.text("UPDATE t SET x = 1"))
upgrade()
)PY");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  const auto& ops_list = planned.log->operations;
  ASSERT_EQ(ops_list.size(), 5u);
  ASSERT_EQ(planned.log->locations.size(), 5u);
  EXPECT_EQ(planned.log->locations[0].line, 6);
  const auto& create = std::get<ops::CreateTable>(ops_list[0]);
  EXPECT_EQ(create.table.columns.size(), 5u);
  EXPECT_TRUE(create.table.sqlite_autoincrement);
  EXPECT_EQ(Rendered(ops_list[0]),
            "\nCREATE TABLE user (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \n\tname "
            "VARCHAR(50), \n\tkind VARCHAR(1) DEFAULT 'a', \n\tcreated DATETIME DEFAULT "
            "(CURRENT_TIMESTAMP), \n\torg_id INTEGER, \n\tCONSTRAINT fk_user_org_id_org "
            "FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE\n)\n\n;");
  const auto& batch = std::get<ops::BatchAlterTable>(ops_list[1]);
  EXPECT_EQ(batch.table, "user");
  ASSERT_EQ(batch.operations.size(), 4u);
  const auto& index = std::get<ops::CreateIndex>(batch.operations[1]);
  EXPECT_TRUE(index.index.name.conv);
  EXPECT_EQ(index.index.table, "user");
  EXPECT_TRUE(index.index.unique);
  const auto& alter = std::get<ops::AlterColumn>(batch.operations[2]);
  EXPECT_EQ(alter.nullable, std::optional<bool>(false));
  EXPECT_FALSE(alter.server_default.has_value());
  const auto& drop = std::get<ops::DropConstraint>(batch.operations[3]);
  EXPECT_EQ(drop.type, "unique");
  const auto& insert = std::get<ops::BulkInsert>(ops_list[2]);
  ASSERT_EQ(insert.rows.size(), 1u);
  EXPECT_EQ(insert.rows[0][1].second.text, "x");
  const auto& execute = std::get<ops::Execute>(ops_list[3]);
  EXPECT_EQ(execute.sql, "UPDATE user SET name = :n");
  ASSERT_EQ(execute.parameters.size(), 1u);
  EXPECT_EQ(execute.parameters[0].second.text, "y");
  EXPECT_EQ(std::get<ops::Execute>(ops_list[4]).sql, "UPDATE t SET x = 1");
}

TEST(AlembicOpTest, AlterColumnServerDefaultFalseNoneAndValue) {
  Planned planned = Plan(
      "op.alter_column('t', 'a', server_default=None)\n"
      "op.alter_column('t', 'b', server_default=False)\n"
      "op.alter_column('t', 'c', server_default=sa.text('0'), new_column_name='d', "
      "type_=sa.Text)\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  const auto& a = std::get<ops::AlterColumn>(planned.log->operations[0]);
  ASSERT_TRUE(a.server_default.has_value());
  EXPECT_FALSE(a.server_default->has_value());
  EXPECT_FALSE(std::get<ops::AlterColumn>(planned.log->operations[1]).server_default.has_value());
  const auto& c = std::get<ops::AlterColumn>(planned.log->operations[2]);
  EXPECT_EQ((*c.server_default)->kind, ops::ServerDefault::Kind::kText);
  EXPECT_EQ(c.new_column_name, std::optional<std::string>("d"));
  EXPECT_EQ(c.type->kind, ops::Type::Kind::kText);
}

TEST(AlembicOpTest, SimpleOperations) {
  Planned planned = Plan(
      "op.drop_table('a')\nop.add_column('t', sa.Column('x', sa.Integer))\n"
      "op.drop_column('t', 'x')\nop.create_index('ix', 't', ['a', sa.text('lower(b)')], "
      "sqlite_where=sa.text('a > 0'))\n"
      "op.drop_index('ix', table_name='t')\nop.rename_table('a', 'b')\n"
      "op.create_unique_constraint('uq', 't', ['a'])\n"
      "op.create_foreign_key('fk', 's', 'r', ['a'], ['b'], ondelete='CASCADE')\n"
      "op.create_check_constraint('ck', 't', 'a > 0')\nop.create_primary_key('pk', 't', ['a'])\n"
      "op.drop_constraint('fk', 's', type_='foreignkey')\nop.create_table_comment('t', 'hi')\n"
      "op.drop_table_comment('t')\nop.execute('DELETE FROM t')\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  const auto& list = planned.log->operations;
  ASSERT_EQ(list.size(), 14u);
  EXPECT_EQ(Rendered(list[3]), "CREATE INDEX ix ON t (a, lower(b)) WHERE a > 0;");
  const auto& fk = std::get<ops::AddConstraint>(list[7]);
  EXPECT_EQ(fk.table, "s");
  EXPECT_EQ(fk.constraint.foreign_key.target_table, "r");
  EXPECT_EQ(fk.constraint.foreign_key.options.ondelete, std::optional<std::string>("CASCADE"));
  EXPECT_EQ(std::get<ops::Comment>(list[11]).text, std::optional<std::string>("hi"));
  EXPECT_TRUE(std::get<ops::Execute>(list[13]).text_clause);
}

TEST(AlembicOpTest, BatchIsDroppedWhenTheBlockFails) {
  Planned planned = Plan(
      "try:\n"
      "    with op.batch_alter_table('t') as b:\n"
      "        b.drop_column('x')\n"
      "        raise ValueError('no')\n"
      "except ValueError:\n"
      "    pass\n"
      "with op.batch_alter_table('t', recreate='always', table_args=(sa.CheckConstraint('x > "
      "0'),)) as b:\n"
      "    b.create_foreign_key('fk', 'r', ['a'], ['b'])\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 1u);
  const auto& batch = std::get<ops::BatchAlterTable>(planned.log->operations[0]);
  EXPECT_EQ(batch.recreate, ops::BatchAlterTable::Recreate::kAlways);
  ASSERT_EQ(batch.table_args.size(), 1u);
  const auto& fk = std::get<ops::AddConstraint>(batch.operations[0]);
  EXPECT_EQ(fk.table, "t");
}

// While planning, reading the database stops the body and marks it as one
// the runner must run online; the stop is located for --sql.
TEST(AlembicOpTest, ReadingTheDatabaseWhilePlanningMarksTheBodyOnline) {
  for (const char* body : {"rows = op.get_bind().execute(sa.text('SELECT 1')).fetchall()\n",
                           "n = op.get_bind().scalar(sa.text('SELECT 1'))\n",
                           "names = sa.inspect(op.get_bind()).get_table_names()\n",
                           "for row in op.get_bind().execute(sa.text('SELECT 1')): pass\n"}) {
    Planned planned = Plan(body);
    ASSERT_FALSE(planned.status.ok()) << body;
    EXPECT_TRUE(planned.log->needs_database) << body;
    EXPECT_NE(planned.status.ToString().find("rev.py:4:"), std::string::npos)
        << planned.status.ToString();
    EXPECT_NE(planned.status.ToString().find("not available while planning"), std::string::npos)
        << planned.status.ToString();
  }
  // Executing without reading is planned as an operation.
  Planned planned = Plan("op.get_bind().execute(sa.text('DELETE FROM t'))\n");
  EXPECT_TRUE(planned.status.ok()) << planned.status.ToString();
  EXPECT_FALSE(planned.log->needs_database);
  EXPECT_EQ(planned.log->operations.size(), 1u);
}

// execute(statement, [dict, ...]) is one statement per parameter set, as
// SQLAlchemy's executemany runs it.
TEST(AlembicOpTest, ExecuteWithAListOfParameterSetsRunsEach) {
  Planned planned = Plan(
      "op.get_bind().execute(sa.text('INSERT INTO t (a) VALUES (:a)'), [{'a': 1}, {'a': 2}])\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 2u);
  const auto& second = std::get<ops::Execute>(planned.log->operations[1]);
  ASSERT_EQ(second.parameters.size(), 1u);
  EXPECT_EQ(second.parameters[0].first, "a");
  EXPECT_EQ(second.parameters[0].second.integer, 2);
}

// bytes bind as BLOBs online; an untyped column has no literal renderer for
// them, so only the --sql form fails (SQLAlchemy's CompileError), and a
// LargeBinary column writes them as a string literal, as SQLAlchemy 1.4
// does.
TEST(AlembicOpTest, BytesBindAsBlobsAndHaveNoUntypedLiteral) {
  Planned planned = Plan(
      "t = sa.table('t', sa.column('u'), sa.column('b', sa.LargeBinary))\n"
      "op.execute(t.update().where(t.c.u == b'\\x01').values(u=b'\\x02\\xff'))\n"
      "op.execute(t.insert().values(b=b'ab'))\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 2u);
  const auto& update = std::get<ops::Execute>(planned.log->operations[0]);
  ASSERT_EQ(update.parameters.size(), 2u);
  EXPECT_EQ(update.parameters[0].second.kind, ops::Literal::Kind::kBlob);
  EXPECT_EQ(update.parameters[0].second.text, "\x02\xff");
  EXPECT_EQ(update.sql, "UPDATE t SET u=? WHERE t.u = ?");
  EXPECT_EQ(update.literal_error,
            "TypeError: CompileError: No literal value renderer is available for literal value "
            "\"b'\\x02\\xff'\" with datatype NULL");
  EXPECT_NE(Rendered(planned.log->operations[0]).find("No literal value renderer"),
            std::string::npos);
  const auto& insert = std::get<ops::Execute>(planned.log->operations[1]);
  EXPECT_EQ(insert.literal_error, "");
  EXPECT_EQ(insert.literal_sql, "INSERT INTO t (b) VALUES ('ab')");
}

// The dialect types SQLite's compiler cannot render stand where no DDL is
// written (an existing_type) and fail, as SQLAlchemy's CompileError, where
// it would be; the dialect's generic names still compile.
TEST(AlembicOpTest, DialectTypesSqliteCannotRender) {
  Planned planned = Plan(
      "from sqlalchemy.dialects import postgresql, mysql\n"
      "op.alter_column('t', 'p', existing_type=postgresql.INTERVAL(), nullable=True)\n"
      "op.add_column('t', sa.Column('q', postgresql.UUID(as_uuid=True)))\n"
      "op.add_column('t', sa.Column('r', mysql.TINYINT(1)))\n"
      "op.add_column('t', sa.Column('s', postgresql.ENUM('a', 'b', name='e')))\n");
  EXPECT_FALSE(planned.status.ok());
  planned = Plan(
      "from sqlalchemy.dialects import postgresql, mysql\n"
      "op.add_column('t', sa.Column('q', postgresql.UUID(as_uuid=True)))\n"
      "op.add_column('t', sa.Column('r', mysql.TINYINT(1)))\n"
      "op.add_column('t', sa.Column('i', postgresql.INTEGER()))\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 3u);
  EXPECT_NE(Rendered(planned.log->operations[0])
                .find("(in table 't', column 'q'): Compiler "
                      "<sqlalchemy.dialects.sqlite.base.SQLiteTypeCompiler> can't render "
                      "element of type UUID"),
            std::string::npos)
      << Rendered(planned.log->operations[0]);
  EXPECT_NE(Rendered(planned.log->operations[1]).find("can't render element of type TINYINT"),
            std::string::npos);
  EXPECT_EQ(Rendered(planned.log->operations[2]), "ALTER TABLE t ADD COLUMN i INTEGER;");
}

// SQLAlchemy 1.4's legacy form: a plain string with positional values goes
// to the driver as written, values bound in order.
TEST(AlembicOpTest, ExecuteOfAStringWithPositionalValues) {
  Planned planned = Plan(
      "conn = op.get_bind()\n"
      "conn.execute('INSERT INTO t (name) VALUES (:name);', 'x')\n"
      "conn.execute('INSERT INTO t (a, b) VALUES (?, ?)', [(1, 2), (3, 4)])\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 3u);
  const auto& first = std::get<ops::Execute>(planned.log->operations[0]);
  EXPECT_FALSE(first.text_clause);
  ASSERT_EQ(first.parameters.size(), 1u);
  EXPECT_EQ(first.parameters[0].second.text, "x");
  const auto& last = std::get<ops::Execute>(planned.log->operations[2]);
  ASSERT_EQ(last.parameters.size(), 2u);
  EXPECT_EQ(last.parameters[1].second.integer, 4);
}

// sa.DDL: `statement % context`, sent as written; execute_if() decides DDL
// events only, and a listener on a table never fires during a migration.
TEST(AlembicOpTest, DdlRunsItsStatementWhateverItsCondition) {
  Planned planned = Plan(
      "t = sa.Table('t', sa.MetaData(), sa.Column('id', sa.Integer))\n"
      "collation = sa.DDL('CREATE COLLATION nocase (deterministic = false);')\n"
      "collation.execute_if(dialect='postgresql')\n"
      "op.execute(sa.schema.DDL('CREATE TABLE %(name)s (a, b) -- 100%%', {'name': 'u'}))\n"
      "op.execute(sa.DDL(\"UPDATE t SET id = ':x'\").execute_if(dialect='postgresql'))\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 2u);
  const auto& create = std::get<ops::Execute>(planned.log->operations[0]);
  EXPECT_EQ(create.sql, "CREATE TABLE u (a, b) -- 100%");
  EXPECT_FALSE(create.text_clause);
  EXPECT_TRUE(create.parameters.empty());
  EXPECT_EQ(std::get<ops::Execute>(planned.log->operations[1]).sql, "UPDATE t SET id = ':x'");
  EXPECT_FALSE(Plan("sa.DDL(1)\n").status.ok());
}

// batch_op.execute() runs at once, before the batch (Alembic sends it to
// the migration context, not to the batch).
TEST(AlembicOpTest, BatchExecuteRunsBeforeTheBatch) {
  Planned planned = Plan(
      "with op.batch_alter_table('t') as b:\n"
      "    b.execute('UPDATE t SET a = 0 WHERE a IS NULL')\n"
      "    b.alter_column('a', nullable=False)\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  ASSERT_EQ(planned.log->operations.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ops::Execute>(planned.log->operations[0]));
  EXPECT_TRUE(std::holds_alternative<ops::BatchAlterTable>(planned.log->operations[1]));
}

TEST(AlembicOpTest, UnmodelledKeywordsAreUnsupported) {
  for (const char* body : {"op.create_table('t', sa.Column('a', sa.Integer), prefixes=['TEMP'])\n",
                           "op.drop_table('t', schema='other')\n",
                           "op.create_table('t', sa.Column('a', sa.Integer, weird=1))\n"}) {
    Planned planned = Plan(body);
    EXPECT_FALSE(planned.status.ok()) << body;
    EXPECT_NE(planned.status.ToString().find("unsupported"), std::string::npos)
        << planned.status.ToString();
  }
  // Keywords with no effect on SQLite are accepted.
  Planned planned = Plan(
      "op.create_table('t', sa.Column('a', sa.Integer, comment='c', info={}), "
      "comment='x', mysql_engine='InnoDB')\n");
  EXPECT_TRUE(planned.status.ok()) << planned.status.ToString();
}

// Alembic's op signatures (1.8 to 1.16): **kw where Alembic takes it,
// Python's TypeError where it does not, as /usr/bin/alembic behaves.
TEST(AlembicOpTest, KeywordsAreAcceptedWhereAlembicTakesThem) {
  Planned planned = Plan(
      "op.create_table('t', sa.Column('a', sa.Integer), mysql_engine='InnoDB', "
      "if_not_exists=True)\n"
      "op.create_index('ix', 't', ['a'], postgresql_using='gin', mysql_length=4)\n"
      "op.alter_column('t', 'a', new_type=sa.String(), postgresql_using='a::text')\n"
      "op.drop_column('t', 'a', mssql_drop_check=True, anything=1)\n"
      "with op.batch_alter_table('t') as batch_op:\n"
      "    batch_op.alter_column('a', new_type=sa.String(), existing_type=sa.Integer())\n"
      "    batch_op.drop_column('a', mssql_drop_default=True)\n"
      "op.drop_index('ix', table_name='t', postgresql_concurrently=True)\n"
      "op.drop_table('t', mysql_engine='InnoDB')\n");
  ASSERT_TRUE(planned.status.ok()) << planned.status.ToString();
  EXPECT_EQ(planned.log->operations.size(), 7u);

  for (const char* body : {"op.add_column('t', sa.Column('a', sa.Integer), foo=1)\n",
                           "op.rename_table('a', 'b', foo=1)\n",
                           "op.execute('SELECT 1', foo=1)\n"}) {
    Planned refused = Plan(body);
    EXPECT_NE(refused.status.ToString().find("TypeError: "), std::string::npos)
        << body << refused.status.ToString();
    EXPECT_NE(refused.status.ToString().find("got an unexpected keyword argument 'foo'"),
              std::string::npos)
        << refused.status.ToString();
  }
  Planned sqlite_option = Plan("op.create_index('ix', 't', ['a'], sqlite_bogus=1)\n");
  EXPECT_NE(sqlite_option.status.ToString().find("unsupported"), std::string::npos)
      << sqlite_option.status.ToString();
}

// op.run_async(), op.invoke() of anything but alembic.operations.ops'
// objects, and batch_op.invoke() are refused where called.
TEST(AlembicOpTest, RunAsyncAndInvokeOfOtherObjectsAreRefusedWhereCalled) {
  for (const char* call : {"op.run_async(f)", "op.invoke(f)"}) {
    Planned planned = Plan(std::string("def f():\n    pass\n\n") + call + "\n");
    EXPECT_EQ(planned.status.code(), base::Code::kRefused) << planned.status.ToString();
    EXPECT_NE(planned.status.ToString().find("rev.py:7:1: unsupported: op."), std::string::npos)
        << planned.status.ToString();
  }
}

// op.invoke() of an operation object records what the op method of the
// same name records with the same arguments; AlterColumnOp's modify_*
// become alter_column's nullable=, type_=, ..., False leaving one out.
TEST(AlembicOpTest, InvokeRunsOperationObjectsAsTheirMethods) {
  Planned invoked = Plan(
      "from alembic.operations import ops\n"
      "op.invoke(ops.CreateTableOp('t', [sa.Column('id', sa.Integer, primary_key=True)]))\n"
      "op.invoke(ops.AddColumnOp('t', sa.Column('x', sa.String(5)), schema=None))\n"
      "op.invoke(ops.AlterColumnOp('t', 'x', modify_type=sa.Text(), modify_name='y',\n"
      "                            existing_type=sa.String(5), modify_server_default=False))\n"
      "op.invoke(ops.CreateIndexOp('ix', 't', ['y'], unique=True, postgresql_using='gin'))\n"
      "op.invoke(ops.ExecuteSQLOp('UPDATE t SET y = 1'))\n"
      "op.invoke(ops.DropIndexOp('ix', table_name='t'))\n"
      "op.invoke(ops.DropTableOp('t', table_kw={'if_exists': True}))\n"
      "name = ops.AddColumnOp('t', sa.Column('z', sa.Integer)).table_name\n");
  Planned direct = Plan(
      "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))\n"
      "op.add_column('t', sa.Column('x', sa.String(5)), schema=None)\n"
      "op.alter_column('t', 'x', type_=sa.Text(), new_column_name='y',\n"
      "                existing_type=sa.String(5))\n"
      "op.create_index('ix', 't', ['y'], unique=True, postgresql_using='gin')\n"
      "op.execute('UPDATE t SET y = 1')\n"
      "op.drop_index('ix', table_name='t')\n"
      "op.drop_table('t', if_exists=True)\n");
  ASSERT_TRUE(invoked.status.ok()) << invoked.status.ToString();
  ASSERT_TRUE(direct.status.ok()) << direct.status.ToString();
  ASSERT_EQ(invoked.log->operations.size(), 7u);
  ASSERT_EQ(direct.log->operations.size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(Rendered(invoked.log->operations[i]), Rendered(direct.log->operations[i])) << i;
  }

  Planned batch = Plan(
      "from alembic.operations import ops\n"
      "with op.batch_alter_table('t') as batch_op:\n"
      "    batch_op.invoke(ops.DropColumnOp('t', 'x'))\n");
  EXPECT_NE(batch.status.ToString().find("rev.py:6:5: unsupported: batch_op.invoke()"),
            std::string::npos)
      << batch.status.ToString();
  Planned missing = Plan("from alembic.operations import ops\nops.AddColumnOp('t')\n");
  EXPECT_NE(missing.status.ToString().find(
                "TypeError: AddColumnOp() missing required argument: 'column'"),
            std::string::npos)
      << missing.status.ToString();
}

// op.bulk_insert() of an sa.Table whose column has a Python-side default=:
// refused, located, where a row lacks that column (SQLAlchemy would fill it);
// rows that give it run as they are. A default= callable that takes two
// positional parameters is SQLAlchemy's ArgumentError when the Column is
// made.
TEST(AlembicOpTest, BulkInsertLeavingAPythonDefaultToApplyIsRefused) {
  const std::string table =
      "t = sa.Table('t', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),\n"
      "             sa.Column('n', sa.Integer, default=5))\n";
  Planned refused = Plan(table + "op.bulk_insert(t, [{'id': 1, 'n': 2}, {'id': 2}])\n");
  EXPECT_EQ(refused.status.code(), base::Code::kRefused) << refused.status.ToString();
  EXPECT_NE(refused.status.ToString().find(
                "rev.py:6:1: unsupported: op.bulk_insert() of a row without column 'n'"),
            std::string::npos)
      << refused.status.ToString();
  Planned given = Plan(table + "op.bulk_insert(t, [{'id': 1, 'n': 2}])\n");
  EXPECT_TRUE(given.status.ok()) << given.status.ToString();
  ASSERT_EQ(given.log->operations.size(), 1u);
  Planned two = Plan("sa.Column('n', sa.Integer, default=lambda a, b: 1)\n");
  EXPECT_NE(two.status.ToString().find(
                "ArgumentError: ColumnDefault Python function takes zero or one positional"),
            std::string::npos)
      << two.status.ToString();
}

}  // namespace
}  // namespace sqlmend::alembic
