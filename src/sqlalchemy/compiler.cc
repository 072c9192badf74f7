#include "sqlalchemy/compiler.h"

#include <algorithm>
#include <map>
#include <set>

#include "ops/identifier_preparer.h"
#include "ops/sql_type.h"
#include "python/builtins.h"
#include "sqlalchemy/column_default.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::CallContext;
using python::Value;

namespace {

using base::Result;
using EKind = Element::Kind;

// The tables a clause names through its columns, in first-use order, not
// looking inside nested SELECTs.
void CollectTables(const ElementPtr& element, std::vector<std::string>& out) {
  if (element == nullptr) return;
  if (element->kind == EKind::kSelect || element->kind == EKind::kScalarSelect) return;
  if (element->kind == EKind::kColumn && !element->table.empty()) {
    if (std::find(out.begin(), out.end(), element->table) == out.end()) {
      out.push_back(element->table);
    }
    return;
  }
  if (element->kind == EKind::kTable) {
    if (std::find(out.begin(), out.end(), element->name) == out.end()) out.push_back(element->name);
    return;
  }
  for (const ElementPtr& child : element->children) CollectTables(child, out);
}

// The tables of the statement being compiled, for its subqueries to
// correlate to; pushed for the statement's lifetime.
class Enclosing {
 public:
  Enclosing(std::vector<std::set<std::string>>& stack, std::set<std::string> tables)
      : stack_(stack) {
    stack_.push_back(std::move(tables));
  }
  ~Enclosing() { stack_.pop_back(); }
  Enclosing(const Enclosing&) = delete;
  Enclosing& operator=(const Enclosing&) = delete;

 private:
  std::vector<std::set<std::string>>& stack_;
};

class Compiler {
 public:
  Compiler(CallContext& context, const CompileOptions& options)
      : c_(context), options_(options) {}

  Result<std::string> Statement(const ElementPtr& element) {
    switch (element->kind) {
      case EKind::kSelect:
        return Select(element);
      case EKind::kInsert:
        return Insert(element);
      case EKind::kUpdate:
        return Update(element);
      case EKind::kDelete:
        return Delete(element);
      default:
        return Visit(element);
    }
  }

  std::vector<ops::Literal> TakeParameters() { return std::move(parameters_); }

 private:
  Result<std::string> Bind(const Value& value, const Value& type) {
    auto literal = BindLiteral(c_, type, value);
    if (!literal) return base::Fail(literal.error());
    if (!options_.literal_binds) {
      parameters_.push_back(std::move(*literal));
      return std::string("?");
    }
    if (!literal->literal_sql.empty()) return literal->literal_sql;
    switch (literal->kind) {
      case ops::Literal::Kind::kNull:
        return std::string("NULL");
      case ops::Literal::Kind::kInt:
        return std::to_string(literal->integer);
      case ops::Literal::Kind::kFloat:
        return python::FloatRepr(literal->real);
      case ops::Literal::Kind::kText:
        return QuoteSqlString(literal->text);
      case ops::Literal::Kind::kBlob: {
        // LargeBinary's literal processor writes the octets as a string
        // literal; a column without a type has no literal processor.
        const auto* typed = type.Is(Value::Kind::kHost)
                                ? dynamic_cast<const TypeValue*>(&type.AsHost())
                                : nullptr;
        if (type.IsNone() || (typed != nullptr && typed->type().IsNull())) {
          return base::Fail(c_.Throw(
              "TypeError", "CompileError: No literal value renderer is available for literal "
                           "value \"" + python::BytesRepr(literal->text) +
                               "\" with datatype NULL"));
        }
        return QuoteSqlString(literal->text);
      }
    }
    return std::string("NULL");
  }

  const Value* Execution(const std::string& name) const {
    for (const auto& [key, value] : options_.execution) {
      if (key == name) return &value;
    }
    return nullptr;
  }

