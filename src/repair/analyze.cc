#include "repair/analyze.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "sql/tokenizer.h"
#include "sqlite/unknown_functions.h"

namespace sqlmend::repair {

namespace {

using schema::Object;
using schema::ObjectType;
using schema::TableKind;

// Bounds the probe loop: each round resolves or sets aside one object.
constexpr int kMaxProbeRounds = 10000;

// Probe database: an in-memory copy of the schema's tables, views and
// triggers, enough for SQLite's rename check to resolve every name. It runs
// the file's own SQL, so it is opened as an untrusted file is (sqlite/db.h):
// defensive, trusted_schema=OFF, the limits, no extensions.
class ProbeDb {
 public:
  ProbeDb() {
    auto opened = sqlite::Db::Open(":memory:", sqlite::OpenMode::kCreate);
    if (!opened) return;
    db_ = std::move(*opened);
    // Every table created here takes a root page, held in memory until the
    // probe closes, and never a row: SQLite's smallest page keeps a schema
    // of 10,000 tables to a few MB (with 4 KiB pages it took 44 MB).
    db_.Exec("PRAGMA page_size=512");
  }
  ProbeDb(const ProbeDb&) = delete;

  // Returns SQLite's message on failure, empty on success. A function the
  // application defines (a CHECK calling REGEXP) gets a placeholder, so the
  // copy resolves every name the file's own schema does.
  std::string Exec(const std::string& sql) {
    if (!db_.handle()) return "cannot open an in-memory database";
    return sqlite::ExecDefiningUnknownFunctions(db_.handle(), sql);
  }

  // Compiles `sql` without running it; returns SQLite's message, empty when
  // it compiles.
  std::string Compile(const std::string& sql) {
    if (!db_.handle()) return "cannot open an in-memory database";
    auto stmt = db_.Prepare(sql);
    return stmt ? "" : stmt.error().message();
  }

  // Loads the tables (virtual ones through their module) of `objects`.
  // sqlite_sequence and sqlite_stat1 cannot be created by name: an
  // AUTOINCREMENT table and ANALYZE bring them, so views over them resolve.
  void LoadTables(const std::vector<Object>& objects,
                  const std::function<const std::string&(const Object&)>& sql_for) {
    for (const Object& o : objects) {
      if (o.name == "sqlite_sequence") {
        Exec("CREATE TABLE sqlmend_autoincrement(x INTEGER PRIMARY KEY AUTOINCREMENT)");
      } else if (o.name.rfind("sqlite_stat", 0) == 0) {
        Exec("ANALYZE sqlite_schema");
      }
    }
    for (const Object& o : objects) {
      if (o.type != ObjectType::kTable || o.sql.empty()) continue;
      if (o.kind == TableKind::kShadow || o.kind == TableKind::kInternal) continue;
      std::string message = Exec(sql_for(o));
      if (!message.empty() && o.kind == TableKind::kVirtual) {
        // A module this build lacks: a placeholder keeps views over it
        // resolvable by name (their columns cannot be checked here).
        Exec("CREATE TABLE " + sql::QuoteIdentifier(o.name) + "(sqlmend_placeholder)");
      }
    }
  }

  // Creates a view or trigger; returns SQLite's message on failure.
  std::string Create(const std::string& sql) { return Exec(sql); }

  void Drop(const Object& o) {
    Exec(fmt::format("DROP {} IF EXISTS {}", schema::ObjectTypeName(o.type),
                     sql::QuoteIdentifier(o.name)));
  }

  // The non-legacy rename check: every view and trigger is re-resolved.
  // Returns SQLite's message, empty when the schema is consistent.
  std::string RenameProbe() {
    std::string message = Exec(
        "CREATE TABLE IF NOT EXISTS sqlmend_rename_probe(x);"
        "ALTER TABLE sqlmend_rename_probe RENAME TO sqlmend_rename_probe_2;");
    if (message.empty()) Exec("DROP TABLE sqlmend_rename_probe_2");
    else Exec("DROP TABLE IF EXISTS sqlmend_rename_probe");
    return message;
  }

