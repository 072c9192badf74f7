#include "config/sqlite_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>

#include "config/python_text.h"

namespace sqlmend::config {
namespace {

using base::Result;
using base::Status;

constexpr std::string_view kObject = "sqlalchemy.url";

// pysqlite's own query keys; with uri=true they are not passed on to SQLite.
constexpr std::string_view kDriverKeys[] = {
    "uri", "timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements"};

bool IsDriverKey(std::string_view key) {
  return std::find(std::begin(kDriverKeys), std::end(kDriverKeys), key) != std::end(kDriverKeys);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// urllib.parse.unquote_plus: '+' is a space, a valid %XX is a byte, an
// invalid one is kept as written.
std::string UnquotePlus(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// urllib.parse.parse_qsl(query) with Python 3.10+ defaults: pairs split on
// '&', blank values and pairs without '=' dropped.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view field = query.substr(start, end - start);
    const size_t equals = field.find('=');
    if (equals != std::string_view::npos && equals + 1 < field.size()) {
      pairs.emplace_back(UnquotePlus(field.substr(0, equals)),
                         UnquotePlus(field.substr(equals + 1)));
    }
    start = end + 1;
  }
  return pairs;
}

// os.path.abspath: joined to `cwd` when relative, then "." and ".." folded
// lexically and a trailing slash dropped.
std::string AbsPath(const std::string& path, const std::string& cwd) {
  std::filesystem::path joined = std::filesystem::path(cwd) / path;
  std::string normal = joined.lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  return normal;
}

bool IsUrlNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+';
}

}  // namespace

Result<SqliteUrl> ParseSqliteUrl(std::string_view url, const std::string& cwd) {
  // 1. "<name>://", name made of word characters and '+' (SQLAlchemy's
  //    _parse_url pattern).
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0 ||
      !std::all_of(url.begin(), url.begin() + scheme_end, IsUrlNameChar)) {
    return base::Fail(Status::Usage(
        std::string(kObject), "Could not parse SQLAlchemy URL from string " + PythonRepr(url)));
  }
  SqliteUrl result;
  const std::string_view name = url.substr(0, scheme_end);
  const size_t plus = name.find('+');
  result.dialect = std::string(name.substr(0, plus));
  result.driver = plus == std::string_view::npos ? "pysqlite" : std::string(name.substr(plus + 1));
  if (result.dialect != "sqlite") {
    std::string described = "dialect " + PythonRepr(result.dialect);
    if (plus != std::string_view::npos) described += " (driver " + PythonRepr(result.driver) + ")";
    return base::Fail(
        Status::Refused(std::string(kObject),
                        described + " is not supported: sqlmend migrates SQLite databases only"));
  }
  if (result.driver != "pysqlite" && result.driver != "aiosqlite") {
    return base::Fail(Status::Refused(
        std::string(kObject), "SQLite driver " + PythonRepr(result.driver) +
                                  " is not supported: use sqlite:// or sqlite+pysqlite://"));
  }
  // 2. After "://": an authority (user, password, host, port) up to the
  //    first '/' or '?', then "/<database>", then "?<query>".
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t authority_end = rest.find_first_of("/?");
  if (authority_end != 0 && !rest.empty()) {
    return base::Fail(Status::Usage(
        std::string(kObject),
        "Invalid SQLite URL: " + std::string(url) +
            "; valid SQLite URL forms are sqlite:///:memory: (or sqlite://), "
            "sqlite:///relative/path/to/file.db, sqlite:////absolute/path/to/file.db"));
  }
  std::string database;
  if (!rest.empty() && rest.front() == '/') {
    const size_t query_start = rest.find('?');
    database = std::string(rest.substr(
        1, query_start == std::string_view::npos ? std::string_view::npos : query_start - 1));
    rest.remove_prefix(query_start == std::string_view::npos ? rest.size() : query_start);
  }
  if (!rest.empty() && rest.front() == '?') result.query = ParseQuery(rest.substr(1));

  // 3. The driver's keys: uri and timeout matter to sqlmend; the others
  //    tune the Python driver only.
  bool uri = false;
  std::map<std::string, std::string> uri_options;  // sorted, as SQLAlchemy sorts them
  for (const auto& [key, value] : result.query) {
    if (key == "uri") {
      const std::optional<bool> flag = SqlalchemyAsBool(value);
      if (!flag) {
        return base::Fail(
            Status::Usage(std::string(kObject), "String is not true/false: " + PythonRepr(value)));
      }
      uri = *flag;
    } else if (key == "timeout") {
      double seconds = 0;
      const std::string_view text = PythonStrip(value);
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      if (error != std::errc() || end != text.data() + text.size()) {
        return base::Fail(Status::Usage(std::string(kObject),
                                        "could not convert string to float: " + PythonRepr(value)));
      }
      result.timeout = seconds;
    } else if (!IsDriverKey(key)) {
      uri_options[key] = value;  // the last of repeated keys, as dict(opts)
    }
  }

  // 4. The location.
  if (uri) {
    result.kind = SqliteUrl::Kind::kUri;
    result.location = database;
    if (!uri_options.empty()) {
      if (database.rfind("file:", 0) != 0) {
        return base::Fail(
            Status::Usage(std::string(kObject),
                          "uri=true with SQLite URI parameters needs a database written as "
                          "file:<path>; SQLAlchemy would open a file named " +
                              PythonRepr(database + "?...")));
      }
      std::string joined;
      for (const auto& [key, value] : uri_options)
        joined += (joined.empty() ? "" : "&") + key + "=" + value;
      result.location += "?" + joined;
    }
    // NOTE: a relative "file:x.db" is left relative: SQLite resolves it
    // against the process's folder, which is the cwd sqlmend was started in.
    if (result.location.empty()) result.kind = SqliteUrl::Kind::kMemory;
    return result;
  }
  for (const auto& [key, value] : uri_options) result.ignored_query_keys.push_back(key);
  if (database.empty() || database == ":memory:") {
    result.kind = SqliteUrl::Kind::kMemory;
    result.location = ":memory:";
  } else {
    result.location = AbsPath(database, cwd);
  }
  return result;
}

}  // namespace sqlmend::config