  Result<std::string> Column(const ElementPtr& element) {
    std::string name = ops::SqlalchemyQuote(element->name);
    if (!options_.include_table || element->table.empty()) return name;
    return ops::SqlalchemyQuote(element->table) + "." + name;
  }

  Result<std::string> Join(const std::vector<ElementPtr>& elements, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < elements.size(); ++i) {
      auto text = Visit(elements[i]);
      if (!text) return text;
      if (i > 0) out += separator;
      out += *text;
    }
    return out;
  }

  Result<std::string> In(const ElementPtr& element) {
    auto left = Visit(element->children[0]);
    if (!left) return left;
    std::string out = *left + " " + element->op + " ";
    if (element->children.size() == 2 && element->children[1]->kind == EKind::kSelect) {
      auto select = Select(element->children[1]);
      if (!select) return select;
      return out + "(" + *select + ")";
    }
    std::vector<ElementPtr> items(element->children.begin() + 1, element->children.end());
    if (items.size() == 1 && items[0]->kind == EKind::kBind && items[0]->expanding) {
      // bindparam("ids", expanding=True): the list comes with the execution.
      const Value* list = items[0]->has_else ? &items[0]->value : Execution(items[0]->name);
      if (list == nullptr) return MissingValue(items[0]->name);
      auto values = python::IterateValue(c_, *list);
      if (!values) return base::Fail(values.error());
      items.clear();
      for (const Value& value : *values) {
        auto bind = std::make_shared<Element>();
        bind->kind = EKind::kBind;
        bind->value = value;
        bind->type = element->children[0]->type;
        bind->has_else = true;
        items.push_back(bind);
      }
    }
    if (options_.postcompile_in && !options_.literal_binds) {
      const ElementPtr& left_element = element->children[0];
      const std::string key = left_element->kind == EKind::kColumn ? left_element->name : "param";
      return out + "(__[POSTCOMPILE_" + key + "_" + std::to_string(++postcompile_[key]) + "])";
    }
    // An empty IN is SQLAlchemy 1.4's empty-set expression.
    if (items.empty()) return out + "(SELECT 1 FROM (SELECT 1) WHERE 1!=1)";
    auto list = Join(items, ", ");
    if (!list) return list;
    return out + "(" + *list + ")";
  }

  Result<std::string> MissingValue(const std::string& name) {
    return base::Fail(c_.Throw(
        "TypeError",
        "StatementError: A value is required for bind parameter '" + name + "'"));
  }

  Result<std::string> Function(const ElementPtr& element) {
    const std::string& name = element->name;
    if (element->children.empty()) {
      if (name == "now" || name == "current_timestamp") return std::string("CURRENT_TIMESTAMP");
      if (name == "current_date") return std::string("CURRENT_DATE");
      if (name == "current_time") return std::string("CURRENT_TIME");
      if (name == "localtimestamp") return std::string("DATETIME(CURRENT_TIMESTAMP, \"localtime\")");
      if (name == "count") return std::string("count(*)");
    }
    auto arguments = Join(element->children, ", ");
    if (!arguments) return arguments;
    if (name == "char_length") return "length(" + *arguments + ")";
    return name + "(" + *arguments + ")";
  }

  Result<std::string> Case(const ElementPtr& element) {
    std::string out = "CASE ";
    size_t i = 0;
    if (element->op == "subject") {
      auto subject = Visit(element->children[0]);
      if (!subject) return subject;
      out += *subject + " ";
      i = 1;
    }
    const size_t pairs_end = element->children.size() - (element->has_else ? 1 : 0);
    for (; i < pairs_end; i += 2) {
      auto when = Visit(element->children[i]);
      if (!when) return when;
      auto then = Visit(element->children[i + 1]);
      if (!then) return then;
      out += "WHEN " + *when + " THEN " + *then + " ";
    }
    if (element->has_else) {
      auto otherwise = Visit(element->children.back());
      if (!otherwise) return otherwise;
      out += "ELSE " + *otherwise + " ";
    }
    return out + "END";
  }

