#include "testutil/corpus.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sql/tokenizer.h"

namespace sqlmend::testutil {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSeparator = "-- migrate";

std::string Trim(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t' || s[begin] == '\r')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\r')) --end;
  return std::string(s.substr(begin, end - begin));
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Owns a sqlite3 connection for the helpers below.
class Connection {
 public:
  Connection() = default;
  ~Connection() { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens `path`; returns SQLite's message on failure.
  std::string Open(const std::string& path, int flags) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      Close();
      return message.empty() ? "cannot open" : message;
    }
    return "";
  }
  void Close() {
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  sqlite3* get() const { return db_; }

  // Runs `sql` (any number of statements); returns SQLite's message or "".
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string message;
    if (rc != SQLITE_OK) message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return message;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement, finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      error_ = std::string(sqlite3_errmsg(db)) + " in: " + sql;
      stmt_ = nullptr;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  const std::string& error() const { return error_; }
  sqlite3_stmt* get() const { return stmt_; }
  void BindText(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  // True while there is a row; a stepping error lands in error().
  bool Step() {
    if (!stmt_) return false;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) error_ = sqlite3_errmsg(sqlite3_db_handle(stmt_));
    return false;
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (!text) return "";
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

std::string QuoteName(std::string_view name) { return sql::QuoteIdentifier(name); }

bool IsPlainWord(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// One value of a row, by the (typeof, value) column pair at `column`.
std::string FormatValue(sqlite3_stmt* stmt, int column) {
  std::string type(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)));
  if (type == "null") return "null";
  if (type == "integer") return "integer:" + std::to_string(sqlite3_column_int64(stmt, column + 1));
  if (type == "real") {
    double value = sqlite3_column_double(stmt, column + 1);
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "real:%016llx(%.17g)", static_cast<unsigned long long>(bits),
                  value);
    return buffer;
  }
  // text and blob were selected as hex(...).
  const unsigned char* hex = sqlite3_column_text(stmt, column + 1);
  return type + ":" + (hex ? reinterpret_cast<const char*>(hex) : "");
}

base::Status Fail(const std::string& object, const std::string& message) {
  return base::Status::Usage(object, message);
}

// Reads every row of `table` into `out`; returns SQLite's message or "".
std::string ReadRows(sqlite3* db, const std::string& table, std::vector<std::string>* out) {
  std::vector<std::string> columns;
  {
    Statement stmt(db, "SELECT name FROM pragma_table_xinfo(?1) ORDER BY cid");
    if (!stmt.error().empty()) return stmt.error();
    stmt.BindText(1, table);
    while (stmt.Step()) columns.push_back(stmt.Text(0));
    if (!stmt.error().empty()) return stmt.error();
  }
  bool without_rowid = false;
  {
    Statement stmt(db, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1");
    if (!stmt.error().empty()) return stmt.error();
    stmt.BindText(1, table);
    if (stmt.Step()) without_rowid = sqlite3_column_int(stmt.get(), 0) != 0;
  }
  // Internal tables carry no meaningful rowid: a reload may renumber them.
  bool internal = table.rfind("sqlite_", 0) == 0;
  std::string rowid;
  if (!without_rowid && !internal) {
    for (const char* candidate : {"rowid", "_rowid_", "oid"}) {
      bool taken = std::any_of(columns.begin(), columns.end(), [&](const std::string& c) {
        return sql::AsciiIEquals(c, candidate);
      });
      if (!taken) {
        rowid = candidate;
        break;
      }
    }
  }
  std::string select = "SELECT ";
  select += rowid.empty() ? "NULL" : rowid;
  for (const std::string& column : columns) {
    std::string q = QuoteName(column);
    select += ", typeof(" + q + "), CASE WHEN typeof(" + q + ") IN ('text', 'blob') THEN hex(" + q +
              ") ELSE " + q + " END";
  }
  select += " FROM " + QuoteName(table);
  if (!rowid.empty()) select += " ORDER BY " + rowid;
  Statement stmt(db, select);
  if (!stmt.error().empty()) return stmt.error();
  while (stmt.Step()) {
    std::string row;
    if (!rowid.empty()) row = "rowid=" + std::to_string(sqlite3_column_int64(stmt.get(), 0));
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!row.empty()) row += " | ";
      row += FormatValue(stmt.get(), 1 + 2 * static_cast<int>(i));
    }
    out->push_back(std::move(row));
  }
  if (!stmt.error().empty()) return stmt.error();
  if (rowid.empty() && !without_rowid) std::sort(out->begin(), out->end());
  return "";
}

