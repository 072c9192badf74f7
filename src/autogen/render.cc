#include "autogen/render.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "autogen/model.h"
#include "python/value.h"

namespace sqlmend::autogen {
namespace {

using base::Fail;
using base::Result;
using base::Status;
using Kind = Difference::Kind;

std::string PyStr(const std::string& text) { return PythonStr(text); }

std::string PyList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + PyStr(items[i]);
  return out + "]";
}

std::string PyBool(bool value) { return value ? "True" : "False"; }

// SQLiteImpl._guess_if_default_is_unparenthesized_sql_expr.
bool LooksUnparenthesized(const std::string& text) {
  if (text.empty()) return false;
  if (text.size() == 1 && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '.')) {
    return false;
  }
  if (text.size() > 2 && text.front() == '\'' && text.back() == '\'') return false;
  if (text.size() > 2 && text.front() == '(' && text.back() == ')') return false;
  return true;
}

std::string ServerDefaultRepr(const ops::ServerDefault& value) {
  using SK = ops::ServerDefault::Kind;
  if (value.kind == SK::kString) return PyStr(value.text);
  std::string sql = value.kind == SK::kNow ? "CURRENT_TIMESTAMP" : value.text;
  if (LooksUnparenthesized(sql)) sql = "(" + sql + ")";
  return "sa.text(" + PyStr(sql) + ")";
}

// One table-level part of a rendering: the name as Alembic writes it.
struct Namer {
  const ops::MetaData& metadata;
  // The name of a model object: op.f() when a convention gave it (or
  // conv), the string when the model gave it, None without one.
  std::string Model(const ops::ConstraintName& given, const ops::NamingSubject& subject,
                    const std::string& prefix) const {
    if (given.conv && given.value) return prefix + "f(" + PyStr(*given.value) + ")";
    auto resolved = ops::ResolveConstraintName(metadata, subject);
    if (!resolved || !*resolved) return given.value ? PyStr(*given.value) : "None";
    if (given.value && **resolved == *given.value) return PyStr(*given.value);
    return prefix + "f(" + PyStr(**resolved) + ")";
  }
};

std::string Reflected(const ops::ConstraintName& name) {
  return name.value ? PyStr(*name.value) : "None";
}

class Renderer {
 public:
  Renderer(const Model& model, bool batch) : model_(model), batch_(batch), namer_{model.metadata} {}

  Result<RenderedRevision> Run(const Comparison& comparison);

 private:
  // One operation of Alembic's tree.
  struct Op {
    Kind kind;
    const Difference* difference = nullptr;
    // An alter_column: which of the column's differences it carries.
    const Difference* type = nullptr;
    const Difference* nullable = nullptr;
    const Difference* server_default = nullptr;
  };
  struct Group {
    bool modify = false;  // a ModifyTableOps (else one create/drop table)
    std::string table;
    std::vector<Op> ops;
  };

