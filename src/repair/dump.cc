#include "repair/dump.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "schema/schema.h"
#include "sql/tokenizer.h"
#include "sqlite/header.h"

namespace sqlmend::repair {

namespace {

using base::Status;

// Below this magnitude SQLite 3.40's text-to-double conversion (sqlite3AtoF)
// takes its "e > 307" branch, which divides by the double constant 1.0e+308
// and so can be off by an ulp or more (5e-324 even comes back as 0.0). Values
// this small are written as an exact product of powers of two instead.
constexpr double kTinyLimit = 1e-289;

// Above the limit sqlite3AtoF computes s * 10^e in x87 long double: at most
// ~15 roundings of 2^-64, under 0.01 ulp of a double. A decimal that lies
// within this many ulps of the double therefore always comes back exactly.
// The shortest round-trip decimal can lie up to 0.5 ulp away, and then 3.40
// may round it the wrong way (about 1 in 5000 random doubles), so such
// values fall back to more digits. Measured: no failure in 1M random doubles.
// NOTE: this assumes long double wider than double, as on x86-64 (x87) and
// aarch64 Linux, both for SQLite's arithmetic and for the check here.
constexpr long double kSafeUlps = 0.45L;

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// A REAL literal: SQLite reads digits without '.' or exponent as INTEGER.
std::string AsRealLiteral(std::string text) {
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

// True when `text` parses (correctly rounded, in long double) to within
// kSafeUlps of `value`, a normal double.
bool SafelyNear(std::string_view text, double value) {
  long double parsed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  long double ulp = std::ldexp(1.0L, std::ilogb(value) - 52);
  return std::fabs(parsed - static_cast<long double>(value)) <= kSafeUlps * ulp;
}

std::string FormatReal(double value);

// x = m * 2^e exactly, written as (m * 2^-900 * 2^(e+900)): each factor is a
// double SQLite parses exactly and each product is exact, because scaling by
// a power of two only moves the exponent while the result stays
// representable (the final product is `value` itself).
std::string ExactPowerOfTwoProduct(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
  int biased = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t mantissa = biased == 0 ? fraction : fraction | (uint64_t{1} << 52);
  int exponent = biased == 0 ? -1074 : biased - 1075;
  while (mantissa != 0 && (mantissa & 1) == 0) {
    mantissa >>= 1;
    ++exponent;
  }
  return fmt::format("({}{}.0*{}*{})", std::signbit(value) ? "-" : "", mantissa,
                     FormatReal(std::ldexp(1.0, -900)),
                     FormatReal(std::ldexp(1.0, exponent + 900)));
}

// A REAL literal that SQLite 3.40 reads back bit for bit (see kTinyLimit and
// kSafeUlps); the shortest such decimal when there is one.
std::string FormatReal(double value) {
  if (std::isnan(value)) return "NULL";  // SQLite stores NaN as NULL
  if (std::isinf(value)) return value > 0 ? "1e999" : "-1e999";
  // SQLite keeps -0.0 in columns without REAL/NUMERIC affinity, and the
  // literal -0.0 (unary minus on 0.0) gives it back.
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  if (std::fabs(value) < kTinyLimit) return ExactPowerOfTwoProduct(value);
  char buffer[64];
  for (int precision : {0, 17, 18}) {
    auto result = precision == 0 ? std::to_chars(buffer, buffer + sizeof buffer, value)
                                 : std::to_chars(buffer, buffer + sizeof buffer, value,
                                                 std::chars_format::general, precision);
    std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
    if (SafelyNear(text, value)) return AsRealLiteral(std::string(text));
  }
  // Unreachable: 18 digits are always within 0.05 ulp. Stay exact anyway.
  return ExactPowerOfTwoProduct(value);
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// past U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    uint32_t code;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1, code = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2, code = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3, code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if ((extra == 2 && (code < 0x800 || (code >= 0xd800 && code <= 0xdfff))) ||
        (extra == 3 && (code < 0x10000 || code > 0x10ffff))) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// Well-formed UTF-16 code units: every surrogate in a high-low pair.
bool IsValidUtf16(const std::vector<uint16_t>& units) {
  for (size_t i = 0; i < units.size(); ++i) {
    uint16_t u = units[i];
    if (u >= 0xdc00 && u <= 0xdfff) return false;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 1 == units.size() || units[i + 1] < 0xdc00 || units[i + 1] > 0xdfff) return false;
      ++i;
    }
  }
  return true;
}

enum class Encoding { kUtf8, kUtf16le, kUtf16be };

// A TEXT value as SQL. A plain 'literal' when the sqlite3 shell reads it
// back unchanged; otherwise CAST(X'..' AS TEXT) over the stored bytes, which
// SQLite reads in the database's encoding. That covers NUL (the shell and
// sqlite3_column_text stop there), invalid UTF-8/UTF-16 (no conversion may
// touch it) and CR (the shell drops a CR before each line end).
std::string FormatText(sqlite3_stmt* stmt, int column, Encoding encoding) {
  if (encoding == Encoding::kUtf8) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    std::string_view bytes(text ? text : "",
                           static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    if (bytes.find_first_of(std::string_view("\0\r", 2)) == std::string_view::npos &&
        IsValidUtf8(bytes)) {
      return sql::QuoteString(bytes);
    }
    return "CAST(X'" + Hex(bytes) + "' AS TEXT)";
  }
  // sqlite3_column_text16 gives native byte order: a byte swap of the stored
  // text (never a lossy conversion) when the database uses the other order.
  const auto* raw = static_cast<const unsigned char*>(sqlite3_column_text16(stmt, column));
  size_t size = static_cast<size_t>(sqlite3_column_bytes16(stmt, column));
  std::vector<uint16_t> units(size / 2);
  // An empty text has no buffer: memcpy must not see a null pointer.
  if (raw != nullptr && !units.empty()) std::memcpy(units.data(), raw, units.size() * 2);
  bool plain = IsValidUtf16(units);
  for (uint16_t u : units) plain = plain && u != 0 && u != '\r';
  if (plain) {
    // Valid UTF-16 converts to UTF-8 and back exactly.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    return sql::QuoteString(std::string_view(
        text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, column))));
  }
  bool little = encoding == Encoding::kUtf16le;
  std::string bytes;
  bytes.reserve(units.size() * 2);
  for (uint16_t u : units) {
    char low = static_cast<char>(u & 0xff), high = static_cast<char>(u >> 8);
    bytes += little ? low : high;
    bytes += little ? high : low;
  }
  return "CAST(X'" + Hex(bytes) + "' AS TEXT)";
}

