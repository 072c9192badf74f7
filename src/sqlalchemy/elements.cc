#include "sqlalchemy/elements.h"

#include <algorithm>

#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::KeywordArg;
using python::ModuleObject;
using python::Value;

namespace {

using base::Result;
using EKind = Element::Kind;
using Kind = Value::Kind;

std::shared_ptr<Element> New(EKind kind) {
  auto element = std::make_shared<Element>();
  element->kind = kind;
  return element;
}

// SQLAlchemy 1.4's operator precedence (operators.py _PRECEDENCE); an
// operator it does not list ranks highest when grouped against, lowest
// when grouping.
constexpr int kLargest = 100;
int Precedence(std::string_view op) {
  if (op == "*" || op == "/" || op == "%" || op == "NEG") return 8;
  if (op == "+" || op == "-") return 7;
  if (op == "||") return 6;
  for (std::string_view five : {"=", "!=", "<", ">", "<=", ">=", "LIKE", "NOT LIKE", "IN",
                                "NOT IN", "IS", "IS NOT", "BETWEEN", "NOT BETWEEN", "NOT"}) {
    if (op == five) return 5;
  }
  if (op == "AND" || op == "DESC" || op == "ASC") return 3;
  if (op == "OR") return 2;
  if (op == "EXISTS") return 0;
  if (op == "," || op == "AS") return -1;
  if (op == "BOOL") return -10;  // a WHERE clause (operators._asbool)
  return kLargest;
}

// operators.is_precedent(): whether `op` needs parentheses inside `against`
// ("" is None: always).
bool IsPrecedent(std::string_view op, std::string_view against) {
  if (op == against && (op == "+" || op == "*" || op == "||" || op == "AND" || op == "OR")) {
    return false;
  }
  return Precedence(op) <= (against.empty() ? kLargest : Precedence(against));
}

ElementPtr Grouping(ElementPtr inner) {
  auto group = New(EKind::kGrouping);
  group->type = inner->type;
  group->children = {std::move(inner)};
  return group;
}

}  // namespace

// ClauseElement.self_group(against).
ElementPtr SelfGroup(const ElementPtr& element, std::string_view against) {
  switch (element->kind) {
    case EKind::kBinary:
    case EKind::kIn:
      return IsPrecedent(element->op, against) ? Grouping(element) : element;
    case EKind::kClauseList:
      if (element->children.empty() || element->op == ",") return element;
      return IsPrecedent(element->op, against) ? Grouping(element) : element;
    case EKind::kUnary:
      if (element->op == "DESC" || element->op == "ASC" || element->op == "DISTINCT")
        return element;
      return IsPrecedent(element->op, against) ? Grouping(element) : element;
    default:
      return element;
  }
}

