// What conn.execute(...) returns online: SQLAlchemy 1.4's CursorResult and
// Row, over rows the Connection (connection.h) fetched at once.
//
// CursorResult: iteration, fetchall(), fetchone(), fetchmany(size), first(),
// one(), one_or_none(), scalar(), scalar_one(), scalar_one_or_none(),
// scalars() (first column, or the one named), mappings(), all(), keys(),
// close(), rowcount, lastrowid, inserted_primary_key, returns_rows.
// Fetching consumes rows as SQLAlchemy's cursor does (fetchone() after
// fetchall() gives None); first() and scalar() close the result.
//
// Row: a tuple (index, slice, len, iteration, == with a tuple) whose
// columns are also attributes (row.name) and keys (row["name"], 1.4's
// legacy access), with _mapping, _asdict(), _fields and keys(), and
// LegacyRow's items(), values(), has_key(), iterkeys() and itervalues()
// (iterators given as lists).
//
// Values are typed as SQLAlchemy's SQLite dialect types them when the
// statement says a column's type (a Core select of table columns): Boolean
// -> bool, DateTime / Date / Time -> datetime objects parsed from SQLite's
// text, JSON -> json.loads(), Numeric (and Float(asdecimal=True)) ->
// decimal.Decimal of "%.<places>f" of the number (ops::Type's
// decimal_places), a TypeDecorator's process_result_value() applied;
// otherwise as pysqlite returns them (int, float, str, bytes as str).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "python/value.h"
#include "sqlalchemy/connection.h"

namespace sqlmend::sqlalchemy {

// A CursorResult of `rows`; `types` holds the SQLAlchemy type value of each
// result column where known (None, or shorter than the columns, where not).
base::Result<python::Value> MakeResult(python::CallContext& context, ResultSet rows,
                                       const std::vector<python::Value>& types);

// One value as the column type `type_value` returns it (None: untyped).
base::Result<python::Value> ResultValueOf(python::CallContext& context,
                                          const python::Value& type_value, const Cell& cell);

// A Row of `columns` and `values` (same length).
python::Value MakeRow(std::shared_ptr<const std::vector<std::string>> columns,
                      std::vector<python::Value> values);

}  // namespace sqlmend::sqlalchemy