std::string FormatValue(sqlite3_stmt* stmt, int column, Encoding encoding) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT:
      return FormatReal(sqlite3_column_double(stmt, column));
    case SQLITE_BLOB: {
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, column));
      size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, column));
      return "X'" + Hex(std::string_view(blob ? blob : "", size)) + "'";
    }
    default:
      return FormatText(stmt, column, encoding);
  }
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         sqlite3_strnicmp(text.data(), prefix.data(), static_cast<int>(prefix.size())) == 0;
}

// Ends a CREATE statement as the shell's printSchemaLine does: stored text
// may end inside a trailing comment, so close it ("*/" or a newline) before
// the ';' when that is what makes the statement complete.
std::string SchemaLine(std::string_view sql) {
  for (const char* terminator : {"", "*/", "\n"}) {
    std::string candidate = std::string(sql) + terminator + ";";
    if (sqlite3_complete(candidate.c_str())) return candidate + "\n";
  }
  return std::string(sql) + ";\n";
}

struct SchemaRow {
  std::string type;
  std::string name;
  std::string tbl_name;
  std::string sql;
};

// Holds the read transaction: a SAVEPOINT, so it also nests inside a
// transaction the caller already has open. Never writes.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(sqlite::Db& db) : db_(db) {}
  ~ReadSnapshot() { End(); }
  Status Begin() {
    SQLMEND_RETURN_IF_ERROR(db_.Exec("SAVEPOINT sqlmend_dump"));
    open_ = true;
    return Status::Ok();
  }
  Status End() {
    if (!open_) return Status::Ok();
    open_ = false;
    return db_.Exec("RELEASE sqlmend_dump");
  }

 private:
  sqlite::Db& db_;
  bool open_ = false;
};

// The dump as a pipeline of named steps (see Run()).
class DumpWriter {
 public:
  DumpWriter(sqlite::Db& db, const DumpOptions& options, std::ostream& out)
      : db_(db), options_(options), out_(out) {}