namespace {

// The kind of a type value (a type, a type class, a TypeDecorator's impl).
std::optional<ops::Type::Kind> TypeKind(CallContext& c, const Value& type) {
  if (type.Is(Kind::kHost)) {
    if (auto* typed = dynamic_cast<TypeValue*>(&type.AsHost())) return typed->type().kind;
  }
  if (type.IsNone() || !IsTypeValue(type)) return std::nullopt;
  auto resolved = TypeOf(c, type, "type_");
  if (!resolved) return std::nullopt;
  return resolved->kind;
}

bool IsStringType(CallContext& c, const Value& type) {
  auto kind = TypeKind(c, type);
  return kind && (*kind == ops::Type::Kind::kString || *kind == ops::Type::Kind::kText ||
                  *kind == ops::Type::Kind::kEnum);
}

bool IsBooleanType(CallContext& c, const Value& type) {
  return TypeKind(c, type) == ops::Type::Kind::kBoolean;
}

// TypeEngine._type_affinity: the general class of a type.
int Affinity(ops::Type::Kind kind) {
  using K = ops::Type::Kind;
  switch (kind) {
    case K::kInteger:
    case K::kBigInteger:
    case K::kSmallInteger:
      return 1;
    case K::kString:
    case K::kText:
    case K::kEnum:
      return 2;
    case K::kFloat:
    case K::kNumeric:
      return 3;
    default:
      return 10 + static_cast<int>(kind);
  }
}

// The type a Python value compared with (or combined with) an expression of
// `type` is bound as: TypeEngine.coerce_compared_value(), which keeps
// `type` when the value's own type has the same affinity (a str against a
// String, a float against a Numeric) and takes the value's type otherwise
// (an int against a Numeric binds as Integer); a TypeDecorator keeps itself.
Value ComparedType(CallContext& c, const Value& type, const Value& value) {
  if (type.IsNone()) return InferredTypeOf(value);
  if (type.Is(Kind::kInstance)) return type;
  std::optional<ops::Type::Kind> own;
  if (value.Is(Kind::kBool)) {
    own = ops::Type::Kind::kBoolean;
  } else if (value.Is(Kind::kInt)) {
    own = ops::Type::Kind::kInteger;
  } else if (value.Is(Kind::kFloat)) {
    own = ops::Type::Kind::kFloat;
  } else if (value.Is(Kind::kStr)) {
    own = ops::Type::Kind::kString;
  } else if (Value inferred = InferredTypeOf(value); !inferred.IsNone()) {
    own = TypeKind(c, inferred);
  }
  auto kind = TypeKind(c, type);
  if (!own || !kind || Affinity(*own) == Affinity(*kind)) return type;
  return InferredTypeOf(value);
}

Value TypeNamed(const char* name, ops::Type::Kind kind) {
  ops::Type type;
  type.kind = kind;
  return Value::Host(std::make_shared<TypeValue>(name, std::move(type)));
}

Value BooleanType() { return TypeNamed("Boolean", ops::Type::Kind::kBoolean); }

bool IsComparison(std::string_view op) {
  return op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

std::string_view Negated(std::string_view op) {
  if (op == "=") return "!=";
  if (op == "!=") return "=";
  if (op == "<") return ">=";
  if (op == ">=") return "<";
  if (op == ">") return "<=";
  if (op == "<=") return ">";
  if (op == "LIKE") return "NOT LIKE";
  if (op == "NOT LIKE") return "LIKE";
  if (op == "IN") return "NOT IN";
  if (op == "NOT IN") return "IN";
  if (op == "IS") return "IS NOT";
  if (op == "IS NOT") return "IS";
  if (op == "BETWEEN") return "NOT BETWEEN";
  if (op == "NOT BETWEEN") return "BETWEEN";
  return "";
}

ElementPtr MakeBinary(ElementPtr left, std::string op, ElementPtr right, Value type) {
  auto binary = New(EKind::kBinary);
  binary->children = {SelfGroup(left, op), SelfGroup(right, op)};
  binary->op = std::move(op);
  binary->type = std::move(type);
  return binary;
}

// `not_(element)` / `~element`, as ClauseElement._negate() does.
ElementPtr Negate(CallContext& c, const ElementPtr& element) {
  if ((element->kind == EKind::kBinary || element->kind == EKind::kIn) &&
      !Negated(element->op).empty()) {
    auto copy = std::make_shared<Element>(*element);
    copy->op = std::string(Negated(element->op));
    return copy;
  }
  if (element->kind == EKind::kGrouping && element->children[0]->kind != EKind::kClauseList) {
    return Grouping(Negate(c, element->children[0]));
  }
  if (element->kind == EKind::kColumn && IsBooleanType(c, element->type)) {
    // SQLite has no boolean type: NOT of a Boolean column is `= 0`.
    return MakeBinary(element, "=", New(EKind::kFalse), BooleanType());
  }
  if (element->kind == EKind::kTrue) return New(EKind::kFalse);
  if (element->kind == EKind::kFalse) return New(EKind::kTrue);
  auto unary = New(EKind::kUnary);
  unary->op = "NOT";
  unary->type = BooleanType();
  unary->children = {SelfGroup(element, "NOT")};
  return unary;
}

// ColumnElement.self_group(against=AND/OR/a WHERE) on a dialect without a
// native boolean: a Boolean value that is not a comparison (a Boolean
// column or function, true(), false()) becomes `x = 1` (AsBoolean).
ElementPtr AsBoolean(CallContext& c, const ElementPtr& element) {
  bool boolean_value = element->kind == EKind::kTrue || element->kind == EKind::kFalse;
  if (element->kind == EKind::kColumn || element->kind == EKind::kFunction ||
      element->kind == EKind::kCast) {
    boolean_value = IsBooleanType(c, element->type);
  }
  if (!boolean_value) return element;
  return MakeBinary(element, "=", New(EKind::kTrue), BooleanType());
}

// and_() / or_() (BooleanClauseList._construct): true() in an AND (false()
// in an OR) is dropped unless nothing else is left, false() in an AND
// (true() in an OR) stands for the whole list; a single clause is itself.
ElementPtr BooleanList(CallContext& c, std::string op, const std::vector<ElementPtr>& clauses) {
  const EKind continue_on = op == "AND" ? EKind::kTrue : EKind::kFalse;
  const EKind skip_on = op == "AND" ? EKind::kFalse : EKind::kTrue;
  std::vector<ElementPtr> kept;
  ElementPtr continued;
  for (const ElementPtr& clause : clauses) {
    if (clause->kind == continue_on) {
      continued = clause;
    } else if (clause->kind == skip_on) {
      kept = {clause};
      break;
    } else {
      kept.push_back(clause);
    }
  }
  if (kept.empty() && continued != nullptr) kept.push_back(continued);
  if (kept.size() == 1) return AsBoolean(c, kept[0]);
  auto list = New(EKind::kClauseList);
  list->op = op;
  list->type = BooleanType();
  for (const ElementPtr& clause : kept) {
    // and_(and_(a, b), c) flattens, as SQLAlchemy's BooleanClauseList does.
    if (clause->kind == EKind::kClauseList && clause->op == op) {
      list->children.insert(list->children.end(), clause->children.begin(),
                            clause->children.end());
    } else {
      list->children.push_back(SelfGroup(AsBoolean(c, clause), op));
    }
  }
  return list;
}

Result<std::vector<ElementPtr>> ElementsOf(CallContext& c, const std::vector<Value>& values) {
  std::vector<ElementPtr> out;
  for (const Value& value : values) {
    auto element = ElementOf(c, value);
    if (!element) return base::Fail(element.error());
    out.push_back(*element);
  }
  return out;
}

// Arguments given either as *args or as one list (SQLAlchemy 1.3's
// select([...]) and case([...])).
std::vector<Value> Flattened(const std::vector<Value>& positional) {
  if (positional.size() == 1 && positional[0].Is(Kind::kList)) return positional[0].Items();
  return positional;
}

Value Method(std::string name, python::NativeFunction function) {
  return Value::Builtin(std::move(name), std::move(function));
}

ElementPtr ColumnOfTable(const ElementPtr& table, const std::string& name) {
  for (const ElementPtr& column : table->children) {
    if (column->name == name) return column;
  }
  return nullptr;
}

// The where() of a statement: clauses ANDed onto what it had.
Result<ElementPtr> AddWhere(CallContext& c, const ElementPtr& existing, const Args& a) {
  std::vector<ElementPtr> clauses;
  if (existing) clauses.push_back(existing);
  for (const Value& value : a.positional) {
    auto element = ElementOf(c, value);
    if (!element) return base::Fail(element.error());
    clauses.push_back(*element);
  }
  if (clauses.empty()) return ElementPtr();
  return BooleanList(c, "AND", clauses);
}

Result<Value> SelectMethod(CallContext& c, const ElementPtr& self, std::string_view name,
                           Args& a) {
  auto parts = std::make_shared<SelectParts>(*self->select);
  if (name == "where" || name == "filter") {
    auto where = AddWhere(c, parts->where, a);
    if (!where) return base::Fail(where.error());
    parts->where = *where;
  } else if (name == "having") {
    auto having = AddWhere(c, parts->having, a);
    if (!having) return base::Fail(having.error());
    parts->having = *having;
  } else if (name == "order_by" || name == "group_by") {
    auto elements = ElementsOf(c, a.positional);
    if (!elements) return base::Fail(elements.error());
    auto& list = name == "order_by" ? parts->order_by : parts->group_by;
    list.insert(list.end(), elements->begin(), elements->end());
  } else if (name == "select_from") {
    auto elements = ElementsOf(c, a.positional);
    if (!elements) return base::Fail(elements.error());
    parts->froms.insert(parts->froms.end(), elements->begin(), elements->end());
  } else if (name == "limit" || name == "offset") {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, std::string(name), a, 1, 1));
    auto element = ElementOf(c, a.positional[0], IntegerTypeValue());
    if (!element) return base::Fail(element.error());
    (name == "limit" ? parts->limit : parts->offset) = *element;
  } else if (name == "distinct") {
    parts->distinct = true;
  } else if (name == "add_columns" || name == "column") {
    auto elements = ElementsOf(c, a.positional);
    if (!elements) return base::Fail(elements.error());
    parts->columns.insert(parts->columns.end(), elements->begin(), elements->end());
  } else if (name == "with_only_columns") {
    auto elements = ElementsOf(c, Flattened(a.positional));
    if (!elements) return base::Fail(elements.error());
    parts->columns = *elements;
  } else if (name == "scalar_subquery" || name == "as_scalar") {
    auto scalar = New(EKind::kScalarSelect);
    scalar->children = {self};
    if (!parts->columns.empty()) scalar->type = parts->columns[0]->type;
    return MakeClause(scalar);
  } else if (name == "label") {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "label", a, 1, 1));
    auto scalar = New(EKind::kScalarSelect);
    scalar->children = {self};
    auto label = New(EKind::kLabel);
    label->name = python::ToStr(a.positional[0]);
    label->children = {scalar};
    return MakeClause(label);
  } else if (name == "correlate" || name == "correlate_except") {
    parts->correlation = name == "correlate" ? SelectParts::Correlation::kOnly
                                             : SelectParts::Correlation::kExcept;
    // correlate(None) correlates nothing; correlate_except(None) everything.
    if (!(a.positional.size() == 1 && a.positional[0].IsNone())) {
      for (const Value& table : a.positional) {
        auto element = ElementOf(c, table);
        if (!element) return base::Fail(element.error());
        if ((*element)->kind != EKind::kTable) {
          return base::Fail(c.Unsupported("unsupported: " + std::string(name) + "() of a " +
                                          table.TypeName() + " (sqlmend takes tables)"));
        }
        parts->correlation_tables.push_back((*element)->name);
      }
    }
  } else if (name == "execution_options" || name == "params") {
    return MakeClause(self);
  }
  auto copy = std::make_shared<Element>(*self);
  copy->select = parts;
  return MakeClause(copy);
}

