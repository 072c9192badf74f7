// MetaData(naming_convention=...): how SQLAlchemy names the constraints and
// indexes a revision leaves unnamed.
//
// A convention maps a kind ("pk", "uq", "ck", "fk", "ix") to a Python
// %-template. SQLAlchemy (sql/naming.py) resolves these tokens:
//   %(table_name)s            the table
//   %(constraint_name)s       the name given to the constraint (then required)
//   %(referred_table_name)s   a foreign key's target table
//   %(column_0_name)s         the first column ("" when there is none);
//   %(column_0_key)s            any index: column_1_name, ...
//   %(column_0_label)s        "<table>_<column>"
//   %(column_0_N_name)s       every column, joined by "_" (column_0N_name: no
//                             separator); also _key, _label
//   %(referred_column_0_name)s  a foreign key's target column (and _N forms),
//                             when the target table is known (see below)
// The name is applied when:
//   - the constraint is unnamed: always, if the kind has a template;
//   - it is named: only if the template uses %(constraint_name)s;
//   - it is op.f("...") (conv): never, the name is taken verbatim.
// A MetaData built without a convention has SQLAlchemy's default
// {"ix": "ix_%(column_0_label)s"}; one built with a convention has only that
// convention (no "ix" unless given).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/schema_item.h"

namespace sqlmend::ops {

struct MetaData {
  // Keys "pk", "uq", "ck", "fk", "ix"; values are %-templates.
  std::map<std::string, std::string> naming_convention = {{"ix", "ix_%(column_0_label)s"}};
};

// What a template can refer to for one constraint or index.
struct NamingSubject {
  std::string kind;  // "pk", "uq", "ck", "fk" or "ix"
  std::string table;
  ConstraintName name;
  // The constraint's columns (for "fk": the local ones); an expression
  // index element contributes its text, as SQLAlchemy's would its label.
  std::vector<std::string> columns;
  std::string referred_table;                 // "fk" only
  std::vector<std::string> referred_columns;  // "fk" only
  // Whether the referred table is in the MetaData when the name is made.
  // Alembic's operations build a fresh MetaData and add the referred table
  // only after the new table is complete, so %(referred_column_0_name)s
  // fails there (SQLAlchemy's NoReferencedTableError); so does it here.
  bool referred_table_known = false;
};

// The name SQLAlchemy gives `subject` under `metadata`: the convention's
// name, the given name, or no value (unnamed). Fails (kRefused) when a
// template uses %(constraint_name)s for an unnamed constraint or names a
// token SQLAlchemy does not know (its KeyError), with the template as object.
base::Result<std::optional<std::string>> ResolveConstraintName(const MetaData& metadata,
                                                               const NamingSubject& subject);

}  // namespace sqlmend::ops
