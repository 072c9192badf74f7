// Declarative mapping as SQLAlchemy 1.4's declarative scan does it: a class
// deriving from a declarative base (declarative_base(), Flask-SQLAlchemy's
// db.Model) becomes a Table of the base's MetaData when the class statement
// ends.
//
// The scan of class C, in C's method resolution order (depth-first, left to
// right, as the interpreter's attribute lookup; SQLAlchemy uses Python's
// C3 order, which differs only for diamonds):
//   1. Columns of mixins, abstract classes and the base itself (any class
//      in the order that is not mapped) are copied onto C, unless C or a
//      class before it in the order has the name. A mixin Column with a
//      ForeignKey is SQLAlchemy's InvalidRequestError: it must be made by a
//      @declared_attr function, once per class.
//   2. __tablename__ and __table_args__ come from the first class in the
//      order that has them, skipping mapped classes unless there they are
//      @declared_attr functions (then called with C). __table_args__
//      inherited without a __tablename__ of C's own is dropped.
//   3. Each @declared_attr of a mixin and of C itself (not of a mapped
//      class) is called with C, in definition order; a Column it returns
//      is C's. During the scan each one is called once per class: reading
//      cls.other inside another gives the same object, as SQLAlchemy's
//      declared_attr_reg does. @declared_attr.cascading is called directly.
//   4. C's Columns not yet in a table, ordered by creation (mixin copies
//      keep their original's place), each named after its attribute unless
//      given a name, become the table: a table of its own when C has a
//      __tablename__ (joined inheritance when a base is mapped), else the
//      mapped base's table gains them (single-table inheritance: a primary
//      key or a name the table has is SQLAlchemy's ArgumentError, as is
//      __table_args__ there). A class with neither (a mixin-like subclass
//      of the base) is not mapped. `__abstract__ = True` in the class body
//      leaves it unmapped.
//   5. C.__table__ is the table; C.<key> is the mapped column (User.id in a
//      query is user.id).
//
// column_property(Column(...)) and deferred(Column(...)) give their column,
// which the scan maps like a plain one; column_property(expression) gives
// the expression (Grade.score is the CASE in later expressions).
// relationship() and backref() change no DDL; they are loaded as orm.h
// describes. synonym() and association_proxy() change no DDL and read as
// None. __mapper_args__ (polymorphic_on, polymorphic_identity)
// is not read: it changes no DDL.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python/value.h"
#include "sqlalchemy/schema.h"

namespace sqlmend::sqlalchemy {

// The class hook (python/interpreter.h's kClassHookName) of a declarative
// base whose tables go to `metadata`: maps the class as above and returns
// it.
python::NativeFunction DeclarativeHook(std::shared_ptr<MetaDataValue> metadata);

// The constructor declarative classes get: column attributes start as
// None; keyword arguments set attributes the class has (a TypeError for
// others, as SQLAlchemy's _declarative_constructor raises).
base::Result<python::Value> DeclarativeConstructor(python::CallContext& context,
                                                   python::Args& args);

// The Columns a class body defines (its own attributes), in creation order,
// with their attribute names.
std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> ClassColumns(
    const python::ClassObject& class_object);

// Adds declarative_base(metadata=, name=, cls=, constructor=,
// class_registry=), declared_attr (with .cascading), has_inherited_table,
// declarative_mixin, column_property and deferred to `module`
// (sqlalchemy.orm and sqlalchemy.ext.declarative).
void AddDeclarativeNames(python::ModuleObject& module);

// SQLAlchemy 2.0's annotated attributes: `name: Mapped[Optional[int]] =
// mapped_column(...)`, `name: Mapped[str]` alone, `children:
// Mapped[List["Child"]] = relationship()`. The interpreter keeps a class's
// annotations as their text (python/interpreter.h), so they are read here
// as SQLAlchemy reads them.
struct MappedAnnotation {
  std::string inner;      // the Python type's text: "int", "datetime.datetime"
  bool optional = false;  // Optional[X], X | None, Union[X, None]
};

// The annotation `annotation` as above, or nullopt when it is not Mapped[...].
std::optional<MappedAnnotation> ParseMapped(std::string_view annotation);

// "X" of "<prefix>Name[X]" in `text` (prefix empty or ending in '.'), with
// X's quotes taken off, or nullopt.
std::optional<std::string> Subscript(const std::string& text, std::string_view name);

}  // namespace sqlmend::sqlalchemy