// values(**kw) / values({...}) / values({column: value}).
Result<std::vector<std::pair<std::string, ElementPtr>>> ValuesOf(CallContext& c,
                                                                 const ElementPtr& table,
                                                                 const Args& a) {
  std::vector<std::pair<std::string, Value>> given;
  for (const Value& positional : a.positional) {
    if (!positional.Is(Kind::kDict)) {
      return base::Fail(c.Unsupported(
          "unsupported: values() with positional values (sqlmend takes keywords or a dict)"));
    }
    for (const auto& [key, value] : positional.AsDict().entries) {
      if (ColumnValue* column = AsColumn(key)) {
        given.emplace_back(column->column.name, value);
      } else if (ElementPtr element = AsElement(key);
                 element != nullptr && element->kind == EKind::kColumn) {
        given.emplace_back(element->name, value);
      } else {
        given.emplace_back(python::ToStr(key), value);
      }
    }
  }
  for (const auto& [key, value] : a.keywords) given.emplace_back(key, value);
  std::vector<std::pair<std::string, ElementPtr>> out;
  for (const auto& [name, value] : given) {
    ElementPtr column = ColumnOfTable(table, name);
    if (column == nullptr && !table->children.empty()) {
      return base::Fail(c.Throw("TypeError", "CompileError: Unconsumed column names: " + name));
    }
    auto element = ValueElementOf(c, value, column != nullptr ? column->type : Value());
    if (!element) return base::Fail(element.error());
    out.emplace_back(name, *element);
  }
  return out;
}

Result<Value> DmlMethodCall(CallContext& c, const ElementPtr& self, std::string_view name,
                            Args& a) {
  auto parts = std::make_shared<DmlParts>(*self->dml);
  if (name == "where" || name == "filter") {
    auto where = AddWhere(c, parts->where, a);
    if (!where) return base::Fail(where.error());
    parts->where = *where;
  } else if (name == "values") {
    auto values = ValuesOf(c, parts->table, a);
    if (!values) return base::Fail(values.error());
    // NOTE: no structured binding: clang before 16 cannot capture one.
    for (auto& column_value : *values) {
      const auto& column = column_value.first;
      auto& value = column_value.second;
      auto same = std::find_if(parts->values.begin(), parts->values.end(),
                               [&](const auto& entry) { return entry.first == column; });
      if (same != parts->values.end()) {
        same->second = value;
      } else {
        parts->values.emplace_back(column, value);
      }
    }
  } else if (name == "from_select") {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "from_select", a, 2, 2, {"include_defaults"}));
    if (const Value* include = python::KeywordArg(a, "include_defaults")) {
      parts->include_defaults = include->Truthy();
    }
    auto names = python::IterateValue(c, a.positional[0]);
    if (!names) return base::Fail(names.error());
    for (const Value& column : *names) {
      auto column_name = ColumnNameOf(c, column, "from_select()");
      if (!column_name) return base::Fail(column_name.error());
      parts->select_names.push_back(*column_name);
    }
    parts->select = AsElement(a.positional[1]);
    if (parts->select == nullptr || parts->select->kind != EKind::kSelect) {
      return base::Fail(c.Throw("TypeError", "from_select() takes a select()"));
    }
  } else if (name == "execution_options" || name == "inline" || name == "prefix_with") {
    if (name == "prefix_with") {
      return base::Fail(c.Unsupported("unsupported: " + std::string(name) + "()"));
    }
    return MakeClause(self);
  } else if (name == "returning") {
    return base::Fail(c.Unsupported("unsupported: returning() (SQLite 3.35+, SQLAlchemy 2.0)"));
  }
  auto copy = std::make_shared<Element>(*self);
  copy->dml = parts;
  return MakeClause(copy);
}

