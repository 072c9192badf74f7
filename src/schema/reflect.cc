#include "schema/reflect.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "ops/identifier_preparer.h"

namespace sqlmend::schema {
namespace {

using base::Fail;
using base::Result;
using base::Status;

// The patterns are SQLAlchemy's (Python `re`), compiled by RE2 with the
// same meaning: leftmost-first alternation, lazy quantifiers, `.` never
// matching a newline.
using Groups = std::vector<std::optional<std::string>>;

// The match of `pattern` in `text` at or after `at`: its groups (nullopt
// where a group took no part) and where the whole match ends.
std::optional<std::pair<Groups, size_t>> MatchFrom(const RE2& pattern, std::string_view text,
                                                   size_t at) {
  const int count = pattern.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(count));
  if (at > text.size() ||
      !pattern.Match(re2::StringPiece(text.data(), text.size()), at, text.size(),
                     RE2::UNANCHORED, pieces.data(), count)) {
    return std::nullopt;
  }
  Groups groups;
  for (int i = 1; i < count; ++i) {
    const auto& piece = pieces[static_cast<size_t>(i)];
    groups.push_back(piece.data() == nullptr ? std::nullopt
                                             : std::optional<std::string>(std::string(piece)));
  }
  const size_t end = static_cast<size_t>(pieces[0].data() - text.data()) + pieces[0].size();
  return std::make_pair(std::move(groups), pieces[0].empty() ? end + 1 : end);
}

// Each non-overlapping match, left to right, as re.finditer gives them.
std::vector<Groups> FindAll(const RE2& pattern, std::string_view text) {
  std::vector<Groups> out;
  for (auto match = MatchFrom(pattern, text, 0); match;
       match = MatchFrom(pattern, text, match->second)) {
    out.push_back(std::move(match->first));
  }
  return out;
}

// The first match, as re.search gives it.
std::optional<Groups> Search(const RE2& pattern, std::string_view text) {
  auto match = MatchFrom(pattern, text, 0);
  if (!match) return std::nullopt;
  return std::move(match->first);
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "'name'" quoted for a PRAGMA argument.
std::string PragmaArgument(const std::string& name) {
  std::string out = "'";
  for (char c : name) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Runs `sql` and returns every row's columns as text (NULL as nullopt).
using Row = std::vector<std::optional<std::string>>;
// The rows of `sql`; with a `parameter`, `sql` is a query run once per
// table or index (?1 the name), prepared once per connection.
Result<std::vector<Row>> Rows(sqlite::Db& db, const std::string& sql,
                              std::optional<std::string_view> parameter = std::nullopt) {
  auto stmt = parameter ? db.PrepareCached(sql) : db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  if (parameter) stmt->Bind(1, *parameter);
  std::vector<Row> rows;
  while (true) {
    auto step = stmt->Step();
    if (!step) return Fail(step.error());
    if (!*step) break;
    Row row;
    for (int i = 0; i < stmt->ColumnCount(); i++) {
      if (stmt->ColumnIsNull(i)) {
        row.push_back(std::nullopt);
      } else {
        row.push_back(stmt->ColumnText(i));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// SQLiteImpl._guess_if_default_is_unparenthesized_sql_expr.
bool LooksLikeBareExpression(const std::string& text) {
  static const RE2 kDigit(R"([0-9\.])");
  static const RE2 kQuoted(R"('.+')");
  static const RE2 kParenthesized(R"(\(.+\))");
  if (text.empty()) return false;
  return !RE2::FullMatch(text, kDigit) && !RE2::FullMatch(text, kQuoted) &&
         !RE2::FullMatch(text, kParenthesized);
}

// SQLiteDialect._find_cols_in_sig.
std::vector<std::string> ColumnsInSignature(const std::string& signature) {
  static const RE2 kColumn(R"re((?i)(?:"(.+?)")|([a-z0-9_]+))re");
  std::vector<std::string> out;
  for (const Groups& m : FindAll(kColumn, signature)) out.push_back(m[0] ? *m[0] : m[1].value_or(""));
  return out;
}

// The primary-key columns of `table` in key order (get_pk_constraint).
Result<std::vector<std::string>> PrimaryKeyColumns(sqlite::Db& db, const std::string& table) {
  auto rows = Rows(db, "SELECT * FROM pragma_table_info(?1, 'main')", table);
  if (!rows) return Fail(rows.error());
  std::vector<std::pair<int, std::string>> key;
  for (const Row& row : *rows) {
    const int position = std::stoi(row[5].value_or("0"));
    if (position > 0) key.emplace_back(position, row[1].value_or(""));
  }
  std::stable_sort(key.begin(), key.end());
  std::vector<std::string> out;
  for (const auto& entry : key) out.push_back(entry.second);
  return out;
}

std::vector<std::string> Signature(const ops::ForeignKeyConstraint& fk) {
  std::vector<std::string> out = fk.columns;
  out.push_back(fk.target_table);
  out.insert(out.end(), fk.target_columns.begin(), fk.target_columns.end());
  return out;
}

// SQLiteDialect.get_foreign_keys: the pragma's keys, then names and options
// parsed from the table text where its regex finds them.
Result<std::vector<ops::ForeignKeyConstraint>> ForeignKeys(sqlite::Db& db, const std::string& name,
                                                           const std::string& table_sql) {
  auto rows = Rows(db, "SELECT * FROM pragma_foreign_key_list(?1, 'main')", name);
  if (!rows) return Fail(rows.error());
  std::vector<int64_t> order;  // ids in pragma order
  std::map<int64_t, ops::ForeignKeyConstraint> by_id;
  for (const Row& row : *rows) {
    const int64_t id = std::stoll(row[0].value_or("0"));
    auto [it, inserted] = by_id.try_emplace(id);
    if (inserted) {
      order.push_back(id);
      it->second.target_table = row[2].value_or("");
    }
    it->second.columns.push_back(row[3].value_or(""));
    if (row[4]) {
      it->second.target_columns.push_back(*row[4]);
    } else {
      // No target column: the referred table's primary key.
      if (it->second.target_columns.empty()) {
        auto referred = PrimaryKeyColumns(db, it->second.target_table);
        if (!referred) return Fail(referred.error());
        it->second.target_columns = *referred;
      }
    }
  }
  std::vector<std::pair<std::vector<std::string>, ops::ForeignKeyConstraint>> unparsed;
  for (int64_t id : order) unparsed.emplace_back(Signature(by_id[id]), by_id[id]);

  static const RE2 kForeignKey(
      R"re((?i)(?:CONSTRAINT (\w+) +)?FOREIGN KEY *\( *(.+?) *\) +REFERENCES +(?:(?:"(.+?)")|([a-z0-9_]+)) *\((.+?)\) *((?:ON (?:DELETE|UPDATE) (?:SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION) *)*)((?:NOT +)?DEFERRABLE)?(?: +INITIALLY +(DEFERRED|IMMEDIATE))?)re");
  std::vector<ops::ForeignKeyConstraint> out;
  for (const Groups& m : FindAll(kForeignKey, table_sql)) {
    ops::ForeignKeyConstraint fk;
    fk.columns = ColumnsInSignature(m[1].value_or(""));
    fk.target_table = m[2] ? *m[2] : m[3].value_or("");
    fk.target_columns = ColumnsInSignature(m[4].value_or(""));
    // Each "ON DELETE|UPDATE <action>" of the matched clause; the last of a
    // kind wins, NO ACTION is dropped.
    static const RE2 kAction(
        R"re((?i)ON (DELETE|UPDATE) (SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION))re");
    for (const Groups& action : FindAll(kAction, m[5].value_or(""))) {
      const std::string what = Upper(action[0].value_or(""));
      const std::string how = Upper(action[1].value_or(""));
      if (how == "NO ACTION") continue;
      (what == "DELETE" ? fk.options.ondelete : fk.options.onupdate) = how;
    }
    if (m[6]) fk.options.deferrable = Upper(*m[6]).find("NOT") == std::string::npos;
    if (m[7]) fk.options.initially = Upper(*m[7]);
    const std::vector<std::string> signature = Signature(fk);
    auto found = std::find_if(unparsed.begin(), unparsed.end(),
                              [&](const auto& entry) { return entry.first == signature; });
    if (found == unparsed.end()) continue;  // SQLAlchemy warns and skips it
    if (m[0]) fk.name = ops::ConstraintName::Of(*m[0]);
    unparsed.erase(found);
    out.push_back(std::move(fk));
  }
  for (auto& entry : unparsed) out.push_back(std::move(entry.second));
  return out;
}

struct ReflectedIndex {
  std::string name;
  bool unique = false;
  bool partial = false;
  std::vector<std::string> columns;
  bool has_expression = false;
};

// PRAGMA index_list / index_info, autoindexes included.
Result<std::vector<ReflectedIndex>> Indexes(sqlite::Db& db, const std::string& name) {
  auto rows = Rows(db, "SELECT * FROM pragma_index_list(?1, 'main')", name);
  if (!rows) return Fail(rows.error());
  std::vector<ReflectedIndex> out;
  for (const Row& row : *rows) {
    ReflectedIndex index;
    index.name = row[1].value_or("");
    index.unique = row[2].value_or("0") != "0";
    index.partial = row.size() >= 5 && row[4].value_or("0") != "0";
    auto info = Rows(db, "SELECT * FROM pragma_index_info(?1, 'main')", index.name);
    if (!info) return Fail(info.error());
    for (const Row& column : *info) {
      if (!column[2]) index.has_expression = true;
      index.columns.push_back(column[2].value_or(""));
    }
    out.push_back(std::move(index));
  }
  return out;
}

// SQLiteDialect.get_unique_constraints: parsed constraints whose columns
// match an autoindex.
std::vector<ops::UniqueConstraint> Uniques(const std::vector<ReflectedIndex>& indexes,
                                           const std::string& table_sql) {
  std::vector<std::vector<std::string>> autoindexes;
  for (const ReflectedIndex& index : indexes) {
    if (index.name.rfind("sqlite_autoindex", 0) == 0) autoindexes.push_back(index.columns);
  }
  // A UNIQUE constraint always has its autoindex; without one there is
  // nothing to find.
  if (autoindexes.empty()) return {};
  std::vector<std::pair<std::optional<std::string>, std::vector<std::string>>> parsed;
  static const RE2 kUnique(R"re((?i)(?:CONSTRAINT "?(.+?)"? +)?UNIQUE *\((.+?)\))re");
  static const RE2 kInlineUnique(
      R"re((?i)(?:(".+?")|(?:[\[`])?([a-z0-9_]+)(?:[\]`])?) +[a-z0-9_ ]+? +UNIQUE)re");
  for (const Groups& m : FindAll(kUnique, table_sql)) {
    parsed.emplace_back(m[0], ColumnsInSignature(m[1].value_or("")));
  }
  for (const Groups& m : FindAll(kInlineUnique, table_sql)) {
    parsed.emplace_back(std::nullopt, ColumnsInSignature(m[0] ? *m[0] : m[1].value_or("")));
  }
  std::vector<ops::UniqueConstraint> out;
  for (auto& [name, columns] : parsed) {
    auto found = std::find(autoindexes.begin(), autoindexes.end(), columns);
    if (found == autoindexes.end()) continue;
    autoindexes.erase(found);
    ops::UniqueConstraint unique;
    unique.columns = columns;
    if (name) unique.name = ops::ConstraintName::Of(*name);
    out.push_back(std::move(unique));
  }
  return out;
}

std::vector<ops::CheckConstraint> Checks(const std::string& table_sql) {
  static const RE2 kCheck(R"re((?i)(?:CONSTRAINT (.+) +)?CHECK *\( *(.+) *\),? *)re");
  std::vector<ops::CheckConstraint> out;
  if (Upper(table_sql).find("CHECK") == std::string::npos) return out;
  for (const Groups& m : FindAll(kCheck, table_sql)) {
    ops::CheckConstraint check;
    check.sqltext = m[1].value_or("");
    if (m[0] && !m[0]->empty()) {
      // re.sub(r'^"|"$', "", name)
      std::string name = *m[0];
      if (name.starts_with('"')) name.erase(0, 1);
      if (name.ends_with('"')) name.pop_back();
      check.name = ops::ConstraintName::Of(name);
    }
    out.push_back(std::move(check));
  }
  return out;
}

// table.indexes from `indexes` (Indexes()): the autoindexes of UNIQUE
// and PRIMARY KEY constraints and the indexes of expressions left out, as
// SQLAlchemy's get_indexes leaves them.
void AddIndexes(sqlite::Db& db, const std::vector<ReflectedIndex>& indexes, ops::Table& table) {
  static const RE2 kPartialPredicate(R"((?i)\)\s+where\s+(.+))");
  for (const ReflectedIndex& reflected : indexes) {
    if (reflected.name.rfind("sqlite_autoindex", 0) == 0 || reflected.has_expression) continue;
    ops::Index index;
    index.name = ops::ConstraintName::Of(reflected.name);
    index.table = table.name;
    index.unique = reflected.unique;
    for (const std::string& column : reflected.columns) {
      index.elements.push_back(ops::IndexElement::ColumnName(column));
    }
    if (reflected.partial) {
      auto sql = db.QueryText("SELECT sql FROM sqlite_master WHERE name = " +
                              PragmaArgument(reflected.name) + " AND type = 'index'");
      if (sql) {
        if (auto match = Search(kPartialPredicate, *sql)) index.sqlite_where = match->at(0);
      }
    }
    table.indexes.push_back(std::move(index));
  }
}

}  // namespace

ops::Type ReflectedType(const std::string& declared) {
  // re.match(r"([\w ]+)(\(.*?\))?", type_)
  static const RE2 kTypeName(R"(^([\w ]+)(\(.*?\))?)");
  static const RE2 kNumber(R"((\d+))");
  const std::string text = Upper(declared);
  std::string name;
  std::optional<std::string> args;
  if (auto match = Search(kTypeName, text)) {
    name = match->at(0).value_or("");
    args = match->at(1);
  }
  std::vector<int> numbers;
  if (args) {
    for (const Groups& m : FindAll(kNumber, *args)) numbers.push_back(std::stoi(m[0].value_or("0")));
  }
  // ischema_names: the class, and how its DDL spelling uses the arguments.
  enum class Arguments { kNone, kLength, kPrecisionScale };
  static const std::map<std::string, std::pair<std::string, Arguments>> kNames = {
      {"BIGINT", {"BIGINT", Arguments::kNone}},
      {"BLOB", {"BLOB", Arguments::kNone}},
      {"BOOL", {"BOOLEAN", Arguments::kNone}},
      {"BOOLEAN", {"BOOLEAN", Arguments::kNone}},
      {"CHAR", {"CHAR", Arguments::kLength}},
      {"DATE", {"DATE", Arguments::kNone}},
      {"DATE_CHAR", {"DATE", Arguments::kNone}},
      {"DATETIME", {"DATETIME", Arguments::kNone}},
      {"DATETIME_CHAR", {"DATETIME", Arguments::kNone}},
      {"DOUBLE", {"FLOAT", Arguments::kNone}},
      {"DECIMAL", {"DECIMAL", Arguments::kPrecisionScale}},
      {"FLOAT", {"FLOAT", Arguments::kNone}},
      {"INT", {"INTEGER", Arguments::kNone}},
      {"INTEGER", {"INTEGER", Arguments::kNone}},
      {"JSON", {"JSON", Arguments::kNone}},
      {"NUMERIC", {"NUMERIC", Arguments::kPrecisionScale}},
      {"REAL", {"REAL", Arguments::kNone}},
      {"SMALLINT", {"SMALLINT", Arguments::kNone}},
      {"TEXT", {"TEXT", Arguments::kLength}},
      {"TIME", {"TIME", Arguments::kNone}},
      {"TIME_CHAR", {"TIME", Arguments::kNone}},
      {"TIMESTAMP", {"TIMESTAMP", Arguments::kNone}},
      {"VARCHAR", {"VARCHAR", Arguments::kLength}},
      {"NVARCHAR", {"NVARCHAR", Arguments::kLength}},
      {"NCHAR", {"NCHAR", Arguments::kLength}},
  };
  std::pair<std::string, Arguments> type;
  if (auto found = kNames.find(name); found != kNames.end()) {
    type = found->second;
  } else if (name.find("INT") != std::string::npos) {
    type = {"INTEGER", Arguments::kNone};
  } else if (name.find("CHAR") != std::string::npos || name.find("CLOB") != std::string::npos ||
             name.find("TEXT") != std::string::npos) {
    type = {"TEXT", Arguments::kLength};
  } else if (name.find("BLOB") != std::string::npos || name.empty()) {
    return ops::Type::Raw("");  // NullType
  } else if (name.find("REAL") != std::string::npos || name.find("FLOA") != std::string::npos ||
             name.find("DOUB") != std::string::npos) {
    type = {"REAL", Arguments::kNone};
  } else {
    type = {"NUMERIC", Arguments::kPrecisionScale};
  }
  std::string spelling = type.first;
  if (type.second == Arguments::kLength && numbers.size() == 1) {
    spelling += "(" + std::to_string(numbers[0]) + ")";
  } else if (type.second == Arguments::kPrecisionScale && numbers.size() == 1) {
    spelling += "(" + std::to_string(numbers[0]) + ")";
  } else if (type.second == Arguments::kPrecisionScale && numbers.size() == 2) {
    spelling += "(" + std::to_string(numbers[0]) + ", " + std::to_string(numbers[1]) + ")";
  }
  return ops::Type::Raw(spelling);
}

Result<ops::Table> ReflectTable(sqlite::Db& db, const std::string& name) {
  auto sql_rows = Rows(db,
                       "SELECT sql FROM (SELECT * FROM sqlite_master UNION ALL SELECT * FROM "
                       "sqlite_temp_master) WHERE name = ?1 AND type = 'table'",
                       name);
  if (!sql_rows) return Fail(sql_rows.error());
  if (sql_rows->empty()) return Fail(Status::Refused(name, "No such table: '" + name + "'"));
  const std::string table_sql = sql_rows->front()[0].value_or("");

  ops::Table table;
  table.name = name;
  auto columns = Rows(db, "SELECT * FROM pragma_table_xinfo(?1, 'main')", name);
  if (!columns) return Fail(columns.error());
  std::vector<std::pair<int, std::string>> primary_key;  // (position in key, column)
  for (const Row& row : *columns) {
    if (row[6].value_or("0") == "1") continue;  // hidden column of a virtual table
    ops::Column column;
    column.name = row[1].value_or("");
    column.type = ReflectedType(row[2].value_or(""));
    column.nullable = row[3].value_or("0") == "0";
    if (row[4]) {
      std::string text = *row[4];
      if (LooksLikeBareExpression(text)) text = "(" + text + ")";
      column.server_default = ops::ServerDefault::SqlText(text);
    }
    const int key_position = std::stoi(row[5].value_or("0"));
    if (key_position > 0) {
      column.primary_key = true;
      primary_key.emplace_back(key_position, column.name);
    }
    table.columns.push_back(std::move(column));
  }
  if (!primary_key.empty()) {
    std::stable_sort(primary_key.begin(), primary_key.end());
    ops::PrimaryKeyConstraint pk;
    for (const auto& [position, column] : primary_key) pk.columns.push_back(column);
    static const RE2 kPrimaryKeyName(R"((?i)CONSTRAINT (\w+) PRIMARY KEY)");
    if (auto match = Search(kPrimaryKeyName, table_sql)) {
      pk.name = ops::ConstraintName::Of(match->at(0).value_or(""));
    }
    table.primary_key = std::move(pk);
  }

  auto foreign_keys = ForeignKeys(db, name, table_sql);
  if (!foreign_keys) return Fail(foreign_keys.error());
  for (auto& fk : *foreign_keys) table.constraints.push_back(ops::Constraint::Of(std::move(fk)));

  auto indexes = Indexes(db, name);
  if (!indexes) return Fail(indexes.error());
  for (auto& unique : Uniques(*indexes, table_sql)) {
    table.constraints.push_back(ops::Constraint::Of(std::move(unique)));
  }
  for (auto& check : Checks(table_sql)) {
    table.constraints.push_back(ops::Constraint::Of(std::move(check)));
  }
  AddIndexes(db, *indexes, table);
  return table;
}

Result<ops::Table> ReflectIndexes(sqlite::Db& db, const std::string& name) {
  ops::Table table;
  table.name = name;
  auto indexes = Indexes(db, name);
  if (!indexes) return Fail(indexes.error());
  AddIndexes(db, *indexes, table);
  return table;
}

Result<std::vector<std::string>> ObjectNames(sqlite::Db& db, bool views) {
  auto rows = Rows(db, std::string("SELECT name FROM sqlite_master WHERE type='") +
                           (views ? "view" : "table") +
                           "' AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name");
  if (!rows) return Fail(rows.error());
  std::vector<std::string> names;
  for (const Row& row : *rows) names.push_back(row[0].value_or(""));
  return names;
}

Result<std::map<std::string, std::string>> ExpressionIndexSql(sqlite::Db& db,
                                                              const ops::Table& reflected) {
  auto reflected_index = [&reflected](const std::string& name) {
    for (const auto& index : reflected.indexes) {
      if (index.name.value == name) return true;
    }
    return false;
  };
  // Most tables have none: the table's own index list says so without a
  // scan of sqlite_master.
  auto listed = Rows(db, "SELECT name FROM pragma_index_list(?1, 'main')", reflected.name);
  if (!listed) return Fail(listed.error());
  bool left_out = false;
  for (const Row& row : *listed) {
    const std::string name = row[0].value_or("");
    left_out |= name.rfind("sqlite_autoindex", 0) != 0 && !reflected_index(name);
  }
  if (!left_out) return std::map<std::string, std::string>{};
  auto rows = Rows(db,
                   "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 "
                   "AND sql IS NOT NULL",
                   reflected.name);
  if (!rows) return Fail(rows.error());
  std::map<std::string, std::string> out;
  for (const Row& row : *rows) {
    const std::string name = row[0].value_or("");
    if (reflected_index(name)) continue;
    std::string text;
    for (char c : row[1].value_or("")) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!text.empty() && text.back() != ' ') text += ' ';
      } else {
        text += c;
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out[name] = text;
  }
  return out;
}

}  // namespace sqlmend::schema
