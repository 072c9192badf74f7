// Differential tests of the dump writer: each database is built from SQL at
// test time, dumped, loaded with the real sqlite3 shell (`sqlite3 new.db <
// out.sql`) and compared with its source value for value: rowid, storage
// class and exact bytes or bits of every row, the whole sqlite_schema, and
// the header settings. Where plain `sqlite3 .dump` loses something, a test
// shows that too.
#include "repair/dump.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::repair {
namespace {

using testutil::ExecSql;
using testutil::Query;
using testutil::RunCommand;
using testutil::ShellQuote;

std::string HexOf(const void* data, int size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (int i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// One value as storage class and exact content: integers in decimal, REALs
// as their 64 bits, TEXT and BLOB as the stored bytes (TEXT in the
// database's encoding, since sqlite3_column_blob does not convert).
std::string ExactValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return "null";
    case SQLITE_INTEGER:
      return "int:" + std::to_string(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: {
      double value = sqlite3_column_double(stmt, i);
      return "real:" + std::to_string(std::bit_cast<uint64_t>(value));
    }
    case SQLITE_BLOB: {
      const void* blob = sqlite3_column_blob(stmt, i);
      return "blob:" + HexOf(blob, sqlite3_column_bytes(stmt, i));
    }
    default: {
      const void* text = sqlite3_column_blob(stmt, i);
      return "text:" + HexOf(text, sqlite3_column_bytes(stmt, i));
    }
  }
}

// Every row of every query, each value exact, as one line per row.
std::vector<std::string> ExactRows(sqlite3* db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
    return rows;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) row += ExactValue(stmt, i) + "|";
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  return rows;
}

// The content of a database as a comparable list: the header settings, the
// whole sqlite_schema (without root pages), then each table's rows with
// their rowid (WITHOUT ROWID tables in key order), generated columns included.
std::vector<std::string> Digest(const std::string& path) {
  std::vector<std::string> digest;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return digest;
  }
  for (const char* pragma :
       {"page_size", "auto_vacuum", "encoding", "user_version", "application_id", "journal_mode"}) {
    for (const auto& row : ExactRows(db, std::string("PRAGMA ") + pragma)) {
      digest.push_back(std::string(pragma) + "=" + row);
    }
  }
  for (const auto& row :
       ExactRows(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")) {
    digest.push_back("schema:" + row);
  }
  std::vector<std::string> tables = Query(
      path,
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow') "
      "AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema') ORDER BY name");
  for (const auto& table : tables) {
    std::string quoted = "\"" + table + "\"";
    bool without_rowid = Query(path, "SELECT wr FROM pragma_table_list('" + table + "')") ==
                         std::vector<std::string>{"1"};
    std::string sql = without_rowid ? "SELECT * FROM " + quoted
                                    : "SELECT _rowid_, * FROM " + quoted + " ORDER BY _rowid_";
    for (const auto& row : ExactRows(db, sql)) digest.push_back(table + ":" + row);
  }
  sqlite3_close(db);
  return digest;
}

// Reports the first difference only: a digest can hold thousands of rows.
void ExpectSameDigest(const std::vector<std::string>& source,
                      const std::vector<std::string>& loaded) {
  size_t i = 0;
  while (i < source.size() && i < loaded.size() && source[i] == loaded[i]) ++i;
  if (i == source.size() && i == loaded.size()) return;
  ADD_FAILURE() << "digests differ at entry " << i
                << ":\n  source: " << (i < source.size() ? source[i] : "(end)")
                << "\n  loaded: " << (i < loaded.size() ? loaded[i] : "(end)");
}

class DumpTest : public ::testing::Test {
 protected:
  std::string Source() const { return dir_.File("source.db"); }

  // Our dump of `path`, through a read-only connection.
  std::string Dump(const std::string& path, const DumpOptions& options = {}) {
    auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly);
    EXPECT_TRUE(db.has_value()) << db.error().ToString();
    if (!db) return "";
    std::ostringstream out;
    base::Status status = WriteDump(*db, options, out);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out.str();
  }