bool IsStatementMethod(std::string_view name) {
  for (std::string_view method :
       {"where", "filter", "having", "order_by", "group_by", "select_from", "limit", "offset",
        "distinct", "add_columns", "column", "with_only_columns", "scalar_subquery",
        "as_scalar", "label", "execution_options", "correlate", "correlate_except", "params"}) {
    if (name == method) return true;
  }
  return false;
}

bool IsDmlMethod(std::string_view name) {
  for (std::string_view method : {"where", "filter", "values", "from_select", "execution_options",
                                  "inline", "prefix_with", "returning"}) {
    if (name == method) return true;
  }
  return false;
}

ElementPtr MakeSelect(std::vector<ElementPtr> columns) {
  auto select = New(EKind::kSelect);
  auto parts = std::make_shared<SelectParts>();
  // select(table) selects its columns.
  for (const ElementPtr& column : columns) {
    if (column->kind == EKind::kTable) {
      parts->columns.insert(parts->columns.end(), column->children.begin(),
                            column->children.end());
    } else {
      parts->columns.push_back(column);
    }
  }
  select->select = parts;
  return select;
}

// EXISTS (select): a Boolean unary over the select as a scalar subquery,
// as SQLAlchemy's Exists is.
ElementPtr ExistsOf(const ElementPtr& select) {
  auto scalar = New(EKind::kScalarSelect);
  scalar->children = {select};
  auto exists = New(EKind::kUnary);
  exists->op = "EXISTS";
  exists->type = BooleanType();
  exists->children = {scalar};
  return exists;
}

ElementPtr MakeDml(EKind kind, ElementPtr table) {
  auto statement = New(kind);
  auto parts = std::make_shared<DmlParts>();
  parts->table = std::move(table);
  statement->dml = parts;
  return statement;
}

ElementPtr MakeFunction(std::string name, std::vector<ElementPtr> arguments, Value type) {
  auto function = New(EKind::kFunction);
  function->name = std::move(name);
  for (ElementPtr& argument : arguments) function->children.push_back(SelfGroup(argument, ","));
  function->type = std::move(type);
  return function;
}

class FunctionGenerator : public HostObject {
 public:
  explicit FunctionGenerator(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string TypeName() const override { return "_FunctionGenerator"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view attribute) override {
    if (attribute.starts_with("__")) return std::nullopt;
    std::string name = prefix_.empty() ? std::string(attribute)
                                       : prefix_ + "." + std::string(attribute);
    return Value::Host(std::make_shared<FunctionGenerator>(name));
  }
  Result<Value> Call(CallContext& c, Args& a) override {
    if (prefix_.empty()) return base::Fail(c.Throw("TypeError", "'func' is not callable"));
    auto arguments = ElementsOf(c, a.positional);
    if (!arguments) return base::Fail(arguments.error());
    Value type;
    if (const Value* given = KeywordArg(a, "type_")) type = *given;
    if (type.IsNone() && (prefix_ == "count" || prefix_ == "length" || prefix_ == "char_length")) {
      type = IntegerTypeValue();
    } else if (type.IsNone() && (prefix_ == "max" || prefix_ == "min" || prefix_ == "coalesce" ||
                                 prefix_ == "sum") &&
               !arguments->empty()) {
      type = (*arguments)[0]->type;
    }
    return MakeClause(MakeFunction(prefix_, std::move(*arguments), type));
  }

 private:
  std::string prefix_;
};

void Add(ModuleObject& module, const std::string& name, python::NativeFunction function) {
  module.attributes[name] = Value::Builtin(name, std::move(function));
}

Result<Value> MakeCase(CallContext& c, Args& a) {
  auto element = New(EKind::kCase);
  std::vector<std::pair<Value, Value>> whens;
  const Value* value = KeywordArg(a, "value");
  std::vector<Value> positional = a.positional;
  if (positional.empty()) {
    if (const Value* given = KeywordArg(a, "whens")) positional.push_back(*given);
  }
  for (const Value& argument : Flattened(positional)) {
    if (argument.Is(Kind::kDict)) {
      for (const auto& [key, result] : argument.AsDict().entries) whens.emplace_back(key, result);
    } else if (argument.Is(Kind::kTuple) && argument.Items().size() == 2) {
      whens.emplace_back(argument.Items()[0], argument.Items()[1]);
    } else {
      return base::Fail(c.Throw("TypeError", "case(): each when must be a (condition, value) pair"));
    }
  }
  ElementPtr subject;
  if (value != nullptr && !value->IsNone()) {
    auto given = ElementOf(c, *value);
    if (!given) return base::Fail(given.error());
    subject = *given;
  }
  for (const auto& [when, then] : whens) {
    ElementPtr condition;
    if (subject) {
      auto compared = ElementOf(c, when, subject->type);
      if (!compared) return base::Fail(compared.error());
      condition = *compared;
    } else {
      auto given = ElementOf(c, when);
      if (!given) return base::Fail(given.error());
      condition = SelfGroup(*given, "");
    }
    auto result = ElementOf(c, then);
    if (!result) return base::Fail(result.error());
    element->children.push_back(condition);
    element->children.push_back(SelfGroup(*result, ""));
    if (element->type.IsNone()) element->type = (*result)->type;
  }
  if (const Value* otherwise = KeywordArg(a, "else_"); otherwise != nullptr) {
    auto result = ElementOf(c, *otherwise);
    if (!result) return base::Fail(result.error());
    element->children.push_back(SelfGroup(*result, ""));
    element->has_else = true;
  }
  if (subject) {
    // CASE subject WHEN ...: the subject is the first child.
    element->children.insert(element->children.begin(), subject);
    element->op = "subject";
  }
  return MakeClause(element);
}

}  // namespace

Value IntegerTypeValue() { return TypeNamed("Integer", ops::Type::Kind::kInteger); }

Value MakeClause(ElementPtr element) {
  return Value::Host(std::make_shared<ClauseValue>(std::move(element)));
}

