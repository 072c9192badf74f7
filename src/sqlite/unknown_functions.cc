#include "sqlite/unknown_functions.h"

#include "sqlite/db.h"

#include <string>
#include <vector>

namespace sqlmend::sqlite {

namespace {

// Each round defines one name; a schema naming more unknown functions than
// this is not one sqlmend should be guessing about.
constexpr int kMaxUnknownFunctions = 64;

void Placeholder(sqlite3_context* context, int, sqlite3_value**) {
  const auto* name = static_cast<const std::string*>(sqlite3_user_data(context));
  std::string message = *name + "() belongs to the application; sqlmend cannot evaluate it";
  sqlite3_result_error(context, message.c_str(), static_cast<int>(message.size()));
}

void DeleteName(void* name) { delete static_cast<std::string*>(name); }

}  // namespace

std::string UnknownFunctionIn(const std::string& message) {
  static const std::string kPrefix = "no such function: ";
  size_t at = message.find(kPrefix);
  if (at == std::string::npos) return "";
  return message.substr(at + kPrefix.size());
}

std::string ExecDefiningUnknownFunctions(sqlite3* db, const std::string& sql,
                                         std::vector<std::string>* defined) {
  for (int round = 0;; ++round) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    if (round == kMaxUnknownFunctions) return message;
    if (TrustSqliteOwnAfter(db, message)) continue;  // a JSON, FTS or R*Tree use
    std::string name = UnknownFunctionIn(message);
    if (name.empty()) return message;
    // Any number of arguments (-1). Deterministic, because CREATE INDEX on
    // an expression and generated columns accept no other kind; a function
    // that only ever fails gives SQLite no value to cache. Innocuous, so the
    // schema may name it with trusted_schema=OFF: it has no effect at all.
    if (sqlite3_create_function_v2(db, name.c_str(), -1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   new std::string(name),
                                   Placeholder, nullptr, nullptr, DeleteName) != SQLITE_OK) {
      return message;
    }
    if (defined) defined->push_back(name);
  }
}

}  // namespace sqlmend::sqlite
