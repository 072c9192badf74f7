#include "repair/orphan_policy.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/strings.h"
#include "sql/tokenizer.h"

namespace sqlmend::repair {

namespace {

using base::Status;
using schema::Object;
using schema::ObjectType;
using schema::TableKind;

// Each round adds the rows one more CASCADE step away; a chain longer than
// this (only a cycle that keeps growing could make one) is refused.
constexpr int kMaxCascadeRounds = 10000;
// How many keys a refusal names before "and N more".
constexpr int kKeysNamed = 5;

std::string Q(std::string_view name) { return sql::QuoteIdentifier(name); }

// The columns that identify a row of `table` for the gone sets: the rowid
// (through its alias, or the first free name of rowid, _rowid_, oid), or the
// PRIMARY KEY of a WITHOUT ROWID table. Quoted, ready for "alias.<key>".
base::Result<std::vector<std::string>> KeyOf(const Object& table) {
  std::vector<std::pair<int, std::string>> pk;
  for (const auto& c : table.columns) {
    if (c.pk > 0) pk.emplace_back(c.pk, c.name);
  }
  std::sort(pk.begin(), pk.end());
  if (table.without_rowid) {
    std::vector<std::string> key;
    for (const auto& [position, name] : pk) key.push_back(Q(name));
    return key;
  }
  if (table.has_rowid_alias) return std::vector<std::string>{Q(pk.front().second)};
  schema::RowShape shape = schema::ShapeOf(table);
  if (shape.rowid_hidden) {
    return base::Fail(Status::Refused(
        "table " + table.name,
        "its rows cannot be told apart: columns named rowid, _rowid_ and oid hide the rowid"));
  }
  return std::vector<std::string>{shape.rowid};
}

// "a" or "(a, b)": the key as the left side of IN, unqualified.
std::string Bare(const std::vector<std::string>& columns) {
  return columns.size() == 1 ? columns.front() : "(" + base::Join(columns) + ")";
}

// "c.a" or "(c.a, c.b)": the key through `alias`, as the left side of IN.
std::string Qualified(const std::string& alias, const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(alias + "." + c);
  return out.size() == 1 ? out.front() : "(" + base::Join(out) + ")";
}

// "c.a, c.b": the key's columns read through `alias`.
std::string Prefixed(const std::string& alias, const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(alias + "." + c);
  return base::Join(out);
}

// The key columns of a gone table: k0, k1, ...
std::vector<std::string> GoneKeys(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(fmt::format("k{}", i));
  return out;
}

std::string GoneColumns(size_t n) { return base::Join(GoneKeys(n)); }

// The quarantine table's reason column: sqlmend_reason, or the first of
// sqlmend_reason_1, sqlmend_reason_2, ... that no column of `table` has
// (SQLite compares column names case-insensitively in ASCII).
std::string ReasonColumnFor(const Object& table) {
  auto taken = [&table](const std::string& name) {
    return std::any_of(table.columns.begin(), table.columns.end(),
                       [&name](const auto& c) { return sql::AsciiIEquals(c.name, name); });
  };
  std::string name = "sqlmend_reason";
  for (int n = 1; taken(name); ++n) name = fmt::format("sqlmend_reason_{}", n);
  return name;
}

}  // namespace

std::string_view OrphanPolicyName(OrphanPolicy policy) {
  switch (policy) {
    case OrphanPolicy::kKeep: return "keep";
    case OrphanPolicy::kQuarantine: return "quarantine";
    case OrphanPolicy::kNull: return "null";
    case OrphanPolicy::kDelete: return "delete";
  }
  return "keep";
}

std::optional<OrphanPolicy> ParseOrphanPolicy(std::string_view name) {
  for (OrphanPolicy p : {OrphanPolicy::kKeep, OrphanPolicy::kQuarantine, OrphanPolicy::kNull,
                         OrphanPolicy::kDelete}) {
    if (name == OrphanPolicyName(p)) return p;
  }
  return std::nullopt;
}

OrphanPlanner::~OrphanPlanner() { DropTemp(); }

void OrphanPlanner::DropTemp() {
  for (const auto& [table, gone] : gone_) db_.Exec("DROP TABLE IF EXISTS temp." + gone);
  gone_.clear();
  updates_.clear();
}

Status OrphanPlanner::BuildEdges() {
  if (edges_built_) return Status::Ok();
  edges_built_ = true;
  const schema::Schema& schema = analysis_.schema;
  for (const Object& child : schema.objects()) {
    if (child.type != ObjectType::kTable || child.kind != TableKind::kOrdinary) continue;
    for (const schema::ForeignKey& fk : child.foreign_keys) {
      std::string lowered = sql::AsciiLower(fk.parent);
      auto renamed = analysis_.renames.find(lowered);
      std::string parent_name = renamed == analysis_.renames.end() ? fk.parent : renamed->second;
      const Object* parent = schema.FindTableOrView(parent_name);
      if (!parent || parent->type != ObjectType::kTable || parent->kind != TableKind::kOrdinary) {
        continue;  // still dangling, or not a table: nothing SQLite would follow
      }
      Edge edge;
      edge.child = &child;
      edge.parent = parent;
      edge.child_columns = fk.from;
      edge.parent_columns = fk.to;
      if (edge.parent_columns.empty()) {
        std::vector<std::pair<int, std::string>> pk;
        for (const auto& c : parent->columns) {
          if (c.pk > 0) pk.emplace_back(c.pk, c.name);
        }
        std::sort(pk.begin(), pk.end());
        for (const auto& [position, name] : pk) edge.parent_columns.push_back(name);
      }
      if (edge.parent_columns.size() != edge.child_columns.size()) continue;
      edge.on_delete = fk.on_delete;  // foreign_key_list writes it in upper case
      edge.repaired = renamed != analysis_.renames.end();
      edges_.push_back(std::move(edge));
    }
  }
  return Status::Ok();
}

const std::string* OrphanPlanner::FindGone(const Object& table) const {
  for (const auto& [t, gone] : gone_) {
    if (t == &table) return &gone;
  }
  return nullptr;
}

base::Result<std::string> OrphanPlanner::GoneTable(const Object& table) {
  if (const std::string* gone = FindGone(table)) return *gone;
  auto key = KeyOf(table);
  if (!key) return base::Fail(key.error());
  std::string name = fmt::format("sqlmend_gone_{}", gone_.size());
  std::string columns = GoneColumns(key->size());
  SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format(
      "CREATE TEMP TABLE {}({}, reason TEXT, PRIMARY KEY({}))", name, columns, columns)));
  gone_.emplace_back(&table, name);
  return name;
}

