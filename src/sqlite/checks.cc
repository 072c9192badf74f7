#include "sqlite/checks.h"

#include <cstring>

#include <fmt/format.h>

namespace sqlmend::sqlite {

namespace {
std::string Q(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// FNV-1a over bytes; rows are mixed with a commutative sum so the digest does
// not depend on scan order.
uint64_t Fnv(const void* data, size_t n, uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
}  // namespace

base::Result<std::string> QuickCheck(Db& db, const std::string& schema_name) {
  auto stmt = db.Prepare(fmt::format("PRAGMA {}.quick_check(1)", Q(schema_name)));
  if (!stmt) return base::Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return base::Fail(row.error());
  if (!*row) return base::Fail(Status::Unusable(db.path(), "quick_check returned nothing"));
  return stmt->ColumnText(0);
}

base::Result<int64_t> CountRows(Db& db, const std::string& table, const std::string& schema_name) {
  return db.QueryInt(fmt::format("SELECT count(*) FROM {}.{}", Q(schema_name), Q(table)));
}

base::Result<uint64_t> TableDigest(Db& db, const std::string& table,
                                   const std::string& select_list,
                                   const std::string& schema_name) {
  auto stmt = db.Prepare(fmt::format("SELECT {} FROM {}.{}",
                                     select_list.empty() ? "*" : select_list, Q(schema_name),
                                     Q(table)));
  if (!stmt) return base::Fail(stmt.error());
  uint64_t total = 0;
  while (true) {
    auto row = stmt->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) break;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < stmt->ColumnCount(); ++i) {
      int type = stmt->ColumnType(i);
      h = Fnv(&type, sizeof type, h);
      if (type == SQLITE_INTEGER) {
        int64_t v = stmt->ColumnInt(i);
        h = Fnv(&v, sizeof v, h);
      } else if (type == SQLITE_FLOAT) {
        double v = stmt->ColumnDouble(i);
        h = Fnv(&v, sizeof v, h);
      } else if (type == SQLITE_TEXT) {
        std::string v = stmt->ColumnText(i);
        h = Fnv(v.data(), v.size(), h);
      } else if (type == SQLITE_BLOB) {
        std::string v = stmt->ColumnBlob(i);
        h = Fnv(v.data(), v.size(), h);
      }
    }
    total += h;
  }
  return total;
}

}  // namespace sqlmend::sqlite