  // 1. Header settings: PRAGMAs for what a new file can be given, a
  //    comment for the rest.
  // 2. Tables in sqlite_schema rowid order, sqlite_sequence last, each
  //    CREATE followed by its rows.
  // 3. Indexes, triggers and views in schema order.
  // 4. COMMIT, then journal_mode=WAL when the source uses it.
  Status Run() {
    auto schema = schema::Schema::Read(db_);
    if (!schema) return schema.error();
    schema_ = std::move(*schema);
    SQLMEND_RETURN_IF_ERROR(ReadHeader());
    SQLMEND_RETURN_IF_ERROR(WritePreamble());
    SQLMEND_RETURN_IF_ERROR(WriteTables());
    SQLMEND_RETURN_IF_ERROR(WriteOtherObjects());
    return WriteTrailer();
  }

  bool began() const { return began_; }

 private:
  Status ReadHeader() {
    auto settings = sqlite::ReadHeaderSettings(db_);
    if (!settings) return settings.error();
    header_ = *settings;
    if (header_.encoding == "UTF-16le") {
      encoding_ = Encoding::kUtf16le;
    } else if (header_.encoding == "UTF-16be") {
      encoding_ = Encoding::kUtf16be;
    }
    return Status::Ok();
  }

  Status WritePreamble() {
    // page_size, auto_vacuum and encoding only take effect before the new
    // file's first table, so they come before BEGIN and every CREATE.
    Write("PRAGMA foreign_keys=OFF;\n" + sqlite::HeaderPragmasForNewFile(header_));
    Write(fmt::format("-- not settable by SQL: freelist_count={} page_count={}\n",
                      header_.freelist_count, header_.page_count));
    Write("BEGIN TRANSACTION;\n");
    began_ = true;
    return Flushed();
  }

  Status WriteTables() {
    auto tables = ReadSchema(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_schema "
        "WHERE type = 'table' AND sql NOT NULL ORDER BY tbl_name = 'sqlite_sequence', rowid");
    if (!tables) return tables.error();
    bool analyze_written = false;
    for (const SchemaRow& table : *tables) {
      if (sqlite3_stricmp(table.name.c_str(), "sqlite_sequence") == 0) {
        Write("DELETE FROM sqlite_sequence;\n");
      } else if (sqlite3_strglob("sqlite_stat?", table.name.c_str()) == 0) {
        // ANALYZE of sqlite_schema only creates the stat tables: it gathers
        // nothing on system tables.
        if (!analyze_written) Write("ANALYZE sqlite_schema;\n");
        analyze_written = true;
      } else if (StartsWithNoCase(table.name, "sqlite_")) {
        continue;  // internal; SQLite recreates what it needs
      } else if (StartsWithNoCase(table.sql, "CREATE VIRTUAL TABLE")) {
        WriteVirtualTable(table);
        continue;  // its rows live in its shadow tables, dumped as tables
      } else {
        Write(SchemaLine(Rewrite(table)));
      }
      SQLMEND_RETURN_IF_ERROR(WriteRows(table.name));
    }
    return Flushed();
  }

  // Written as .dump does, without running the module's xCreate (which
  // would make fresh, empty shadow tables): a row in sqlite_schema.
  void WriteVirtualTable(const SchemaRow& table) {
    if (!writable_schema_) Write("PRAGMA writable_schema=ON;\n");
    writable_schema_ = true;
    Write(fmt::format(
        "INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table',{},{},0,{});\n",
        sql::QuoteString(table.name), sql::QuoteString(table.tbl_name),
        sql::QuoteString(Rewrite(table))));
  }

  Status WriteOtherObjects() {
    auto objects = ReadSchema(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_schema "
        "WHERE sql NOT NULL AND type IN ('index', 'trigger', 'view') ORDER BY rowid");
    if (!objects) return objects.error();
    for (const SchemaRow& object : *objects) Write(SchemaLine(Rewrite(object)));
    return Flushed();
  }

  Status WriteTrailer() {
    if (writable_schema_) Write("PRAGMA writable_schema=OFF;\n");
    Write("COMMIT;\n");
    // After COMMIT: the mode cannot change inside a transaction.
    if (sqlite3_stricmp(header_.journal_mode.c_str(), "wal") == 0) {
      Write("PRAGMA journal_mode=WAL;\n");
    }
    return Flushed();
  }