ElementPtr ColumnElementOf(const ColumnValue& column) {
  auto element = New(EKind::kColumn);
  element->name = column.column.name;
  element->table = column.table;
  element->type = column.type_value;
  element->default_value = column.default_value;
  element->onupdate_value = column.onupdate_value;
  element->origin = &column;
  return element;
}

ElementPtr TableElementOf(const TableValue& table) {
  auto element = New(EKind::kTable);
  element->name = table.table.name;
  for (const auto& column : table.columns) {
    auto copy = std::make_shared<Element>(*ColumnElementOf(*column));
    copy->table = table.table.name;
    element->children.push_back(copy);
  }
  return element;
}

ElementPtr AsElement(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  HostObject& host = value.AsHost();
  if (auto* clause = dynamic_cast<ClauseValue*>(&host)) return clause->element();
  if (auto* column = dynamic_cast<ColumnValue*>(&host)) return ColumnElementOf(*column);
  if (auto* table = dynamic_cast<TableValue*>(&host)) return TableElementOf(*table);
  if (auto* text = dynamic_cast<TextValue*>(&host)) {
    auto element = New(EKind::kText);
    element->name = text->sql();
    element->binds = text->binds();
    return element;
  }
  return nullptr;
}

Result<ElementPtr> ElementOf(CallContext& context, const Value& value, const Value& type) {
  if (ElementPtr element = AsElement(value)) return element;
  if (value.IsNone()) return ElementPtr(New(EKind::kNull));
  if (value.Is(Kind::kBool) && (type.IsNone() || IsBooleanType(context, type))) {
    return ElementPtr(New(value.AsBool() ? EKind::kTrue : EKind::kFalse));
  }
  if (value.Is(Kind::kHost) && dynamic_cast<ExpressionValue*>(&value.AsHost()) != nullptr) {
    auto element = New(EKind::kLiteralSql);
    element->name = static_cast<ExpressionValue&>(value.AsHost()).sql();
    return ElementPtr(element);
  }
  if (value.Is(Kind::kClass)) {
    // A mapped class stands for its table (select_from(Model)).
    if (const Value* table = value.AsClass()->Lookup("__table__")) {
      if (ElementPtr element = AsElement(*table)) return element;
    }
  }
  if (value.Is(Kind::kFunction) || value.Is(Kind::kClass) || value.Is(Kind::kModule) ||
      value.Is(Kind::kBuiltin)) {
    return base::Fail(context.Throw(
        "TypeError", "ArgumentError: SQL expression element expected, got " + value.TypeName()));
  }
  auto bind = New(EKind::kBind);
  bind->value = value;
  bind->type = type.IsNone() ? InferredTypeOf(value) : type;
  return ElementPtr(bind);
}

Result<ElementPtr> ValueElementOf(CallContext& c, const Value& value, const Value& type) {
  if (value.IsNone() || value.Is(Kind::kBool)) {
    auto bind = New(EKind::kBind);
    bind->value = value;
    bind->type = type.IsNone() ? InferredTypeOf(value) : type;
    return ElementPtr(bind);
  }
  return ElementOf(c, value, type);
}

Result<ElementPtr> BinaryOf(CallContext& context, std::string_view op, const ElementPtr& left,
                            const Value& right_value) {
  std::string sql_op = op == "==" ? "=" : std::string(op);
  if (right_value.IsNone() && (op == "==" || op == "!=")) {
    return MakeBinary(left, op == "==" ? "IS" : "IS NOT", New(EKind::kNull), BooleanType());
  }
  auto right = ElementOf(context, right_value, ComparedType(context, left->type, right_value));
  if (!right) return base::Fail(right.error());
  if (op == "&" || op == "|") {
    return BooleanList(context, op == "&" ? "AND" : "OR", {left, *right});
  }
  if (op == "+" && (IsStringType(context, left->type) || IsStringType(context, (*right)->type))) {
    sql_op = "||";
  }
  if (op == "//") sql_op = "/";
  Value type = IsComparison(sql_op) ? BooleanType() : left->type;
  return MakeBinary(left, sql_op, *right, type);
}

namespace {

Result<ElementPtr> InOf(CallContext& c, const ElementPtr& self, const Value& other, bool negate) {
  auto in = New(EKind::kIn);
  in->op = negate ? "NOT IN" : "IN";
  in->type = BooleanType();
  in->children.push_back(SelfGroup(self, in->op));
  if (ElementPtr element = AsElement(other)) {
    if (element->kind == EKind::kSelect || element->kind == EKind::kScalarSelect) {
      in->children.push_back(element->kind == EKind::kScalarSelect ? element->children[0]
                                                                   : element);
      return ElementPtr(in);
    }
    if (element->kind == EKind::kBind) {  // bindparam('ids', expanding=True)
      in->expanding = true;
      in->children.push_back(element);
      return ElementPtr(in);
    }
  }
  auto items = python::IterateValue(c, other);
  if (!items) return base::Fail(items.error());
  in->expanding = true;
  for (const Value& item : *items) {
    auto element = ElementOf(c, item, ComparedType(c, self->type, item));
    if (!element) return base::Fail(element.error());
    in->children.push_back(*element);
  }
  return ElementPtr(in);
}

std::shared_ptr<Element> Literal(std::string sql) {
  auto literal = New(EKind::kLiteralSql);
  literal->name = std::move(sql);
  return literal;
}

}  // namespace

