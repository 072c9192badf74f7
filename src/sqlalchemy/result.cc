#include "sqlalchemy/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/public_names.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;
using Columns = std::shared_ptr<const std::vector<std::string>>;

class RowValue : public HostObject {
 public:
  RowValue(Columns columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}
  std::string TypeName() const override { return "Row"; }
  std::string Repr() const override {
    std::string out = "(";
    for (size_t i = 0; i < values_.size(); ++i) {
      if (i > 0) out += ", ";
      out += python::Repr(values_[i]);
    }
    return out + (values_.size() == 1 ? ",)" : ")");
  }

  Value Mapping() const {
    Value dict = Value::Dict();
    for (size_t i = 0; i < values_.size() && i < columns_->size(); ++i) {
      dict.AsDict().Set(Value::Str((*columns_)[i]), values_[i]);
    }
    return dict;
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "_mapping") return Mapping();
    if (name == "_fields") return Fields();
    if (name == "_asdict") {
      Value mapping = Mapping();
      return Value::Builtin("_asdict", [mapping](CallContext&, Args&) -> Result<Value> {
        return mapping;
      });
    }
    if (name == "keys") {
      Value fields = Fields();
      return Value::Builtin("keys", [fields](CallContext&, Args&) -> Result<Value> {
        return Value::List(fields.Items());
      });
    }
    // LegacyRow's deprecated mapping methods, which 1.x revisions call on
    // rows of conn.execute(select([...])).
    if (name == "items") {
      std::vector<Value> pairs;
      for (size_t i = 0; i < columns_->size() && i < values_.size(); ++i) {
        pairs.push_back(Value::Tuple({Value::Str((*columns_)[i]), values_[i]}));
      }
      Value items = Value::List(std::move(pairs));
      return Value::Builtin("items", [items](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "items", a, 0, 0));
        return Value::List(items.Items());
      });
    }
    if (name == "values" || name == "itervalues" || name == "iterkeys") {
      Value listed = name == "iterkeys" ? Value::List(Fields().Items()) : Value::List(values_);
      std::string function(name);
      return Value::Builtin(function, [listed, function](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, 0, 0));
        return Value::List(listed.Items());
      });
    }
    if (name == "has_key") {
      Value fields = Fields();
      return Value::Builtin("has_key", [fields](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "has_key", a, 1, 1));
        for (const Value& field : fields.Items()) {
          if (a.positional[0].Is(Kind::kStr) && field.AsStr() == a.positional[0].AsStr()) {
            return Value::Bool(true);
          }
        }
        return Value::Bool(false);
      });
    }
    if (name == "_tuple") {
      Value tuple = Value::Tuple(values_);
      return Value::Builtin("_tuple", [tuple](CallContext&, Args&) -> Result<Value> {
        return tuple;
      });
    }
    for (size_t i = 0; i < columns_->size() && i < values_.size(); ++i) {
      if ((*columns_)[i] == name) return values_[i];
    }
    return std::nullopt;
  }

  Result<Value> GetItem(CallContext& context, const Value& key) override {
    if (key.Is(Kind::kInt) || key.Is(Kind::kBool)) {
      int64_t index = key.Is(Kind::kBool) ? key.AsBool() : key.AsInt();
      const auto size = static_cast<int64_t>(values_.size());
      if (index < 0) index += size;
      if (index < 0 || index >= size) {
        return base::Fail(context.Throw("IndexError", "tuple index out of range"));
      }
      return values_[static_cast<size_t>(index)];
    }
    if (key.Is(Kind::kStr)) {
      for (size_t i = 0; i < columns_->size() && i < values_.size(); ++i) {
        if ((*columns_)[i] == key.AsStr()) return values_[i];
      }
      return base::Fail(context.Throw("KeyError", key.AsStr()));
    }
    return base::Fail(context.Throw("TypeError", "row indices must be integers or column names, not " +
                                                     key.TypeName()));
  }

  Result<std::vector<Value>> Iterate(CallContext&) override { return values_; }

  std::optional<Result<Value>> Operator(CallContext& context, std::string_view op,
                                        const Value& other, bool reflected) override {
    if (op != "==" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=") {
      return std::nullopt;
    }
    Value right = other;
    if (other.Is(Kind::kHost)) {
      auto* row = dynamic_cast<RowValue*>(&other.AsHost());
      if (row == nullptr) return std::nullopt;
      right = Value::Tuple(row->values_);
    }
    if (!right.Is(Kind::kTuple)) {
      if (op == "==") return Value::Bool(false);
      if (op == "!=") return Value::Bool(true);
      return std::nullopt;
    }
    Value self = Value::Tuple(values_);
    return reflected ? context.Operate(op, right, self) : context.Operate(op, self, right);
  }

  const std::vector<Value>& values() const { return values_; }

 private:
  Value Fields() const {
    std::vector<Value> names;
    for (const std::string& column : *columns_) names.push_back(Value::Str(column));
    return Value::Tuple(std::move(names));
  }

  Columns columns_;
  std::vector<Value> values_;
};