  Result<std::string> Visit(const ElementPtr& element) {
    switch (element->kind) {
      case EKind::kColumn:
        return Column(element);
      case EKind::kTable:
        return ops::SqlalchemyQuote(element->name);
      case EKind::kBind: {
        if (!element->has_else && !element->name.empty()) {
          const Value* value = Execution(element->name);
          if (value == nullptr) return MissingValue(element->name);
          return Bind(*value, element->type);
        }
        return Bind(element->value, element->type);
      }
      case EKind::kNull:
        return std::string("NULL");
      case EKind::kTrue:
        return std::string("1");
      case EKind::kFalse:
        return std::string("0");
      case EKind::kLiteralSql:
        return element->name;
      case EKind::kText:
        if (!element->binds.empty()) {
          return base::Fail(c_.Unsupported(
              "unsupported: text() with bindparams() inside a Core statement"));
        }
        return element->name;
      case EKind::kBinary: {
        auto left = Visit(element->children[0]);
        if (!left) return left;
        auto right = Visit(element->children[1]);
        if (!right) return right;
        if (element->op == "BETWEEN" || element->op == "NOT BETWEEN") {
          auto high = Visit(element->children[2]);
          if (!high) return high;
          return *left + " " + element->op + " " + *right + " AND " + *high;
        }
        return *left + " " + element->op + " " + *right;
      }
      case EKind::kIn:
        return In(element);
      case EKind::kUnary: {
        auto operand = Visit(element->children[0]);
        if (!operand) return operand;
        if (element->op == "NEG") return "-" + *operand;
        if (element->op == "DESC" || element->op == "ASC") return *operand + " " + element->op;
        return element->op + " " + *operand;
      }
      case EKind::kClauseList:
        return Join(element->children, element->op == "," ? ", " : " " + element->op + " ");
      case EKind::kGrouping: {
        auto inner = Visit(element->children[0]);
        if (!inner) return inner;
        return "(" + *inner + ")";
      }
      case EKind::kFunction:
        return Function(element);
      case EKind::kCase:
        return Case(element);
      case EKind::kCast: {
        auto inner = Visit(element->children[0]);
        if (!inner) return inner;
        auto type = TypeOf(c_, element->type, "cast()");
        if (!type) return base::Fail(type.error());
        return "CAST(" + *inner + " AS " + ops::CompileSqliteType(*type) + ")";
      }
      case EKind::kLabel: {
        auto inner = Visit(element->children[0]);
        if (!inner) return inner;
        return *inner + " AS " + ops::SqlalchemyQuote(element->name);
      }
      case EKind::kScalarSelect: {
        auto select = Select(element->children[0]);
        if (!select) return select;
        return "(" + *select + ")";
      }
      case EKind::kSelect: {
        auto select = Select(element);
        if (!select) return select;
        return "(" + *select + ")";
      }
      case EKind::kJoin: {
        auto left = Visit(element->children[0]);
        if (!left) return left;
        auto right = Visit(element->children[1]);
        if (!right) return right;
        auto on = Visit(element->children[2]);
        if (!on) return on;
        return *left + " " + element->op + " " + *right + " ON " + *on;
      }
      case EKind::kInsert:
      case EKind::kUpdate:
      case EKind::kDelete:
        return base::Fail(c_.Unsupported("unsupported: a DML statement inside an expression"));
    }
    return std::string();
  }

  // The label SQLAlchemy gives an unnamed expression in a SELECT list.
  std::string LabelFor(const ElementPtr& element) {
    const std::string stem = SelectLabelStem(element);
    if (stem.empty()) return "";
    return stem + "_" + std::to_string(++labels_[stem]);
  }