std::optional<Result<Value>> ColumnOperatorMethod(CallContext& context, ElementPtr self,
                                                 std::string_view name) {
  (void)context;
  std::string method(name);
  auto binary = [self, method](std::string op) {
    return Method(method, [self, op](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "operator", a, 1, 1, {"escape", "autoescape"}));
      if (KeywordArg(a, "escape") != nullptr || KeywordArg(a, "autoescape") != nullptr) {
        return base::Fail(c.Unsupported("unsupported: LIKE with escape="));
      }
      if (op == "IS" || op == "IS NOT") {
        auto right = ElementOf(c, a.positional[0]);
        if (!right) return base::Fail(right.error());
        return MakeClause(MakeBinary(self, op, *right, BooleanType()));
      }
      auto right = ElementOf(c, a.positional[0], ComparedType(c, self->type, a.positional[0]));
      if (!right) return base::Fail(right.error());
      return MakeClause(MakeBinary(self, op, *right, BooleanType()));
    });
  };
  if (name == "in_" || name == "not_in" || name == "notin_") {
    const bool negate = name != "in_";
    return Method(method, [self, negate](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "in_", a, 1, 1));
      auto in = InOf(c, self, a.positional[0], negate);
      if (!in) return base::Fail(in.error());
      // not_in() comes back grouped in SQLAlchemy 1.4.
      return MakeClause(negate ? Grouping(*in) : *in);
    });
  }
  if (name == "is_") return binary("IS");
  if (name == "is_not" || name == "isnot") return binary("IS NOT");
  if (name == "like") return binary("LIKE");
  if (name == "not_like" || name == "notlike") return binary("NOT LIKE");
  if (name == "ilike" || name == "not_ilike" || name == "notilike") {
    const bool negate = name != "ilike";
    return Method(method, [self, negate](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "ilike", a, 1, 1));
      auto right = ElementOf(c, a.positional[0], self->type);
      if (!right) return base::Fail(right.error());
      return MakeClause(MakeBinary(MakeFunction("lower", {self}, self->type),
                                   negate ? "NOT LIKE" : "LIKE",
                                   MakeFunction("lower", {*right}, self->type), BooleanType()));
    });
  }
  if (name == "startswith" || name == "endswith" || name == "contains") {
    return Method(method, [self, method](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1, {"autoescape", "escape"}));
      auto right = ElementOf(c, a.positional[0], self->type);
      if (!right) return base::Fail(right.error());
      ElementPtr pattern = *right;
      if (method != "startswith") pattern = MakeBinary(Literal("'%'"), "||", pattern, self->type);
      if (method != "endswith") pattern = MakeBinary(pattern, "||", Literal("'%'"), self->type);
      return MakeClause(Grouping(MakeBinary(self, "LIKE", pattern, BooleanType())));
    });
  }
  if (name == "between" || name == "not_between") {
    const bool negate = name != "between";
    return Method(method, [self, negate](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "between", a, 2, 2, {"symmetric"}));
      auto low = ElementOf(c, a.positional[0], ComparedType(c, self->type, a.positional[0]));
      if (!low) return base::Fail(low.error());
      auto high = ElementOf(c, a.positional[1], ComparedType(c, self->type, a.positional[1]));
      if (!high) return base::Fail(high.error());
      auto between = New(EKind::kBinary);
      between->op = negate ? "NOT BETWEEN" : "BETWEEN";
      between->type = BooleanType();
      between->children = {SelfGroup(self, between->op), *low, *high};
      return MakeClause(between);
    });
  }
  if (name == "label") {
    return Method(method, [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "label", a, 1, 1));
      auto label = New(EKind::kLabel);
      label->name = python::ToStr(a.positional[0]);
      label->type = self->type;
      label->children = {SelfGroup(self, "AS")};
      return MakeClause(label);
    });
  }
  if (name == "desc" || name == "asc" || name == "distinct") {
    std::string op = name == "desc" ? "DESC" : name == "asc" ? "ASC" : "DISTINCT";
    return Method(method, [self, op](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "desc", a, 0, 0));
      auto unary = New(EKind::kUnary);
      unary->op = op;
      unary->type = self->type;
      unary->children = {SelfGroup(self, op)};
      return MakeClause(unary);
    });
  }
  if (name == "cast") {
    return Method(method, [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "cast", a, 1, 1));
      auto cast = New(EKind::kCast);
      cast->type = a.positional[0];
      cast->children = {self};
      return MakeClause(cast);
    });
  }
  if (name == "op") {
    return Method(method, [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "op", a, 1, 4, {"precedence", "is_comparison",
                                                            "return_type"}));
      std::string op = python::ToStr(a.positional[0]);
      return Method("operate", [self, op](CallContext& c2, Args& b) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c2, op, b, 1, 1));
        auto right = ElementOf(c2, b.positional[0], self->type);
        if (!right) return base::Fail(right.error());
        return MakeClause(MakeBinary(self, op, *right, self->type));
      });
    });
  }
  if (name == "self_group") {
    return Method(method, [self](CallContext&, Args&) -> Result<Value> {
      return MakeClause(SelfGroup(self, ""));
    });
  }
  if (name == "type") return self->type;
  if ((name == "name" || name == "key") && self->kind == EKind::kColumn) {
    return Value::Str(self->name);
  }
  if (name == "name" && self->kind == EKind::kLabel) return Value::Str(self->name);
  return std::nullopt;
}