// Appends "  what: expected -> actual" style lines for differing maps.
template <typename Value, typename Format>
void DiffMaps(const std::string& what, const std::map<std::string, Value>& expected,
              const std::map<std::string, Value>& actual, Format format, std::string* out) {
  std::set<std::string> keys;
  for (const auto& [key, value] : expected) keys.insert(key);
  for (const auto& [key, value] : actual) keys.insert(key);
  for (const std::string& key : keys) {
    auto e = expected.find(key);
    auto a = actual.find(key);
    if (e == expected.end()) {
      *out += what + " " + key + ": unexpected, actual has " + format(a->second) + "\n";
    } else if (a == actual.end()) {
      *out += what + " " + key + ": missing, expected " + format(e->second) + "\n";
    } else if (!(e->second == a->second)) {
      *out += what + " " + key + ":\n  expected " + format(e->second) + "\n  actual   " +
              format(a->second) + "\n";
    }
  }
}

}  // namespace

std::string CorpusFolder() { return std::string(SQLMEND_FIXTURES) + "/fk"; }

std::vector<std::string> ListFixtures(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

base::Result<Fixture> ParseFixture(const std::string& name, std::string_view text) {
  Fixture fixture;
  fixture.name = name;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  // The header: the leading run of "--" lines, up to the separator.
  size_t line = 0;
  for (; line < lines.size(); ++line) {
    std::string trimmed = Trim(lines[line]);
    if (trimmed.rfind("--", 0) != 0 || trimmed == kSeparator) break;
    std::string body = Trim(std::string_view(trimmed).substr(2));
    if (line == 0) {
      if (body.empty()) return base::Fail(Fail(name, "the first line must describe the case"));
      fixture.description = body;
      continue;
    }
    size_t colon = body.find(':');
    std::string key = colon == std::string::npos ? "" : body.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : Trim(std::string_view(body).substr(colon + 1));
    if (key.empty() || key.find(' ') != std::string::npos) continue;  // a free comment
    if (key == "expect") {
      if (value == "refused") fixture.expect = Fixture::Expect::kRefused;
      else if (value == "healthy") fixture.expect = Fixture::Expect::kHealthy;
      else if (value == "fixed") fixture.expect = Fixture::Expect::kFixed;
      else return base::Fail(Fail(name, "unknown expectation: " + value));
    } else if (key == "map") {
      size_t equals = value.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
        return base::Fail(Fail(name, "map wants OLD=NEW: " + value));
      }
      fixture.maps.emplace_back(value.substr(0, equals), value.substr(equals + 1));
    } else if (key == "pragma") {
      fixture.pragmas.push_back(value);
    } else if (key == "probe") {
      fixture.probes.push_back(value);
    } else if (key == "wal") {
      if (value != "keep") return base::Fail(Fail(name, "wal wants keep: " + value));
      fixture.keep_wal = true;
    } else {
      return base::Fail(Fail(name, "unknown directive: " + key));
    }
  }
  if (fixture.description.empty()) return base::Fail(Fail(name, "the first line must describe the case"));
  // The sections, split at the separator line.
  size_t separator = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Trim(lines[i]) == kSeparator) {
      separator = i;
      break;
    }
  }
  if (separator == lines.size()) return base::Fail(Fail(name, "no \"-- migrate\" line"));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i == separator) continue;
    std::string& section = i < separator ? fixture.setup : fixture.migrate;
    section.append(lines[i]);
    section += '\n';
  }
  return fixture;
}

base::Result<Fixture> LoadFixture(const std::string& folder, const std::string& name) {
  std::string path = folder + "/" + name + ".sql";
  if (!fs::exists(path)) return base::Fail(Fail(path, "no such fixture"));
  return ParseFixture(name, ReadAll(path));
}

base::Status CopyDatabase(const std::string& from, const std::string& to) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(to + suffix, ec);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Fail(from, "cannot copy to " + to + ": " + ec.message());
  if (fs::exists(from + "-wal")) {
    fs::copy_file(from + "-wal", to + "-wal", fs::copy_options::overwrite_existing, ec);
    if (ec) return Fail(from + "-wal", "cannot copy: " + ec.message());
  }
  return base::Status::Ok();
}

// regexp(PATTERN, TEXT), which the sqlite3 library leaves to applications
// (X REGEXP Y calls it): the building connection defines it as an
// application would, so a fixture can hold a CHECK calling a function
// sqlmend's own connections do not know.
void RegexpFunction(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto* pattern = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (!pattern || !text) return sqlite3_result_null(context);
  sqlite3_result_int(context, std::regex_search(text, std::regex(pattern)) ? 1 : 0);
}

