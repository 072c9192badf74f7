// Differential test of RenderSqlite against the real SQLAlchemy 1.4 and
// Alembic (Debian's python3-sqlalchemy / python3-alembic), run as an oracle.
//
// Each case is one revision-file call (`op.create_table(...)`, ...) written
// twice: as the Python Alembic would run and as the ops model the sqlalchemy module builds.
// One Python process runs every case under an offline MigrationContext
// (as_sql=True) whose impl._exec also records the online compiled text, so
// each case is compared twice, byte for byte: the statements SQLAlchemy
// executes (RenderOptions::as_sql = false) and the --sql text Alembic writes
// (as_sql = true). A case where Python raises must fail in RenderSqlite too.
#include "ops/sqlite_renderer.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "testutil/hex.h"
#include "testutil/oracle.h"
#include "testutil/testutil.h"

namespace sqlmend::ops {
namespace {

using testutil::Unhex;
using testutil::PythonString;

using Convention = std::map<std::string, std::string>;

struct Case {
  std::string python;  // statements run with `op` and `sa` in scope
  Operation operation;
  std::optional<Convention> convention;  // MetaData(naming_convention=...)
};

// --- Model shorthands --------------------------------------------------------

Column Col(std::string name, Type type) {
  Column column;
  column.name = std::move(name);
  column.type = std::move(type);
  return column;
}

Column Pk(std::string name, Type type = Type::Integer()) {
  Column column = Col(std::move(name), std::move(type));
  column.primary_key = true;
  return column;
}

Column NotNull(Column column) {
  column.nullable = false;
  return column;
}

Column Unique(Column column) {
  column.unique = true;
  return column;
}

Column Indexed(Column column) {
  column.index = true;
  return column;
}

Column WithDefault(Column column, ServerDefault server_default) {
  column.server_default = std::move(server_default);
  return column;
}

Column WithFk(Column column, std::string table, std::string target, ForeignKeyOptions options = {},
              ConstraintName name = {}) {
  column.foreign_keys.push_back(
      {std::move(table), std::move(target), std::move(options), std::move(name)});
  return column;
}

Table MakeTable(std::string name, std::vector<Column> columns,
                std::vector<Constraint> constraints = {}) {
  Table table;
  table.name = std::move(name);
  table.columns = std::move(columns);
  table.constraints = std::move(constraints);
  return table;
}

Operation Create(Table table) { return CreateTable{std::move(table)}; }

Constraint Uq(std::vector<std::string> columns, ConstraintName name = {}) {
  UniqueConstraint unique;
  unique.columns = std::move(columns);
  unique.name = std::move(name);
  return Constraint::Of(std::move(unique));
}

Constraint Ck(std::string sqltext, ConstraintName name = {}) {
  return Constraint::Of(CheckConstraint{std::move(sqltext), std::move(name)});
}

Constraint Fk(std::vector<std::string> columns, std::string table, std::vector<std::string> targets,
              ForeignKeyOptions options = {}, ConstraintName name = {}) {
  return Constraint::Of(ForeignKeyConstraint{std::move(columns), std::move(table),
                                             std::move(targets), std::move(options),
                                             std::move(name)});
}

Operation MakeIndex(ConstraintName name, std::string table, std::vector<IndexElement> elements,
                    bool unique = false, std::optional<std::string> where = std::nullopt) {
  return CreateIndex{
      Index{std::move(name), std::move(table), std::move(elements), unique, std::move(where)}};
}

IndexElement C(std::string name) { return IndexElement::ColumnName(std::move(name)); }

ConstraintName N(std::string name) { return ConstraintName::Of(std::move(name)); }

ForeignKeyOptions OnDelete(std::string action) {
  ForeignKeyOptions options;
  options.ondelete = std::move(action);
  return options;
}

const Convention kFullConvention = {
    {"pk", "pk_%(table_name)s"},
    {"uq", "uq_%(table_name)s_%(column_0_N_name)s"},
    {"ck", "ck_%(table_name)s_%(constraint_name)s"},
    {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"},
    {"ix", "ix_%(column_0_label)s"},
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto add = [&cases](std::string python, Operation operation,
                      std::optional<Convention> convention = std::nullopt) {
    cases.push_back({std::move(python), std::move(operation), std::move(convention)});
  };
  // Every type.
  add(R"(op.create_table("types", sa.Column("id", sa.Integer(), primary_key=True),
  sa.Column("big", sa.BigInteger()), sa.Column("small", sa.SmallInteger()),
  sa.Column("s", sa.String()), sa.Column("s20", sa.String(20)), sa.Column("u", sa.Unicode(10)),
  sa.Column("t", sa.Text()), sa.Column("ut", sa.UnicodeText()), sa.Column("b", sa.Boolean()),
  sa.Column("dt", sa.DateTime()), sa.Column("d", sa.Date()), sa.Column("tm", sa.Time()),
  sa.Column("f", sa.Float()), sa.Column("f5", sa.Float(precision=5)), sa.Column("n", sa.Numeric()),
  sa.Column("n10", sa.Numeric(10)), sa.Column("n102", sa.Numeric(10, 2)),
  sa.Column("lb", sa.LargeBinary()), sa.Column("j", sa.JSON()), sa.Column("e", sa.Enum("a", "bcd")),
  sa.Column("ch", sa.CHAR(3)), sa.Column("vc", sa.VARCHAR(5), comment="ignored"))
)",
      Create(MakeTable("types", {Pk("id"),
                                 Col("big", Type::BigInteger()),
                                 Col("small", Type::SmallInteger()),
                                 Col("s", Type::String()),
                                 Col("s20", Type::String(20)),
                                 Col("u", Type::Unicode(10)),
                                 Col("t", Type::Text()),
                                 Col("ut", Type::UnicodeText()),
                                 Col("b", Type::Boolean()),
                                 Col("dt", Type::DateTime()),
                                 Col("d", Type::Date()),
                                 Col("tm", Type::Time()),
                                 Col("f", Type::Float()),
                                 Col("f5", Type::Float(5)),
                                 Col("n", Type::Numeric()),
                                 Col("n10", Type::Numeric(10)),
                                 Col("n102", Type::Numeric(10, 2)),
                                 Col("lb", Type::LargeBinary()),
                                 Col("j", Type::Json()),
                                 Col("e", Type::Enum({"a", "bcd"})),
                                 Col("ch", Type::Raw("CHAR(3)")),
                                 Col("vc", Type::Raw("VARCHAR(5)"))})));
  // Nullability and primary keys.
  {
    Column id = Pk("id");
    id.nullable = true;
    add(R"(op.create_table("t", sa.Column("id", sa.Integer, primary_key=True, nullable=True),
  sa.Column("x", sa.String(5), nullable=False), sa.Column("y", sa.Integer, nullable=True)))",
        Create(MakeTable("t", {id, NotNull(Col("x", Type::String(5))), [] {
                                 Column y = Col("y", Type::Integer());
                                 y.nullable = true;
                                 return y;
                               }()})));
  }
  add(R"(op.create_table("pair", sa.Column("a", sa.Integer, primary_key=True),
  sa.Column("b", sa.String(3), primary_key=True)))",
      Create(MakeTable("pair", {Pk("a"), Pk("b", Type::String(3))})));
  {
    Table table = MakeTable("pair", {Col("a", Type::Integer()), Col("b", Type::Integer())});
    table.primary_key = PrimaryKeyConstraint{{"b", "a"}, N("pk_pair"), {}, {}};
    add(R"(op.create_table("pair", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
  sa.PrimaryKeyConstraint("b", "a", name="pk_pair")))",
        Create(table));
  }
  add(R"(op.create_table("pk", sa.Column("id", sa.Integer, primary_key=True)))",
      Create(MakeTable("pk", {Pk("id")})), kFullConvention);
  // Unique, index.
  add(R"(op.create_table("u", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("x", sa.String(5), unique=True)))",
      Create(MakeTable("u", {Pk("id"), Unique(Col("x", Type::String(5)))})));
  add(R"(op.create_table("u", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("x", sa.String(5), unique=True)))",
      Create(MakeTable("u", {Pk("id"), Unique(Col("x", Type::String(5)))})), kFullConvention);
  add(R"(op.create_table("ix", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("x", sa.String(5), index=True)))",
      Create(MakeTable("ix", {Pk("id"), Indexed(Col("x", Type::String(5)))})));
  add(R"(op.create_table("ix", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("Email", sa.String(5), index=True, unique=True)))",
      Create(MakeTable("ix", {Pk("id"), Indexed(Unique(Col("Email", Type::String(5))))})));
  add(R"(op.create_table("ix", sa.Column("x", sa.Integer, index=True)))",
      Create(MakeTable("ix", {Indexed(Col("x", Type::Integer()))})),
      Convention{{"uq", "uq_%(column_0_name)s"}});
  add(R"(op.create_table("m", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
  sa.UniqueConstraint("a", "b", name="uq_ab"), sa.UniqueConstraint("b", "a")))",
      Create(MakeTable("m", {Col("a", Type::Integer()), Col("b", Type::Integer())},
                       {Uq({"a", "b"}, N("uq_ab")), Uq({"b", "a"})})));
  add(R"(op.create_table("m", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
  sa.UniqueConstraint("a", "b"), sa.UniqueConstraint("b", "a", name=op.f("verbatim"))))",
      Create(MakeTable("m", {Col("a", Type::Integer()), Col("b", Type::Integer())},
                       {Uq({"a", "b"}), Uq({"b", "a"}, ConstraintName::F("verbatim"))})),
      Convention{{"uq", "uq_%(table_name)s_%(column_0N_name)s"}});
  add(R"(op.create_table("m", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
  sa.UniqueConstraint("a", "b", name="given")))",
      Create(MakeTable("m", {Col("a", Type::Integer()), Col("b", Type::Integer())},
                       {Uq({"a", "b"}, N("given"))})),
      Convention{{"uq", "uq_%(column_0_label)s_%(column_1_key)s"}});
  // CHECK constraints.
  add(R"(op.create_table("c", sa.Column("n", sa.Integer), sa.CheckConstraint("n > 0"),
  sa.CheckConstraint("n < 10", name="small")))",
      Create(MakeTable("c", {Col("n", Type::Integer())}, {Ck("n > 0"), Ck("n < 10", N("small"))})));
  add(R"(op.create_table("c", sa.Column("n", sa.Integer), sa.CheckConstraint("n < 10", name="small")))",
      Create(MakeTable("c", {Col("n", Type::Integer())}, {Ck("n < 10", N("small"))})),
      kFullConvention);
  add(R"(op.create_table("c", sa.Column("n", sa.Integer), sa.CheckConstraint("n > 0")))",
      Create(MakeTable("c", {Col("n", Type::Integer())}, {Ck("n > 0")})), kFullConvention);
  // Boolean and Enum CHECKs.
  add(R"(op.create_table("flags", sa.Column("b", sa.Boolean(create_constraint=True)),
  sa.Column("nb", sa.Boolean(create_constraint=True, name="nb_ck")),
  sa.Column("e", sa.Enum("x", "it's", create_constraint=True)),
  sa.Column("ne", sa.Enum("x", "y", name="kind", create_constraint=True, native_enum=False))))",
      Create(MakeTable("flags",
                       {Col("b", Type::Boolean(true)), Col("nb", Type::Boolean(true, "nb_ck")),
                        Col("e", Type::Enum({"x", "it's"}, std::nullopt, true)),
                        Col("ne", Type::Enum({"x", "y"}, "kind", true, false))})));
  add(R"(op.create_table("flags", sa.Column("b", sa.Boolean(create_constraint=True)),
  sa.Column("e", sa.Enum("x", "y", name="kind", create_constraint=True))))",
      Create(MakeTable("flags", {Col("b", Type::Boolean(true)),
                                 Col("e", Type::Enum({"x", "y"}, "kind", true))})),
      Convention{{"ck", "ck_%(table_name)s_%(column_0_name)s"}});
  add(R"(op.create_table("flags", sa.Column("e", sa.Enum("x", "y", name="kind", create_constraint=True))))",
      Create(MakeTable("flags", {Col("e", Type::Enum({"x", "y"}, "kind", true))})),
      kFullConvention);
  add(R"(op.create_table("flags", sa.Column("b", sa.Boolean(create_constraint=True))))",
      Create(MakeTable("flags", {Col("b", Type::Boolean(true))})), kFullConvention);
  add(R"(op.create_table("c", sa.Column("n", sa.Integer), sa.CheckConstraint("n > 0"),
  sa.UniqueConstraint("n")))",
      Create(MakeTable("c", {Col("n", Type::Integer())}, {Ck("n > 0"), Uq({"n"})})),
      Convention{{"ck", "ck_%(table_name)s_%(column_0_name)s"},
                 {"uq", "%(table_name)s_%(column_0_key)s_%(column_2_name)s_key"}});
  add(R"(op.create_table("e", sa.Column("e", sa.Enum("é", "ab", "ü€", create_constraint=True))))",
      Create(MakeTable("e", {Col("e", Type::Enum({"é", "ab", "ü€"}, std::nullopt, true))})));
  // Foreign keys: every option.
  add(R"(op.create_table("child", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id"))))",
      Create(MakeTable("child", {Pk("id"), WithFk(Col("pid", Type::Integer()), "parent", "id")})));
  {
    ForeignKeyOptions options = OnDelete("CASCADE");
    options.onupdate = "set null";
    ForeignKeyOptions deferred;
    deferred.deferrable = true;
    deferred.initially = "DEFERRED";
    ForeignKeyOptions not_deferrable;
    not_deferrable.deferrable = false;
    not_deferrable.match = "FULL";
    add(R"(op.create_table("child", sa.Column("a", sa.Integer, sa.ForeignKey("p.id", ondelete="CASCADE", onupdate="set null")),
  sa.Column("b", sa.Integer, sa.ForeignKey("p.id", deferrable=True, initially="DEFERRED", name="fk_b")),
  sa.Column("c", sa.Integer, sa.ForeignKey("p.id", deferrable=False, match="FULL"))))",
        Create(
            MakeTable("child", {WithFk(Col("a", Type::Integer()), "p", "id", options),
                                WithFk(Col("b", Type::Integer()), "p", "id", deferred, N("fk_b")),
                                WithFk(Col("c", Type::Integer()), "p", "id", not_deferrable)})));
  }
  add(R"(op.create_table("child", sa.Column("x", sa.Integer), sa.Column("y", sa.Integer),
  sa.ForeignKeyConstraint(["x", "y"], ["Parent.a", "Parent.b"], name="fk_xy", ondelete="RESTRICT")))",
      Create(MakeTable("child", {Col("x", Type::Integer()), Col("y", Type::Integer())},
                       {Fk({"x", "y"}, "Parent", {"a", "b"}, OnDelete("RESTRICT"), N("fk_xy"))})));
  add(R"(op.create_table("child", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id")),
  sa.ForeignKeyConstraint(["id"], ["other.oid"])))",
      Create(MakeTable("child", {Pk("id"), WithFk(Col("pid", Type::Integer()), "parent", "id")},
                       {Fk({"id"}, "other", {"oid"})})),
      kFullConvention);
  add(R"(op.create_table("child", sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id"))))",
      Create(MakeTable("child", {WithFk(Col("pid", Type::Integer()), "parent", "id")})),
      Convention{{"fk", "fk_%(column_0_name)s_%(referred_column_0_name)s"}});
  add(R"(op.create_table("child", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
  sa.ForeignKeyConstraint(["a", "b"], ["p.x", "p.y"])))",
      Create(MakeTable("child", {Col("a", Type::Integer()), Col("b", Type::Integer())},
                       {Fk({"a", "b"}, "p", {"x", "y"})})),
      Convention{
          {"fk",
           "fk_%(table_name)s_%(column_0_N_name)s_%(column_0_label)s_%(referred_table_name)s"}});
  add(R"(op.create_table("child", sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id", ondelete="EXPLODE"))))",
      Create(MakeTable(
          "child", {WithFk(Col("pid", Type::Integer()), "parent", "id", OnDelete("EXPLODE"))})));
  // Server defaults.
  add(R"(op.create_table("d", sa.Column("s", sa.String(9), server_default="it's", nullable=False),
  sa.Column("n", sa.Integer, server_default=sa.text("0")),
  sa.Column("ts", sa.DateTime, server_default=sa.func.now())))",
      Create(MakeTable(
          "d", {NotNull(WithDefault(Col("s", Type::String(9)), ServerDefault::String("it's"))),
                WithDefault(Col("n", Type::Integer()), ServerDefault::SqlText("0")),
                WithDefault(Col("ts", Type::DateTime()), ServerDefault::Now())})));
  add(R"py(op.create_table("d", sa.Column("at", sa.DateTime, server_default=sa.text("(datetime('now'))")),
  sa.Column("bt", sa.DateTime, server_default=sa.text("datetime('now')"))))py",
      Create(MakeTable(
          "d",
          {WithDefault(Col("at", Type::DateTime()), ServerDefault::SqlText("(datetime('now'))")),
           WithDefault(Col("bt", Type::DateTime()), ServerDefault::SqlText("datetime('now')"))})));
  // Column-level CHECKs, named and unnamed, with and without a convention.
  {
    Column x = NotNull(Col("x", Type::Integer()));
    x.checks.push_back({"x > 0", N("pos")});
    Column y = Col("Y", Type::Integer());
    y.checks.push_back({"\"Y\" < 9", {}});
    add(R"(op.create_table("t", sa.Column("x", sa.Integer, sa.CheckConstraint("x > 0", name="pos"), nullable=False),
  sa.Column("Y", sa.Integer, sa.CheckConstraint('"Y" < 9'))))",
        Create(MakeTable("t", {x, y})));
    add(R"(op.create_table("t", sa.Column("x", sa.Integer, sa.CheckConstraint("x > 0", name="pos"), nullable=False),
  sa.Column("Y", sa.Integer, sa.CheckConstraint('"Y" < 9'))))",
        Create(MakeTable("t", {x, y})), Convention{{"ck", "ck_%(table_name)s_%(column_0_name)s"}});
    add(R"(op.add_column("t", sa.Column("Y", sa.Integer, sa.CheckConstraint('"Y" < 9'))))",
        AddColumn{"t", y}, Convention{{"ck", "ck_%(table_name)s_%(column_0_name)s"}});
  }
  // AUTOINCREMENT.
  {
    Table table = MakeTable("auto", {Pk("id"), Col("x", Type::Integer())});
    table.sqlite_autoincrement = true;
    add(R"(op.create_table("auto", sa.Column("id", sa.Integer, primary_key=True),
  sa.Column("x", sa.Integer), sqlite_autoincrement=True))",
        Create(table));
    Table with_fk = MakeTable("auto", {WithFk(Pk("id"), "p", "id")});
    with_fk.sqlite_autoincrement = true;
    add(R"(op.create_table("auto", sa.Column("id", sa.Integer, sa.ForeignKey("p.id"), primary_key=True),
  sqlite_autoincrement=True))",
        Create(with_fk));
    Table no_rowid = MakeTable("kv", {Pk("k", Type::String(8)), Col("v", Type::Text())});
    no_rowid.sqlite_with_rowid = false;
    add(R"(op.create_table("kv", sa.Column("k", sa.String(8), primary_key=True),
  sa.Column("v", sa.Text), sqlite_with_rowid=False))",
        Create(no_rowid));
    Table text_pk = MakeTable("auto", {Pk("id", Type::String(5))});
    text_pk.sqlite_autoincrement = true;
    add(R"(op.create_table("auto", sa.Column("id", sa.String(5), primary_key=True), sqlite_autoincrement=True))",
        Create(text_pk));
    Column a = Pk("a");
    a.autoincrement = Autoincrement::kTrue;
    add(R"(op.create_table("auto", sa.Column("a", sa.Integer, primary_key=True, autoincrement=True),
  sa.Column("b", sa.Integer, primary_key=True)))",
        Create(MakeTable("auto", {a, Pk("b")})));
  }
  // Column-made constraints come after the table's own, column by column:
  // UNIQUE, then the type's CHECK, then FOREIGN KEY.
  {
    Column a = WithFk(Unique(Col("a", Type::Boolean(true))), "p", "id");
    a.server_default = ServerDefault::SqlText("0");
    Column b = WithFk(Unique(Col("b", Type::Enum({"x", "yy"}, std::nullopt, true))), "p", "id");
    add(R"(op.create_table("t", sa.Column("a", sa.Boolean(create_constraint=True), sa.ForeignKey("p.id"), unique=True, server_default=sa.text("0")),
  sa.Column("b", sa.Enum("x", "yy", create_constraint=True), sa.ForeignKey("p.id"), unique=True),
  sa.UniqueConstraint("b", "a"), sa.CheckConstraint("a OR b", name="either")))",
        Create(MakeTable("t", {a, b}, {Uq({"b", "a"}), Ck("a OR b", N("either"))})));
    add(R"(op.create_table("t", sa.Column("a", sa.Boolean(create_constraint=True), sa.ForeignKey("p.id"), unique=True, server_default=sa.text("0")),
  sa.Column("b", sa.Enum("x", "yy", create_constraint=True, name="kind"), sa.ForeignKey("p.id"), unique=True),
  sa.UniqueConstraint("b", "a"), sa.CheckConstraint("a OR b", name="either")))",
        Create(MakeTable("t",
                         {a,
                          [b]() mutable {
                            b.type.name = "kind";
                            return b;
                          }()},
                         {Uq({"b", "a"}), Ck("a OR b", N("either"))})),
        Convention{{"ck", "ck_%(table_name)s_%(constraint_name)s"},
                   {"uq", "uq_%(table_name)s_%(column_0_name)s"},
                   {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}});
  }
  // Reserved words, case, odd characters.
  add(R"(op.create_table("order", sa.Column("select", sa.Integer, primary_key=True),
  sa.Column("Name", sa.String(5), unique=True), sa.Column("userId", sa.Integer),
  sa.Column("from", sa.Integer, sa.ForeignKey("Group.key")), sa.Column("naïve", sa.Integer),
  sa.Column("1st", sa.Integer), sa.Column("a b", sa.Integer), sa.Column("abort", sa.Integer),
  sa.Column('q"t', sa.Integer), sa.CheckConstraint("userId > 0", name="Positive")))",
      Create(MakeTable(
          "order",
          {Pk("select"), Unique(Col("Name", Type::String(5))), Col("userId", Type::Integer()),
           WithFk(Col("from", Type::Integer()), "Group", "key"), Col("naïve", Type::Integer()),
           Col("1st", Type::Integer()), Col("a b", Type::Integer()), Col("abort", Type::Integer()),
           Col("q\"t", Type::Integer())},
          {Ck("userId > 0", N("Positive"))})));
  // Indexes.
  add(R"(op.create_index("ix_t_a", "t", ["a", "Order"]))",
      MakeIndex(N("ix_t_a"), "t", {C("a"), C("Order")}));
  add(R"(op.create_index("UX", "order", ["a"], unique=True, sqlite_where=sa.text("a IS NOT NULL")))",
      MakeIndex(N("UX"), "order", {C("a")}, true, "a IS NOT NULL"));
  add(R"py(op.create_index("ix_lower", "t", [sa.text("lower(name)")]))py",
      MakeIndex(N("ix_lower"), "t", {IndexElement::Expression("lower(name)")}));
  add(R"(op.create_index(None, "t", ["a"]))", MakeIndex({}, "t", {C("a")}));
  add(R"(op.create_index(op.f("ix_Mixed"), "t", ["a"]))",
      MakeIndex(ConstraintName::F("ix_Mixed"), "t", {C("a")}), kFullConvention);
  add(R"(op.create_index(None, "t", ["a"]))", MakeIndex({}, "t", {C("a")}),
      Convention{{"uq", "uq_%(column_0_name)s"}});
  {
    Table table = MakeTable("t", {Col("y", Type::Integer())});
    table.indexes.push_back(Index{N("ix_y"), "t", {C("y")}, false, "y > 0"});
    add(R"(op.create_table("t", sa.Column("y", sa.Integer), sa.Index("ix_y", "y", sqlite_where=sa.text("y > 0"))))",
        Create(table));
  }
  add(R"py(op.create_index(None, "t", [sa.text("lower(x)")]))py",
      MakeIndex({}, "t", {IndexElement::Expression("lower(x)")}));
  add(R"py(op.create_index(None, "T", ["a", sa.text("lower(x)")], unique=True))py",
      MakeIndex({}, "T", {C("a"), IndexElement::Expression("lower(x)")}, true));
  add(R"(op.create_index(None, "t", ["a", "b"]))", MakeIndex({}, "t", {C("a"), C("b")}),
      Convention{{"ix", "ix_%(table_name)s_%(column_0N_name)s_%(column_1_label)s_100%%"}});
  add(R"(op.create_index(None, "t", ["a"]))", MakeIndex({}, "t", {C("a")}),
      Convention{{"ix", "ix_%(no_such_token)s"}});
  add(R"(op.create_index(None, "t", ["a"]))", MakeIndex({}, "t", {C("a")}),
      Convention{{"ix", "ix_%(column_0_name)d"}});
  // Drops, renames, columns, raw SQL.
  add(R"(op.drop_index("ix_a"))", DropIndex{N("ix_a"), ""});
  add(R"(op.drop_index("Mixed", table_name="t"))", DropIndex{N("Mixed"), "t"});
  add(R"(op.drop_table("order"))", DropTable{"order"});
  add(R"(op.drop_table("plain"))", DropTable{"plain"});
  add(R"(op.rename_table("a", "Order"))", RenameTable{"a", "Order"});
  add(R"(op.drop_column("t", "select"))", DropColumn{"t", "select"});
  add(R"(op.add_column("t", sa.Column("x", sa.String(5))))",
      AddColumn{"t", Col("x", Type::String(5))});
  add(R"(op.add_column("Tbl", sa.Column("when", sa.Integer, nullable=False, server_default="0")))",
      AddColumn{"Tbl",
                NotNull(WithDefault(Col("when", Type::Integer()), ServerDefault::String("0")))});
  add(R"(op.add_column("t", sa.Column("x", sa.Integer, index=True)))",
      AddColumn{"t", Indexed(Col("x", Type::Integer()))});
  add(R"(op.add_column("t", sa.Column("b", sa.Boolean(create_constraint=True))))",
      AddColumn{"t", Col("b", Type::Boolean(true))});
  add(R"(op.add_column("t", sa.Column("x", sa.Integer, unique=True)))",
      AddColumn{"t", Unique(Col("x", Type::Integer()))});
  add(R"(op.add_column("t", sa.Column("x", sa.Integer, sa.ForeignKey("p.id"))))",
      AddColumn{"t", WithFk(Col("x", Type::Integer()), "p", "id")});
  add(R"(op.add_column("t", sa.Column("x", sa.Integer, primary_key=True)))",
      AddColumn{"t", Pk("x")});
  add(R"(op.add_column("Order", sa.Column("Email", sa.String(9), index=True, unique=True)))",
      AddColumn{"Order", Indexed(Unique(Col("Email", Type::String(9))))}, kFullConvention);
  add(R"(op.execute("UPDATE t SET x = 1"))", Execute{"UPDATE t SET x = 1", true, {}, "", "", false});
  return cases;
}