  std::string Prefix(bool in_batch) const { return in_batch ? "batch_op." : "op."; }
  const ModelTable* ModelTableNamed(const std::string& name) const {
    for (const auto& t : model_.tables) {
      if (t.table.name == name) return &t;
    }
    return nullptr;
  }
  std::string Type(const ModelTable* table, const ops::Column* column, const ops::Type& type,
                   bool reflected) {
    ModelColumnType repr;
    if (!reflected && table != nullptr && column != nullptr) {
      for (size_t i = 0; i < table->table.columns.size(); ++i) {
        if (table->table.columns[i].name == column->name) repr = table->types[i];
      }
    }
    if (repr.repr.empty()) repr = ReflectedTypeRepr(type);
    for (auto& i : repr.imports) imports_.insert(i);
    return repr.repr;
  }
  std::string Column(const ModelTable* table, const ops::Table& owner, const ops::Column& column,
                     bool reflected) {
    std::string out = "sa.Column(" + PyStr(column.name) + ", " +
                      Type(table, &column, column.type, reflected);
    if (column.server_default) out += ", server_default=" + ServerDefaultRepr(*column.server_default);
    if (!reflected && column.autoincrement != ops::Autoincrement::kAuto) {
      out += std::string(", autoincrement=") +
             (column.autoincrement == ops::Autoincrement::kTrue ? "True" : "False");
    }
    const bool nullable = Nullable(owner, column);
    return out + ", nullable=" + PyBool(nullable) + ")";
  }
  std::string ForeignKeyOptions(const ops::ForeignKeyOptions& options) {
    std::string out;
    if (options.onupdate) out += ", onupdate=" + PyStr(*options.onupdate);
    if (options.ondelete) out += ", ondelete=" + PyStr(*options.ondelete);
    if (options.initially) out += ", initially=" + PyStr(*options.initially);
    if (options.deferrable) out += ", deferrable=" + PyBool(*options.deferrable);
    return out;
  }
  Result<std::string> CreateTable(const ops::Table& table, const ModelTable* model, bool reflected);
  Result<std::vector<std::string>> RenderOp(const Op& op, bool reverse, bool in_batch);
  std::string IndexName(const ops::Index& index, bool from_model, bool in_batch) {
    if (!from_model) return Reflected(index.name);
    ops::NamingSubject subject;
    subject.kind = "ix";
    subject.table = index.table;
    const ModelTable* t = ModelTableNamed(index.table);
    // The model declared this name itself when one of its Index objects
    // carries it (index=True columns never do).
    ops::ConstraintName given;
    if (t != nullptr) {
      for (const auto& declared : t->table.indexes) {
        if (declared.name.value == index.name.value) given = declared.name;
      }
    }
    for (const auto& e : index.elements) subject.columns.push_back(e.text);
    subject.name = given;
    if (!given.value) {
      return Prefix(in_batch) + "f(" + PyStr(index.name.value.value_or("")) + ")";
    }
    return namer_.Model(given, subject, Prefix(in_batch));
  }
  std::string ConstraintNameFromModel(const ops::ConstraintName& reflected_name,
                                      const std::string& table, bool in_batch,
                                      bool unique) {
    if (!reflected_name.value) return "None";
    const ModelTable* t = ModelTableNamed(table);
    if (t != nullptr) {
      for (const auto& c : t->table.constraints) {
        const ops::ConstraintName& n = unique ? c.unique.name : c.foreign_key.name;
        if ((unique ? c.kind == ops::Constraint::Kind::kUnique
                    : c.kind == ops::Constraint::Kind::kForeignKey) &&
            n.value == reflected_name.value && !n.conv) {
          return PyStr(*n.value);
        }
      }
      for (const auto& col : t->table.columns) {
        for (const auto& fk : col.foreign_keys) {
          if (!unique && fk.name.value == reflected_name.value && !fk.name.conv) {
            return PyStr(*fk.name.value);
          }
        }
      }
    }
    return Prefix(in_batch) + "f(" + PyStr(*reflected_name.value) + ")";
  }

  const Model& model_;
  bool batch_;
  Namer namer_;
  std::set<std::string> imports_;
};

