// The declarative scan (declarative.h), declarative_base() and
// declared_attr.
#include "sqlalchemy/declarative.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <set>

#include "python/args.h"
#include "sqlalchemy/orm.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::BindArgs;
using python::CallContext;
using python::ClassObject;
using python::kClassHookName;
using python::ModuleObject;
using python::NativeFunction;
using python::Signature;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;

// Decoration order of declared_attr functions: a class's attributes are
// held sorted by name, and the scan calls them in definition order, which
// orders the columns they make.
std::atomic<int64_t> next_declared_order{1};

class DeclaredAttrValue;

// The values each declared_attr gave while its class is being scanned, by
// class (SQLAlchemy's declared_attr_reg); an entry lives for one scan.
std::map<const ClassObject*, std::map<const DeclaredAttrValue*, Value>>& Scans() {
  static auto* const scans =
      new std::map<const ClassObject*, std::map<const DeclaredAttrValue*, Value>>();
  return *scans;
}

// A function decorated with @declared_attr: reading it through a class
// calls it with the class (once per scan of that class).
class DeclaredAttrValue : public python::HostObject {
 public:
  DeclaredAttrValue(Value function, bool cascading)
      : function_(std::move(function)), cascading_(cascading), order_(next_declared_order++) {}
  std::string TypeName() const override { return "declared_attr"; }
  void Traverse(const Visitor& visit) const override { python::VisitValue(function_, visit); }
  void Clear() override { function_ = Value(); }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "fget") return function_;
    if (name == "_cascading") return Value::Bool(cascading_);
    return std::nullopt;
  }
  std::optional<Result<Value>> GetFromClass(CallContext& context, const Value*,
                                            const std::shared_ptr<ClassObject>& owner) override {
    if (auto scan = Scans().find(owner.get()); scan != Scans().end()) {
      if (auto it = scan->second.find(this); it != scan->second.end()) return it->second;
    }
    auto value = CallWithOwner(context, owner);
    if (value) {
      // Looked up again: the call may have scanned other classes.
      if (auto scan = Scans().find(owner.get()); scan != Scans().end()) {
        scan->second[this] = *value;
      }
    }
    return value;
  }
  Result<Value> CallWithOwner(CallContext& context, const std::shared_ptr<ClassObject>& owner) {
    return context.Call(function_, Args{{Value::Class(owner)}, {}});
  }
  bool cascading() const { return cascading_; }
  int64_t order() const { return order_; }

 private:
  Value function_;
  bool cascading_;
  int64_t order_;
};

DeclaredAttrValue* AsDeclaredAttr(const Value& value) {
  return value.Is(Kind::kHost) ? dynamic_cast<DeclaredAttrValue*>(&value.AsHost()) : nullptr;
}

// sqlalchemy.orm.declared_attr: a decorator; .cascading is the cascading
// one.
class DeclaredAttrDecorator : public python::HostObject {
 public:
  explicit DeclaredAttrDecorator(bool cascading) : cascading_(cascading) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'sqlalchemy.orm.decl_api.declared_attr'>"; }
  Result<Value> Call(CallContext& context, Args& args) override {
    if (args.positional.size() != 1 || !args.keywords.empty()) {
      return base::Fail(context.Throw("TypeError", "declared_attr() takes one function"));
    }
    return Value::Host(std::make_shared<DeclaredAttrValue>(args.positional[0], cascading_));
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "cascading") return Value::Host(std::make_shared<DeclaredAttrDecorator>(true));
    if (name == "__name__") return Value::Str("declared_attr");
    return std::nullopt;
  }
  bool IsInstance(const Value& value) const override { return AsDeclaredAttr(value) != nullptr; }

 private:
  bool cascading_;
};