  void TablesOfJoin(const ElementPtr& from, std::vector<std::string>& out) {
    if (from->kind == EKind::kJoin) {
      TablesOfJoin(from->children[0], out);
      TablesOfJoin(from->children[1], out);
    } else if (from->kind == EKind::kTable) {
      out.push_back(from->name);
    }
  }

  Result<std::string> Select(const ElementPtr& element) {
    const SelectParts& parts = *element->select;
    std::vector<std::string> explicit_tables;
    for (const ElementPtr& from : parts.froms) TablesOfJoin(from, explicit_tables);
    std::vector<std::string> implicit;
    for (const ElementPtr& column : parts.columns) CollectTables(column, implicit);
    CollectTables(parts.where, implicit);
    for (const ElementPtr& item : parts.order_by) CollectTables(item, implicit);
    for (const ElementPtr& item : parts.group_by) CollectTables(item, implicit);
    CollectTables(parts.having, implicit);
    std::vector<std::string> own;
    for (const std::string& table : implicit) {
      if (std::find(explicit_tables.begin(), explicit_tables.end(), table) ==
          explicit_tables.end()) {
        own.push_back(table);
      }
    }
    // Auto-correlation: a table of the enclosing statement is not repeated
    // in a subquery's FROM (unless nothing would be left). correlate() and
    // correlate_except() look at every enclosing statement, as
    // SQLAlchemy's explicit correlation does.
    if (!enclosing_.empty() && parts.correlation != SelectParts::Correlation::kAuto) {
      std::set<std::string> enclosing;
      for (const auto& level : enclosing_) enclosing.insert(level.begin(), level.end());
      const auto& listed = parts.correlation_tables;
      std::vector<std::string> kept;
      for (const std::string& table : own) {
        const bool is_listed = std::find(listed.begin(), listed.end(), table) != listed.end();
        const bool correlated =
            enclosing.contains(table) &&
            (parts.correlation == SelectParts::Correlation::kOnly ? is_listed : !is_listed);
        if (!correlated) kept.push_back(table);
      }
      own = kept;
    } else if (!enclosing_.empty()) {
      std::vector<std::string> kept;
      for (const std::string& table : own) {
        if (!enclosing_.back().contains(table)) kept.push_back(table);
      }
      if (!kept.empty() || !parts.froms.empty()) own = kept;
    }
    std::set<std::string> mine(explicit_tables.begin(), explicit_tables.end());
    mine.insert(own.begin(), own.end());
    Enclosing scope(enclosing_, std::move(mine));

    std::string out = "SELECT ";
    if (parts.distinct) out += "DISTINCT ";
    for (size_t i = 0; i < parts.columns.size(); ++i) {
      ElementPtr column = SelfGroup(parts.columns[i], ",");
      auto text = Visit(column);
      if (!text) return text;
      if (i > 0) out += ", ";
      out += *text;
      std::string label = LabelFor(parts.columns[i]);
      if (!label.empty()) out += " AS " + label;
    }
    std::vector<std::string> froms;
    for (const ElementPtr& from : parts.froms) {
      auto text = Visit(from);
      if (!text) return text;
      froms.push_back(*text);
    }
    for (const std::string& table : own) froms.push_back(ops::SqlalchemyQuote(table));
    if (!froms.empty()) {
      out += " \nFROM ";
      for (size_t i = 0; i < froms.size(); ++i) out += (i > 0 ? ", " : "") + froms[i];
    }
    if (parts.where != nullptr && !(parts.where->kind == EKind::kClauseList &&
                                    parts.where->children.empty())) {
      auto where = Visit(SelfGroup(parts.where, "BOOL"));
      if (!where) return where;
      out += " \nWHERE " + *where;
    }
    if (!parts.group_by.empty()) {
      auto group = Join(parts.group_by, ", ");
      if (!group) return group;
      out += " GROUP BY " + *group;
    }
    if (parts.having != nullptr) {
      auto having = Visit(SelfGroup(parts.having, "BOOL"));
      if (!having) return having;
      out += " \nHAVING " + *having;
    }
    if (!parts.order_by.empty()) {
      auto order = Join(parts.order_by, ", ");
      if (!order) return order;
      out += " ORDER BY " + *order;
    }
    if (parts.limit != nullptr || parts.offset != nullptr) {
      std::string limit = "-1";
      if (parts.limit != nullptr) {
        auto text = Visit(parts.limit);
        if (!text) return text;
        limit = *text;
      }
      auto offset = parts.offset != nullptr ? Visit(parts.offset) : Bind(Value::Int(0), Value());
      if (!offset) return offset;
      out += "\n LIMIT " + limit + " OFFSET " + *offset;
    }
    return out;
  }