Result<std::string> Renderer::CreateTable(const ops::Table& table, const ModelTable* model,
                                          bool reflected) {
  std::vector<std::string> columns;
  for (const auto& c : table.columns) columns.push_back(Column(model, table, c, reflected));
  std::vector<std::string> constraints;
  // The primary key.
  std::vector<std::string> pk_columns;
  ops::ConstraintName pk_name;
  if (table.primary_key) {
    pk_columns = table.primary_key->columns;
    pk_name = table.primary_key->name;
  } else {
    for (const auto& c : table.columns) {
      if (c.primary_key) pk_columns.push_back(c.name);
    }
  }
  auto name_of = [&](const ops::ConstraintName& given, ops::NamingSubject subject) {
    if (reflected) return Reflected(given);
    subject.table = table.name;
    subject.name = given;
    subject.referred_table_known = true;
    return namer_.Model(given, subject, "op.");
  };
  if (!pk_columns.empty()) {
    std::string out = "sa.PrimaryKeyConstraint(";
    for (size_t i = 0; i < pk_columns.size(); ++i) out += (i ? ", " : "") + PyStr(pk_columns[i]);
    std::string name = name_of(pk_name, {"pk", "", {}, pk_columns, "", {}, true});
    if (name != "None") out += ", name=" + name;
    constraints.push_back(out + ")");
  }
  auto foreign_key = [&](const std::vector<std::string>& cols, const std::string& target,
                         const std::vector<std::string>& target_cols,
                         const ops::ForeignKeyOptions& options, const ops::ConstraintName& given) {
    std::vector<std::string> refs;
    for (const auto& c : target_cols) refs.push_back(target + "." + c);
    std::string args;
    std::string name = name_of(given, {"fk", "", {}, cols, target, target_cols, true});
    if (name != "None") args = "name=" + name;
    std::string opts = ForeignKeyOptions(options);
    if (!opts.empty()) args += args.empty() ? opts.substr(2) : opts;
    std::string cols_text, refs_text;
    for (size_t i = 0; i < cols.size(); ++i) cols_text += (i ? ", " : "") + PyStr(cols[i]);
    for (size_t i = 0; i < refs.size(); ++i) refs_text += (i ? ", " : "") + PyStr(refs[i]);
    constraints.push_back("sa.ForeignKeyConstraint([" + cols_text + "], [" + refs_text + "], " +
                          args + ")");
  };
  auto unique = [&](const std::vector<std::string>& cols, const ops::ConstraintName& given) {
    std::string out = "sa.UniqueConstraint(";
    for (size_t i = 0; i < cols.size(); ++i) out += (i ? ", " : "") + PyStr(cols[i]);
    std::string name = name_of(given, {"uq", "", {}, cols, "", {}, true});
    if (name != "None") out += ", name=" + name;
    constraints.push_back(out + ")");
  };
  for (const auto& c : table.constraints) {
    switch (c.kind) {
      case ops::Constraint::Kind::kForeignKey:
        foreign_key(c.foreign_key.columns, c.foreign_key.target_table, c.foreign_key.target_columns,
                    c.foreign_key.options, c.foreign_key.name);
        break;
      case ops::Constraint::Kind::kUnique:
        unique(c.unique.columns, c.unique.name);
        break;
      case ops::Constraint::Kind::kCheck: {
        std::string out = "sa.CheckConstraint(" + PyStr(c.check.sqltext);
        std::string name = name_of(c.check.name, {"ck", "", {}, {}, "", {}, true});
        if (name != "None") out += ", name=" + name;
        constraints.push_back(out + ")");
        break;
      }
      case ops::Constraint::Kind::kPrimaryKey:
        break;
    }
  }
  for (const auto& column : table.columns) {
    if (column.unique && !column.index) unique({column.name}, ops::ConstraintName::None());
    for (const auto& fk : column.foreign_keys) {
      foreign_key({column.name}, fk.target_table, {fk.target_column}, fk.options, fk.name);
    }
  }
  std::sort(constraints.begin(), constraints.end());
  std::string out = "op.create_table(" + PyStr(table.name) + ",\n";
  std::vector<std::string> args = columns;
  args.insert(args.end(), constraints.begin(), constraints.end());
  for (size_t i = 0; i < args.size(); ++i) out += (i ? ",\n" : "") + args[i];
  if (table.sqlite_autoincrement && !reflected) out += ",\nsqlite_autoincrement=True";
  return out + "\n)";
}