base::Status BuildDatabase(const Fixture& fixture, const std::string& path, bool legacy_alter_table,
                           bool keep_wal) {
  if (fs::exists(path)) return Fail(path, "already exists");
  keep_wal = keep_wal && fixture.keep_wal;
  // With keep_wal, build under another name and copy the files while the
  // connection is open: closing the last connection checkpoints the -wal.
  const std::string build_path = keep_wal ? path + ".building" : path;
  const std::string object = fixture.name + (legacy_alter_table ? " (good)" : " (broken)");
  Connection db;
  std::string error = db.Open(build_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!error.empty()) return Fail(object, "open " + build_path + ": " + error);
  sqlite3_create_function_v2(db.get(), "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             RegexpFunction, nullptr, nullptr, nullptr);
  error = db.Exec(std::string("PRAGMA foreign_keys=OFF; PRAGMA legacy_alter_table=") +
                  (legacy_alter_table ? "ON;" : "OFF;"));
  for (const std::string& pragma : fixture.pragmas) {
    if (!error.empty()) break;
    error = db.Exec(pragma);
    if (!error.empty()) error = "pragma " + pragma + ": " + error;
  }
  if (error.empty()) {
    error = db.Exec(fixture.setup);
    if (!error.empty()) error = "setup: " + error;
  }
  if (error.empty() && keep_wal) {
    Statement mode(db.get(), "PRAGMA journal_mode");
    std::string journal = mode.Step() ? mode.Text(0) : mode.error();
    if (journal != "wal") error = "wal: keep needs journal_mode=WAL, the file has " + journal;
    if (error.empty()) error = db.Exec("PRAGMA wal_autocheckpoint=0; PRAGMA wal_checkpoint(TRUNCATE);");
  }
  if (error.empty()) {
    error = db.Exec(fixture.migrate);
    if (!error.empty()) error = "migrate: " + error;
  }
  if (error.empty() && keep_wal) {
    std::error_code ec;
    if (fs::file_size(build_path + "-wal", ec) == 0 || ec) {
      error = "the migration did not reach the -wal";
    } else {
      fs::copy_file(build_path, path, ec);
      if (!ec) fs::copy_file(build_path + "-wal", path + "-wal", ec);
      if (ec) error = "copy: " + ec.message();
    }
  }
  db.Close();
  if (keep_wal) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(build_path + suffix, ec);
  }
  if (!error.empty()) return Fail(object, error);
  return base::Status::Ok();
}

base::Status BuildPair(const Fixture& fixture, const std::string& dir) {
  SQLMEND_RETURN_IF_ERROR(BuildDatabase(fixture, dir + "/broken.db", false, true));
  return BuildDatabase(fixture, dir + "/good.db", true, false);
}

base::Result<DbImage> ReadImage(const std::string& path) {
  Connection db;
  std::string error = db.Open(path, SQLITE_OPEN_READONLY);
  if (!error.empty()) return base::Fail(Fail(path, error));
  DbImage image;
  for (const char* pragma :
       {"page_size", "auto_vacuum", "user_version", "application_id", "encoding", "journal_mode"}) {
    Statement stmt(db.get(), std::string("PRAGMA ") + pragma);
    if (!stmt.Step()) return base::Fail(Fail(path, "PRAGMA " + std::string(pragma) + ": " + stmt.error()));
    image.header[pragma] = stmt.Text(0);
  }
  std::vector<std::string> tables;
  {
    Statement stmt(db.get(), "SELECT type, name, tbl_name, sql FROM sqlite_schema");
    while (stmt.Step()) {
      std::string type = stmt.Text(0), name = stmt.Text(1), table = stmt.Text(2);
      bool has_sql = sqlite3_column_type(stmt.get(), 3) != SQLITE_NULL;
      std::string sql = stmt.Text(3);
      std::string key = type + " " + QuoteName(name);
      if (table != name) key += " (on " + QuoteName(table) + ")";
      image.raw_schema[key] = has_sql ? sql : "NULL";
      image.schema[key] = has_sql ? NormalizeSql(sql) : "NULL";
      bool is_virtual = sql::AsciiLower(sql).rfind("create virtual table", 0) == 0;
      if (type == "table" && !is_virtual) tables.push_back(name);
    }
    if (!stmt.error().empty()) return base::Fail(Fail(path, stmt.error()));
  }
  for (const std::string& table : tables) {
    std::vector<std::string>& rows = image.rows[table];
    error = ReadRows(db.get(), table, &rows);
    if (!error.empty()) return base::Fail(Fail(path, "table " + table + ": " + error));
  }
  {
    Statement stmt(db.get(), "PRAGMA foreign_key_check");
    while (stmt.Step()) ++image.foreign_key_violations;
    if (!stmt.error().empty()) {
      image.foreign_key_violations = -1;
      image.foreign_key_error = stmt.error();
    }
  }
  {
    Statement stmt(db.get(), "PRAGMA integrity_check");
    std::string integrity;
    while (stmt.Step()) integrity += (integrity.empty() ? "" : "\n") + stmt.Text(0);
    if (!stmt.error().empty()) integrity += stmt.error();
    image.integrity = integrity;
  }
  return image;
}