  // The values an INSERT or UPDATE writes: its own, or else the execution
  // parameters naming the table's columns; in the table's column order.
  Result<std::vector<std::pair<std::string, ElementPtr>>> DmlValues(const DmlParts& parts) {
    std::vector<std::pair<std::string, ElementPtr>> values = parts.values;
    const ElementPtr& table = parts.table;
    if (values.empty()) {
      for (const auto& [name, value] : options_.execution) {
        ElementPtr column;
        for (const ElementPtr& candidate : table->children) {
          if (candidate->name == name) column = candidate;
        }
        if (column == nullptr && !table->children.empty()) continue;
        auto element = ValueElementOf(c_, value, column != nullptr ? column->type : Value());
        if (!element) return base::Fail(element.error());
        values.emplace_back(name, *element);
      }
    }
    std::vector<std::pair<std::string, ElementPtr>> ordered;
    for (const ElementPtr& column : table->children) {
      for (const auto& entry : values) {
        if (entry.first == column->name) ordered.push_back(entry);
      }
    }
    for (const auto& entry : values) {
      auto same = std::find_if(ordered.begin(), ordered.end(),
                               [&](const auto& o) { return o.first == entry.first; });
      if (same == ordered.end()) ordered.push_back(entry);
    }
    return ordered;
  }

  // The element an INSERT or UPDATE writes for `column`'s Python-side
  // `default_value` (default= or onupdate=): an expression self-grouped; a
  // value or a callable's result as a bind of the column's type (NULL with
  // literal binds, and "?" offline, without calling the callable, as
  // SQLAlchemy leaves it to execution). `parameters`: the row's values so
  // far, for a callable's context; the computed value joins it.
  Result<ElementPtr> DefaultElement(const ElementPtr& column, const Value& default_value,
                                    Value& parameters) {
    if (DefaultKindOf(default_value) == DefaultKind::kExpression) {
      auto element = ElementOf(c_, default_value);
      if (!element) return element;
      return SelfGroup(*element, "");
    }
    auto bind = std::make_shared<Element>();
    bind->kind = EKind::kBind;
    bind->type = column->type;
    bind->has_else = true;  // carries its value
    if (!options_.literal_binds && !options_.postcompile_in) {
      auto value = DefaultValueFor(c_, default_value, parameters);
      if (!value) return base::Fail(value.error());
      bind->value = *value;
      parameters.AsDict().Set(Value::Str(column->name), *value);
    }
    return ElementPtr(bind);
  }

  // The row's values as a default callable's context reads them
  // (get_current_parameters()): the execution parameters or the values()
  // given as plain values, then each column whose value or callable
  // default is still to be computed, as None.
  Value RowParameters(const std::vector<std::pair<std::string, ElementPtr>>& values,
                      const std::vector<std::pair<ElementPtr, Value>>& defaults) {
    Value parameters = Value::Dict();
    for (const auto& [name, value] : options_.execution) {
      parameters.AsDict().Set(Value::Str(name), value);
    }
    for (const auto& [name, value] : values) {
      if (value->kind == EKind::kBind && (value->has_else || value->name.empty())) {
        parameters.AsDict().Set(Value::Str(name), value->value);
      }
    }
    for (const auto& [column, default_value] : defaults) {
      if (DefaultKindOf(default_value) != DefaultKind::kExpression) {
        parameters.AsDict().Set(Value::Str(column->name), Value::None());
      }
    }
    return parameters;
  }