  Status WriteRows(const std::string& table) {
    const schema::Object* object = FindTable(table);
    if (!object) return Status::Unusable(table, "table vanished from the schema while dumping");
    // The same shape fix-fk's reload copies by: the rowid when no alias
    // carries it, then every stored column (generated ones are computed).
    schema::RowShape shape = schema::ShapeOf(*object);
    if (shape.rowid_hidden) {
      Write(fmt::format("-- rowids of {} not kept: columns rowid, _rowid_ and oid hide them\n",
                        sql::QuoteIdentifierIfNeeded(table)));
    }
    std::string select = "SELECT ";
    std::string prefix = "INSERT INTO " + sql::QuoteIdentifierIfNeeded(table);
    std::string column_list;
    if (!shape.rowid.empty()) {
      select += shape.rowid;
      column_list = shape.rowid;
    }
    for (const auto& column : shape.columns) {
      if (!column_list.empty()) {
        select += ", ";
        column_list += ",";
      }
      select += sql::QuoteIdentifier(column);
      column_list += sql::QuoteIdentifierIfNeeded(column);
    }
    if (shape.has_generated || !shape.rowid.empty()) prefix += "(" + column_list + ")";
    prefix += " VALUES(";
    // No ORDER BY, as .dump: rowid order, or PRIMARY KEY order WITHOUT ROWID.
    select += " FROM main." + sql::QuoteIdentifier(table);
    auto rows = db_.Prepare(select);
    if (!rows) return rows.error();
    sqlite3_stmt* stmt = rows->handle();
    int count = rows->ColumnCount();
    std::string line;
    while (true) {
      auto row = rows->Step();
      if (!row) return row.error();
      if (!*row) break;
      line = prefix;
      for (int i = 0; i < count; ++i) {
        if (i) line += ',';
        line += FormatValue(stmt, i, encoding_);
      }
      line += ");\n";
      Write(line);
      if (!out_) return Flushed();
    }
    return Status::Ok();
  }

  base::Result<std::vector<SchemaRow>> ReadSchema(std::string_view query) {
    auto stmt = db_.Prepare(query);
    if (!stmt) return base::Fail(stmt.error());
    std::vector<SchemaRow> rows;
    while (true) {
      auto row = stmt->Step();
      if (!row) return base::Fail(row.error());
      if (!*row) break;
      rows.push_back(
          {stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2), stmt->ColumnText(3)});
    }
    return rows;
  }

  std::string Rewrite(const SchemaRow& row) {
    if (!options_.rewrite_sql) return row.sql;
    return options_.rewrite_sql(row.type, row.name, row.sql);
  }

  void Write(std::string_view text) {
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  }

  Status Flushed() {
    if (out_) return Status::Ok();
    return Status::Environment("dump output", "cannot write the dump text");
  }

  const schema::Object* FindTable(const std::string& name) const {
    for (const schema::Object& o : schema_.objects()) {
      if (o.type == schema::ObjectType::kTable && o.name == name) return &o;
    }
    return nullptr;
  }

  sqlite::Db& db_;
  const DumpOptions& options_;
  std::ostream& out_;
  schema::Schema schema_;
  sqlite::HeaderSettings header_;
  Encoding encoding_ = Encoding::kUtf8;
  bool writable_schema_ = false;
  bool began_ = false;
};

}  // namespace

Status WriteDump(sqlite::Db& db, const DumpOptions& options, std::ostream& out) {
  ReadSnapshot snapshot(db);
  DumpWriter writer(db, options, out);
  Status status = snapshot.Begin();
  if (status.ok()) status = writer.Run();
  Status ended = snapshot.End();
  if (status.ok()) status = ended;
  if (!status.ok()) {
    // Whoever loads a partial dump must not keep half of it, and whoever
    // reads it must see why it stops.
    std::string reason = status.WithObject(db.path()).ToString();
    for (char& c : reason) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    if (writer.began()) out << "ROLLBACK; -- due to errors\n";
    out << "-- sqlmend: dump failed: " << reason << "\n";
  }
  return status;
}

}  // namespace sqlmend::repair
