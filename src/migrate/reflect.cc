#include "migrate/reflect.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "ops/identifier_preparer.h"

namespace sqlmend::migrate {
namespace {

using base::Fail;
using base::Result;
using base::Status;

constexpr auto kIgnoreCase = std::regex::ECMAScript | std::regex::icase;

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
Result<std::vector<Row>> Rows(sqlite::Db& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return Fail(stmt.error());
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
  static const std::regex kDigit(R"(^[0-9\.]$)");
  static const std::regex kQuoted(R"(^'.+'$)");
  static const std::regex kParenthesized(R"(^\(.+\)$)");
  if (text.empty()) return false;
  return !std::regex_match(text, kDigit) && !std::regex_match(text, kQuoted) &&
         !std::regex_match(text, kParenthesized);
}

// SQLiteDialect._find_cols_in_sig.
std::vector<std::string> ColumnsInSignature(const std::string& signature) {
  static const std::regex kColumn(R"re((?:"(.+?)")|([a-z0-9_]+))re", kIgnoreCase);
  std::vector<std::string> out;
  for (std::sregex_iterator it(signature.begin(), signature.end(), kColumn), end; it != end; ++it) {
    out.push_back((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  }
  return out;
}

// The primary-key columns of `table` in key order (get_pk_constraint).
Result<std::vector<std::string>> PrimaryKeyColumns(sqlite::Db& db, const std::string& table) {
  auto rows = Rows(db, "PRAGMA main.table_info(" + PragmaArgument(table) + ")");
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
  auto rows = Rows(db, "PRAGMA main.foreign_key_list(" + PragmaArgument(name) + ")");
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

  static const std::regex kForeignKey(
      R"re((?:CONSTRAINT (\w+) +)?FOREIGN KEY *\( *(.+?) *\) +REFERENCES +(?:(?:"(.+?)")|([a-z0-9_]+)) *\((.+?)\) *((?:ON (?:DELETE|UPDATE) (?:SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION) *)*)((?:NOT +)?DEFERRABLE)?(?: +INITIALLY +(DEFERRED|IMMEDIATE))?)re",
      kIgnoreCase);
  static const std::regex kOnSplit(R"( *\bON\b *)", kIgnoreCase);
  std::vector<ops::ForeignKeyConstraint> out;
  for (std::sregex_iterator it(table_sql.begin(), table_sql.end(), kForeignKey), end; it != end;
       ++it) {
    const std::smatch& m = *it;
    ops::ForeignKeyConstraint fk;
    fk.columns = ColumnsInSignature(m[2].str());
    fk.target_table = m[3].matched ? m[3].str() : m[4].str();
    fk.target_columns = ColumnsInSignature(m[5].str());
    const std::string actions = Upper(m[6].str());
    for (std::sregex_token_iterator token(actions.begin(), actions.end(), kOnSplit, -1), last;
         token != last; ++token) {
      const std::string part = token->str();
      auto action = [&part]() {
        std::string rest = part.substr(6);
        const auto first = rest.find_first_not_of(' ');
        if (first == std::string::npos) return std::string();
        return rest.substr(first, rest.find_last_not_of(' ') - first + 1);
      };
      if (part.rfind("DELETE", 0) == 0 && !action().empty() && action() != "NO ACTION") {
        fk.options.ondelete = action();
      } else if (part.rfind("UPDATE", 0) == 0 && !action().empty() && action() != "NO ACTION") {
        fk.options.onupdate = action();
      }
    }
    if (m[7].matched) fk.options.deferrable = Upper(m[7].str()).find("NOT") == std::string::npos;
    if (m[8].matched) fk.options.initially = Upper(m[8].str());
    const std::vector<std::string> signature = Signature(fk);
    auto found = std::find_if(unparsed.begin(), unparsed.end(),
                              [&](const auto& entry) { return entry.first == signature; });
    if (found == unparsed.end()) continue;  // SQLAlchemy warns and skips it
    if (m[1].matched) fk.name = ops::ConstraintName::Of(m[1].str());
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
  auto rows = Rows(db, "PRAGMA main.index_list(" + PragmaArgument(name) + ")");
  if (!rows) return Fail(rows.error());
  std::vector<ReflectedIndex> out;
  for (const Row& row : *rows) {
    ReflectedIndex index;
    index.name = row[1].value_or("");
    index.unique = row[2].value_or("0") != "0";
    index.partial = row.size() >= 5 && row[4].value_or("0") != "0";
    auto info = Rows(db, "PRAGMA main.index_info(" + PragmaArgument(index.name) + ")");
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
  // nothing to find (and std::regex is slow enough to matter here).
  if (autoindexes.empty()) return {};
  std::vector<std::pair<std::optional<std::string>, std::vector<std::string>>> parsed;
  static const std::regex kUnique(R"re((?:CONSTRAINT "?(.+?)"? +)?UNIQUE *\((.+?)\))re",
                                  kIgnoreCase);
  static const std::regex kInlineUnique(
      R"re((?:(".+?")|(?:[\[`])?([a-z0-9_]+)(?:[\]`])?) +[a-z0-9_ ]+? +UNIQUE)re", kIgnoreCase);
  for (std::sregex_iterator it(table_sql.begin(), table_sql.end(), kUnique), end; it != end; ++it) {
    std::optional<std::string> name;
    if ((*it)[1].matched) name = (*it)[1].str();
    parsed.emplace_back(name, ColumnsInSignature((*it)[2].str()));
  }
  for (std::sregex_iterator it(table_sql.begin(), table_sql.end(), kInlineUnique), end; it != end;
       ++it) {
    parsed.emplace_back(std::nullopt,
                        ColumnsInSignature((*it)[1].matched ? (*it)[1].str() : (*it)[2].str()));
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
  static const std::regex kCheck(R"re((?:CONSTRAINT (.+) +)?CHECK *\( *(.+) *\),? *)re",
                                 kIgnoreCase);
  static const std::regex kEdgeQuotes(R"re(^"|"$)re");
  std::vector<ops::CheckConstraint> out;
  if (Upper(table_sql).find("CHECK") == std::string::npos) return out;
  for (std::sregex_iterator it(table_sql.begin(), table_sql.end(), kCheck), end; it != end; ++it) {
    ops::CheckConstraint check;
    check.sqltext = (*it)[2].str();
    if ((*it)[1].matched && (*it)[1].length() > 0) {
      check.name = ops::ConstraintName::Of(std::regex_replace((*it)[1].str(), kEdgeQuotes, ""));
    }
    out.push_back(std::move(check));
  }
  return out;
}

}  // namespace

ops::Type ReflectedType(const std::string& declared) {
  static const std::regex kTypeName(R"(([\w ]+)(\(.*?\))?)");
  static const std::regex kNumber(R"((\d+))");
  const std::string text = Upper(declared);
  std::smatch match;
  std::string name;
  std::optional<std::string> args;
  if (std::regex_search(text, match, kTypeName, std::regex_constants::match_continuous)) {
    name = match[1].str();
    if (match[2].matched) args = match[2].str();
  }
  std::vector<int> numbers;
  if (args) {
    for (std::sregex_iterator it(args->begin(), args->end(), kNumber), end; it != end; ++it) {
      numbers.push_back(std::stoi(it->str()));
    }
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
                       "sqlite_temp_master) WHERE name = " +
                           PragmaArgument(name) + " AND type = 'table'");
  if (!sql_rows) return Fail(sql_rows.error());
  if (sql_rows->empty()) return Fail(Status::Refused(name, "No such table: '" + name + "'"));
  const std::string table_sql = sql_rows->front()[0].value_or("");

  ops::Table table;
  table.name = name;
  auto columns = Rows(db, "PRAGMA main.table_xinfo(" + PragmaArgument(name) + ")");
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
    static const std::regex kPrimaryKeyName(R"(CONSTRAINT (\w+) PRIMARY KEY)", kIgnoreCase);
    std::smatch match;
    if (std::regex_search(table_sql, match, kPrimaryKeyName)) {
      pk.name = ops::ConstraintName::Of(match[1].str());
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
  static const std::regex kPartialPredicate(R"(\)\s+where\s+(.+))", kIgnoreCase);
  for (const ReflectedIndex& reflected : *indexes) {
    if (reflected.name.rfind("sqlite_autoindex", 0) == 0 || reflected.has_expression) continue;
    ops::Index index;
    index.name = ops::ConstraintName::Of(reflected.name);
    index.table = name;
    index.unique = reflected.unique;
    for (const std::string& column : reflected.columns) {
      index.elements.push_back(ops::IndexElement::ColumnName(column));
    }
    if (reflected.partial) {
      auto sql = db.QueryText("SELECT sql FROM sqlite_master WHERE name = " +
                              PragmaArgument(reflected.name) + " AND type = 'index'");
      std::smatch match;
      if (sql && std::regex_search(*sql, match, kPartialPredicate)) {
        index.sqlite_where = match[1].str();
      }
    }
    table.indexes.push_back(std::move(index));
  }
  return table;
}

}  // namespace sqlmend::migrate
