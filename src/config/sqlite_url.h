// SqliteUrl: the `sqlalchemy.url` of an Alembic configuration, read as
// SQLAlchemy (1.4/2.0) and its pysqlite dialect read it, for the one database
// family sqlmend migrates.
//
// The forms, from SQLAlchemy's SQLite dialect documentation and
// `pysqlite.create_connect_args`:
//   sqlite:///relative/path.db    a file relative to the current folder
//                                 (made absolute with os.path.abspath rules:
//                                 "." and ".." folded lexically)
//   sqlite:////absolute/path.db   an absolute file
//   sqlite://  sqlite:///:memory: an in-memory database
//   sqlite+pysqlite:///x.db       the same, driver named (also +aiosqlite,
//                                 which reads URLs identically)
//   sqlite:///file:x.db?mode=ro&uri=true
//                                 with uri=true the database part is an SQLite
//                                 URI; the query keys other than the driver's
//                                 own (uri, timeout, isolation_level,
//                                 detect_types, check_same_thread,
//                                 cached_statements) are appended to it, sorted
//                                 by key, as SQLAlchemy does.
// Without uri=true, SQLAlchemy ignores query keys that are not the driver's
// own: "sqlite:///x.db?mode=ro" opens x.db read-write. sqlmend keeps that
// meaning (a configuration Alembic runs must run the same) and lists such keys
// in `ignored_query_keys` so the caller can warn about them.
//
// Refused: any other dialect (postgresql://, mysql+pymysql://, ...) and
// sqlite+pysqlcipher (encrypted files), with kRefused naming the dialect but
// never echoing the URL, which may hold a password; a SQLite URL with a user,
// password, host or port, with kUsage (SQLAlchemy's "Invalid SQLite URL").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sqlmend::config {

struct SqliteUrl {
  enum class Kind {
    kFile,    // `location` is an absolute file path
    kMemory,  // a private in-memory database; `location` is ":memory:"
    kUri,     // `location` is an SQLite URI ("file:..."), to be opened with
              // SQLITE_OPEN_URI
  };
  Kind kind = Kind::kFile;
  std::string dialect;  // "sqlite"
  std::string driver;   // "pysqlite" when the URL names none
  std::string location;
  // The decoded query pairs in URL order (parse_qsl: '+' is a space, %XX
  // decoded, pairs without '=' or with an empty value dropped).
  std::vector<std::pair<std::string, std::string>> query;
  // `timeout` from the query: seconds pysqlite waits on a locked database.
  std::optional<double> timeout;
  // Query keys SQLAlchemy passes to neither the driver nor SQLite (only
  // without uri=true).
  std::vector<std::string> ignored_query_keys;
};

// Parses `url` (already interpolated from the ini). `cwd` is the absolute
// folder relative file names are resolved against. Returns the database
// location or a refusal as described above; leaves nothing behind on failure.
base::Result<SqliteUrl> ParseSqliteUrl(std::string_view url, const std::string& cwd);

}  // namespace sqlmend::config