  // Loads `text` into a new database `name` with the sqlite3 shell, which
  // must report nothing on stderr.
  std::string Load(const std::string& text, const std::string& name) {
    std::string script = dir_.File(name + ".sql");
    testutil::WriteFile(script, text);
    std::string target = dir_.File(name);
    auto result = RunCommand("sqlite3 " + ShellQuote(target) + " < " + ShellQuote(script));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "") << "while loading " << script;
    return target;
  }

  // Dumps the source, loads it and expects every value, setting and schema
  // row back.
  std::string ExpectRoundTrip(const DumpOptions& options = {}) {
    std::string loaded = Load(Dump(Source(), options), "loaded.db");
    ExpectSameDigest(Digest(Source()), Digest(loaded));
    return loaded;
  }

  // The plain shell's .dump of the source, loaded into a new database.
  std::string LoadPlainDump(const std::string& name) {
    auto dumped = RunCommand("sqlite3 " + ShellQuote(Source()) + " .dump");
    EXPECT_EQ(dumped.exit_code, 0);
    return Load(dumped.out, name);
  }

  testutil::TempDir dir_;
};

TEST_F(DumpTest, EmptyDatabaseHasTheDumpLayoutPlusHeaderPragmas) {
  ExecSql(Source(), "PRAGMA user_version=7;");
  EXPECT_EQ(Dump(Source()),
            "PRAGMA foreign_keys=OFF;\n"
            "PRAGMA page_size=4096;\n"
            "PRAGMA auto_vacuum=0;\n"
            "PRAGMA encoding='UTF-8';\n"
            "PRAGMA user_version=7;\n"
            "PRAGMA application_id=0;\n"
            "-- not settable by SQL: freelist_count=0 page_count=1\n"
            "BEGIN TRANSACTION;\n"
            "COMMIT;\n");
  ExpectRoundTrip();
}

TEST_F(DumpTest, LayoutPutsRowsAfterTheirTableAndSequenceLast) {
  ExecSql(Source(),
          "CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, x);"
          "CREATE TABLE b(y TEXT);"
          "CREATE INDEX b_y ON b(y);"
          "CREATE VIEW v AS SELECT x FROM a -- trailing comment\n;"
          "INSERT INTO a(x) VALUES('it''s');"
          "INSERT INTO b(rowid, y) VALUES(5, 'line1\nline2');");
  EXPECT_EQ(Dump(Source()),
            "PRAGMA foreign_keys=OFF;\n"
            "PRAGMA page_size=4096;\n"
            "PRAGMA auto_vacuum=0;\n"
            "PRAGMA encoding='UTF-8';\n"
            "PRAGMA user_version=0;\n"
            "PRAGMA application_id=0;\n"
            "-- not settable by SQL: freelist_count=0 page_count=5\n"
            "BEGIN TRANSACTION;\n"
            "CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, x);\n"
            "INSERT INTO a VALUES(1,'it''s');\n"
            "CREATE TABLE b(y TEXT);\n"
            "INSERT INTO b(rowid,y) VALUES(5,'line1\nline2');\n"
            "DELETE FROM sqlite_sequence;\n"
            "INSERT INTO sqlite_sequence(rowid,name,seq) VALUES(1,'a',1);\n"
            "CREATE INDEX b_y ON b(y);\n"
            "CREATE VIEW v AS SELECT x FROM a -- trailing comment\n;\n"
            "COMMIT;\n");
  ExpectRoundTrip();
}