Result<std::vector<std::string>> Renderer::RenderOp(const Op& op, bool reverse, bool in_batch) {
  const Difference& d = *op.difference;
  const std::string p = Prefix(in_batch);
  const std::string table_arg = in_batch ? "" : PyStr(d.table) + ", ";
  Kind kind = op.kind;
  if (reverse) {
    static const std::map<Kind, Kind> kInverse = {
        {Kind::kAddTable, Kind::kRemoveTable},     {Kind::kRemoveTable, Kind::kAddTable},
        {Kind::kAddColumn, Kind::kRemoveColumn},   {Kind::kRemoveColumn, Kind::kAddColumn},
        {Kind::kAddIndex, Kind::kRemoveIndex},     {Kind::kRemoveIndex, Kind::kAddIndex},
        {Kind::kAddUnique, Kind::kRemoveUnique},   {Kind::kRemoveUnique, Kind::kAddUnique},
        {Kind::kAddForeignKey, Kind::kRemoveForeignKey},
        {Kind::kRemoveForeignKey, Kind::kAddForeignKey},
    };
    auto found = kInverse.find(kind);
    if (found != kInverse.end()) kind = found->second;
  }
  // Whether the object the rendered op names is the model's: an add, and
  // in the downgrade its inverse (the drop names it as the model does).
  const bool from_model = (op.kind == Kind::kAddTable || op.kind == Kind::kAddColumn ||
                           op.kind == Kind::kAddIndex || op.kind == Kind::kAddUnique ||
                           op.kind == Kind::kAddForeignKey);
  switch (kind) {
    case Kind::kAddTable: {
      if (from_model) {
        const ModelTable& t = model_.tables[*d.model_table];
        auto text = CreateTable(t.table, &t, false);
        if (!text) return Fail(text.error());
        return std::vector<std::string>{*text};
      }
      auto text = CreateTable(d.reflected_table, nullptr, true);
      if (!text) return Fail(text.error());
      return std::vector<std::string>{*text};
    }
    case Kind::kRemoveTable:
      return std::vector<std::string>{"op.drop_table(" + PyStr(d.table) + ")"};
    case Kind::kAddColumn: {
      if (from_model) {
        const ModelTable* t = ModelTableNamed(d.table);
        const ops::Column& c = t->table.columns[*d.model_column];
        return std::vector<std::string>{p + "add_column(" + table_arg + Column(t, t->table, c, false) + ")"};
      }
      return std::vector<std::string>{
          p + "add_column(" + table_arg + Column(nullptr, ops::Table{}, d.reflected_column, true) +
          ")"};
    }
    case Kind::kRemoveColumn:
      return std::vector<std::string>{p + "drop_column(" + table_arg + PyStr(d.column) + ")"};
    case Kind::kAddIndex: {
      std::string columns;
      std::string where;
      for (size_t i = 0; i < d.index.elements.size(); ++i) {
        const auto& e = d.index.elements[i];
        columns += (i ? ", " : "") + (e.is_expression ? "sa.text(" + PyStr(e.text) + ")" : PyStr(e.text));
      }
      if (d.index.sqlite_where) where = ", sqlite_where=sa.text(" + PyStr(*d.index.sqlite_where) + ")";
      return std::vector<std::string>{p + "create_index(" + IndexName(d.index, from_model, in_batch) +
                                      ", " + table_arg + "[" + columns + "], unique=" +
                                      PyBool(d.index.unique) + where + ")"};
    }
    case Kind::kRemoveIndex: {
      std::string name = IndexName(d.index, from_model, in_batch);
      if (in_batch) return std::vector<std::string>{p + "drop_index(" + name + ")"};
      return std::vector<std::string>{p + "drop_index(" + name + ", table_name=" + PyStr(d.table) + ")"};
    }
    case Kind::kAddUnique:
    case Kind::kRemoveUnique: {
      std::string name = from_model ? ConstraintNameFromModel(d.unique.name, d.table, in_batch, true)
                                    : Reflected(d.unique.name);
      if (in_batch && name == "None") {
        const std::string what = "the unique constraint on " + d.table + " (" +
                                 PyList(d.unique.columns) + ") has no name, and batch mode cannot " +
                                 (kind == Kind::kAddUnique ? "create" : "drop");
        if (!from_model) {
          return Fail(Status::Refused(
              d.table, what + " it: the database holds it unnamed; write this step by hand, "
                              "giving batch_alter_table() a naming_convention that names it"));
        }
        return Fail(Status::Refused(
            d.table, what + " it: name it (name=...), or give the MetaData a naming_convention "
                            "with a \"uq\" key"));
      }
      if (kind == Kind::kAddUnique) {
        return std::vector<std::string>{p + "create_unique_constraint(" + name + ", " + table_arg +
                                        PyList(d.unique.columns) + ")"};
      }
      return std::vector<std::string>{p + "drop_constraint(" + name + ", " + table_arg +
                                      "type_='unique')"};
    }
    case Kind::kAddForeignKey:
    case Kind::kRemoveForeignKey: {
      const ops::ForeignKeyConstraint& fk = d.foreign_key;
      std::string name = from_model ? ConstraintNameFromModel(fk.name, d.table, in_batch, false)
                                    : Reflected(fk.name);
      if (in_batch && name == "None") {
        const std::string what = "the foreign key " + d.table + " (" + PyList(fk.columns) +
                                 ") -> " + fk.target_table + " has no name, and batch mode cannot ";
        if (!from_model) {
          return Fail(Status::Refused(
              d.table, what + (kind == Kind::kAddForeignKey ? "create" : "drop") +
                           " it: the database holds it unnamed; write this step by hand, "
                           "giving batch_alter_table() a naming_convention that names it"));
        }
        return Fail(Status::Refused(
            d.table, what + (kind == Kind::kAddForeignKey ? "create" : "drop") +
                         " it: name it (name=...), or give the MetaData a naming_convention "
                         "with an \"fk\" key"));
      }
      if (kind == Kind::kAddForeignKey) {
        return std::vector<std::string>{p + "create_foreign_key(" + name + ", " + table_arg +
                                        PyStr(fk.target_table) + ", " + PyList(fk.columns) + ", " +
                                        PyList(fk.target_columns) + ForeignKeyOptions(fk.options) +
                                        ")"};
      }
      return std::vector<std::string>{p + "drop_constraint(" + name + ", " + table_arg +
                                      "type_='foreignkey')"};
    }
    case Kind::kModifyType:
    case Kind::kModifyNullable:
    case Kind::kModifyDefault: {
      const std::string indent = ",\n" + std::string(11, ' ');
      const ModelTable* t = ModelTableNamed(d.table);
      const ops::Column* model_column =
          t != nullptr && d.model_column ? &t->table.columns[*d.model_column] : nullptr;
      auto model_type = [&] { return Type(t, model_column, d.type, false); };
      auto database_type = [&] { return Type(nullptr, nullptr, d.existing_type, true); };
      auto text_default = [](const std::optional<std::string>& text) {
        return text ? ServerDefaultRepr(ops::ServerDefault::SqlText(*text)) : std::string("None");
      };
      std::string out = p + "alter_column(" + table_arg + PyStr(d.column);
      // Reversed, the type it had is the model's only when the type changed.
      out += indent + "existing_type=" + (reverse && op.type ? model_type() : database_type());
      auto model_default = [&] {
        return d.server_default ? ServerDefaultRepr(*d.server_default) : std::string("None");
      };
      if (op.server_default) {
        out += indent + "server_default=" + (reverse ? text_default(d.existing_default) : model_default());
      }
      if (op.type) out += indent + "type_=" + (reverse ? database_type() : model_type());
      if (op.nullable) out += indent + "nullable=" + PyBool(reverse ? d.existing_nullable : d.nullable);
      if (!op.nullable) {
        out += indent + "existing_nullable=" + PyBool(reverse ? d.nullable : d.existing_nullable);
      }
      if (!op.server_default && !reverse && d.existing_default) {
        out += indent + "existing_server_default=" + text_default(d.existing_default);
      }
      if (!op.server_default && reverse && d.server_default) {
        out += indent + "existing_server_default=" + model_default();
      }
      return std::vector<std::string>{out + ")"};
    }
    case Kind::kDanglingForeignKey:
      break;
  }
  return std::vector<std::string>{};
}

