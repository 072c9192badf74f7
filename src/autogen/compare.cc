#include "autogen/compare.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "ops/sqlite_renderer.h"
#include "schema/reflect.h"

namespace sqlmend::autogen {
namespace {

using base::Fail;
using base::Result;
using base::Status;
using Kind = Difference::Kind;

// 'text', for messages.
std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Alembic's _tokenize_column_type: the compiled type, lower-cased, as a
// first word, further words and the arguments in parentheses.
struct TypeParams {
  std::string token0;
  std::vector<std::string> tokens;
  std::vector<std::string> args;
  std::map<std::string, std::string> kwargs;
};

std::string Strip(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\n\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\n\r");
  return text.substr(begin, end - begin + 1);
}

TypeParams Tokenize(const ops::Type& type) {
  std::string definition = ops::CompileSqliteType(type);
  for (char& c : definition) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<std::string> words;
  std::optional<std::string> paren;
  size_t i = 0;
  auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  while (i < definition.size()) {
    char c = definition[i];
    if (word_char(c)) {
      size_t start = i;
      while (i < definition.size() && word_char(definition[i])) ++i;
      words.push_back(definition.substr(start, i - start));
    } else if (c == '(' && i + 2 < definition.size() + 1) {
      size_t close = definition.find(')', i + 2);
      if (close == std::string::npos) {
        ++i;
        continue;
      }
      paren = definition.substr(i, close - i + 1);
      i = close + 1;
    } else {
      ++i;
    }
  }
  TypeParams params;
  if (!words.empty()) params.token0 = words.front();
  for (size_t w = 1; w < words.size(); ++w) params.tokens.push_back(words[w]);
  if (paren) {
    std::string term;
    auto flush = [&] {
      if (term.empty()) return;
      size_t equals = term.find('=');
      if (equals != std::string::npos) {
        params.kwargs[Strip(term.substr(0, equals))] = Strip(term.substr(equals + 1));
      } else {
        params.args.push_back(Strip(term));
      }
      term.clear();
    };
    for (char p : *paren) {
      if (p == '(' || p == ')' || p == ',') {
        flush();
      } else {
        term += p;
      }
    }
    flush();
  }
  return params;
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

// DefaultImpl.compare_type: true when the types differ.
bool TypesDiffer(const ops::Type& database, const ops::Type& model) {
  TypeParams inspected = Tokenize(database);
  TypeParams meta = Tokenize(model);
  bool match = inspected.token0 == meta.token0;
  if (!match) {
    // The one synonym set of the default implementation.
    const std::set<std::string> synonyms = {"numeric", "decimal"};
    std::vector<std::string> all_inspected = {inspected.token0};
    all_inspected.insert(all_inspected.end(), inspected.tokens.begin(), inspected.tokens.end());
    std::vector<std::string> all_meta = {meta.token0};
    all_meta.insert(all_meta.end(), meta.tokens.begin(), meta.tokens.end());
    match = (synonyms.count(Join(all_inspected, " ")) && synonyms.count(Join(all_meta, " "))) ||
            (synonyms.count(inspected.token0) && synonyms.count(meta.token0));
  }
  if (!match) return true;
  if (meta.tokens.size() == inspected.tokens.size() && meta.tokens != inspected.tokens) return true;
  if (meta.args.size() == inspected.args.size() && meta.args != inspected.args) return true;
  return false;
}

// SQLiteImpl.compare_server_default's normalization, applied to both sides
// (see compare.h): the outer parentheses and the quotes of a string go.
std::optional<std::string> NormalizedDefault(const std::optional<ops::ServerDefault>& value) {
  if (!value) return std::nullopt;
  std::string text = value->text;
  if (value->kind == ops::ServerDefault::Kind::kString) return text;
  if (text.size() > 2 && text.front() == '(' && text.back() == ')') {
    text = text.substr(1, text.size() - 2);
  }
  size_t begin = text.size() > 2 && text.front() == '"' ? 1 : 0;
  size_t end = text.size() > 2 && text.back() == '"' ? text.size() - 1 : text.size();
  std::string inner = text.substr(begin, end - begin);
  if (inner.size() > 2 && inner.front() == '\'' && inner.back() == '\'') {
    return inner.substr(1, inner.size() - 2);
  }
  return text;
}

// The default's text as the database holds it (for messages and
// existing_server_default).
std::optional<std::string> DefaultText(const std::optional<ops::ServerDefault>& value) {
  if (!value) return std::nullopt;
  return value->text;
}

std::vector<std::string> IndexColumns(const ops::Index& index) {
  std::vector<std::string> out;
  for (const auto& element : index.elements) out.push_back(element.text);
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

// One index or unique constraint as Alembic's _constraint_sig sees it.
struct Sig {
  bool is_index = false;
  bool is_unique = false;
  std::optional<std::string> name;
  std::vector<std::string> sig;  // sorted column names
  ops::Index index;
  ops::UniqueConstraint unique;
};

std::vector<Sig> Sigs(const ops::Table& table) {
  std::vector<Sig> out;
  for (const auto& constraint : table.constraints) {
    if (constraint.kind != ops::Constraint::Kind::kUnique) continue;
    Sig s;
    s.is_unique = true;
    s.name = constraint.unique.name.value;
    s.sig = Sorted(constraint.unique.columns);
    s.unique = constraint.unique;
    out.push_back(std::move(s));
  }
  for (const auto& index : table.indexes) {
    Sig s;
    s.is_index = true;
    s.is_unique = index.unique;
    s.name = index.name.value;
    s.sig = Sorted(IndexColumns(index));
    s.index = index;
    out.push_back(std::move(s));
  }
  return out;
}

// A foreign key's signature with options, as SQLAlchemy's SQLite reflection
// gives options (_fk_constraint_sig with include_options).
std::vector<std::string> FkSig(const std::string& table, const ops::ForeignKeyConstraint& fk) {
  auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  std::vector<std::string> sig = {table, Join(fk.columns, ","), fk.target_table,
                                  Join(fk.target_columns, ",")};
  auto action = [&](const std::optional<std::string>& value) -> std::string {
    if (!value || lower(*value) == "no action") return "";
    return lower(*value);
  };
  sig.push_back(action(fk.options.onupdate));
  sig.push_back(action(fk.options.ondelete));
  if (fk.options.initially && lower(*fk.options.initially) == "deferred") {
    sig.push_back("initially_deferrable");
  } else if (fk.options.deferrable.value_or(false)) {
    sig.push_back("deferrable");
  } else {
    sig.push_back("not deferrable");
  }
  return sig;
}

// The order SQLAlchemy's MetaData.sorted_tables gives: by name, then each
// table after the tables its foreign keys point at (a cycle keeps the rest
// in name order).
std::vector<size_t> SortedTables(const Model& model) {
  std::vector<size_t> todo(model.tables.size());
  for (size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  std::stable_sort(todo.begin(), todo.end(), [&](size_t a, size_t b) {
    return model.tables[a].table.name < model.tables[b].table.name;
  });
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& t : model.tables) {
    auto& p = parents[t.table.name];
    for (const auto& c : t.table.columns) {
      for (const auto& fk : c.foreign_keys) p.insert(fk.target_table);
    }
    for (const auto& c : t.table.constraints) {
      if (c.kind == ops::Constraint::Kind::kForeignKey) p.insert(c.foreign_key.target_table);
    }
    p.erase(t.table.name);
  }
  std::set<std::string> pending;
  for (size_t i : todo) pending.insert(model.tables[i].table.name);
  std::vector<size_t> out;
  while (!todo.empty()) {
    std::vector<size_t> ready;
    for (size_t i : todo) {
      bool free = true;
      for (const auto& parent : parents[model.tables[i].table.name]) {
        if (pending.count(parent)) free = false;
      }
      if (free) ready.push_back(i);
    }
    if (ready.empty()) ready = todo;  // a cycle
    for (size_t i : ready) pending.erase(model.tables[i].table.name);
    out.insert(out.end(), ready.begin(), ready.end());
    std::vector<size_t> rest;
    for (size_t i : todo) {
      if (pending.count(model.tables[i].table.name)) rest.push_back(i);
    }
    todo = std::move(rest);
  }
  return out;
}

class Comparer {
 public:
  Comparer(const Model& model, sqlite::Db& db, const CompareOptions& options)
      : model_(model), db_(db), options_(options) {}

  Result<Comparison> Run();

 private:
  Result<bool> Include(const std::string& kind, const std::string& name, const std::string& table,
                       bool reflected) {
    if (!options_.filter.include) return true;
    return options_.filter.include(kind, name, table, reflected);
  }
  Status CompareIndexes(const std::string& table, const ops::Table* database,
                        const ops::Table* model);
  Status CompareExpressionIndexes(const std::string& table, const ops::Table* database,
                                  const ops::Table* model);
  Status CompareColumns(const ops::Table& database, const ops::Table& model,
                        const ModelTable& declared);
  Status CompareForeignKeys(const ops::Table& database, const ops::Table& model);
  Difference& Add(Kind kind, const std::string& table) {
    out_.differences.emplace_back();
    out_.differences.back().kind = kind;
    out_.differences.back().table = table;
    return out_.differences.back();
  }

  const Model& model_;
  sqlite::Db& db_;
  const CompareOptions& options_;
  sqlite::Db model_db_;
  std::set<std::string> database_tables_;
  Comparison out_;
};

Result<Comparison> Comparer::Run() {
  // The models as SQLAlchemy would create them, in a database of their own.
  auto opened = sqlite::Db::Open(":memory:", sqlite::OpenMode::kCreate);
  if (!opened) return Fail(opened.error());
  model_db_ = std::move(*opened);
  ops::RenderOptions render;
  render.metadata = model_.metadata;
  // One transaction for every CREATE: each would otherwise commit and
  // reload the schema on its own.
  SQLMEND_RETURN_IF_ERROR(model_db_.Exec("BEGIN"));
  std::map<std::string, size_t> model_index;
  for (size_t i = 0; i < model_.tables.size(); ++i) {
    const ModelTable& t = model_.tables[i];
    model_index[t.table.name] = i;
    auto statements = ops::RenderSqlite(ops::CreateTable{t.table}, render);
    if (!statements) {
      return Fail(Status::Refused(t.table.name, "the model's table " + Quote(t.table.name) +
                                                    " cannot be created on SQLite: " +
                                                    statements.error().message()));
    }
    for (const auto& statement : *statements) {
      if (Status st = model_db_.Exec(statement); !st.ok()) {
        return Fail(Status::Refused(t.table.name, "the model's table " + Quote(t.table.name) +
                                                      " cannot be created on SQLite: " +
                                                      st.message()));
      }
    }
  }

  SQLMEND_RETURN_IF_ERROR(model_db_.Exec("COMMIT"));

  auto names = schema::ObjectNames(db_, false);
  if (!names) return Fail(names.error());
  for (const auto& name : *names) {
    if (name != options_.version_table) database_tables_.insert(name);
  }

  // Added tables, in dependency order.
  for (size_t i : SortedTables(model_)) {
    const ModelTable& t = model_.tables[i];
    if (database_tables_.count(t.table.name) || t.table.name == options_.version_table) continue;
    auto keep = Include("table", t.table.name, "", false);
    if (!keep) return Fail(keep.error());
    if (!*keep) continue;
    Add(Kind::kAddTable, t.table.name).model_table = i;
    out_.log.push_back("Detected added table " + Quote(t.table.name));
    // A table being created brings its constraints along: only its
    // indexes are compared.
    auto reflected = schema::ReflectIndexes(model_db_, t.table.name);
    if (!reflected) return Fail(reflected.error());
    SQLMEND_RETURN_IF_ERROR(CompareIndexes(t.table.name, nullptr, &*reflected));
  }

  // Removed tables, sorted, each after its indexes.
  for (const auto& name : database_tables_) {
    if (model_index.count(name)) continue;
    auto reflected = schema::ReflectTable(db_, name);
    if (!reflected) return Fail(reflected.error());
    auto keep = Include("table", name, "", true);
    if (!keep) return Fail(keep.error());
    if (!*keep) continue;
    SQLMEND_RETURN_IF_ERROR(CompareIndexes(name, &*reflected, nullptr));
    Add(Kind::kRemoveTable, name).reflected_table = *reflected;
    out_.log.push_back("Detected removed table " + Quote(name));
  }

  // Tables on both sides, sorted.
  for (const auto& name : database_tables_) {
    auto found = model_index.find(name);
    if (found == model_index.end()) continue;
    const ModelTable& declared = model_.tables[found->second];
    auto keep = Include("table", name, "", false);
    if (!keep) return Fail(keep.error());
    if (!*keep) continue;
    auto database = schema::ReflectTable(db_, name);
    if (!database) return Fail(database.error());
    auto model = schema::ReflectTable(model_db_, name);
    if (!model) return Fail(model.error());
    SQLMEND_RETURN_IF_ERROR(CompareColumns(*database, *model, declared));
    SQLMEND_RETURN_IF_ERROR(CompareIndexes(name, &*database, &*model));
    SQLMEND_RETURN_IF_ERROR(CompareForeignKeys(*database, *model));
    // Removed columns come after the table's other changes, sorted.
    std::set<std::string> model_columns;
    for (const auto& c : model->columns) model_columns.insert(c.name);
    std::vector<const ops::Column*> removed;
    for (const auto& c : database->columns) {
      if (!model_columns.count(c.name)) removed.push_back(&c);
    }
    std::sort(removed.begin(), removed.end(),
              [](const ops::Column* a, const ops::Column* b) { return a->name < b->name; });
    for (const ops::Column* c : removed) {
      auto keep_column = Include("column", c->name, name, true);
      if (!keep_column) return Fail(keep_column.error());
      if (!*keep_column) continue;
      Difference& d = Add(Kind::kRemoveColumn, name);
      d.column = c->name;
      d.reflected_column = *c;
      out_.log.push_back("Detected removed column '" + name + "." + c->name + "'");
    }
  }
  return std::move(out_);
}

Status Comparer::CompareColumns(const ops::Table& database, const ops::Table& model,
                                const ModelTable& declared) {
  const std::string& table = database.name;
  std::map<std::string, const ops::Column*> database_columns;
  for (const auto& c : database.columns) database_columns[c.name] = &c;
  std::vector<std::string> names;
  for (const auto& c : model.columns) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  auto declared_index = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < declared.table.columns.size(); ++i) {
      if (declared.table.columns[i].name == name) return i;
    }
    return std::nullopt;
  };
  // Added, in name order.
  for (const auto& name : names) {
    if (database_columns.count(name)) continue;
    auto keep = Include("column", name, table, false);
    if (!keep) return keep.error();
    if (!*keep) continue;
    Difference& d = Add(Kind::kAddColumn, table);
    d.column = name;
    d.model_column = declared_index(name);
    out_.log.push_back("Detected added column '" + table + "." + name + "'");
  }
  // Changed, in name order.
  for (const auto& name : names) {
    auto found = database_columns.find(name);
    if (found == database_columns.end()) continue;
    const ops::Column& conn = *found->second;
    const ops::Column* meta = nullptr;
    for (const auto& c : model.columns) {
      if (c.name == name) meta = &c;
    }
    auto keep = Include("column", name, table, false);
    if (!keep) return keep.error();
    if (!*keep) continue;
    std::optional<size_t> index = declared_index(name);
    const ops::Type& model_type = index ? declared.table.columns[*index].type : meta->type;
    const bool conn_nullable = conn.nullable.value_or(true);
    const bool meta_nullable = meta->nullable.value_or(true);
    auto fill = [&](Difference& d) {
      d.column = name;
      d.model_column = index;
      d.existing_type = conn.type;
      d.type = model_type;
      d.existing_nullable = conn_nullable;
      d.nullable = meta_nullable;
      d.existing_default = DefaultText(conn.server_default);
      d.server_default = index ? declared.table.columns[*index].server_default
                               : meta->server_default;
    };
    if (options_.compare_type && !conn.type.IsNull() && !model_type.IsNull() &&
        TypesDiffer(conn.type, model_type)) {
      fill(Add(Kind::kModifyType, table));
      out_.log.push_back("Detected type change from " + ops::CompileSqliteType(conn.type) +
                         " to " + ops::CompileSqliteType(model_type) + " on '" + table + "." +
                         name + "'");
    }
    if (options_.compare_server_default &&
        NormalizedDefault(conn.server_default) != NormalizedDefault(meta->server_default)) {
      fill(Add(Kind::kModifyDefault, table));
      out_.log.push_back("Detected server default on column '" + table + "." + name + "'");
    }
    if (conn_nullable != meta_nullable) {
      fill(Add(Kind::kModifyNullable, table));
      out_.log.push_back(std::string("Detected ") + (meta_nullable ? "NULL" : "NOT NULL") +
                         " on column '" + table + "." + name + "'");
    }
  }
  return Status::Ok();
}

Status Comparer::CompareIndexes(const std::string& table, const ops::Table* database,
                                const ops::Table* model) {
  const bool is_create = database == nullptr;
  const bool is_drop = model == nullptr;
  std::vector<Sig> conn = database ? Sigs(*database) : std::vector<Sig>{};
  std::vector<Sig> meta = model ? Sigs(*model) : std::vector<Sig>{};
  if (is_drop) {
    conn.erase(std::remove_if(conn.begin(), conn.end(), [](const Sig& s) { return !s.is_index; }),
               conn.end());
  }
  std::map<std::string, const Sig*> meta_names;
  std::map<std::vector<std::string>, const Sig*> unnamed_meta_uniques;
  std::set<std::vector<std::string>> meta_index_sigs;
  std::set<std::vector<std::string>> meta_unique_sigs;
  for (const Sig& s : meta) {
    if (s.name) meta_names[*s.name] = &s;
    if (!s.is_index && !s.name) unnamed_meta_uniques.emplace(s.sig, &s);
    (s.is_index ? meta_index_sigs : meta_unique_sigs).insert(s.sig);
  }
  std::map<std::string, const Sig*> conn_names;
  std::map<std::string, const Sig*> conn_uniques_by_name;
  std::map<std::string, const Sig*> conn_indexes_by_name;
  std::set<std::vector<std::string>> conn_unique_sigs;
  for (const Sig& s : conn) {
    if (s.name) conn_names[*s.name] = &s;
    if (s.name) (s.is_index ? conn_indexes_by_name : conn_uniques_by_name)[*s.name] = &s;
    if (!s.is_index) conn_unique_sigs.insert(s.sig);
  }

  auto added = [&](const Sig& s) -> Status {
    if (s.is_index) {
      auto keep = Include("index", s.name.value_or(""), table, false);
      if (!keep) return keep.error();
      if (!*keep) return Status::Ok();
      Add(Kind::kAddIndex, table).index = s.index;
      out_.log.push_back("Detected added index '" + s.name.value_or("") + "' on '" + table + "'");
      return Status::Ok();
    }
    if (is_create || is_drop) return Status::Ok();
    auto keep = Include("unique_constraint", s.name.value_or(""), table, false);
    if (!keep) return keep.error();
    if (!*keep) return Status::Ok();
    Add(Kind::kAddUnique, table).unique = s.unique;
    out_.log.push_back("Detected added unique constraint '" + s.name.value_or("None") + "' on '" +
                       table + "'");
    return Status::Ok();
  };
  auto removed = [&](const Sig& s) -> Status {
    if (s.is_index) {
      auto keep = Include("index", s.name.value_or(""), table, true);
      if (!keep) return keep.error();
      if (!*keep) return Status::Ok();
      Add(Kind::kRemoveIndex, table).index = s.index;
      out_.log.push_back("Detected removed index '" + s.name.value_or("") + "' on '" + table + "'");
      return Status::Ok();
    }
    if (is_create || is_drop) return Status::Ok();
    auto keep = Include("unique_constraint", s.name.value_or(""), table, true);
    if (!keep) return keep.error();
    if (!*keep) return Status::Ok();
    Add(Kind::kRemoveUnique, table).unique = s.unique;
    out_.log.push_back("Detected removed unique constraint '" + s.name.value_or("None") +
                       "' on '" + table + "'");
    return Status::Ok();
  };

  for (const auto& [name, s] : conn_names) {
    if (meta_names.count(name)) continue;
    if (!s->is_index && unnamed_meta_uniques.count(s->sig)) continue;
    const bool doubled = conn_uniques_by_name.count(name) && conn_indexes_by_name.count(name);
    if (doubled) {
      if (!meta_index_sigs.count(s->sig) && !meta_unique_sigs.count(s->sig)) {
        SQLMEND_RETURN_IF_ERROR(removed(*conn_uniques_by_name[name]));
        SQLMEND_RETURN_IF_ERROR(removed(*conn_indexes_by_name[name]));
      }
    } else {
      SQLMEND_RETURN_IF_ERROR(removed(*s));
    }
  }
  for (const auto& [name, m] : meta_names) {
    auto found = conn_names.find(name);
    if (found == conn_names.end()) continue;
    const Sig* c = found->second;
    if (conn_uniques_by_name.count(name) && conn_indexes_by_name.count(name)) {
      c = m->is_index ? conn_indexes_by_name[name] : conn_uniques_by_name[name];
    }
    if (c->is_index != m->is_index) {
      SQLMEND_RETURN_IF_ERROR(removed(*c));
      SQLMEND_RETURN_IF_ERROR(added(*m));
    } else if (c->is_unique != m->is_unique || c->sig != m->sig) {
      SQLMEND_RETURN_IF_ERROR(removed(*c));
      SQLMEND_RETURN_IF_ERROR(added(*m));
    }
  }
  for (const auto& [name, m] : meta_names) {
    if (!conn_names.count(name)) SQLMEND_RETURN_IF_ERROR(added(*m));
  }
  for (const auto& [sig, m] : unnamed_meta_uniques) {
    if (!conn_unique_sigs.count(sig)) SQLMEND_RETURN_IF_ERROR(added(*m));
  }
  return CompareExpressionIndexes(table, database, model);
}

Status Comparer::CompareExpressionIndexes(const std::string& table, const ops::Table* database,
                                          const ops::Table* model) {
  std::map<std::string, std::string> conn, meta;
  if (database != nullptr) {
    auto found = schema::ExpressionIndexSql(db_, *database);
    if (!found) return found.error();
    conn = std::move(*found);
  }
  if (model != nullptr) {
    auto found = schema::ExpressionIndexSql(model_db_, *model);
    if (!found) return found.error();
    meta = std::move(*found);
  }
  // The model's own Index objects, for their elements.
  const ModelTable* declared = nullptr;
  for (const auto& t : model_.tables) {
    if (t.table.name == table) declared = &t;
  }
  auto model_index = [&](const std::string& name) {
    ops::Index index;
    index.name = ops::ConstraintName::Of(name);
    index.table = table;
    if (declared != nullptr) {
      for (const auto& i : declared->table.indexes) {
        if (i.name.value == name) {
          index = i;
          index.name = ops::ConstraintName::Of(name);
        }
      }
    }
    return index;
  };
  auto database_index = [&](const std::string& name, const std::string& sql) {
    ops::Index index;
    index.name = ops::ConstraintName::Of(name);
    index.table = table;
    index.unique = sql.rfind("CREATE UNIQUE", 0) == 0;
    size_t open = sql.find('(');
    size_t close = sql.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      index.elements.push_back(ops::IndexElement::Expression(sql.substr(open + 1, close - open - 1)));
    }
    return index;
  };
  for (const auto& [name, sql] : conn) {
    auto found = meta.find(name);
    if (found != meta.end() && found->second == sql) continue;
    if (model == nullptr || found == meta.end() || found->second != sql) {
      auto keep = Include("index", name, table, true);
      if (!keep) return keep.error();
      if (!*keep) continue;
      Add(Kind::kRemoveIndex, table).index = database_index(name, sql);
      out_.log.push_back("Detected removed index '" + name + "' on '" + table + "'");
    }
  }
  for (const auto& [name, sql] : meta) {
    auto found = conn.find(name);
    if (found != conn.end() && found->second == sql) continue;
    auto keep = Include("index", name, table, false);
    if (!keep) return keep.error();
    if (!*keep) continue;
    Add(Kind::kAddIndex, table).index = model_index(name);
    out_.log.push_back("Detected added index '" + name + "' on '" + table + "'");
  }
  return Status::Ok();
}

Status Comparer::CompareForeignKeys(const ops::Table& database, const ops::Table& model) {
  const std::string& table = database.name;
  std::map<std::vector<std::string>, const ops::ForeignKeyConstraint*> conn, meta;
  for (const auto& c : database.constraints) {
    if (c.kind != ops::Constraint::Kind::kForeignKey) continue;
    if (!database_tables_.count(c.foreign_key.target_table) &&
        c.foreign_key.target_table != table) {
      // Alembic reflects the referred table and fails; this is the damage
      // sqlmend fix-fk repairs.
      Difference& d = Add(Kind::kDanglingForeignKey, table);
      d.foreign_key = c.foreign_key;
      out_.log.push_back("Detected a foreign key of '" + table + "' to missing table '" +
                         c.foreign_key.target_table + "'");
      continue;
    }
    conn.emplace(FkSig(table, c.foreign_key), &c.foreign_key);
  }
  for (const auto& c : model.constraints) {
    if (c.kind != ops::Constraint::Kind::kForeignKey) continue;
    meta.emplace(FkSig(table, c.foreign_key), &c.foreign_key);
  }
  for (const auto& [sig, fk] : conn) {
    if (meta.count(sig)) continue;
    auto keep = Include("foreign_key_constraint", fk->name.value.value_or(""), table, true);
    if (!keep) return keep.error();
    if (!*keep) continue;
    Add(Kind::kRemoveForeignKey, table).foreign_key = *fk;
    out_.log.push_back("Detected removed foreign key (" + Join(fk->columns, ", ") + ")(" +
                       Join(fk->target_columns, ", ") + ") on table " + table);
  }
  for (const auto& [sig, fk] : meta) {
    if (conn.count(sig)) continue;
    auto keep = Include("foreign_key_constraint", fk->name.value.value_or(""), table, false);
    if (!keep) return keep.error();
    if (!*keep) continue;
    Add(Kind::kAddForeignKey, table).foreign_key = *fk;
    out_.log.push_back("Detected added foreign key (" + Join(fk->columns, ", ") + ")(" +
                       Join(fk->target_columns, ", ") + ") on table " + table);
  }
  return Status::Ok();
}

}  // namespace