std::string DiffImages(const DbImage& expected, const DbImage& actual, const Aspects& aspects) {
  std::string out;
  auto as_is = [](const std::string& s) { return s; };
  if (aspects.schema) {
    std::string schema_diff;
    DiffMaps("schema", expected.schema, actual.schema, as_is, &schema_diff);
    if (!schema_diff.empty()) {
      out += schema_diff;
      // The stored text of the differing objects, to see what fix-fk wrote.
      for (const auto& [key, sql] : actual.raw_schema) {
        auto e = expected.schema.find(key);
        auto a = actual.schema.find(key);
        if (e != expected.schema.end() && e->second != a->second) {
          out += "  stored expected: " + expected.raw_schema.at(key) + "\n  stored actual:   " + sql + "\n";
        }
      }
    }
  }
  if (aspects.rows) {
    std::set<std::string> tables;
    for (const auto& [table, rows] : expected.rows) tables.insert(table);
    for (const auto& [table, rows] : actual.rows) tables.insert(table);
    for (const std::string& table : tables) {
      auto e = expected.rows.find(table);
      auto a = actual.rows.find(table);
      if (e == expected.rows.end() || a == actual.rows.end()) {
        out += "rows of " + table + ": table " + (e == expected.rows.end() ? "unexpected" : "missing") + "\n";
        continue;
      }
      if (e->second == a->second) continue;
      out += "rows of " + table + ": expected " + std::to_string(e->second.size()) + " rows, actual " +
             std::to_string(a->second.size()) + "\n";
      int shown = 0;
      size_t n = std::max(e->second.size(), a->second.size());
      for (size_t i = 0; i < n && shown < 5; ++i) {
        std::string want = i < e->second.size() ? e->second[i] : "(none)";
        std::string got = i < a->second.size() ? a->second[i] : "(none)";
        if (want == got) continue;
        out += "  row " + std::to_string(i) + ":\n    expected " + want + "\n    actual   " + got + "\n";
        ++shown;
      }
    }
  }
  if (aspects.header) DiffMaps("header", expected.header, actual.header, as_is, &out);
  if (aspects.foreign_keys && (expected.foreign_key_violations != actual.foreign_key_violations ||
                               expected.foreign_key_error != actual.foreign_key_error)) {
    out += "foreign_key_check rows: expected " + std::to_string(expected.foreign_key_violations) +
           " " + expected.foreign_key_error + ", actual " + std::to_string(actual.foreign_key_violations) +
           " " + actual.foreign_key_error + "\n";
  }
  if (aspects.integrity) {
    if (expected.integrity != "ok") out += "integrity of expected: " + expected.integrity + "\n";
    if (actual.integrity != "ok") out += "integrity of actual: " + actual.integrity + "\n";
  }
  return out;
}

std::string NormalizeSql(std::string_view text) {
  std::string out;
  for (const sql::Token& token : sql::Tokenize(text)) {
    if (token.kind == sql::TokenKind::kSpace) continue;
    if (!out.empty()) out += ' ';
    if (token.kind == sql::TokenKind::kWord || token.kind == sql::TokenKind::kQuotedName) {
      std::string name = sql::AsciiLower(sql::TokenName(token));
      out += IsPlainWord(name) ? name : sql::QuoteIdentifier(name);
    } else {
      out.append(token.text);
    }
  }
  return out;
}

base::Status LoadSql(const std::string& path, const std::string& sql) {
  if (fs::exists(path)) return Fail(path, "already exists");
  Connection db;
  std::string error = db.Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!error.empty()) return Fail(path, error);
  sqlite3_create_function_v2(db.get(), "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             RegexpFunction, nullptr, nullptr, nullptr);
  error = db.Exec(sql);
  if (!error.empty()) return Fail(path, error);
  return base::Status::Ok();
}

base::Status RunProbe(const std::string& path, const std::string& probe) {
  Connection db;
  std::string error = db.Open(path, SQLITE_OPEN_READWRITE);
  if (!error.empty()) return Fail(path, error);
  error = db.Exec("PRAGMA foreign_keys=ON; BEGIN;");
  if (error.empty()) error = db.Exec(probe);
  db.Exec("ROLLBACK;");
  if (!error.empty()) return Fail(path, probe + ": " + error);
  return base::Status::Ok();
}

}  // namespace sqlmend::testutil
