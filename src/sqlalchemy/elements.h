// SQLAlchemy Core's clause elements as a tree: what `t.c.x == None`,
// `sa.select(...)`, `t.update().where(...).values(...)`, `sa.func.max(...)`,
// `sa.case(...)` build in a revision. Every element is immutable; the
// generative methods (`where`, `values`, `order_by`, ...) return a new
// statement, as SQLAlchemy's do. compiler.h turns a tree into SQLite SQL.
//
// The tree follows SQLAlchemy 1.4's (sqlalchemy/sql/elements.py,
// selectable.py, dml.py): a BinaryExpression groups its operands against
// its operator (operator precedence, operators.py's _PRECEDENCE), so the
// parentheses are decided when the expression is built, as there.
//
// ClauseValue is the interpreter's view of an element: Python operators
// (== != < <= > >= + - * / % & | ~) and the ColumnOperators methods (in_,
// not_in, is_, is_not, like, ilike, between, startswith, label, desc, ...)
// on columns and expressions; the statement methods on statements. Its
// truth value is undefined (TypeError), as SQLAlchemy's.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

struct Element;
using ElementPtr = std::shared_ptr<const Element>;

struct SelectParts {
  // Which tables of enclosing statements a subquery leaves out of its
  // FROM: kAuto, those of the statement right around it (unless nothing
  // would be left); correlate(*tables), those of `correlation` that any
  // enclosing statement has; correlate_except(*tables), every enclosing
  // statement's table but those of `correlation`.
  enum class Correlation { kAuto, kOnly, kExcept };
  std::vector<ElementPtr> columns;
  std::vector<ElementPtr> froms;  // select_from(): tables and joins
  ElementPtr where;
  std::vector<ElementPtr> group_by;
  ElementPtr having;
  std::vector<ElementPtr> order_by;
  ElementPtr limit;
  ElementPtr offset;
  bool distinct = false;
  Correlation correlation = Correlation::kAuto;
  std::vector<std::string> correlation_tables;
};

struct DmlParts {
  ElementPtr table;
  // values(): column name -> value, in the order given (update keeps the
  // table's column order, as SQLAlchemy's crud does).
  std::vector<std::pair<std::string, ElementPtr>> values;
  ElementPtr where;
  std::vector<std::string> select_names;  // from_select
  ElementPtr select;
  bool include_defaults = true;  // from_select(include_defaults=)
};

struct Element {
  enum class Kind {
    kColumn,       // name, table (may be empty), type
    kTable,        // name, columns (kColumn children)
    kBind,         // value, type; name for bindparam('x')
    kNull,         // NULL
    kTrue,         // 1 on SQLite
    kFalse,        // 0 on SQLite
    kLiteralSql,   // literal_column(), text inside a clause: name is the SQL
    kText,         // text(): name is the SQL, binds in `binds`
    kBinary,       // children[0] op children[1]; op names the operator
    kUnary,        // op children[0] (NOT, -, DISTINCT) or children[0] op (DESC, ASC)
    kClauseList,   // children joined by op (" AND ", " OR ", ", ")
    kGrouping,     // (children[0])
    kFunction,     // name(children...)
    kCase,         // children: when, then, when, then, ..., [else]
    kCast,         // CAST(children[0] AS type)
    kLabel,        // children[0] AS name
    kIn,           // children[0] IN (values...) or a select; op "IN" / "NOT IN"
    kJoin,         // children[0] JOIN children[1] ON children[2]; op "JOIN"/"LEFT OUTER JOIN"
    kSelect,       // select
    kScalarSelect, // (select) used as a value
    kInsert,       // dml
    kUpdate,
    kDelete,
  };
  Kind kind = Kind::kNull;
  std::string name;
  std::string table;
  std::string op;
  python::Value type;   // a SQLAlchemy type value (TypeValue...), or None
  python::Value value;  // a bind's value
  // kColumn: the Column's default= (Python-side; column_default.h), None
  // without one. An insert() fills the columns it is not given from it.
  python::Value default_value;
  // kColumn: the Column's onupdate= (Python-side), None without one: an
  // update() sets the columns it is not given from it.
  python::Value onupdate_value;
  bool expanding = false;  // an IN list of binds, or bindparam(expanding=True)
  bool has_else = false;   // kCase
  std::vector<ElementPtr> children;
  std::vector<std::pair<std::string, python::Value>> binds;  // kText
  // kColumn: the Column object the element stands for, so that two
  // elements of one Column are the same object, as in Python (`col == col`
  // is true in a boolean context); null for the others, which are their
  // own identity.
  const void* origin = nullptr;
  std::shared_ptr<const SelectParts> select;
  std::shared_ptr<const DmlParts> dml;
};