TEST_F(DumpTest, EveryKindOfTableComesBackWithItsRowids) {
  ExecSql(
      Source(),
      "PRAGMA page_size=8192; PRAGMA auto_vacuum=2;"
      "PRAGMA user_version=42; PRAGMA application_id=1234567;"
      // Rowid table without an alias, with gaps.
      "CREATE TABLE plain(a, b TEXT);"
      "INSERT INTO plain(rowid, a, b) VALUES(3, 1, 'x'), (10, 2, 'y'), (11, NULL, 'z');"
      // A TEXT PRIMARY KEY does not carry the rowid either.
      "CREATE TABLE keyed(k TEXT PRIMARY KEY, v);"
      "INSERT INTO keyed(rowid, k, v) VALUES(7, 'a', 1), (2, 'b', 2);"
      // Column-constraint INTEGER PRIMARY KEY DESC is not a rowid alias.
      "CREATE TABLE quirk(id INTEGER PRIMARY KEY DESC, v);"
      "INSERT INTO quirk(rowid, id, v) VALUES(100, 1, 'one'), (50, 2, 'two');"
      "CREATE TABLE aliased(id INTEGER PRIMARY KEY, v);"
      "INSERT INTO aliased VALUES(4, 'four'), (9, 'nine');"
      "CREATE TABLE counter(id INTEGER PRIMARY KEY AUTOINCREMENT, v);"
      "INSERT INTO counter(v) VALUES(1), (2), (3); DELETE FROM counter WHERE id = 3;"
      "CREATE TABLE nowid(a TEXT, b INT, c, PRIMARY KEY(b, a)) WITHOUT ROWID;"
      "INSERT INTO nowid VALUES('x', 2, 1.5), ('y', 1, NULL);"
      "CREATE TABLE strict_t(id INTEGER PRIMARY KEY, n INT, r REAL, t TEXT, b BLOB, a ANY)"
      " STRICT;"
      "INSERT INTO strict_t VALUES(1, 5, 2.5, 'x', x'00ff', 'any'), (2, NULL, 3.0, '', x'', 1e3);"
      "CREATE TABLE generated(a INT, b INT GENERATED ALWAYS AS (a * 2) VIRTUAL, c TEXT,"
      " d TEXT AS (upper(c)) STORED);"
      "INSERT INTO generated(rowid, a, c) VALUES(2, 1, 'x'), (8, 2, 'y');"
      // A column named rowid: the rowid is written as _rowid_.
      "CREATE TABLE shadowed(rowid TEXT, v);"
      "INSERT INTO shadowed(_rowid_, rowid, v) VALUES(6, 'r', 1);"
      "CREATE TABLE \"select\"(\"my col\", [ü]);"
      "INSERT INTO \"select\"(rowid, \"my col\", [ü]) VALUES(12, 'q', 'ü');"
      "CREATE INDEX partial ON plain(a) WHERE a > 1;"
      "CREATE INDEX expression ON plain(lower(b), a + 1);"
      "CREATE UNIQUE INDEX nowid_c ON nowid(c);"
      "CREATE VIEW joined AS SELECT plain.a, keyed.v FROM plain JOIN keyed ON plain.a = keyed.v;"
      "CREATE TRIGGER plain_log AFTER INSERT ON plain BEGIN"
      " INSERT INTO counter(v) VALUES(new.a); END;"
      "ANALYZE;");
  ASSERT_FALSE(Query(Source(), "SELECT * FROM sqlite_stat1").empty());
  std::string loaded = ExpectRoundTrip();
  EXPECT_EQ(Query(loaded, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(Query(loaded, "SELECT b, d FROM generated ORDER BY rowid"),
            (std::vector<std::string>{"2|X", "4|Y"}));
  // The plain shell's .dump closes the rowid gaps.
  std::string plain = LoadPlainDump("plain.db");
  EXPECT_EQ(Query(plain, "SELECT rowid FROM plain"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Query(loaded, "SELECT rowid FROM plain"), (std::vector<std::string>{"3", "10", "11"}));
}

TEST_F(DumpTest, RowidsHiddenByColumnsAreReportedInAComment) {
  ExecSql(Source(),
          "CREATE TABLE t(rowid, _rowid_, oid);"
          "INSERT INTO t VALUES(1, 2, 3);");
  std::string text = Dump(Source());
  EXPECT_NE(text.find("-- rowids of t not kept: columns rowid, _rowid_ and oid hide them\n"
                      "INSERT INTO t VALUES(1,2,3);\n"),
            std::string::npos)
      << text;
}

TEST_F(DumpTest, TextAndBlobsComeBackByteForByte) {
  ExecSql(Source(),
          "CREATE TABLE t(v);"
          "INSERT INTO t VALUES"
          " (CAST(x'610062' AS TEXT)),"             // embedded NUL
          " (CAST(x'00' AS TEXT)),"                 // only a NUL
          " (CAST(x'fffe41' AS TEXT)),"             // invalid UTF-8
          " (CAST(x'eda080' AS TEXT)),"             // an encoded surrogate
          " ('a' || char(13) || char(10) || 'b'),"  // CRLF, which the shell trims
          " ('quote '' and \"double\"'),"
          " ('two\n\nlines;\n.dump\n'),"
          " (''),"
          " ('ünïcødé ✓ 😀'),"
          " (x''),"
          " (x'00010203ff'),"
          " (9223372036854775807),"
          " (-9223372036854775808),"
          " (NULL);");
  std::string loaded = ExpectRoundTrip();
  // The plain shell's .dump cuts the first value at its NUL.
  std::string plain = LoadPlainDump("plain.db");
  EXPECT_EQ(Query(plain, "SELECT hex(v) FROM t WHERE rowid = 1"), std::vector<std::string>{"61"});
  EXPECT_EQ(Query(loaded, "SELECT hex(v) FROM t WHERE rowid = 1"),
            std::vector<std::string>{"610062"});
}

// Doubles SQLite 3.40 does not read back from their decimal text, plus
// random bit patterns, all in a column without affinity (which also keeps
// -0.0 as a REAL).
TEST_F(DumpTest, DoublesComeBackBitForBit) {
  std::vector<double> values = {0.0,
                                -0.0,
                                5e-324,
                                -5e-324,
                                2.2250738585072014e-308,
                                2.2250738585072009e-308,
                                1e-300,
                                1e-289,
                                9.99e-290,
                                DBL_MAX,
                                -DBL_MAX,
                                0.1,
                                1.0,
                                123.0,
                                1e16,
                                1e22,
                                9007199254740993.0,
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(20240601);
  while (values.size() < 30000) {
    double value = std::bit_cast<double>(random());
    if (!std::isnan(value)) values.push_back(value);
  }
  for (int exponent = -1074; exponent <= 1023; ++exponent) {
    values.push_back(std::ldexp(1.0, exponent));
  }
  ExecSql(Source(), "CREATE TABLE t(x); CREATE TABLE s(x ANY) STRICT;");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Source().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const char* insert : {"INSERT INTO t VALUES(?1)", "INSERT INTO s VALUES(?1)"}) {
      sqlite3_stmt* stmt = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, insert, -1, &stmt, nullptr), SQLITE_OK);
      for (double value : values) {
        sqlite3_bind_double(stmt, 1, value);
        ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
        sqlite3_reset(stmt);
      }
      sqlite3_finalize(stmt);
    }
    ASSERT_EQ(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  // SQLite kept -0.0 (atan2 tells its sign), so the dump must give it back.
  EXPECT_EQ(Query(Source(), "SELECT atan2(x, -1) < 0 FROM t WHERE rowid = 2"),
            std::vector<std::string>{"1"});
  std::string loaded = ExpectRoundTrip();
  EXPECT_EQ(Query(loaded, "SELECT atan2(x, -1) < 0, typeof(x) FROM t WHERE rowid = 2"),
            std::vector<std::string>{"1|real"});
  // The same, asked of SQLite across ATTACH.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(loaded.c_str(), &db), SQLITE_OK);
  std::string attach = "ATTACH '" + Source() + "' AS src";
  ASSERT_EQ(sqlite3_exec(db, attach.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  auto differing = ExactRows(db,
                             "SELECT count(*) FROM main.t AS m JOIN src.t AS s ON m.rowid = s.rowid"
                             " WHERE m.x IS NOT s.x OR typeof(m.x) IS NOT typeof(s.x)"
                             " OR printf('%!.20g', m.x) IS NOT printf('%!.20g', s.x)");
  sqlite3_close(db);
  EXPECT_EQ(differing, std::vector<std::string>{"int:0|"});
  // The plain shell's .dump turns 5e-324 into 0.
  std::string plain = LoadPlainDump("plain.db");
  EXPECT_EQ(Query(plain, "SELECT x = 0 FROM t WHERE rowid = 3"), std::vector<std::string>{"1"});
}

TEST_F(DumpTest, TinyDoublesAreWrittenAsExactProducts) {
  ExecSql(Source(), "CREATE TABLE t(x); INSERT INTO t VALUES(5e-324), (1e-300), (0.5);");
  std::string text = Dump(Source());
  EXPECT_NE(text.find("INSERT INTO t(rowid,x) VALUES(1,(1.0*"), std::string::npos) << text;
  EXPECT_NE(text.find("INSERT INTO t(rowid,x) VALUES(3,0.5);"), std::string::npos) << text;
}

class DumpEncodingTest : public DumpTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(DumpEncodingTest, Utf16DatabaseLoadsBackAsUtf16WithExactText) {
  const std::string encoding = GetParam();
  bool little = encoding == "UTF-16le";
  auto units = [&](std::initializer_list<int> code_units) {
    std::string hex;
    char buffer[8];
    for (int unit : code_units) {
      std::snprintf(buffer, sizeof buffer, "%02x%02x", little ? unit & 0xff : unit >> 8,
                    little ? unit >> 8 : unit & 0xff);
      hex += buffer;
    }
    return "CAST(x'" + hex + "' AS TEXT)";
  };
  ExecSql(Source(), "PRAGMA encoding='" + encoding + "';" +
                        "CREATE TABLE t(v);"
                        "INSERT INTO t VALUES('plain ünï ✓ 😀'), ('it''s'), (''),"
                        " (" +
                        units({'a', 0, 'b'}) +
                        "),"  // embedded NUL
                        " (" +
                        units({'x', 0xd800, 'y'}) +
                        "),"  // unpaired surrogate
                        " (" +
                        units({0xdc00}) +
                        "),"  // lone low surrogate
                        " (" +
                        units({'a', '\r', '\n'}) +
                        "),"
                        " (x'0102'), (1.5), (7);");
  ASSERT_EQ(Query(Source(), "PRAGMA encoding"), std::vector<std::string>{encoding});
  std::string text = Dump(Source());
  EXPECT_NE(text.find("PRAGMA encoding='" + encoding + "';\n"), std::string::npos);
  std::string loaded = ExpectRoundTrip();
  EXPECT_EQ(Query(loaded, "PRAGMA encoding"), std::vector<std::string>{encoding});
  EXPECT_EQ(Query(loaded, "SELECT hex(v) FROM t WHERE rowid IN (4, 5)"),
            Query(Source(), "SELECT hex(v) FROM t WHERE rowid IN (4, 5)"));
  EXPECT_EQ(Query(loaded, "SELECT length(CAST(v AS BLOB)) FROM t WHERE rowid = 4"),
            std::vector<std::string>{"6"});
}

INSTANTIATE_TEST_SUITE_P(Encodings, DumpEncodingTest, ::testing::Values("UTF-16le", "UTF-16be"));

TEST_F(DumpTest, Fts5TablesAnswerTheSameQueriesAfterLoading) {
  ExecSql(Source(),
          "CREATE TABLE docs(title TEXT, body TEXT);"
          "INSERT INTO docs(rowid, title, body) VALUES"
          " (3, 'alpha', 'the quick brown fox'), (17, 'beta', 'a lazy dog'),"
          " (40, 'gamma', 'quick thinking'), (41, 'delta', 'slow fox');"
          "CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs',"
          " content_rowid='rowid');"
          "INSERT INTO docs_fts(docs_fts) VALUES('rebuild');"
          "CREATE VIRTUAL TABLE notes USING fts5(text);"
          "INSERT INTO notes(rowid, text) VALUES(5, 'quick note'), (9, 'fox note');"
          "DELETE FROM notes WHERE rowid = 9;"
          "INSERT INTO notes(rowid, text) VALUES(12, 'another fox');");
  std::string text = Dump(Source());
  EXPECT_NE(text.find("PRAGMA writable_schema=ON;\n"
                      "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table',"
                      "'docs_fts','docs_fts',0,'CREATE VIRTUAL TABLE docs_fts USING fts5(title, "
                      "body, content=''docs'', content_rowid=''rowid'')');\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("PRAGMA writable_schema=OFF;\nCOMMIT;\n"), std::string::npos);
  std::string loaded = ExpectRoundTrip();
  for (const char* query :
       {"SELECT rowid, title FROM docs_fts WHERE docs_fts MATCH 'quick' ORDER BY rowid",
        "SELECT rowid, body FROM docs_fts WHERE docs_fts MATCH 'fox' ORDER BY rowid",
        "SELECT rowid, text FROM notes WHERE notes MATCH 'fox OR quick' ORDER BY rowid"}) {
    EXPECT_EQ(Query(loaded, query), Query(Source(), query)) << query;
  }
  EXPECT_EQ(Query(loaded, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH 'quick' ORDER BY rowid"),
            (std::vector<std::string>{"3", "40"}));
  ExecSql(loaded,
          "INSERT INTO docs_fts(docs_fts, rank) VALUES('integrity-check', 1);"
          "INSERT INTO notes(notes) VALUES('integrity-check');");
  // The plain shell's .dump renumbers docs, so the index points at the
  // wrong rows.
  std::string plain = LoadPlainDump("plain.db");
  EXPECT_NE(Query(plain, "SELECT rowid, title FROM docs_fts WHERE docs_fts MATCH 'quick'"),
            Query(Source(), "SELECT rowid, title FROM docs_fts WHERE docs_fts MATCH 'quick'"));
}

TEST_F(DumpTest, WalSourceLoadsBackInWalMode) {
  ExecSql(Source(), "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  std::string text = Dump(Source());
  EXPECT_NE(text.find("COMMIT;\nPRAGMA journal_mode=WAL;\n"), std::string::npos) << text;
  std::string script = dir_.File("wal.sql");
  testutil::WriteFile(script, text);
  std::string target = dir_.File("loaded.db");
  auto result = RunCommand("sqlite3 " + ShellQuote(target) + " < " + ShellQuote(script));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "wal\n");  // the shell echoes the new journal mode
  ExpectSameDigest(Digest(Source()), Digest(target));
}

TEST_F(DumpTest, RewriteSqlChangesEverySchemaObjectItIsGiven) {
  ExecSql(Source(),
          "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
          "CREATE TABLE child(id INTEGER PRIMARY KEY, p REFERENCES \"parent__old\"(id));"
          "INSERT INTO parent VALUES(1); INSERT INTO child VALUES(1, 1);"
          "CREATE VIEW v AS SELECT * FROM child;");
  std::vector<std::string> seen;
  DumpOptions options;
  options.rewrite_sql = [&](std::string_view type, std::string_view name, std::string_view sql) {
    seen.push_back(std::string(type) + " " + std::string(name));
    std::string text(sql);
    auto at = text.find("\"parent__old\"");
    if (at != std::string::npos) text.replace(at, 13, "\"parent\"");
    return text;
  };
  std::string loaded = Load(Dump(Source(), options), "loaded.db");
  EXPECT_EQ(seen, (std::vector<std::string>{"table parent", "table child", "view v"}));
  EXPECT_EQ(Query(loaded, "SELECT sql FROM sqlite_schema WHERE name = 'child'"),
            std::vector<std::string>{
                "CREATE TABLE child(id INTEGER PRIMARY KEY, p REFERENCES \"parent\"(id))"});
  EXPECT_EQ(Query(loaded, "SELECT * FROM child"), std::vector<std::string>{"1|1"});
}

TEST_F(DumpTest, NeverWritesTheSourceAndNestsInACallersTransaction) {
  ExecSql(Source(), "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  auto before = testutil::TakeSnapshot(Source());
  {
    auto db = sqlite::Db::Open(Source(), sqlite::OpenMode::kReadWrite);
    ASSERT_TRUE(db.has_value());
    ASSERT_OK(db->Exec("BEGIN"));
    std::ostringstream out;
    ASSERT_OK(WriteDump(*db, {}, out));
    EXPECT_EQ(sqlite3_get_autocommit(db->handle()), 0);  // the caller's transaction stays open
    ASSERT_OK(db->Exec("COMMIT"));
  }
  EXPECT_EQ(testutil::TakeSnapshot(Source()), before);
}

TEST_F(DumpTest, FailureEndsTheTextWithACommentNamingTheError) {
  ExecSql(Source(),
          "CREATE TABLE t(x);"
          "PRAGMA writable_schema=ON;"
          "INSERT INTO sqlite_schema VALUES('table', 'bad', 'bad', 0, 'CREATE TABLE bad(');");
  auto db = sqlite::Db::Open(Source(), sqlite::OpenMode::kReadOnly);
  ASSERT_TRUE(db.has_value());
  std::ostringstream out;
  base::Status status = WriteDump(*db, {}, out);
  EXPECT_FALSE(status.ok());
  std::string text = out.str();
  EXPECT_NE(text.rfind("-- sqlmend: dump failed: "), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1) << "one comment line: " << text;
}

}  // namespace
}  // namespace sqlmend::repair
