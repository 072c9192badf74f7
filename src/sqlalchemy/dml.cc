#include "sqlalchemy/dml.h"

#include "ops/identifier_preparer.h"
#include "sqlalchemy/sql.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::ToStr;
using python::Value;

using base::Result;

std::string DmlValue::TypeName() const {
  switch (kind_) {
    case Kind::kInsert:
      return "Insert";
    case Kind::kUpdate:
      return "Update";
    case Kind::kDelete:
      return "Delete";
  }
  return "Delete";
}

std::string DmlValue::Sql() const {
  const std::string table = ops::SqlalchemyQuote(table_);
  std::string sql;
  if (kind_ == Kind::kInsert) {
    std::string columns, marks;
    for (const auto& [name, value] : values_) {
      columns += (columns.empty() ? "" : ", ") + ops::SqlalchemyQuote(name);
      marks += marks.empty() ? "?" : ", ?";
    }
    sql = values_.empty() ? "INSERT INTO " + table + " DEFAULT VALUES"
                          : "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
  } else if (kind_ == Kind::kUpdate) {
    std::string sets;
    for (const auto& [name, value] : values_) {
      sets += (sets.empty() ? "" : ", ") + ops::SqlalchemyQuote(name) + "=?";
    }
    sql = "UPDATE " + table + " SET " + sets;
  } else {
    sql = "DELETE FROM " + table;
  }
  if (where_) sql += " WHERE " + *where_;
  return sql;
}

std::optional<Result<Value>> DmlValue::GetAttribute(CallContext&, std::string_view name) {
  auto self = std::make_shared<DmlValue>(*this);
  if (name == "values" && kind_ != Kind::kDelete) {
    return Value::Builtin("values", [self](CallContext& c, Args& args) -> Result<Value> {
      auto next = std::make_shared<DmlValue>(*self);
      for (const Value& item : args.positional) {
        if (!item.Is(Value::Kind::kDict)) {
          return base::Fail(c.Unsupported("unsupported: values() with a " + item.TypeName() +
                                          " (sqlmend takes keywords or one dict)"));
        }
        for (const auto& [key, value] : item.AsDict().entries) {
          next->values_.emplace_back(ToStr(key), value);
        }
      }
      for (auto& [key, value] : args.keywords) next->values_.emplace_back(key, value);
      return Value::Host(next);
    });
  }
  if (name == "where" && kind_ != Kind::kInsert) {
    return Value::Builtin("where", [self](CallContext& c, Args& args) -> Result<Value> {
      auto next = std::make_shared<DmlValue>(*self);
      for (const Value& clause : args.positional) {
        const TextValue* text = AsText(clause);
        if (text == nullptr || !text->binds().empty()) {
          return base::Fail(
              c.Unsupported("unsupported: where() with a " + clause.TypeName() +
                            " (sqlmend compiles where(sa.text(\"...\")) without bind values)"));
        }
        next->where_ = next->where_ ? *next->where_ + " AND " + text->sql() : text->sql();
      }
      return Value::Host(next);
    });
  }
  if (name == "execution_options") {
    return Value::Builtin("execution_options", [self](CallContext&, Args&) -> Result<Value> {
      return Value::Host(self);
    });
  }
  return std::nullopt;
}

std::optional<Value> DmlMethod(const std::string& table, std::string_view name) {
  DmlValue::Kind kind;
  if (name == "insert") {
    kind = DmlValue::Kind::kInsert;
  } else if (name == "update") {
    kind = DmlValue::Kind::kUpdate;
  } else if (name == "delete") {
    kind = DmlValue::Kind::kDelete;
  } else {
    return std::nullopt;
  }
  return Value::Builtin(std::string(name), [table, kind](CallContext&, Args&) -> Result<Value> {
    return Value::Host(std::make_shared<DmlValue>(kind, table));
  });
}

const DmlValue* AsDml(const Value& value) {
  if (!value.Is(Value::Kind::kHost)) return nullptr;
  return dynamic_cast<const DmlValue*>(&value.AsHost());
}

}  // namespace sqlmend::sqlalchemy