// Registers `class_object` as being scanned for as long as it lives.
class ScanGuard {
 public:
  explicit ScanGuard(const ClassObject* class_object) : class_object_(class_object) {
    Scans()[class_object_];
  }
  ~ScanGuard() { Scans().erase(class_object_); }
  ScanGuard(const ScanGuard&) = delete;
  ScanGuard& operator=(const ScanGuard&) = delete;

 private:
  const ClassObject* class_object_;
};

// A class the scan mapped (it set __table__ in the class's own attributes;
// a __table__ written in a class body is refused before).
bool IsMapped(const ClassObject& class_object) {
  return class_object.attributes.contains("__table__");
}

// The class and its bases, depth-first and left to right without repeats:
// the order in which ClassObject::Lookup() finds attributes.
std::vector<std::shared_ptr<ClassObject>> ResolutionOrder(
    const std::shared_ptr<ClassObject>& class_object) {
  std::vector<std::shared_ptr<ClassObject>> order;
  std::set<const ClassObject*> seen;
  // Iterative (STYLE 19): a stack of classes still to visit.
  std::vector<std::shared_ptr<ClassObject>> stack = {class_object};
  while (!stack.empty()) {
    auto next = stack.back();
    stack.pop_back();
    if (!seen.insert(next.get()).second) continue;
    order.push_back(next);
    for (auto it = next->bases.rbegin(); it != next->bases.rend(); ++it) stack.push_back(*it);
  }
  return order;
}

// A class's own attributes in the order the scan reads them: by name,
// except that declared_attr functions come in definition order, after the
// others.
std::vector<std::pair<std::string, Value>> ScanOrder(const ClassObject& class_object) {
  std::vector<std::pair<std::string, Value>> attributes(class_object.attributes.begin(),
                                                        class_object.attributes.end());
  std::stable_sort(attributes.begin(), attributes.end(), [](const auto& a, const auto& b) {
    DeclaredAttrValue* x = AsDeclaredAttr(a.second);
    DeclaredAttrValue* y = AsDeclaredAttr(b.second);
    return (x ? x->order() : 0) < (y ? y->order() : 0);
  });
  return attributes;
}

bool IsAbstract(const ClassObject& class_object) {
  auto abstract = class_object.attributes.find("__abstract__");
  return abstract != class_object.attributes.end() && abstract->second.Truthy();
}

// What the scan finds for one class (SQLAlchemy's _ClassScanMapperConfig).
struct Scan {
  // The class's attributes as mapping sees them: its own, the mixin column
  // copies and the declared_attr results (SQLAlchemy's dict_).
  std::map<std::string, Value, std::less<>> attributes;
  Value tablename;   // None when no class gives one
  Value table_args;  // None when no class gives them
};

