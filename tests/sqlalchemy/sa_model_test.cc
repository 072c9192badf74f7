// The modelled SQLAlchemy objects on their own: enum classes, declarative
// bases and MetaDataOf().
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sqlalchemy/schema.h"
#include "sqlalchemy/sqlalchemy.h"

namespace sqlmend::sqlalchemy {

using python::Interpreter;
using python::PythonModule;
using python::Repr;
using python::Value;

namespace {

struct Evaluated {
  base::Status status;
  std::string result;  // repr(result)
  std::unique_ptr<Interpreter> interpreter = std::make_unique<Interpreter>();
};

Evaluated Evaluate(const std::string& source) {
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreters
  Evaluated out;
  auto module = PythonModule::Parse(source, "m.py");
  if (!module) {
    out.status = module.error();
    return out;
  }
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  InstallSqlalchemy(*out.interpreter);
  out.status = out.interpreter->Run(*keep.back());
  if (const Value* result = out.interpreter->Global("result")) out.result = Repr(*result);
  return out;
}

TEST(SaModelTest, EnumClasses) {
  const char* const prelude =
      "import enum\nfrom enum import Enum, auto\n"
      "class Color(str, Enum):\n    RED = 'red'\n    GREEN = 'green'\n    CRIMSON = 'red'\n"
      "    def label(self):\n        return self.name.lower()\n"
      "class N(enum.IntEnum):\n    A = auto()\n    B = auto()\n";
  struct Case {
    const char* expression;
    const char* expected;
  } cases[] = {
      {"[c.name for c in Color]", "['RED', 'GREEN']"},
      {"Color.RED.value", "'red'"},
      {"Color['GREEN'].name", "'GREEN'"},
      {"Color('green').name", "'GREEN'"},
      {"len(Color)", "2"},
      {"Color.CRIMSON is Color.RED", "False"},
      {"Color.GREEN.label()", "'green'"},
      {"[n.value for n in N]", "[1, 2]"},
  };
  for (const Case& c : cases) {
    Evaluated evaluated = Evaluate(std::string(prelude) + "result = " + c.expression + "\n");
    ASSERT_TRUE(evaluated.status.ok()) << c.expression << ": " << evaluated.status.ToString();
    EXPECT_EQ(evaluated.result, c.expected) << c.expression;
  }
  Evaluated missing = Evaluate(std::string(prelude) + "Color('blue')\n");
  EXPECT_NE(missing.status.ToString().find("ValueError: 'blue' is not a valid Color"),
            std::string::npos)
      << missing.status.ToString();
}

TEST(SaModelTest, DeclarativeBaseBuildsTablesOnItsMetaData) {
  Evaluated evaluated = Evaluate(
      "import sqlalchemy as sa\nfrom sqlalchemy.orm import declarative_base, relationship\n"
      "metadata = sa.MetaData(naming_convention={'pk': 'pk_%(table_name)s'})\n"
      "Base = declarative_base(metadata=metadata)\n"
      "class User(Base):\n    __tablename__ = 'user'\n"
      "    id = sa.Column(sa.Integer, primary_key=True)\n"
      "    zname = sa.Column('name', sa.String(20))\n"
      "    addresses = relationship('Address')\n"
      "result = [c.name for c in User.__table__.c]\n"
      "target = Base.metadata\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  EXPECT_EQ(evaluated.result, "['id', 'name']");
  auto metadata = MetaDataOf(*evaluated.interpreter->Global("target"));
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->naming_convention.at("pk"), "pk_%(table_name)s");
  EXPECT_FALSE(metadata->naming_convention.contains("ix"));
  auto from_base = MetaDataOf(*evaluated.interpreter->Global("Base"));
  ASSERT_TRUE(from_base.has_value());
  EXPECT_FALSE(MetaDataOf(Value::Int(1)).has_value());
}

// SQLAlchemy 2.0's declarative style: DeclarativeBase with its own
// MetaData and type_annotation_map, Mapped[...] annotations (kept as text,
// `from __future__ import annotations` or not) giving a mapped_column() its
// type and nullability, annotation-only columns, mixins first, and
// relationship annotations that make no column.
TEST(SaModelTest, MappedColumnsTakeTypeAndNullabilityFromTheirAnnotation) {
  Evaluated evaluated = Evaluate(
      "from __future__ import annotations\n"
      "import datetime, enum\nfrom decimal import Decimal\nfrom typing import List, Optional\n"
      "import sqlalchemy as sa\n"
      "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n"
      "class Status(enum.Enum):\n    on = 'on'\n    off = 'off'\n"
      "class Base(DeclarativeBase):\n"
      "    metadata = sa.MetaData(naming_convention={'pk': 'pk_%(table_name)s'})\n"
      "    type_annotation_map = {str: sa.String(255)}\n"
      "class Stamped:\n"
      "    created: Mapped[datetime.datetime] = mapped_column(server_default=sa.func.now())\n"
      "class User(Stamped, Base):\n    __tablename__ = 'user'\n"
      "    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    name: Mapped[str] = mapped_column(sa.String(30))\n"
      "    nick: Mapped[Optional[str]]\n"
      "    balance: Mapped[Decimal | None]\n"
      "    status: Mapped[Status]\n"
      "    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey('user.id'), sort_order=5)\n"
      "    kids: Mapped[List['User']] = relationship()\n"
      "result = [(c.name, str(c.type), c.nullable) for c in User.__table__.c]\n"
      "target = Base.metadata\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  EXPECT_EQ(evaluated.result,
            "[('created', 'DATETIME', False), ('id', 'INTEGER', False), "
            "('name', 'VARCHAR(30)', False), ('nick', 'VARCHAR(255)', True), "
            "('balance', 'NUMERIC', True), ('status', 'VARCHAR(3)', False), "
            "('parent_id', 'INTEGER', True)]");
  auto metadata = MetaDataOf(*evaluated.interpreter->Global("target"));
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->naming_convention.at("pk"), "pk_%(table_name)s");
}

// An Index or UniqueConstraint made from a model's columns after its class
// (quetz declares `UniqueConstraint(PackageVersion.channel_name, ...,
// name="package_version_index")` at module level) joins its table.
TEST(SaModelTest, ConstraintsMadeFromAMappedClassesColumnsJoinItsTable) {
  Evaluated evaluated = Evaluate(
      "import sqlalchemy as sa\nfrom sqlalchemy.orm import declarative_base\n"
      "Base = declarative_base()\n"
      "class Pkg(Base):\n    __tablename__ = 'pkg'\n"
      "    id = sa.Column(sa.Integer, primary_key=True)\n"
      "    name = sa.Column(sa.String(20))\n    version = sa.Column(sa.String(20))\n"
      "sa.UniqueConstraint(Pkg.name, Pkg.version, name='pkg_index')\n"
      "sa.Index('ix_pkg_lower_name', sa.func.lower(Pkg.name))\n"
      "free = sa.UniqueConstraint('name')\n"
      "target = Base.metadata\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  MetaDataValue* metadata = AsMetaData(*evaluated.interpreter->Global("target"));
  ASSERT_NE(metadata, nullptr);
  ASSERT_EQ(metadata->tables.size(), 1u);
  const ops::Table& table = metadata->tables[0]->table;
  ASSERT_EQ(table.constraints.size(), 1u);
  EXPECT_EQ(table.constraints[0].unique.name.value, "pkg_index");
  EXPECT_EQ(table.constraints[0].unique.columns, (std::vector<std::string>{"name", "version"}));
  ASSERT_EQ(table.indexes.size(), 1u);
  EXPECT_EQ(table.indexes[0].elements[0].text, "lower(name)");
}

// A Mapped[] type with no SQLAlchemy type is SQLAlchemy's ArgumentError.
TEST(SaModelTest, AnUnmappableAnnotationIsAnError) {
  Evaluated evaluated = Evaluate(
      "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
      "class Base(DeclarativeBase):\n    pass\n"
      "class Thing(Base):\n    __tablename__ = 'thing'\n"
      "    id: Mapped[int] = mapped_column(primary_key=True)\n"
      "    data: Mapped[dict] = mapped_column()\n");
  ASSERT_FALSE(evaluated.status.ok());
  EXPECT_NE(evaluated.status.message().find("Could not locate SQLAlchemy Core type for Python type "
                                            "dict inside the 'data' attribute Mapped annotation"),
            std::string::npos)
      << evaluated.status.ToString();
}

// SQLAlchemy 1.4 takes every ForeignKeyConstraint parameter by position:
// ForeignKeyConstraint(columns, refcolumns, name, onupdate, ondelete, ...).
TEST(SaModelTest, ForeignKeyConstraintTakesItsNameByPosition) {
  Evaluated evaluated = Evaluate(
      "import sqlalchemy as sa\n"
      "fk = sa.ForeignKeyConstraint(['a_id'], ['a.id'], 'fk_b_a', None, 'CASCADE')\n"
      "t = sa.Table('b', sa.MetaData(), sa.Column('a_id', sa.Integer), fk)\n"
      "result = t.name\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  auto* table = AsTable(*evaluated.interpreter->Global("t"));
  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->table.constraints.size(), 1u);
  const ops::ForeignKeyConstraint& fk = table->table.constraints[0].foreign_key;
  EXPECT_EQ(fk.name.value.value_or(""), "fk_b_a");
  EXPECT_EQ(fk.options.ondelete.value_or(""), "CASCADE");
  EXPECT_FALSE(fk.options.onupdate.has_value());
}

// A declarative class is constructed with keywords, its column attributes
// start as None, and its class attributes are its table's columns.
TEST(SaModelTest, DeclarativeClassesConstructWithKeywords) {
  Evaluated evaluated = Evaluate(
      "import sqlalchemy as sa\nfrom sqlalchemy.orm import declarative_base\n"
      "Base = declarative_base()\n"
      "class User(Base):\n    __tablename__ = 'user'\n"
      "    id = sa.Column(sa.Integer, primary_key=True)\n"
      "    name = sa.Column(sa.String(20))\n"
      "u = User(name='x')\n"
      "try:\n    User(nope=1)\n    bad = 'accepted'\nexcept TypeError as e:\n    bad = str(e)\n"
      "result = (u.id, u.name, User.name.table, bad)\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  EXPECT_EQ(evaluated.result,
            "(None, 'x', 'user', \"'nope' is an invalid keyword argument for User\")");
}

// sqlalchemy.ext.mutable: coerce() as SQLAlchemy's, as_mutable() the type
// as an instance; the containers themselves are not modelled.
TEST(SaModelTest, MutableTypes) {
  Evaluated evaluated = Evaluate(
      "import sqlalchemy as sa\nfrom sqlalchemy.ext.mutable import Mutable, MutableDict, "
      "MutableList\n"
      "class Tags(Mutable):\n    @classmethod\n    def coerce(cls, key, value):\n"
      "        return Mutable.coerce(key, value)\n"
      "try:\n    Tags.coerce('tags', 5)\n    bad = 'accepted'\nexcept ValueError as e:\n"
      "    bad = str(e)\n"
      "try:\n    MutableDict({'a': 1})\n    made = 'made'\nexcept NotImplementedError:\n"
      "    made = 'refused'\n"
      "result = (MutableDict.coerce('k', {'a': 1}), MutableList.coerce('k', None), bad, made,\n"
      "          str(MutableDict.as_mutable(sa.String(9))), str(MutableList.as_mutable(sa.JSON)))\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  EXPECT_EQ(evaluated.result,
            "({'a': 1}, None, \"Attribute 'tags' does not accept objects of type <class 'int'>\", "
            "'refused', 'VARCHAR(9)', 'JSON')");
}

// Names old revisions still use: sa.Binary (SQLAlchemy's old alias of
// LargeBinary) and logging.NOTSET.
TEST(SaModelTest, OldNamesOfRevisions) {
  Evaluated evaluated = Evaluate(
      "import logging\nimport sqlalchemy as sa\n"
      "result = (str(sa.Binary()), logging.NOTSET, logging.FATAL)\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  EXPECT_EQ(evaluated.result, "('BLOB', 0, 50)");
}

TEST(SaModelTest, DefaultMetaDataHasTheIndexConvention) {
  Evaluated evaluated = Evaluate("import sqlalchemy as sa\nm = sa.MetaData()\n");
  ASSERT_TRUE(evaluated.status.ok()) << evaluated.status.ToString();
  auto metadata = MetaDataOf(*evaluated.interpreter->Global("m"));
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->naming_convention.at("ix"), "ix_%(column_0_label)s");
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