base::Result<int64_t> OrphanPlanner::MarkGone(const Object& table, const std::string& where,
                                              const std::string& reason) {
  auto key = KeyOf(table);
  if (!key) return base::Fail(key.error());
  auto gone = GoneTable(table);
  if (!gone) return base::Fail(gone.error());
  auto insert = db_.Prepare(fmt::format(
      "INSERT OR IGNORE INTO temp.{}({}, reason) SELECT {}, ?1 FROM main.{} AS c WHERE {}",
      *gone, GoneColumns(key->size()), Prefixed("c", *key), Q(table.name), where));
  if (!insert) return base::Fail(insert.error());
  insert->Bind(1, reason);
  SQLMEND_RETURN_IF_ERROR(insert->Run());
  return sqlite3_changes64(db_.handle());
}

namespace {

// The declared type's affinity is INTEGER (SQLite's first rule: "INT").
bool IntegerAffinity(const schema::Object& table, const std::string& column) {
  for (const auto& c : table.columns) {
    if (!sql::AsciiIEquals(c.name, column)) continue;
    return sql::AsciiLower(c.type).find("int") != std::string::npos;
  }
  return false;
}

// "c.a IS NOT NULL AND ...": SQLite skips a child row with any NULL key.
std::string KeyNotNull(const std::vector<std::string>& columns) {
  std::vector<std::string> parts;
  for (const auto& c : columns) parts.push_back(fmt::format("c.{} IS NOT NULL", Q(c)));
  return base::Join(parts, " AND ");
}

// "p.x = +c.a AND ...": as foreign_key_check compares (unary + strips the
// child's affinity: the parent column's affinity and collation apply).
std::string KeyMatch(const std::vector<std::string>& child, const std::vector<std::string>& parent) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < child.size(); ++i) {
    parts.push_back(fmt::format("p.{} = +c.{}", Q(parent[i]), Q(child[i])));
  }
  return base::Join(parts, " AND ");
}

}  // namespace