// The interpreter value of an element.
class ClauseValue : public python::HostObject {
 public:
  explicit ClauseValue(ElementPtr element) : element_(std::move(element)) {}
  std::string TypeName() const override;
  std::string Repr() const override;
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  std::optional<base::Result<python::Value>> Operator(python::CallContext& context,
                                                      std::string_view op,
                                                      const python::Value& other,
                                                      bool reflected) override;
  std::optional<base::Result<python::Value>> UnaryOperator(python::CallContext& context,
                                                           std::string_view op) override;
  std::optional<base::Result<bool>> Bool(python::CallContext& context) override;
  base::Result<std::vector<python::Value>> Iterate(python::CallContext& context) override;
  const ElementPtr& element() const { return element_; }

 private:
  ElementPtr element_;
};

python::Value MakeClause(ElementPtr element);

// ClauseElement.self_group(against): `element` in parentheses when its
// operator binds less tightly than `against` ("" is None: always grouped,
// as a SET value or a CASE condition is).
ElementPtr SelfGroup(const ElementPtr& element, std::string_view against);

// sa.Integer() as a value, the type of LIMIT/OFFSET and count().
python::Value IntegerTypeValue();

class ColumnValue;
class TableValue;
// A schema Column and a Table (with its columns) as elements.
ElementPtr ColumnElementOf(const ColumnValue& column);
ElementPtr TableElementOf(const TableValue& table);

// The element a Python value stands for in an expression: a ClauseValue's,
// a column's, a table's, text()'s; None as NULL, True/False as true()/false();
// any other value as a bind typed `type` (None: inferred from the value).
base::Result<ElementPtr> ElementOf(python::CallContext& context, const python::Value& value,
                                   const python::Value& type = python::Value());

// A value given to values() or as an execution parameter: as ElementOf(),
// except that None and bools are bound values of `type` there (SET x=?).
base::Result<ElementPtr> ValueElementOf(python::CallContext& context, const python::Value& value,
                                        const python::Value& type);

// The element of a ClauseValue, ColumnValue, TableValue or TextValue, or
// nullptr for any other value.
ElementPtr AsElement(const python::Value& value);

// `left op right` for the Python operators, as ColumnOperators builds it:
// `== None` is IS NULL, a bind takes the column's type, `+` on strings is ||.
base::Result<ElementPtr> BinaryOf(python::CallContext& context, std::string_view op,
                                  const ElementPtr& left, const python::Value& right);

// The operator methods a column or expression has (in_, like, label, ...),
// or std::nullopt.
std::optional<base::Result<python::Value>> ColumnOperatorMethod(python::CallContext& context,
                                                                ElementPtr self,
                                                                std::string_view name);

// The statement methods of a table: select(), insert(), update(), delete(),
// join(), outerjoin(); std::nullopt for another name.
std::optional<python::Value> TableMethod(ElementPtr table, std::string_view name);

// sa.select, and_, or_, not_, case, cast, literal, literal_column, bindparam,
// null, true, false, func, desc, asc, distinct, exists, tuple_, text, added
// to `module` (they replace sql.h's models of the same names).
void AddCoreFunctions(python::ModuleObject& module);

}  // namespace sqlmend::sqlalchemy