  // Compiles the view (LIMIT 0: no row is computed, so a placeholder
  // function is resolved but never called).
  std::string PrepareView(const Object& o) {
    return Exec("SELECT * FROM " + sql::QuoteIdentifier(o.name) + " LIMIT 0");
  }

  // Where the schema calls a function it may not be trusted with
  // (load_extension(), fts3_tokenizer(): SQLITE_DIRECTONLY): compiles, never
  // runs, each view and the writes that would run each table's CHECKs,
  // DEFAULTs, generated columns, expression indexes and triggers. One line
  // per object, "view v: unsafe use of load_extension()".
  std::vector<std::string> UnsafeUses(const std::vector<Object>& objects,
                                      const std::set<std::string>& set_aside) {
    std::vector<std::string> lines;
    for (const Object& o : objects) {
      if (set_aside.count(o.name) || o.sql.empty()) continue;
      std::string name = sql::QuoteIdentifier(o.name);
      std::vector<std::string> statements;
      if (o.type == ObjectType::kView) {
        statements = {"SELECT * FROM " + name, "INSERT INTO " + name + " DEFAULT VALUES",
                      "DELETE FROM " + name};
      } else if (o.type == ObjectType::kTable && o.kind == TableKind::kOrdinary) {
        statements = {"INSERT INTO " + name + " DEFAULT VALUES", "DELETE FROM " + name};
        std::string sets;
        for (const std::string& column : schema::ShapeOf(o).columns) {
          std::string quoted = sql::QuoteIdentifier(column);
          sets += (sets.empty() ? "" : ", ") + quoted + " = " + quoted;
        }
        if (!sets.empty()) statements.push_back("UPDATE " + name + " SET " + sets);
      }
      for (const std::string& statement : statements) {
        std::string message = Compile(statement);
        if (message.find("unsafe use of ") == std::string::npos) continue;
        lines.push_back(fmt::format("{} {}: {} (sqlmend does not let a database file's schema "
                                    "call it)",
                                    ObjectTypeName(o.type), o.name, message));
        break;
      }
    }
    return lines;
  }