base::Result<OrphanPlan> OrphanPlanner::Plan(OrphanPolicy policy) {
  DropTemp();
  SQLMEND_RETURN_IF_ERROR(BuildEdges());
  OrphanPlan plan;
  plan.policy = policy;
  if (policy == OrphanPolicy::kKeep) return plan;
  auto count = [&](const std::string& sql) { return db_.QueryInt(sql); };
  std::map<std::pair<const Object*, std::string>, size_t> action_of;  // (table, reason)
  auto add_action = [&](const Object& table, const std::string& action, int64_t rows,
                        const std::string& reason) {
    auto key = std::make_pair(&table, action + "\n" + reason);
    auto it = action_of.find(key);
    if (it == action_of.end()) {
      OrphanAction a;
      a.table = table.name;
      a.action = action;
      a.reason = reason;
      if (action == "quarantine") a.into = std::string(kQuarantinePrefix) + table.name;
      it = action_of.emplace(key, plan.actions.size()).first;
      plan.actions.push_back(std::move(a));
    }
    plan.actions[it->second].rows += rows;
  };
  const char* removal = policy == OrphanPolicy::kQuarantine ? "quarantine" : "delete";

  // 1. The orphans of every repaired key: set to NULL, or seed the gone sets.
  for (const Edge& edge : edges_) {
    if (!edge.repaired) continue;
    std::string where = fmt::format(
        "{} AND NOT EXISTS (SELECT 1 FROM main.{} AS p WHERE {})", KeyNotNull(edge.child_columns),
        Q(edge.parent->name), KeyMatch(edge.child_columns, edge.parent_columns));
    std::string reason = fmt::format("orphan: ({}) has no row in {}({})",
                                     base::Join(edge.child_columns), edge.parent->name,
                                     base::Join(edge.parent_columns));
    if (policy == OrphanPolicy::kNull) {
      auto n = count(fmt::format("SELECT count(*) FROM main.{} AS c WHERE {}", Q(edge.child->name), where));
      if (!n) return base::Fail(n.error());
      if (*n == 0) continue;
      for (const std::string& column : edge.child_columns) {
        auto not_null = db_.Prepare("SELECT \"notnull\" FROM pragma_table_info(?1, 'main') WHERE name = ?2");
        if (!not_null) return base::Fail(not_null.error());
        not_null->Bind(1, edge.child->name).Bind(2, column);
        auto row = not_null->Step();
        if (!row) return base::Fail(row.error());
        if (*row && not_null->ColumnInt(0) != 0 && plan.refusal.ok()) {
          plan.refusal = Status::Refused(
              fmt::format("table {}", edge.child->name),
              fmt::format("column {} is NOT NULL, so --orphans null cannot clear its {} orphan "
                          "row{}; use --orphans quarantine or delete",
                          column, *n, *n == 1 ? "" : "s"));
        }
      }
      add_action(*edge.child, "set-null", *n, reason);
      updates_.push_back({&edge, false, where});
      continue;
    }
    auto added = MarkGone(*edge.child, where, reason);
    if (!added) return base::Fail(added.error());
    if (*added > 0) add_action(*edge.child, removal, *added, reason);
  }
  if (policy == OrphanPolicy::kNull) return plan;

  // The rows of `edge.child` that reference a gone row of `edge.parent`.
  auto referencing = [&](const Edge& edge, const std::string& gone_parent) -> base::Result<std::string> {
    auto parent_key = KeyOf(*edge.parent);
    if (!parent_key) return base::Fail(parent_key.error());
    std::string exact = fmt::format(
        "{} AND EXISTS (SELECT 1 FROM main.{} AS p WHERE {} AND {} IN (SELECT {} FROM temp.{}))",
        KeyNotNull(edge.child_columns), Q(edge.parent->name),
        KeyMatch(edge.child_columns, edge.parent_columns), Qualified("p", *parent_key),
        GoneColumns(parent_key->size()), gone_parent);
    bool integer_key = edge.child_columns.size() == 1 &&
                       IntegerAffinity(*edge.child, edge.child_columns[0]) &&
                       IntegerAffinity(*edge.parent, edge.parent_columns[0]);
    if (!integer_key) return exact;
    // NOTE: the exact test above reads every child row. For a single
    // integer key, c.col IN (the gone parents' keys) picks the same rows or
    // more (integer affinity on both sides, no collation) and lets SQLite
    // use an index on the child column, as its own ON DELETE actions do.
    return fmt::format("c.{} IN (SELECT q.{} FROM main.{} AS q WHERE {} IN (SELECT {} FROM temp.{})) AND {}",
                       Q(edge.child_columns[0]), Q(edge.parent_columns[0]),
                       Q(edge.parent->name), Qualified("q", *parent_key),
                       GoneColumns(parent_key->size()), gone_parent, exact);
  };

  // 2. Grow the gone sets along ON DELETE CASCADE until nothing changes.
  for (int round = 0;; ++round) {
    if (round == kMaxCascadeRounds) {
      return base::Fail(Status::Refused("--orphans", "the ON DELETE CASCADE chain does not end"));
    }
    bool changed = false;
    for (const Edge& edge : edges_) {
      if (edge.on_delete != "CASCADE") continue;
      const std::string* gone_parent = FindGone(*edge.parent);
      if (!gone_parent) continue;
      std::string parent_gone = *gone_parent;  // MarkGone below may grow gone_
      auto where = referencing(edge, parent_gone);
      if (!where) return base::Fail(where.error());
      std::string reason = fmt::format("ON DELETE CASCADE from {}", edge.parent->name);
      auto added = MarkGone(*edge.child, *where, reason);
      if (!added) return base::Fail(added.error());
      if (*added > 0) {
        add_action(*edge.child, removal, *added, reason);
        changed = true;
      }
    }
    if (!changed) break;
  }

  // 3. The other actions on children that stay: SET NULL and SET DEFAULT
  //    are planned; NO ACTION and RESTRICT refuse, naming the rows.
  for (const Edge& edge : edges_) {
    if (edge.on_delete == "CASCADE") continue;
    const std::string* gone_parent = FindGone(*edge.parent);
    if (!gone_parent) continue;
    auto where = referencing(edge, *gone_parent);
    if (!where) return base::Fail(where.error());
    auto key = KeyOf(*edge.child);
    if (!key) return base::Fail(key.error());
    if (const std::string* gone_child = FindGone(*edge.child)) {
      *where += fmt::format(" AND {} NOT IN (SELECT {} FROM temp.{})", Qualified("c", *key),
                            GoneColumns(key->size()), *gone_child);
    }
    auto n = count(fmt::format("SELECT count(*) FROM main.{} AS c WHERE {}", Q(edge.child->name), *where));
    if (!n) return base::Fail(n.error());
    if (*n == 0) continue;
    std::string reason = fmt::format("ON DELETE {} from {}", edge.on_delete, edge.parent->name);
    if (edge.on_delete == "SET NULL" || edge.on_delete == "SET DEFAULT") {
      bool to_default = edge.on_delete == "SET DEFAULT";
      add_action(*edge.child, to_default ? "set-default" : "set-null", *n, reason);
      updates_.push_back({&edge, to_default, *where});
      continue;
    }
    if (!plan.refusal.ok()) continue;
    auto keys = db_.Prepare(fmt::format("SELECT {} FROM main.{} AS c WHERE {} LIMIT {}",
                                        Prefixed("c", *key), Q(edge.child->name), *where,
                                        kKeysNamed));
    if (!keys) return base::Fail(keys.error());
    std::vector<std::string> named;
    while (true) {
      auto row = keys->Step();
      if (!row) return base::Fail(row.error());
      if (!*row) break;
      std::vector<std::string> values;
      for (int i = 0; i < keys->ColumnCount(); ++i) values.push_back(keys->ColumnText(i));
      named.push_back(values.size() == 1 ? values.front() : "(" + base::Join(values) + ")");
    }
    std::string more = *n > static_cast<int64_t>(named.size())
                           ? fmt::format(" and {} more", *n - static_cast<int64_t>(named.size()))
                           : "";
    plan.refusal = Status::Refused(
        fmt::format("table {}", edge.child->name),
        fmt::format("{} row{} ({} {}{}) reference rows of {} that --orphans {} would remove, "
                    "through ({}) ON DELETE {}; use --orphans keep or null",
                    *n, *n == 1 ? "" : "s", key->size() == 1 ? *key->begin() : "key",
                    base::Join(named), more, edge.parent->name, OrphanPolicyName(policy),
                    base::Join(edge.child_columns), edge.on_delete.empty() ? "NO ACTION" : edge.on_delete));
  }

  // 4. Quarantine tables must be new.
  if (policy == OrphanPolicy::kQuarantine) {
    for (const auto& [table, gone] : gone_) {
      std::string into = std::string(kQuarantinePrefix) + table->name;
      if (analysis_.schema.FindTableOrView(into) && plan.refusal.ok()) {
        plan.refusal = Status::Refused("table " + into, "already exists; --orphans quarantine "
                                                        "will not mix its rows with those");
      }
    }
  }
  return plan;
}