// The rows of a result, shared by the result and its scalars() and
// mappings() views: fetching from one consumes them for all, as in
// SQLAlchemy.
struct Cursor {
  Columns columns;
  std::vector<Value> rows;  // RowValue hosts
  size_t position = 0;
  bool closed = false;
};

enum class View { kRows, kScalars, kMappings };

class ResultValue : public HostObject {
 public:
  ResultValue(std::shared_ptr<Cursor> cursor, View view, size_t scalar_index, int64_t rowcount,
              int64_t last_insert_rowid)
      : cursor_(std::move(cursor)),
        view_(view),
        scalar_index_(scalar_index),
        rowcount_(rowcount),
        last_insert_rowid_(last_insert_rowid) {}

  std::string TypeName() const override {
    switch (view_) {
      case View::kScalars:
        return "ScalarResult";
      case View::kMappings:
        return "MappingResult";
      case View::kRows:
        break;
    }
    return "CursorResult";
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "rowcount") return Value::Int(rowcount_);
    if (name == "lastrowid") return Value::Int(last_insert_rowid_);
    if (name == "inserted_primary_key") {
      return Value::Tuple({Value::Int(last_insert_rowid_)});
    }
    if (name == "returns_rows") return Value::Bool(!cursor_->columns->empty());
    auto self = std::make_shared<ResultValue>(*this);
    auto method = [&](std::string function, auto body) -> Value {
      return Value::Builtin(function, [self, body, function](CallContext& c,
                                                             Args& a) -> Result<Value> {
        return body(*self, c, a, function);
      });
    };
    if (name == "fetchall" || name == "all") {
      return method(std::string(name), [](ResultValue& r, CallContext& c, Args& a,
                                          const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 0));
        return Value::List(r.Take(c, SIZE_MAX));
      });
    }
    if (name == "fetchone") {
      return method("fetchone", [](ResultValue& r, CallContext& c, Args& a,
                                   const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 0));
        auto rows = r.Take(c, 1);
        return rows.empty() ? Value::None() : rows.front();
      });
    }
    if (name == "fetchmany") {
      return method("fetchmany", [](ResultValue& r, CallContext& c, Args& a,
                                    const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 1, {"size"}));
        const Value* size = a.positional.empty() ? python::KeywordArg(a, "size")
                                                 : &a.positional[0];
        size_t count = 1;
        if (size != nullptr && size->Is(Kind::kInt)) {
          count = size->AsInt() < 0 ? 0 : static_cast<size_t>(size->AsInt());
        }
        return Value::List(r.Take(c, count));
      });
    }
    if (name == "first") {
      return method("first", [](ResultValue& r, CallContext& c, Args& a,
                                const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 0));
        auto rows = r.Take(c, 1);
        r.cursor_->closed = true;
        return rows.empty() ? Value::None() : rows.front();
      });
    }
    if (name == "scalar") {
      return method("scalar", [](ResultValue& r, CallContext& c, Args& a,
                                 const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 0));
        auto rows = r.TakeRows(1);
        r.cursor_->closed = true;
        if (rows.empty()) return Value::None();
        return r.ScalarOf(c, rows.front(), 0);
      });
    }
    if (name == "one" || name == "one_or_none" || name == "scalar_one" ||
        name == "scalar_one_or_none") {
      const bool scalar = name.starts_with("scalar");
      const bool or_none = name.ends_with("or_none");
      return method(std::string(name), [scalar, or_none](ResultValue& r, CallContext& c,
                                                         Args& a,
                                                         const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, 0));
        auto rows = r.TakeRows(SIZE_MAX);
        r.cursor_->closed = true;
        if (rows.empty()) {
          if (or_none) return Value::None();
          return base::Fail(ThrowSqlalchemyError(c, "NoResultFound", "No row was found when one was required"));
        }
        if (rows.size() > 1) {
          return base::Fail(ThrowSqlalchemyError(c, "MultipleResultsFound",
                                    "Multiple rows were found when exactly one was required"));
        }
        if (scalar) return r.ScalarOf(c, rows.front(), 0);
        return r.Shape(c, rows.front());
      });
    }
    if (name == "scalars" || name == "mappings" || name == "columns") {
      const View view = name == "mappings" ? View::kMappings : View::kScalars;
      return method(std::string(name), [view](ResultValue& r, CallContext& c, Args& a,
                                              const std::string& f) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, f, a, 0, view == View::kScalars ? 1 : 0));
        size_t index = 0;
        if (!a.positional.empty()) {
          auto found = r.ColumnIndex(c, a.positional[0]);
          if (!found) return base::Fail(found.error());
          index = *found;
        }
        return Value::Host(std::make_shared<ResultValue>(r.cursor_, view, index, r.rowcount_,
                                                         r.last_insert_rowid_));
      });
    }
    if (name == "keys") {
      Columns columns = cursor_->columns;
      return Value::Builtin("keys", [columns](CallContext&, Args&) -> Result<Value> {
        std::vector<Value> names;
        for (const std::string& column : *columns) names.push_back(Value::Str(column));
        return Value::List(std::move(names));
      });
    }
    if (name == "close") {
      return method("close", [](ResultValue& r, CallContext&, Args&,
                                const std::string&) -> Result<Value> {
        r.cursor_->closed = true;
        return Value::None();
      });
    }
    return std::nullopt;
  }

  Result<std::vector<Value>> Iterate(CallContext& context) override {
    return Take(context, SIZE_MAX);
  }

 private:
  std::vector<Value> TakeRows(size_t count) {
    std::vector<Value> out;
    if (cursor_->closed) return out;
    while (count-- > 0 && cursor_->position < cursor_->rows.size()) {
      out.push_back(cursor_->rows[cursor_->position++]);
    }
    return out;
  }

  Result<Value> ScalarOf(CallContext& context, const Value& row, size_t index) {
    const auto& values = dynamic_cast<RowValue&>(row.AsHost()).values();
    if (index >= values.size()) {
      return base::Fail(context.Throw("IndexError", "tuple index out of range"));
    }
    return values[index];
  }

  Result<Value> Shape(CallContext& context, const Value& row) {
    switch (view_) {
      case View::kScalars:
        return ScalarOf(context, row, scalar_index_);
      case View::kMappings:
        return dynamic_cast<RowValue&>(row.AsHost()).Mapping();
      case View::kRows:
        break;
    }
    return row;
  }

  std::vector<Value> Take(CallContext& context, size_t count) {
    std::vector<Value> out;
    for (Value& row : TakeRows(count)) {
      auto shaped = Shape(context, row);
      out.push_back(shaped ? std::move(*shaped) : Value::None());
    }
    return out;
  }

  Result<size_t> ColumnIndex(CallContext& context, const Value& key) {
    if (key.Is(Kind::kInt)) {
      if (key.AsInt() < 0 || static_cast<size_t>(key.AsInt()) >= cursor_->columns->size()) {
        return base::Fail(context.Throw("IndexError", "index out of range"));
      }
      return static_cast<size_t>(key.AsInt());
    }
    if (key.Is(Kind::kStr)) {
      for (size_t i = 0; i < cursor_->columns->size(); ++i) {
        if ((*cursor_->columns)[i] == key.AsStr()) return i;
      }
    }
    return base::Fail(ThrowSqlalchemyError(context, "NoSuchColumnError",
                                    "Could not locate column in row for column '" +
                                        python::ToStr(key) + "'"));
  }

  std::shared_ptr<Cursor> cursor_;
  View view_;
  size_t scalar_index_;
  int64_t rowcount_;
  int64_t last_insert_rowid_;
};

}  // namespace

Value MakeRow(Columns columns, std::vector<Value> values) {
  return Value::Host(std::make_shared<RowValue>(std::move(columns), std::move(values)));
}

Result<Value> MakeResult(CallContext& context, ResultSet rows, const std::vector<Value>& types) {
  auto cursor = std::make_shared<Cursor>();
  cursor->columns = std::make_shared<const std::vector<std::string>>(std::move(rows.columns));
  cursor->rows.reserve(rows.rows.size());
  for (const std::vector<Cell>& cells : rows.rows) {
    std::vector<Value> values;
    values.reserve(cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      auto value = ResultValueOf(context, i < types.size() ? types[i] : Value::None(), cells[i]);
      if (!value) return value;
      values.push_back(std::move(*value));
    }
    cursor->rows.push_back(MakeRow(cursor->columns, std::move(values)));
  }
  return Value::Host(std::make_shared<ResultValue>(std::move(cursor), View::kRows, 0,
                                                   rows.rowcount, rows.last_insert_rowid));
}

}  // namespace sqlmend::sqlalchemy