// --- The oracle --------------------------------------------------------------

// Runs every case in one Python process. Output per case: "CASE", then "ON
// <hex>" and "OFF <hex>" lines or one "ERR <hex>" line.
constexpr char kOracle[] = R"PY(
import io, sys, warnings
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
warnings.simplefilter("ignore")

def run(code, naming):
    md = sa.MetaData(naming_convention=naming) if naming is not None else sa.MetaData()
    buf = io.StringIO()
    ctx = MigrationContext.configure(dialect_name="sqlite", opts={
        "as_sql": True, "output_buffer": buf, "target_metadata": md})
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
        exec(code, {"op": Operations(ctx), "sa": sa})
    except Exception as e:
        print("ERR " + ("%s: %s" % (type(e).__name__, e)).encode().hex())
        return
    offline = [s + ";" for s in buf.getvalue().split(";\n\n") if s]
    for s in online:
        print("ON " + s.encode().hex())
    for s in offline:
        print("OFF " + s.encode().hex())
)PY";



using OracleResult = testutil::OracleOutcome;

std::vector<OracleResult> RunOracle(const std::vector<Case>& cases) {
  std::string script = kOracle;
  for (const Case& c : cases) {
    std::string naming = "None";
    if (c.convention) {
      naming = "{";
      for (const auto& [key, value] : *c.convention) {
        naming += PythonString(key) + ": " + PythonString(value) + ", ";
      }
      naming += "}";
    }
    // Bytes, decoded as UTF-8, so the snippet may hold any character.
    script +=
        "run(bytes(" + PythonString(c.python) + ", 'latin-1').decode('utf-8'), " + naming + ")\n";
  }
  return testutil::RunCaseOracle(script);
}

TEST(SqliteRendererTest, MatchesSqlalchemyAndAlembic) {
  const std::vector<Case> cases = Cases();
  const std::vector<OracleResult> oracle = RunOracle(cases);
  ASSERT_EQ(oracle.size(), cases.size());
  for (size_t i = 0; i < cases.size(); i++) {
    const Case& c = cases[i];
    RenderOptions options;
    if (c.convention) options.metadata.naming_convention = *c.convention;
    auto online = RenderSqlite(c.operation, options);
    options.as_sql = true;
    auto offline = RenderSqlite(c.operation, options);
    if (oracle[i].error) {
      EXPECT_FALSE(online.has_value())
          << c.python << "\nPython: " << *oracle[i].error << "\nsqlmend:\n"
          << testutil::ShowStatements(*online);
      continue;
    }
    ASSERT_TRUE(online.has_value()) << c.python << "\n" << online.error().ToString();
    EXPECT_EQ(testutil::ShowStatements(*online), testutil::ShowStatements(oracle[i].statements)) << c.python;
    EXPECT_EQ(testutil::ShowStatements(*offline), testutil::ShowStatements(oracle[i].offline)) << c.python;
  }
}

}  // namespace
}  // namespace sqlmend::ops