  // The table's columns not in `given` whose Column has a Python-side
  // default= (an INSERT) or onupdate= (an UPDATE), in table order, each
  // with that default.
  static std::vector<std::pair<ElementPtr, Value>> Defaulted(const ElementPtr& table,
                                                             const std::vector<std::string>& given,
                                                             bool update) {
    std::vector<std::pair<ElementPtr, Value>> out;
    for (const ElementPtr& column : table->children) {
      const Value& default_value = update ? column->onupdate_value : column->default_value;
      if (DefaultKindOf(default_value) == DefaultKind::kNone ||
          std::find(given.begin(), given.end(), column->name) != given.end()) {
        continue;
      }
      out.emplace_back(column, default_value);
    }
    return out;
  }

  // INSERT ... SELECT: with include_defaults, the columns not selected
  // whose Column has a Python-side default join the column list and the
  // SELECT (crud.py's _scan_insert_from_select_cols).
  Result<std::string> InsertFromSelect(const DmlParts& parts, std::string out) {
    std::vector<std::string> names = parts.select_names;
    ElementPtr select = parts.select;
    if (parts.include_defaults) {
      auto extended = std::make_shared<SelectParts>(*select->select);
      const auto defaults = Defaulted(parts.table, names, false);
      Value parameters = RowParameters({}, defaults);
      for (const auto& [column, default_value] : defaults) {
        auto element = DefaultElement(column, default_value, parameters);
        if (!element) return base::Fail(element.error());
        names.push_back(column->name);
        extended->columns.push_back(*element);
      }
      auto copy = std::make_shared<Element>(*select);
      copy->select = extended;
      select = copy;
    }
    std::string list;
    for (const std::string& name : names) {
      list += (list.empty() ? "" : ", ") + ops::SqlalchemyQuote(name);
    }
    enclosing_.back().clear();  // INSERT ... SELECT does not correlate
    auto text = Select(select);
    if (!text) return text;
    return out + " (" + list + ") " + *text;
  }

  // What an INSERT or UPDATE writes (crud.py's _scan_cols): the table's
  // columns in order, each with its value or else its Python-side default
  // (default= for an INSERT, onupdate= for an UPDATE), then the values
  // naming no column of the table.
  Result<std::vector<std::pair<std::string, ElementPtr>>> RowOf(const DmlParts& parts,
                                                                bool update) {
    auto values = DmlValues(parts);
    if (!values) return values;
    std::vector<std::string> given;
    for (const auto& entry : *values) given.push_back(entry.first);
    const auto defaults = Defaulted(parts.table, given, update);
    Value parameters = RowParameters(*values, defaults);
    std::vector<std::pair<std::string, ElementPtr>> row;
    for (const ElementPtr& column : parts.table->children) {
      const auto value = std::find_if(values->begin(), values->end(),
                                      [&](const auto& entry) { return entry.first == column->name; });
      const auto fill = std::find_if(defaults.begin(), defaults.end(),
                                     [&](const auto& entry) { return entry.first == column; });
      if (value != values->end()) {
        row.push_back(*value);
      } else if (fill != defaults.end()) {
        auto element = DefaultElement(column, fill->second, parameters);
        if (!element) return base::Fail(element.error());
        row.emplace_back(column->name, *element);
      }
    }
    for (const auto& entry : *values) {
      if (std::none_of(row.begin(), row.end(),
                       [&](const auto& taken) { return taken.first == entry.first; })) {
        row.push_back(entry);
      }
    }
    return row;
  }