 private:
  sqlite::Db db_;
};

struct ProbeError {
  std::string object_type;  // "view" or "trigger"
  std::string object_name;
  std::string message;      // "no such table: main.x__old"
  std::string missing;      // x__old when message is "no such table"
};

// Parses "error in view v: no such table: main.x" (the rename check's form).
ProbeError ParseProbeError(const std::string& message) {
  ProbeError error;
  error.message = message;
  for (const char* type : {"view", "trigger"}) {
    std::string prefix = std::string("error in ") + type + " ";
    if (message.rfind(prefix, 0) != 0) continue;
    // The object name ends at the first ": " (SQLite prints it unquoted).
    size_t colon = message.find(": ", prefix.size());
    if (colon == std::string::npos) break;
    error.object_type = type;
    error.object_name = message.substr(prefix.size(), colon - prefix.size());
    error.message = message.substr(colon + 2);
    break;
  }
  static const std::string kNoSuchTable = "no such table: ";
  if (error.message.rfind(kNoSuchTable, 0) == 0) {
    error.missing = error.message.substr(kNoSuchTable.size());
    for (const char* schema : {"main.", "temp."}) {
      if (error.missing.rfind(schema, 0) == 0) error.missing = error.missing.substr(std::strlen(schema));
    }
  }
  return error;
}

const Object* FindObject(const std::vector<Object>& objects, ObjectType type,
                         std::string_view name) {
  for (const Object& o : objects) {
    if (o.type == type && sql::AsciiIEquals(o.name, name)) return &o;
  }
  return nullptr;
}

}  // namespace

bool Analysis::repairable() const {
  if (!unrepairable.empty()) return false;
  return std::all_of(resolutions.begin(), resolutions.end(),
                     [](const Resolution& r) { return !r.target.empty(); });
}

const std::string& Analysis::SqlFor(const Object& object) const {
  auto it = new_sql.find(object.name);
  return it == new_sql.end() ? object.sql : it->second;
}

std::vector<std::string> ProbeSchema(
    const std::vector<Object>& objects,
    const std::function<const std::string&(const Object&)>& sql_for) {
  std::vector<std::string> problems;
  ProbeDb probe;
  probe.LoadTables(objects, sql_for);
  for (const Object& o : objects) {
    if (o.type != ObjectType::kView && o.type != ObjectType::kTrigger) continue;
    std::string message = probe.Create(sql_for(o));
    if (!message.empty()) problems.push_back(fmt::format("{} {}: {}", ObjectTypeName(o.type), o.name, message));
  }
  for (int round = 0; round < kMaxProbeRounds; ++round) {
    std::string message = probe.RenameProbe();
    if (message.empty()) break;
    ProbeError error = ParseProbeError(message);
    problems.push_back(error.object_name.empty()
                           ? message
                           : fmt::format("{} {}: {}", error.object_type, error.object_name,
                                         error.message));
    const Object* culprit = FindObject(
        objects, error.object_type == "view" ? ObjectType::kView : ObjectType::kTrigger,
        error.object_name);
    if (!culprit) break;
    probe.Drop(*culprit);
  }
  for (const Object& o : objects) {
    if (o.type != ObjectType::kView) continue;
    std::string message = probe.PrepareView(o);
    if (message.empty()) continue;
    std::string line = fmt::format("view {}: {}", o.name, message);
    if (std::find(problems.begin(), problems.end(), line) == problems.end() &&
        message.find("no such table: main." + o.name) == std::string::npos) {
      problems.push_back(line);
    }
  }
  return problems;
}

base::Result<Analysis> Analyze(sqlite::Db& db, const schema::NameMaps& maps) {
  auto read = schema::Schema::Read(db);
  if (!read) return base::Fail(read.error());
  Analysis a;
  a.schema = std::move(*read);
  const auto& objects = a.schema.objects();

  std::map<std::string, size_t> resolution_of;  // lowered missing -> index
  auto note_missing = [&](const std::string& missing, const std::string& user) {
    std::string key = sql::AsciiLower(missing);
    auto it = resolution_of.find(key);
    if (it == resolution_of.end()) {
      schema::Resolved r = schema::Resolve(missing, a.schema, maps);
      Resolution res;
      res.missing = missing;
      res.target = r.target;
      res.rule = r.rule;
      res.candidates = r.candidates;
      res.problem = r.problem;
      it = resolution_of.emplace(key, a.resolutions.size()).first;
      a.resolutions.push_back(std::move(res));
      if (!r.target.empty()) a.renames[key] = r.target;
    }
    auto& used_by = a.resolutions[it->second].used_by;
    if (std::find(used_by.begin(), used_by.end(), user) == used_by.end()) used_by.push_back(user);
    return a.resolutions[it->second].target;
  };

  // 1. Foreign keys whose parent is not a live ordinary table.
  for (const Object& table : objects) {
    if (table.type != ObjectType::kTable) continue;
    for (const schema::ForeignKey& fk : table.foreign_keys) {
      const Object* parent = a.schema.FindTableOrView(fk.parent);
      if (parent && a.schema.IsOrdinaryTable(parent->name)) continue;
      if (parent && parent->kind == TableKind::kShadow) continue;
      AffectedFk affected;
      affected.child = table.name;
      affected.columns = fk.from;
      affected.missing = fk.parent;
      affected.parent_columns = fk.to;
      affected.target = note_missing(fk.parent, "table " + table.name);
      a.fks.push_back(std::move(affected));
    }
  }
  // FK rewrites are known now; apply them to the tables.
  auto rewrite_tables = [&] {
    for (const Object& o : objects) {
      if (o.type != ObjectType::kTable || o.sql.empty()) continue;
      schema::Rewritten r = schema::RewriteReferences(o.sql, a.renames);
      if (r.edits > 0) a.new_sql[o.name] = r.sql;
    }
  };
  rewrite_tables();

  // 2. Views and triggers, through the rename probe on an in-memory copy.
  auto rewrite_views = [&] {
    for (const Object& o : objects) {
      if (o.type != ObjectType::kView && o.type != ObjectType::kTrigger) continue;
      schema::Rewritten r = schema::RewriteTableNames(o.sql, a.renames);
      if (r.edits > 0) a.new_sql[o.name] = r.sql;
      else a.new_sql.erase(o.name);
    }
  };
  rewrite_views();
  ProbeDb probe;
  auto sql_for = [&](const Object& o) -> const std::string& { return a.SqlFor(o); };
  probe.LoadTables(objects, sql_for);
  std::set<std::string> set_aside;
  for (const Object& o : objects) {
    if (o.type != ObjectType::kView && o.type != ObjectType::kTrigger) continue;
    std::string message = probe.Create(a.SqlFor(o));
    if (!message.empty()) {
      a.unrepairable.push_back(fmt::format("{} {}: {}", ObjectTypeName(o.type), o.name, message));
      set_aside.insert(o.name);
    }
  }
  for (int round = 0; round < kMaxProbeRounds; ++round) {
    std::string message = probe.RenameProbe();
    if (message.empty()) break;
    ProbeError error = ParseProbeError(message);
    const Object* culprit = FindObject(
        objects, error.object_type == "view" ? ObjectType::kView : ObjectType::kTrigger,
        error.object_name);
    if (!culprit) {
      a.unrepairable.push_back(message);
      break;
    }
    std::string user = fmt::format("{} {}", ObjectTypeName(culprit->type), culprit->name);
    bool resolved = false;
    if (!error.missing.empty() && !a.schema.FindTableOrView(error.missing)) {
      if (std::find(a.broken_objects.begin(), a.broken_objects.end(), user) ==
          a.broken_objects.end()) {
        a.broken_objects.push_back(user);
      }
      std::string key = sql::AsciiLower(error.missing);
      bool known = a.renames.count(key) > 0;
      if (!note_missing(error.missing, user).empty() && !known) {
        // A new rename: rewrite every view and trigger, reload them.
        rewrite_views();
        for (const Object& o : objects) {
          if ((o.type != ObjectType::kView && o.type != ObjectType::kTrigger) ||
              set_aside.count(o.name)) {
            continue;
          }
          probe.Drop(o);
        }
        for (const Object& o : objects) {
          if ((o.type != ObjectType::kView && o.type != ObjectType::kTrigger) ||
              set_aside.count(o.name)) {
            continue;
          }
          probe.Create(a.SqlFor(o));
        }
        resolved = true;
      }
    } else if (error.message.find("no such module") == std::string::npos) {
      a.unrepairable.push_back(fmt::format("{}: {}", user, error.message));
    }
    if (!resolved) {
      // Unresolvable here: set it aside so the probe can find the others.
      probe.Drop(*culprit);
      set_aside.insert(culprit->name);
    }
  }

  // A schema calling a function it may not be trusted with cannot be
  // repaired: the copy would have to keep the call.
  for (std::string& line : probe.UnsafeUses(objects, set_aside)) {
    a.unrepairable.push_back(std::move(line));
  }

  // Views and triggers that the renames rewrite are broken objects too, even
  // when the foreign-key pass found their names first.
  for (Resolution& r : a.resolutions) {
    if (r.target.empty()) continue;
    schema::RenameMap one{{sql::AsciiLower(r.missing), r.target}};
    for (const Object& o : objects) {
      if (o.type != ObjectType::kView && o.type != ObjectType::kTrigger) continue;
      if (schema::RewriteTableNames(o.sql, one).edits == 0) continue;
      std::string user = fmt::format("{} {}", ObjectTypeName(o.type), o.name);
      if (std::find(r.used_by.begin(), r.used_by.end(), user) == r.used_by.end()) {
        r.used_by.push_back(user);
      }
      if (std::find(a.broken_objects.begin(), a.broken_objects.end(), user) ==
          a.broken_objects.end()) {
        a.broken_objects.push_back(user);
      }
    }
  }

  // Every --map must name a dangling name.
  for (const auto& [from, to] : maps) {
    if (!resolution_of.count(sql::AsciiLower(from))) {
      return base::Fail(base::Status::Usage(
          "--map " + from + "=" + to, "no foreign key, view or trigger names " + from));
    }
  }
  for (AffectedFk& fk : a.fks) fk.target = a.renames.count(sql::AsciiLower(fk.missing))
                                               ? a.renames.at(sql::AsciiLower(fk.missing))
                                               : "";
  return a;
}

}  // namespace sqlmend::repair