std::optional<Value> TableMethod(ElementPtr table, std::string_view name) {
  std::string method(name);
  if (name == "select") {
    return Method(method, [table](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "select", a, 0, 1, {"whereclause"}));
      auto select = std::const_pointer_cast<Element>(MakeSelect({table}));
      auto parts = std::make_shared<SelectParts>(*select->select);
      const Value* where = a.positional.empty() ? KeywordArg(a, "whereclause") : &a.positional[0];
      if (where != nullptr && !where->IsNone()) {
        auto element = ElementOf(c, *where);
        if (!element) return base::Fail(element.error());
        parts->where = *element;
      }
      select->select = parts;
      return MakeClause(select);
    });
  }
  if (name == "insert" || name == "update" || name == "delete") {
    EKind kind = name == "insert" ? EKind::kInsert : name == "update" ? EKind::kUpdate
                                                                      : EKind::kDelete;
    return Method(method, [table, kind, method](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 2, {"values", "whereclause", "inline"}));
      ElementPtr statement = MakeDml(kind, table);
      Value result = MakeClause(statement);
      const Value* first = a.positional.empty() ? nullptr : &a.positional[0];
      const Value* values =
          kind == EKind::kDelete ? nullptr : (first != nullptr ? first : KeywordArg(a, "values"));
      const Value* where = kind == EKind::kDelete ? first : KeywordArg(a, "whereclause");
      if (kind == EKind::kUpdate && a.positional.size() > 1) where = &a.positional[1];
      if (where != nullptr && !where->IsNone()) {
        Args args{{*where}, {}};
        auto next = DmlMethodCall(c, statement, "where", args);
        if (!next) return next;
        result = *next;
      }
      if (values != nullptr && !values->IsNone()) {
        Args args{{*values}, {}};
        auto next = DmlMethodCall(c, AsElement(result), "values", args);
        if (!next) return next;
        result = *next;
      }
      return result;
    });
  }
  if (name == "join" || name == "outerjoin") {
    return Method(method, [table, method](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 2, {"onclause", "isouter", "full"}));
      auto right = ElementOf(c, a.positional[0]);
      if (!right) return base::Fail(right.error());
      const Value* on = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "onclause");
      if (on == nullptr) {
        return base::Fail(c.Unsupported("unsupported: join() without an ON clause"));
      }
      auto condition = ElementOf(c, *on);
      if (!condition) return base::Fail(condition.error());
      const Value* isouter = KeywordArg(a, "isouter");
      auto join = New(EKind::kJoin);
      join->op = method == "outerjoin" || (isouter != nullptr && isouter->Truthy())
                     ? "LEFT OUTER JOIN"
                     : "JOIN";
      join->children = {table, *right, *condition};
      return MakeClause(join);
    });
  }
  return std::nullopt;
}

std::string ClauseValue::TypeName() const {
  switch (element_->kind) {
    case EKind::kColumn:
      return "ColumnClause";
    case EKind::kSelect:
      return "Select";
    case EKind::kInsert:
      return "Insert";
    case EKind::kUpdate:
      return "Update";
    case EKind::kDelete:
      return "Delete";
    case EKind::kBinary:
    case EKind::kIn:
      return "BinaryExpression";
    case EKind::kClauseList:
      return "BooleanClauseList";
    case EKind::kFunction:
      return "Function";
    case EKind::kLabel:
      return "Label";
    case EKind::kBind:
      return "BindParameter";
    case EKind::kJoin:
      return "Join";
    default:
      return "ClauseElement";
  }
}

std::string ClauseValue::Repr() const {
  return "<sqlalchemy.sql." + TypeName() + " object>";
}

std::optional<Result<Value>> ClauseValue::GetAttribute(CallContext& context,
                                                       std::string_view name) {
  const EKind kind = element_->kind;
  if (kind == EKind::kUnary && element_->op == "EXISTS" && IsStatementMethod(name) &&
      name != "scalar_subquery" && name != "as_scalar" && name != "label") {
    // exists().where(...): the statement methods change the SELECT inside.
    ElementPtr self = element_;
    std::string method(name);
    return Method(method, [self, method](CallContext& c, Args& a) -> Result<Value> {
      auto select = SelectMethod(c, self->children[0]->children[0], method, a);
      if (!select) return select;
      return MakeClause(ExistsOf(AsElement(*select)));
    });
  }
  if (kind == EKind::kSelect && IsStatementMethod(name)) {
    ElementPtr self = element_;
    std::string method(name);
    return Method(method, [self, method](CallContext& c, Args& a) -> Result<Value> {
      return SelectMethod(c, self, method, a);
    });
  }
  if ((kind == EKind::kInsert || kind == EKind::kUpdate || kind == EKind::kDelete) &&
      IsDmlMethod(name)) {
    ElementPtr self = element_;
    std::string method(name);
    return Method(method, [self, method](CallContext& c, Args& a) -> Result<Value> {
      return DmlMethodCall(c, self, method, a);
    });
  }
  if (kind == EKind::kJoin && (name == "join" || name == "outerjoin")) {
    return TableMethod(element_, name);
  }
  if (kind == EKind::kSelect || kind == EKind::kInsert || kind == EKind::kUpdate ||
      kind == EKind::kDelete) {
    return std::nullopt;
  }
  return ColumnOperatorMethod(context, element_, name);
}

std::optional<Result<Value>> ClauseValue::Operator(CallContext& context, std::string_view op,
                                                   const Value& other, bool reflected) {
  const EKind kind = element_->kind;
  if (kind == EKind::kSelect || kind == EKind::kInsert || kind == EKind::kUpdate ||
      kind == EKind::kDelete || kind == EKind::kTable || kind == EKind::kJoin) {
    return std::nullopt;
  }
  if (reflected) {
    // `5 + col`: the other operand on the left.
    auto left = ElementOf(context, other, ComparedType(context, element_->type, other));
    if (!left) return base::Fail(left.error());
    std::string sql_op = std::string(op);
    if (op == "&" || op == "|") {
      return Result<Value>(
          MakeClause(BooleanList(context, op == "&" ? "AND" : "OR", {*left, element_})));
    }
    if (op == "+" && IsStringType(context, element_->type)) sql_op = "||";
    return Result<Value>(MakeClause(MakeBinary(*left, sql_op, element_, element_->type)));
  }
  auto binary = BinaryOf(context, op, element_, other);
  if (!binary) return base::Fail(binary.error());
  return Result<Value>(MakeClause(*binary));
}

std::optional<Result<Value>> ClauseValue::UnaryOperator(CallContext& context,
                                                        std::string_view op) {
  if (op == "~") return Result<Value>(MakeClause(Negate(context, element_)));
  if (op == "-") {
    auto unary = New(EKind::kUnary);
    unary->op = "NEG";
    unary->type = element_->type;
    unary->children = {SelfGroup(element_, "NEG")};
    return Result<Value>(MakeClause(unary));
  }
  return std::nullopt;
}

std::optional<Result<bool>> ClauseValue::Bool(CallContext& context) {
  // BinaryExpression.__bool__: `a == b` and `a != b` compare the operands'
  // identity (so `col == 0 or col is None` is `col is None`, False); any
  // other clause has no truth value.
  if (element_->kind == EKind::kBinary && (element_->op == "=" || element_->op == "!=")) {
    auto identity = [](ElementPtr element) {
      while (element->kind == EKind::kGrouping) element = element->children[0];
      return element->origin != nullptr ? element->origin : element.get();
    };
    bool same = identity(element_->children[0]) == identity(element_->children[1]);
    return Result<bool>(element_->op == "=" ? same : !same);
  }
  return Result<bool>(base::Fail(context.Throw("TypeError", "Boolean value of this clause is not defined")));
}

