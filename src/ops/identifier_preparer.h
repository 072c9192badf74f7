// The quoting rule of SQLAlchemy's SQLite identifier preparer.
//
// SQLAlchemy writes a name bare unless it must be quoted, and its rule is not
// SQLite's (sql::QuoteIdentifierIfNeeded follows the sqlite3 shell): a name
// is double-quoted when it
//   1. is in SQLiteIdentifierPreparer.reserved_words, compared lower-cased
//      ("select", "order", "key", "index", ...; not every SQLite keyword:
//      "abort" stays bare);
//   2. starts with a digit or "$";
//   3. has a character outside [A-Za-z0-9_$] (spaces, dashes, non-ASCII
//      except the two letters Python's IGNORECASE matches, U+017F and U+0131);
//   4. or differs from its lower-case form ("Order", "userId"): SQLAlchemy
//      treats lower case as case-insensitive and anything else as a
//      case-sensitive name that needs quotes.
// Quoting doubles embedded double quotes.
#pragma once

#include <string>
#include <string_view>

namespace sqlmend::ops {

// True when SQLAlchemy's SQLite dialect quotes `name` (rules above).
bool SqlalchemyRequiresQuotes(std::string_view name);

// `name` as SQLAlchemy writes it in SQLite DDL: bare, or "..." with "
// doubled.
std::string SqlalchemyQuote(std::string_view name);

}  // namespace sqlmend::ops