// Steps 1-3 of the scan (declarative.h).
Result<Scan> ScanAttributes(CallContext& c, const Value& class_value) {
  const auto class_object = class_value.AsClass();
  Scan scan;
  scan.attributes = class_object->attributes;
  const auto order = ResolutionOrder(class_object);
  // 1. Copies of the columns of classes that are not mapped.
  for (const auto& base : order) {
    if (base == class_object || IsMapped(*base)) continue;
    for (const auto& [name, value] : base->attributes) {
      ColumnValue* column = AsColumn(value);
      if (column == nullptr || !column->table.empty()) continue;
      auto found = c.GetAttr(class_value, name);
      if (!found) return base::Fail(found.error());
      if (found->object() != value.object()) continue;  // overridden before it
      if (!column->column.foreign_keys.empty()) {
        return base::Fail(ThrowSqlalchemyError(
            c, "InvalidRequestError",
            "Columns with foreign keys to other columns must be declared as @declared_attr "
            "callables on declarative mixin classes.  For dataclass field() objects, use a "
            "lambda:."));
      }
      if (scan.attributes.contains(name)) continue;
      Value copy = Value::Host(std::make_shared<ColumnValue>(*column));
      class_object->attributes[name] = copy;
      scan.attributes[name] = copy;
    }
  }
  // 2. and 3. The special names and the declared attributes.
  bool inherited_table_args = false;
  bool table_args_found = false;
  for (const auto& base : order) {
    const bool mapped = base != class_object && IsMapped(*base);
    for (const auto& [name, value] : ScanOrder(*base)) {
      DeclaredAttrValue* declared = AsDeclaredAttr(value);
      if (name == "__tablename__") {
        if (!scan.tablename.Truthy() && (!mapped || declared != nullptr)) {
          auto tablename = c.GetAttr(class_value, name);
          if (!tablename) return base::Fail(tablename.error());
          scan.tablename = *tablename;
        }
      } else if (name == "__table_args__") {
        if (!table_args_found && (!mapped || declared != nullptr)) {
          auto table_args = c.GetAttr(class_value, name);
          if (!table_args) return base::Fail(table_args.error());
          if (!table_args->IsNone() && !table_args->Is(Kind::kTuple) &&
              !table_args->Is(Kind::kDict)) {
            return base::Fail(ThrowSqlalchemyError(
                c, "ArgumentError", "__table_args__ value must be a tuple, dict, or None"));
          }
          scan.table_args = *table_args;
          table_args_found = table_args->Truthy();
          if (base != class_object) inherited_table_args = true;
        }
      } else if (declared != nullptr && !mapped && !name.starts_with("__")) {
        // A declared attribute of a mixin or of the class itself.
        Result<Value> result = base != class_object && declared->cascading()
                                   ? declared->CallWithOwner(c, class_object)
                                   : c.GetAttr(class_value, name);
        if (!result) return base::Fail(result.error());
        if (declared->cascading()) class_object->attributes[name] = *result;
        scan.attributes[name] = *result;
      }
    }
  }
  if (inherited_table_args && !scan.tablename.Truthy()) scan.table_args = Value::None();
  return scan;
}

// The columns the scan found that no table holds yet, in creation order,
// copied and named after their attribute unless given a name.
std::vector<std::shared_ptr<ColumnValue>> DeclaredColumns(const Scan& scan) {
  std::vector<std::pair<std::string, ColumnValue*>> found;
  for (const auto& [name, value] : scan.attributes) {
    ColumnValue* column = AsColumn(value);
    if (column != nullptr && column->table.empty()) found.emplace_back(name, column);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.second->creation_order < b.second->creation_order;
  });
  std::vector<std::shared_ptr<ColumnValue>> columns;
  for (const auto& [attribute, column] : found) {
    auto copy = std::make_shared<ColumnValue>(*column);
    if (!copy->named) {
      copy->column.name = attribute;
      copy->named = true;
    }
    copy->key = attribute;
    columns.push_back(std::move(copy));
  }
  return columns;
}

// A table of the class's own (step 4, with __tablename__).
Result<std::shared_ptr<TableValue>> OwnTable(CallContext& c, const Scan& scan,
                                             std::vector<std::shared_ptr<ColumnValue>> columns) {
  ops::Table table;
  table.name = ToStr(scan.tablename);
  auto table_value = std::make_shared<TableValue>(ops::Table{});
  std::vector<Value> items;
  for (auto& column : columns) items.push_back(Value::Host(column));
  std::vector<std::pair<std::string, Value>> keywords;
  const Value& table_args = scan.table_args;
  std::vector<Value> args = table_args.IsSequence() ? table_args.Items() : std::vector<Value>{};
  if (table_args.Is(Kind::kDict)) args.push_back(table_args);
  if (!args.empty() && args.back().Is(Kind::kDict)) {
    for (const auto& [key, value] : args.back().AsDict().entries)
      keywords.emplace_back(ToStr(key), value);
    args.pop_back();
  }
  items.insert(items.end(), args.begin(), args.end());
  SQLMEND_RETURN_IF_ERROR(AddTableItems(c, table, &table_value->columns, items));
  SQLMEND_RETURN_IF_ERROR(ApplyTableKeywords(c, "__table_args__", table, keywords));
  table_value->table = std::move(table);
  return table_value;
}

