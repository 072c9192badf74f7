// Token-level rewriting of table names in stored SQL, as SQLite's own
// ALTER TABLE RENAME does it (alter.c renameEditSql): only identifier tokens
// change, each replaced by the new name double-quoted; string literals,
// comments, DEFAULT and CHECK text and every other byte stay as they were,
// except for a space put between a new name and a '"' right beside it
// (which would otherwise continue the quoted name).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sqlmend::schema {

// ASCII-lowercased missing name -> live table name.
using RenameMap = std::map<std::string, std::string>;

struct Rewritten {
  std::string sql;
  int edits = 0;  // identifier tokens replaced
};

// In a CREATE TABLE text: the table name after each REFERENCES keyword.
Rewritten RewriteReferences(std::string_view create_table_sql, const RenameMap& renames);

// In a CREATE VIEW or CREATE TRIGGER text: every identifier token that names
// a table in `renames`, wherever SQLite's rename would touch it (FROM, JOIN,
// INSERT INTO, UPDATE, DELETE FROM, `t.col` qualifiers, `main.t`). A name
// after a '.' is taken only when the qualifier before it is a schema
// (main, temp): `x.t` where x is a table alias names a column.
Rewritten RewriteTableNames(std::string_view sql, const RenameMap& renames);

}  // namespace sqlmend::schema