Status OrphanPlanner::Apply(const OrphanPlan& plan) {
  if (plan.policy == OrphanPolicy::kKeep) return Status::Ok();
  // 1. Quarantine: a copy of each gone row, rowid kept, with its reason.
  if (plan.policy == OrphanPolicy::kQuarantine) {
    for (const auto& [table, gone] : gone_) {
      auto key = KeyOf(*table);
      if (!key) return key.error();
      std::vector<std::string> definitions, columns, values;
      for (const auto& c : table->columns) {
        if (c.hidden == 1) continue;
        definitions.push_back(c.type.empty() ? Q(c.name) : Q(c.name) + " " + c.type);
        columns.push_back(Q(c.name));
        values.push_back("c." + Q(c.name));
      }
      std::string into = std::string(kQuarantinePrefix) + table->name;
      std::string reason = Q(ReasonColumnFor(*table));
      SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format("CREATE TABLE main.{}({}, {} TEXT)", Q(into),
                                                   base::Join(definitions), reason)));
      if (!table->without_rowid) {
        // The quarantine table has the same columns plus the reason (never
        // rowid, _rowid_ or oid), so the same free name reaches its rowid.
        schema::RowShape shape = schema::ShapeOf(*table);
        std::string rowid = shape.rowid.empty() ? "rowid" : shape.rowid;
        columns.insert(columns.begin(), rowid);
        values.insert(values.begin(), "c." + key->front());
      }
      SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format(
          "INSERT INTO main.{}({}, {}) SELECT {}, g.reason FROM main.{} AS c "
          "JOIN temp.{} AS g ON {} = {}",
          Q(into), base::Join(columns), reason, base::Join(values), Q(table->name), gone,
          Qualified("c", *key), Qualified("g", GoneKeys(key->size())))));
    }
  }
  // 2. SET NULL / SET DEFAULT (and --orphans null), while the parents'
  //    gone rows still exist for the conditions to see.
  for (const Update& update : updates_) {
    const Edge& edge = *update.edge;
    auto key = KeyOf(*edge.child);
    if (!key) return key.error();
    std::vector<std::string> sets;
    for (const std::string& column : edge.child_columns) {
      std::string value = "NULL";
      if (update.to_default) {
        auto dflt = db_.Prepare("SELECT dflt_value FROM pragma_table_info(?1, 'main') WHERE name = ?2");
        if (!dflt) return dflt.error();
        dflt->Bind(1, edge.child->name).Bind(2, column);
        auto row = dflt->Step();
        if (!row) return row.error();
        if (*row && !dflt->ColumnIsNull(0)) value = "(" + dflt->ColumnText(0) + ")";
      }
      sets.push_back(fmt::format("{} = {}", Q(column), value));
    }
    SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format(
        "UPDATE main.{} SET {} WHERE {} IN (SELECT {} FROM main.{} AS c WHERE {})",
        Q(edge.child->name), base::Join(sets), Bare(*key), Prefixed("c", *key),
        Q(edge.child->name), update.where)));
  }
  // 3. Remove the gone rows.
  for (const auto& [table, gone] : gone_) {
    auto key = KeyOf(*table);
    if (!key) return key.error();
    SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format(
        "DELETE FROM main.{} WHERE {} IN (SELECT {} FROM temp.{})", Q(table->name), Bare(*key),
        GoneColumns(key->size()), gone)));
  }
  return Status::Ok();
}

}  // namespace sqlmend::repair