Result<std::vector<Value>> ClauseValue::Iterate(CallContext& context) {
  return base::Fail(context.Throw("TypeError", "'" + TypeName() + "' object is not iterable"));
}

void AddCoreFunctions(ModuleObject& module) {
  module.attributes["func"] = Value::Host(std::make_shared<FunctionGenerator>(""));
  Add(module, "select", [](CallContext& c, Args& a) -> Result<Value> {
    auto columns = ElementsOf(c, Flattened(a.positional));
    if (!columns) return base::Fail(columns.error());
    auto select = MakeSelect(std::move(*columns));
    if (const Value* where = KeywordArg(a, "whereclause"); where != nullptr && !where->IsNone()) {
      Args args{{*where}, {}};
      return SelectMethod(c, select, "where", args);
    }
    return MakeClause(select);
  });
  for (const char* name : {"and_", "or_"}) {
    std::string op = std::string(name) == "and_" ? "AND" : "OR";
    Add(module, name, [op](CallContext& c, Args& a) -> Result<Value> {
      auto clauses = ElementsOf(c, a.positional);
      if (!clauses) return base::Fail(clauses.error());
      if (clauses->empty()) {
        auto list = New(EKind::kClauseList);
        list->op = op;
        return MakeClause(list);
      }
      return MakeClause(BooleanList(c, op, *clauses));
    });
  }
  Add(module, "not_", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "not_", a, 1, 1));
    auto element = ElementOf(c, a.positional[0]);
    if (!element) return base::Fail(element.error());
    return MakeClause(Negate(c, *element));
  });
  Add(module, "case", MakeCase);
  Add(module, "cast", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "cast", a, 2, 2));
    auto element = ElementOf(c, a.positional[0]);
    if (!element) return base::Fail(element.error());
    auto cast = New(EKind::kCast);
    cast->type = a.positional[1];
    cast->children = {*element};
    return MakeClause(cast);
  });
  for (const char* name : {"desc", "asc", "distinct"}) {
    std::string method = name;
    Add(module, name, [method](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto element = ElementOf(c, a.positional[0]);
      if (!element) return base::Fail(element.error());
      auto function = ColumnOperatorMethod(c, *element, method);
      if (!function || !*function) return base::Fail(function->error());
      Args none;
      return c.Call(**function, none);
    });
  }
  Add(module, "literal", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "literal", a, 1, 2, {"type_", "literal_execute"}));
    const Value* type = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "type_");
    auto bind = New(EKind::kBind);
    bind->value = a.positional[0];
    bind->type = type != nullptr ? *type : InferredTypeOf(a.positional[0]);
    return MakeClause(bind);
  });
  // exists(select) or exists(*columns) (none: SELECT *).
  Add(module, "exists", [](CallContext& c, Args& a) -> Result<Value> {
    if (!a.keywords.empty()) {
      return base::Fail(c.Unsupported("unsupported: exists() with keyword arguments"));
    }
    if (a.positional.size() == 1) {
      if (ElementPtr given = AsElement(a.positional[0])) {
        if (given->kind == EKind::kSelect) return MakeClause(ExistsOf(given));
        if (given->kind == EKind::kScalarSelect) return MakeClause(ExistsOf(given->children[0]));
      }
    }
    std::vector<ElementPtr> columns;
    if (a.positional.empty()) {
      auto star = New(EKind::kLiteralSql);
      star->name = "*";
      columns.push_back(star);
    } else {
      auto elements = ElementsOf(c, Flattened(a.positional));
      if (!elements) return base::Fail(elements.error());
      columns = *elements;
    }
    return MakeClause(ExistsOf(MakeSelect(std::move(columns))));
  });
  Add(module, "literal_column", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "literal_column", a, 1, 2, {"type_"}));
    if (!a.positional[0].Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "literal_column() takes a str"));
    }
    auto literal = Literal(a.positional[0].AsStr());
    const Value* type = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "type_");
    if (type != nullptr) literal->type = *type;
    return MakeClause(literal);
  });
  Add(module, "bindparam", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "bindparam", a, 1, 3,
                                      {"value", "type_", "unique", "expanding", "required",
                                       "callable_", "literal_execute"}));
    auto bind = New(EKind::kBind);
    bind->name = python::ToStr(a.positional[0]);
    const Value* value = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "value");
    const Value* type = a.positional.size() > 2 ? &a.positional[2] : KeywordArg(a, "type_");
    if (value != nullptr) bind->value = *value;
    bind->type = type != nullptr ? *type : (value != nullptr ? InferredTypeOf(*value) : Value());
    const Value* expanding = KeywordArg(a, "expanding");
    bind->expanding = expanding != nullptr && expanding->Truthy();
    // Without a value, the statement's execution parameters supply one.
    bind->has_else = value != nullptr;
    return MakeClause(bind);
  });
  Add(module, "null", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "null", a, 0, 0));
    return MakeClause(New(EKind::kNull));
  });
  Add(module, "true", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "true", a, 0, 0));
    return MakeClause(New(EKind::kTrue));
  });
  Add(module, "false", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "false", a, 0, 0));
    return MakeClause(New(EKind::kFalse));
  });
  for (const char* name : {"insert", "update", "delete"}) {
    std::string method = name;
    Add(module, name, [method](CallContext& c, Args& a) -> Result<Value> {
      if (a.positional.empty()) return base::Fail(c.Throw("TypeError", method + "() takes a table"));
      ElementPtr table = AsElement(a.positional[0]);
      if (table == nullptr || table->kind != EKind::kTable) {
        return base::Fail(c.Throw("TypeError", method + "() takes a table"));
      }
      auto bound = TableMethod(table, method);
      Args rest{{a.positional.begin() + 1, a.positional.end()}, a.keywords};
      return c.Call(*bound, rest);
    });
  }
}

}  // namespace sqlmend::sqlalchemy