  Result<std::string> Insert(const ElementPtr& element) {
    const DmlParts& parts = *element->dml;
    std::string out = "INSERT INTO " + ops::SqlalchemyQuote(parts.table->name);
    Enclosing scope(enclosing_, {parts.table->name});
    if (parts.select != nullptr) return InsertFromSelect(parts, std::move(out));
    auto row = RowOf(parts, false);
    if (!row) return base::Fail(row.error());
    if (row->empty()) return out + " DEFAULT VALUES";
    std::string names, texts;
    for (const auto& [name, value] : *row) {
      auto text = Visit(SelfGroup(value, ""));
      if (!text) return text;
      names += (names.empty() ? "" : ", ") + ops::SqlalchemyQuote(name);
      texts += (texts.empty() ? "" : ", ") + *text;
    }
    return out + " (" + names + ") VALUES (" + texts + ")";
  }

  Result<std::string> Where(const ElementPtr& where) {
    if (where == nullptr || (where->kind == EKind::kClauseList && where->children.empty())) {
      return std::string();
    }
    auto text = Visit(SelfGroup(where, "BOOL"));
    if (!text) return text;
    return " WHERE " + *text;
  }

  Result<std::string> Update(const ElementPtr& element) {
    const DmlParts& parts = *element->dml;
    Enclosing scope(enclosing_, {parts.table->name});
    auto values = RowOf(parts, true);
    if (!values) return base::Fail(values.error());
    std::string sets;
    for (const auto& [name, value] : *values) {
      auto text = Visit(SelfGroup(value, ""));
      if (!text) return text;
      sets += (sets.empty() ? "" : ", ") + ops::SqlalchemyQuote(name) + "=" + *text;
    }
    auto where = Where(parts.where);
    if (!where) return where;
    return "UPDATE " + ops::SqlalchemyQuote(parts.table->name) + " SET " + sets + *where;
  }

  Result<std::string> Delete(const ElementPtr& element) {
    const DmlParts& parts = *element->dml;
    Enclosing scope(enclosing_, {parts.table->name});
    auto where = Where(parts.where);
    if (!where) return where;
    return "DELETE FROM " + ops::SqlalchemyQuote(parts.table->name) + *where;
  }

  CallContext& c_;
  const CompileOptions& options_;
  std::vector<ops::Literal> parameters_;
  std::map<std::string, int> postcompile_;  // per column: the IN lists written so far
  std::vector<std::set<std::string>> enclosing_;
  std::map<std::string, int> labels_;  // per label stem: the labels written so far
};

}  // namespace

Result<CompiledStatement> Compile(CallContext& context, const ElementPtr& element,
                                  const CompileOptions& options) {
  Compiler compiler(context, options);
  auto sql = compiler.Statement(element);
  if (!sql) return base::Fail(sql.error());
  return CompiledStatement{std::move(*sql), compiler.TakeParameters()};
}

Result<std::string> CompileLiteral(CallContext& context, const ElementPtr& element,
                                   bool include_table) {
  CompileOptions options;
  options.literal_binds = true;
  options.include_table = include_table;
  auto compiled = Compile(context, element, options);
  if (!compiled) return base::Fail(compiled.error());
  return std::move(compiled->sql);
}

std::string SelectLabelStem(const ElementPtr& element) {
  switch (element->kind) {
    case EKind::kColumn:
    case EKind::kLabel:
    case EKind::kLiteralSql:
    case EKind::kText:
    case EKind::kUnary:
    case EKind::kTable:
      return "";
    case EKind::kFunction:
      return element->name.substr(element->name.rfind('.') + 1);
    default:
      return "anon";
  }
}

bool IsStatement(const ElementPtr& element) {
  return element->kind == EKind::kSelect || element->kind == EKind::kInsert ||
         element->kind == EKind::kUpdate || element->kind == EKind::kDelete;
}

bool IsCurrentTimestamp(const ElementPtr& element) {
  return element->kind == EKind::kFunction && element->children.empty() &&
         (element->name == "now" || element->name == "current_timestamp");
}

}  // namespace sqlmend::sqlalchemy
