// ParseSqliteUrl against SQLAlchemy: for each SQLite URL, the location
// sqlmend opens must be the file name SQLAlchemy's pysqlite dialect passes to
// sqlite3.connect() (create_connect_args), computed by /usr/bin/python3 in
// the same folder; other dialects must be refused without echoing the URL.
#include "config/sqlite_url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/files.h"
#include "testutil/testutil.h"

namespace sqlmend::config {
namespace {

// Prints, for each URL argument, the file name pysqlite would open, or
// "ERROR" when SQLAlchemy rejects the URL.
constexpr char kUrlOracle[] = R"PY(
import sys
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
for url in sys.argv[1:]:
    try:
        print(SQLiteDialect_pysqlite().create_connect_args(make_url(url))[0][0])
    except Exception:
        print("ERROR")
)PY";

struct UrlCase {
  const char* url;
  // "file:<path>" ({cwd} is the folder), "memory", "uri:<location>", or
  // "error:<code name>:<message fragment>".
  const char* expected;
  bool oracle = true;  // compare with SQLAlchemy (SQLite URLs only)
};

const UrlCase kUrlCases[] = {
    {"sqlite:///app.db", "file:{cwd}/app.db"},
    {"sqlite:///data/dev.db", "file:{cwd}/data/dev.db"},
    {"sqlite:///./data/../dev.db", "file:{cwd}/dev.db"},
    {"sqlite:////abs/path/x.db", "file:/abs/path/x.db"},
    {"sqlite://", "memory"},
    {"sqlite:///:memory:", "memory"},
    {"sqlite://?timeout=5", "memory"},
    {"sqlite+pysqlite:///x.db", "file:{cwd}/x.db"},
    {"sqlite+aiosqlite:///x.db", "file:{cwd}/x.db", /*oracle=*/false},
    {"sqlite:///x.db?timeout=2.5&check_same_thread=false", "file:{cwd}/x.db"},
    {"sqlite:///x.db?mode=ro", "file:{cwd}/x.db"},  // ignored without uri=true, as SQLAlchemy does
    {"sqlite:///file:x.db?mode=ro&uri=true", "uri:file:x.db?mode=ro"},
    {"sqlite:///file:x.db?uri=true&mode=ro&cache=shared", "uri:file:x.db?cache=shared&mode=ro"},
    {"sqlite:///file:/abs/x.db?uri=true", "uri:file:/abs/x.db"},
    {"sqlite:///with%20space.db",
     "file:{cwd}/with%20space.db"},  // the database part is not unquoted
    {"sqlite://host/x.db", "error:usage:Invalid SQLite URL"},
    {"sqlite://user:pw@/x.db", "error:usage:Invalid SQLite URL"},
    {"not a url", "error:usage:Could not parse SQLAlchemy URL from string 'not a url'"},
    {"sqlite:///x.db?uri=maybe", "error:usage:String is not true/false: 'maybe'", false},
    {"postgresql://scott:tiger@localhost/db", "error:refused:dialect 'postgresql' is not supported",
     false},
    {"postgresql+psycopg2://scott:tiger@localhost/db",
     "error:refused:dialect 'postgresql' (driver 'psycopg2') is not supported", false},
    {"mysql+pymysql://u:p@h/db", "error:refused:dialect 'mysql' (driver 'pymysql')", false},
    {"sqlite+pysqlcipher://:key@/x.db",
     "error:refused:SQLite driver 'pysqlcipher' is not supported", false},
    {"driver://user:pass@localhost/dbname", "error:refused:dialect 'driver'",
     false},  // the template's URL
};

std::string Describe(const base::Result<SqliteUrl>& url) {
  if (!url)
    return "error:" + std::string(base::CodeName(url.error().code())) + ":" + url.error().message();
  switch (url->kind) {
    case SqliteUrl::Kind::kFile:
      return "file:" + url->location;
    case SqliteUrl::Kind::kMemory:
      return "memory";
    case SqliteUrl::Kind::kUri:
      return "uri:" + url->location;
  }
  return "?";
}

TEST(SqliteUrlTest, ResolvesAsSqlalchemyDoes) {
  testutil::TempDir dir;
  std::vector<std::string> oracle_urls;
  for (const UrlCase& c : kUrlCases) {
    const std::string actual = Describe(ParseSqliteUrl(c.url, dir.path()));
    std::string expected = c.expected;
    if (const size_t at = expected.find("{cwd}"); at != std::string::npos)
      expected.replace(at, 5, dir.path());
    if (expected.starts_with("error:")) {
      EXPECT_TRUE(actual.starts_with(expected)) << "url: " << c.url << "\nactual: " << actual;
    } else {
      EXPECT_EQ(actual, expected) << "url: " << c.url;
    }
    if (c.oracle) oracle_urls.push_back(c.url);
  }
  if (!base::Exists(testutil::kPython)) GTEST_SKIP() << "no " << testutil::kPython;
  testutil::WriteFile(dir.File("oracle.py"), kUrlOracle);
  std::string command = "cd " + testutil::ShellQuote(dir.path()) + " && " + testutil::kPython + " oracle.py";
  for (const std::string& url : oracle_urls) command += " " + testutil::ShellQuote(url);
  const testutil::RunResult python = testutil::RunCommand(command);
  ASSERT_EQ(python.exit_code, 0) << python.err;
  size_t start = 0;
  for (const std::string& url : oracle_urls) {
    const size_t end = python.out.find('\n', start);
    ASSERT_NE(end, std::string::npos) << python.out;
    const std::string sqlalchemy = python.out.substr(start, end - start);
    start = end + 1;
    auto ours = ParseSqliteUrl(url, dir.path());
    if (sqlalchemy == "ERROR") {
      EXPECT_FALSE(ours) << "url: " << url << " is rejected by SQLAlchemy";
    } else {
      ASSERT_TRUE(ours) << "url: " << url << ": " << ours.error().ToString();
      EXPECT_EQ(ours->location, sqlalchemy) << "url: " << url;
    }
  }
}

TEST(SqliteUrlTest, RefusalNeverEchoesThePassword) {
  auto url = ParseSqliteUrl("postgresql://scott:tiger@localhost/db", "/");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().code(), base::Code::kRefused);
  EXPECT_EQ(url.error().ToString().find("tiger"), std::string::npos) << url.error().ToString();
}

TEST(SqliteUrlTest, KeepsQueryTimeoutAndIgnoredKeys) {
  auto url = ParseSqliteUrl("sqlite:///x.db?timeout=2.5&mode=ro&cache=shared", "/work");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->timeout, std::optional<double>(2.5));
  EXPECT_EQ(url->ignored_query_keys, (std::vector<std::string>{"cache", "mode"}));
  EXPECT_EQ(url->query.size(), 3u);
  EXPECT_EQ(url->driver, "pysqlite");
}

}  // namespace
}  // namespace sqlmend::config