bool Nullable(const ops::Table& table, const ops::Column& column) {
  if (column.nullable) return *column.nullable;
  bool primary_key = column.primary_key;
  if (table.primary_key) {
    for (const auto& name : table.primary_key->columns) primary_key |= name == column.name;
  }
  return !primary_key;
}

std::string KindName(Difference::Kind kind) {
  switch (kind) {
    case Kind::kAddTable: return "add_table";
    case Kind::kRemoveTable: return "remove_table";
    case Kind::kAddColumn: return "add_column";
    case Kind::kRemoveColumn: return "remove_column";
    case Kind::kModifyNullable: return "modify_nullable";
    case Kind::kModifyType: return "modify_type";
    case Kind::kModifyDefault: return "modify_default";
    case Kind::kAddIndex: return "add_index";
    case Kind::kRemoveIndex: return "remove_index";
    case Kind::kAddUnique: return "add_constraint";
    case Kind::kRemoveUnique: return "remove_constraint";
    case Kind::kAddForeignKey: return "add_fk";
    case Kind::kRemoveForeignKey: return "remove_fk";
    case Kind::kDanglingForeignKey: return "dangling_fk";
  }
  return "";
}

Result<Comparison> Compare(const Model& model, sqlite::Db& db, const CompareOptions& options) {
  Comparer comparer(model, db, options);
  return comparer.Run();
}

}  // namespace sqlmend::autogen