// Single-table inheritance (step 4 without __tablename__): the columns join
// `inherited`, the mapped base's table.
base::Status JoinInheritedTable(CallContext& c, const ClassObject& class_object,
                                const Scan& scan, TableValue& inherited,
                                const std::vector<std::shared_ptr<ColumnValue>>& columns) {
  if (class_object.attributes.contains("__table_args__") && !scan.table_args.IsNone()) {
    return ThrowSqlalchemyError(c, "ArgumentError",
                                "Can't place __table_args__ on an inherited class with no table.");
  }
  for (const auto& column : columns) {
    for (const auto& existing : inherited.columns) {
      if (existing->column.name == column->column.name) {
        return ThrowSqlalchemyError(c, "ArgumentError",
                                    "Column '" + column->column.name + "' on class " +
                                        class_object.name + " conflicts with existing column '" +
                                        inherited.table.name + "." + existing->column.name + "'");
      }
    }
    if (column->column.primary_key) {
      return ThrowSqlalchemyError(
          c, "ArgumentError",
          "Can't place primary key columns on an inherited class with no table.");
    }
    SQLMEND_RETURN_IF_ERROR(
        AddTableItems(c, inherited.table, &inherited.columns, {Value::Host(column)}));
  }
  return base::Status::Ok();
}

std::string Trimmed(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\n");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\n");
  std::string out(text.substr(begin, end - begin + 1));
  if (out.size() >= 2 && (out.front() == '"' || out.front() == '\'') && out.back() == out.front()) {
    out = Trimmed(out.substr(1, out.size() - 2));
  }
  return out;
}

// The top-level parts of `text` split at `separator` (brackets nest).
std::vector<std::string> TopLevelParts(const std::string& text, char separator) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string part;
  for (char ch : text) {
    if (ch == '[' || ch == '(') ++depth;
    if (ch == ']' || ch == ')') --depth;
    if (ch == separator && depth == 0) {
      parts.push_back(Trimmed(part));
      part.clear();
    } else {
      part += ch;
    }
  }
  parts.push_back(Trimmed(part));
  return parts;
}

}  // namespace

std::optional<std::string> Subscript(const std::string& text, std::string_view name) {
  const std::string opening = std::string(name) + "[";
  size_t at = text.find(opening);
  if (at == std::string::npos || text.back() != ']') return std::nullopt;
  if (at > 0 && text[at - 1] != '.') return std::nullopt;
  return Trimmed(text.substr(at + opening.size(), text.size() - at - opening.size() - 1));
}

std::optional<MappedAnnotation> ParseMapped(std::string_view annotation) {
  const std::string text = Trimmed(annotation);
  auto inner = Subscript(text, "Mapped");
  if (!inner) return std::nullopt;
  MappedAnnotation out;
  out.inner = *inner;
  auto strip_none = [&](std::vector<std::string> parts) {
    std::vector<std::string> kept;
    for (auto& p : parts) {
      if (p == "None" || p == "NoneType") {
        out.optional = true;
      } else {
        kept.push_back(p);
      }
    }
    if (kept.size() == 1) out.inner = kept.front();
  };
  if (auto optional = Subscript(out.inner, "Optional")) {
    out.inner = *optional;
    out.optional = true;
  } else if (auto members = Subscript(out.inner, "Union")) {
    strip_none(TopLevelParts(*members, ','));
  } else if (out.inner.find('|') != std::string::npos) {
    strip_none(TopLevelParts(out.inner, '|'));
  }
  return out;
}