// Alembic's PythonPrinter and _indent: each op's first line at the block's
// indentation, its other lines as written; every line then indented by 4
// and the whole stripped.
std::string Body(const std::vector<std::pair<int, std::string>>& lines) {
  std::string text = "# ### commands auto generated by Alembic - please adjust! ###\n";
  if (lines.empty()) text += "pass\n";
  for (const auto& [depth, line] : lines) text += std::string(static_cast<size_t>(depth) * 4, ' ') + line + "\n";
  text += "# ### end Alembic commands ###";
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string indented = "    " + line;
    while (!indented.empty() && indented.back() == ' ') indented.pop_back();
    out += indented;
    if (end == std::string::npos) break;
    out += "\n";
    start = end + 1;
  }
  size_t first = out.find_first_not_of(" \n");
  return first == std::string::npos ? "" : out.substr(first);
}

Result<RenderedRevision> Renderer::Run(const Comparison& comparison) {
  // Alembic's op tree: create/drop table at the top, every other change in
  // a ModifyTableOps per run of one table's changes.
  std::vector<Group> groups;
  for (const Difference& d : comparison.differences) {
    if (d.kind == Kind::kDanglingForeignKey) continue;
    if (d.kind == Kind::kAddTable || d.kind == Kind::kRemoveTable) {
      groups.push_back({false, d.table, {{d.kind, &d}}});
      continue;
    }
    if (groups.empty() || !groups.back().modify || groups.back().table != d.table) {
      groups.push_back({true, d.table, {}});
    }
    auto& ops = groups.back().ops;
    const bool modify = d.kind == Kind::kModifyType || d.kind == Kind::kModifyNullable ||
                        d.kind == Kind::kModifyDefault;
    if (modify) {
      if (ops.empty() || ops.back().difference->column != d.column ||
          (ops.back().kind != Kind::kModifyType && ops.back().kind != Kind::kModifyNullable &&
           ops.back().kind != Kind::kModifyDefault)) {
        ops.push_back({d.kind, &d});
      }
      Op& alter = ops.back();
      if (d.kind == Kind::kModifyType) alter.type = &d;
      if (d.kind == Kind::kModifyNullable) alter.nullable = &d;
      if (d.kind == Kind::kModifyDefault) alter.server_default = &d;
      continue;
    }
    ops.push_back({d.kind, &d});
  }

  auto render = [&](bool reverse) -> Result<std::string> {
    std::vector<std::pair<int, std::string>> lines;
    std::vector<const Group*> order;
    for (const auto& g : groups) order.push_back(&g);
    if (reverse) std::reverse(order.begin(), order.end());
    for (const Group* g : order) {
      std::vector<const Op*> ops;
      for (const auto& o : g->ops) ops.push_back(&o);
      if (reverse) std::reverse(ops.begin(), ops.end());
      const bool in_batch = g->modify && batch_;
      if (in_batch) {
        lines.emplace_back(0, "with op.batch_alter_table(" + PyStr(g->table) +
                                  ", schema=None) as batch_op:");
      }
      for (const Op* o : ops) {
        auto rendered = RenderOp(*o, reverse, in_batch);
        if (!rendered) return Fail(rendered.error());
        for (auto& line : *rendered) lines.emplace_back(in_batch ? 1 : 0, std::move(line));
      }
      if (in_batch) lines.emplace_back(-1, "");
    }
    // A batch block ends with an empty line, as Alembic's "<<" leaves it.
    std::vector<std::pair<int, std::string>> kept;
    for (auto& [depth, line] : lines) {
      if (depth < 0) {
        kept.emplace_back(0, "");
        continue;
      }
      kept.emplace_back(depth, std::move(line));
    }
    return Body(kept);
  };
  RenderedRevision out;
  auto up = render(false);
  if (!up) return Fail(up.error());
  auto down = render(true);
  if (!down) return Fail(down.error());
  out.upgrades = std::move(*up);
  out.downgrades = std::move(*down);
  for (const auto& i : imports_) out.imports += (out.imports.empty() ? "" : "\n") + i;
  return out;
}

}  // namespace

Result<RenderedRevision> RenderRevision(const Model& model, const Comparison& comparison,
                                        bool render_as_batch) {
  Renderer renderer(model, render_as_batch);
  return renderer.Run(comparison);
}

}  // namespace sqlmend::autogen
