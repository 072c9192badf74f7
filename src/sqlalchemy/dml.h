// table.insert(), table.update() and table.delete() of a sa.table() /
// sa.Table, as revision files pass them to op.execute() or
// op.get_bind().execute() for data migrations:
//
//   op.execute(item_table.delete())
//   op.execute(accounts.update().where(sa.text("kind = 'x'")).values(kind="y"))
//   op.execute(accounts.insert().values(id=1, name="Operating"))
//
// A statement compiles to SQLite SQL with positional parameters ("?"), in
// SQLAlchemy's spelling: "INSERT INTO t (a, b) VALUES (?, ?)",
// "UPDATE t SET a=?, b=?", "DELETE FROM t", with " WHERE <clause>" when
// where() was given an sa.text() clause. NOTE: where() with Python column
// expressions (t.c.x == 5) is not modelled; it raises Unsupported.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "python/value.h"

namespace sqlmend::sqlalchemy {

class DmlValue : public python::HostObject {
 public:
  enum class Kind { kInsert, kUpdate, kDelete };
  DmlValue(Kind kind, std::string table) : kind_(kind), table_(std::move(table)) {}
  std::string TypeName() const override;
  // values(**kw) / values({...}) and where(sa.text(...)) return a new
  // statement, as SQLAlchemy's generative methods do.
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;

  // The SQL and its values in parameter order.
  std::string Sql() const;
  const std::vector<std::pair<std::string, python::Value>>& values() const { return values_; }

 private:
  Kind kind_;
  std::string table_;
  std::vector<std::pair<std::string, python::Value>> values_;
  std::optional<std::string> where_;
};

// The statement method `name` ("insert", "update", "delete") of the table
// called `table`, or nullopt for another name.
std::optional<python::Value> DmlMethod(const std::string& table, std::string_view name);

// The DmlValue `value` holds, or nullptr.
const DmlValue* AsDml(const python::Value& value);

}  // namespace sqlmend::sqlalchemy