namespace {

// The value a dotted name has where the class is defined, or nullopt.
std::optional<Value> AnnotationValue(CallContext& c, const std::string& dotted) {
  size_t dot = dotted.find('.');
  auto value = c.NameInScope(dotted.substr(0, dot));
  while (value && dot != std::string::npos) {
    size_t next = dotted.find('.', dot + 1);
    auto attribute = c.GetAttr(*value, dotted.substr(dot + 1, next == std::string::npos
                                                                   ? std::string::npos
                                                                   : next - dot - 1));
    if (!attribute) {
      c.Catch(attribute.error(), "Exception");
      return std::nullopt;
    }
    value = *attribute;
    dot = next;
  }
  return value;
}

// The SQLAlchemy type SQLAlchemy 2.0 gives the Python type `inner` names:
// the base's type_annotation_map first, then its default map (int ->
// Integer, str -> String, ..., an enum class -> Enum(cls)). None when it
// names no type it maps (a relationship's target class, say).
Result<Value> TypeForAnnotation(CallContext& c, const std::string& inner, const Value& type_map) {
  std::optional<Value> python_type = AnnotationValue(c, inner);
  if (python_type && type_map.Is(Kind::kDict)) {
    for (const auto& [key, mapped] : type_map.AsDict().entries) {
      auto same = c.Operate("==", key, *python_type);
      if (!same) return same;
      auto truth = c.Truth(*same);
      if (!truth) return base::Fail(truth.error());
      if (*truth) return ToTypeInstance(c, mapped);
    }
  }
  std::string name = inner.substr(inner.rfind('.') == std::string::npos ? 0 : inner.rfind('.') + 1);
  if (python_type && python_type->Is(Kind::kClass)) name = python_type->AsClass()->name;
  static const std::map<std::string, std::string, std::less<>> kDefaultMap = {
      {"int", "Integer"},       {"str", "String"},   {"bool", "Boolean"},
      {"float", "Float"},       {"bytes", "LargeBinary"}, {"datetime", "DateTime"},
      {"date", "Date"},         {"time", "Time"},    {"timedelta", "Interval"},
      {"Decimal", "Numeric"},   {"UUID", "Uuid"}};
  auto found = kDefaultMap.find(name);
  if (found != kDefaultMap.end()) return ToTypeInstance(c, TypeClassNamed(found->second));
  if (python_type) {
    // A Python enum class becomes Enum(cls); anything else maps to no type.
    auto members = c.GetAttr(*python_type, "__members__");
    if (!members) {
      c.Catch(members.error(), "Exception");
      return Value::None();
    }
    Args args{{*python_type}, {}};
    return c.Call(TypeClassNamed("Enum"), std::move(args));
  }
  return Value::None();
}

// Gives the annotated attributes of the class and of its unmapped bases
// their columns: a mapped_column() without a type or nullability takes them
// from the annotation (Optional[...] is nullable, the rest NOT NULL), and an
// annotation alone (`name: Mapped[str]`) makes a column. Columns are
// ordered as annotated, base classes first.
base::Status ApplyMappedAnnotations(CallContext& c, const Value& class_value, Scan& scan) {
  const auto class_object = class_value.AsClass();
  const Value* type_map_found = class_object->Lookup("type_annotation_map");
  const Value type_map = type_map_found != nullptr ? *type_map_found : Value::None();
  auto order = ResolutionOrder(class_object);
  std::reverse(order.begin(), order.end());
  std::set<std::string> done;
  for (const auto& base : order) {
    if (base != class_object && IsMapped(*base)) continue;
    auto annotations = base->attributes.find("__annotations__");
    if (annotations == base->attributes.end() || !annotations->second.Is(Kind::kDict)) continue;
    for (const auto& [key, text] : annotations->second.AsDict().entries) {
      if (!key.Is(Kind::kStr) || !text.Is(Kind::kStr)) continue;
      const std::string name = key.AsStr();
      auto parsed = ParseMapped(text.AsStr());
      if (!parsed || done.contains(name)) continue;
      auto found = scan.attributes.find(name);
      ColumnValue* column = found != scan.attributes.end() ? AsColumn(found->second) : nullptr;
      if (found != scan.attributes.end() && column == nullptr) continue;  // relationship(), ...
      if (column != nullptr && (!column->mapped || !column->table.empty())) continue;
      done.insert(name);
      const bool needs_type = column == nullptr || !column->type_given;
      Value type_value;
      if (needs_type) {
        auto type = TypeForAnnotation(c, parsed->inner, type_map);
        if (!type) return type.error();
        if (type->IsNone()) {
          if (column == nullptr) continue;  // not a column (Mapped["Parent"])
          return ThrowSqlalchemyError(c, "ArgumentError",
                                      "Could not locate SQLAlchemy Core type for Python type " +
                                          parsed->inner + " inside the '" + name +
                                          "' attribute Mapped annotation");
        }
        type_value = *type;
      }
      if (column == nullptr) {
        auto made = std::make_shared<ColumnValue>(ops::Column{}, false, 0);
        made->mapped = true;
        Value made_value = Value::Host(made);
        scan.attributes[name] = made_value;
        class_object->attributes[name] = made_value;
        column = made.get();
      }
      if (needs_type) {
        auto type = TypeOf(c, type_value, "mapped_column");
        if (!type) return type.error();
        column->column.type = *type;
        column->type_value = type_value;
      }
      if (!column->column.nullable) {
        column->column.nullable = column->column.primary_key ? false : parsed->optional;
      }
      column->creation_order = NextCreationOrder();
    }
  }
  return base::Status::Ok();
}

Result<Value> MapClass(CallContext& c, const std::shared_ptr<MetaDataValue>& metadata,
                       const Value& class_value) {
  const auto class_object = class_value.AsClass();
  if (IsAbstract(*class_object)) return class_value;
  if (class_object->attributes.contains("__table__")) {
    return base::Fail(c.Unsupported("unsupported: __table__ in a declarative class"));
  }
  ScanGuard guard(class_object.get());
  auto scan = ScanAttributes(c, class_value);
  if (!scan) return base::Fail(scan.error());
  SQLMEND_RETURN_IF_ERROR(ApplyMappedAnnotations(c, class_value, *scan));
  auto columns = DeclaredColumns(*scan);
  std::shared_ptr<TableValue> table;
  if (scan->tablename.Truthy()) {
    auto own = OwnTable(c, *scan, std::move(columns));
    if (!own) return base::Fail(own.error());
    table = *own;
    AddTableToMetaData(*metadata, table);
  } else {
    // The first mapped class in the resolution order holds the table.
    for (const auto& base : ResolutionOrder(class_object)) {
      if (base == class_object || !IsMapped(*base)) continue;
      TableValue* inherited = AsTable(base->attributes.at("__table__"));
      if (inherited == nullptr) break;
      SQLMEND_RETURN_IF_ERROR(JoinInheritedTable(c, *class_object, *scan, *inherited, columns));
      table = std::static_pointer_cast<TableValue>(base->attributes.at("__table__").object());
      break;
    }
    if (table == nullptr) return class_value;  // no table: not mapped
  }
  class_object->attributes["__table__"] = Value::Host(table);
  // The class's attributes are its table's columns (User.id is user.id in
  // a query), as the mapper instruments them.
  for (const auto& column : table->columns) {
    if (column->key.empty()) continue;
    auto own = scan->attributes.find(column->key);
    if (own != scan->attributes.end() && AsColumn(own->second) != nullptr) {
      class_object->attributes[column->key] = Value::Host(column);
    }
  }
  MapRelationships(c, class_object, metadata);
  return class_value;
}

// column_property(*columns, **options) and deferred(*columns, **options):
// the first column or expression, which the scan maps when it is a Column
// no table holds. Joined-table inheritance maps a subclass's column and its
// base's under one attribute (column_property(Column(...), Base.x)): the
// subclass's table gets the first, and the others, already mapped by the
// base, keep the same value.
NativeFunction MappedColumn(std::string function) {
  return [function](CallContext& c, Args& a) -> Result<Value> {
    if (a.positional.empty()) {
      return base::Fail(c.Throw("TypeError", function + "() needs a column or expression"));
    }
    return a.positional[0];
  };
}

// has_inherited_table(cls): whether a class after it in the resolution
// order has a __table__.
Result<Value> HasInheritedTable(CallContext& c, Args& a) {
  if (a.positional.size() != 1 || !a.positional[0].Is(Kind::kClass)) {
    return base::Fail(c.Throw("TypeError", "has_inherited_table() takes a class"));
  }
  for (const auto& base : ResolutionOrder(a.positional[0].AsClass())) {
    if (base != a.positional[0].AsClass() && base->Lookup("__table__") != nullptr) {
      return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Result<Value> DeclarativeBase(CallContext& c, Args& a) {
  auto bound = BindArgs(c,
                        Signature{"declarative_base",
                                  {"bind", "metadata", "mapper", "cls", "name", "constructor",
                                   "class_registry", "metaclass"},
                                  0,
                                  false,
                                  {},
                                  {}},
                        a);
  if (!bound) return base::Fail(bound.error());
  std::shared_ptr<MetaDataValue> metadata;
  if (const Value* given = bound->GetNotNone("metadata")) {
    if (AsMetaData(*given) == nullptr) {
      return base::Fail(c.Throw("TypeError", "declarative_base(metadata=...) expects a MetaData"));
    }
    metadata = std::static_pointer_cast<MetaDataValue>(given->object());
  } else {
    metadata = MakeMetaData(std::nullopt);
  }
  for (const char* unsupported : {"metaclass", "mapper", "bind"}) {
    if (bound->GetNotNone(unsupported) != nullptr) {
      return base::Fail(
          c.Unsupported(std::string("unsupported: declarative_base(") + unsupported + "=...)"));
    }
  }
  auto base_class = std::make_shared<ClassObject>();
  base_class->name = "Base";
  // cls=: the class the base derives from (its columns and declared
  // attributes are every mapped class's, as a mixin's).
  if (const Value* cls = bound->GetNotNone("cls")) {
    if (!cls->Is(Kind::kClass)) {
      return base::Fail(c.Unsupported("unsupported: declarative_base(cls=...) of a " +
                                      cls->TypeName()));
    }
    base_class->bases.push_back(cls->AsClass());
    base_class->name = cls->AsClass()->name;
  }
  if (const Value* name = bound->GetNotNone("name")) base_class->name = ToStr(*name);
  base_class->attributes["metadata"] = Value::Host(metadata);
  base_class->attributes["__name__"] = Value::Str(base_class->name);
  base_class->attributes[kClassHookName] = Value::Builtin("declarative", DeclarativeHook(metadata));
  Value constructor = Value::Builtin("__init__", DeclarativeConstructor);
  if (const Value* given = bound->Get("constructor")) constructor = *given;
  if (!constructor.IsNone()) base_class->attributes["__init__"] = constructor;
  return Value::Class(base_class);
}

}  // namespace

NativeFunction DeclarativeHook(std::shared_ptr<MetaDataValue> metadata) {
  // Weakly: the base class holds both the hook and its `metadata`.
  std::weak_ptr<MetaDataValue> weak = metadata;
  return [weak](CallContext& c, Args& a) -> Result<Value> {
    auto metadata = weak.lock();
    if (metadata == nullptr) {
      return base::Fail(c.Unsupported("unsupported: a declarative class of a base whose "
                                      "MetaData is gone"));
    }
    return MapClass(c, metadata, a.positional.at(0));
  };
}

Result<Value> DeclarativeConstructor(CallContext& c, Args& a) {
  if (a.positional.size() != 1 || !a.positional[0].Is(Kind::kInstance)) {
    return base::Fail(c.Throw("TypeError", "__init__() takes only keyword arguments"));
  }
  python::InstanceObject& self = a.positional[0].AsInstance();
  if (const Value* table = self.class_object->Lookup("__table__"); table != nullptr) {
    if (TableValue* mapped = AsTable(*table)) {
      for (const auto& column : mapped->columns) {
        self.attributes[column->key.empty() ? column->column.name : column->key] = Value::None();
      }
    }
  }
  for (const auto& [key, value] : a.keywords) {
    if (self.class_object->Lookup(key) == nullptr) {
      return base::Fail(c.Throw("TypeError", "'" + key + "' is an invalid keyword argument for " +
                                                 self.class_object->name));
    }
    // setattr(), as SQLAlchemy's constructor does: a hybrid's setter runs.
    SQLMEND_RETURN_IF_ERROR(c.SetAttr(a.positional[0], key, value));
  }
  return Value::None();
}

std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> ClassColumns(
    const ClassObject& class_object) {
  std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> columns;
  for (const auto& [name, value] : class_object.attributes) {
    if (AsColumn(value) != nullptr) {
      columns.emplace_back(name, std::static_pointer_cast<ColumnValue>(value.object()));
    }
  }
  std::sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) {
    return a.second->creation_order < b.second->creation_order;
  });
  return columns;
}

// SQLAlchemy 2.0's DeclarativeBase (and DeclarativeBaseNoMeta): the class
// deriving from it directly is a declarative base, with the MetaData its
// body gives (`metadata = MetaData(naming_convention=...)`) or a new one.
Value MakeDeclarativeBaseClass(const std::string& name) {
  auto base_class = std::make_shared<ClassObject>();
  base_class->name = name;
  base_class->attributes["__init__"] = Value::Builtin("__init__", DeclarativeConstructor);
  base_class->attributes["__name__"] = Value::Str(name);
  base_class->attributes[kClassHookName] =
      Value::Builtin(name, [](CallContext&, Args& a) -> Result<Value> {
        Value created = a.positional.at(0);
        auto created_class = created.AsClass();
        std::shared_ptr<MetaDataValue> metadata;
        auto own = created_class->attributes.find("metadata");
        if (own != created_class->attributes.end() && AsMetaData(own->second) != nullptr) {
          metadata = std::static_pointer_cast<MetaDataValue>(own->second.object());
        } else {
          metadata = MakeMetaData(std::nullopt);
        }
        created_class->attributes["metadata"] = Value::Host(metadata);
        created_class->attributes[kClassHookName] =
            Value::Builtin("declarative", DeclarativeHook(metadata));
        return created;
      });
  return Value::Class(base_class);
}

void AddDeclarativeNames(ModuleObject& module) {
  module.attributes["mapped_column"] = Value::Builtin("mapped_column", MakeMappedColumn);
  for (const char* name : {"DeclarativeBase", "DeclarativeBaseNoMeta"}) {
    module.attributes[name] = MakeDeclarativeBaseClass(name);
  }
  module.attributes["declarative_base"] = Value::Builtin("declarative_base", DeclarativeBase);
  module.attributes["declared_attr"] = Value::Host(std::make_shared<DeclaredAttrDecorator>(false));
  module.attributes["has_inherited_table"] =
      Value::Builtin("has_inherited_table", HasInheritedTable);
  // @declarative_mixin marks a mixin for type checkers; the class is
  // returned as it is.
  module.attributes["declarative_mixin"] =
      Value::Builtin("declarative_mixin", [](CallContext& c, Args& a) -> Result<Value> {
        if (a.positional.size() != 1 || !a.positional[0].Is(Kind::kClass)) {
          return base::Fail(c.Throw("TypeError", "declarative_mixin() decorates a class"));
        }
        return a.positional[0];
      });
  for (const char* function : {"column_property", "deferred"}) {
    module.attributes[function] = Value::Builtin(function, MappedColumn(function));
  }
}

}  // namespace sqlmend::sqlalchemy
