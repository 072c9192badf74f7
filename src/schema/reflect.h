// ReflectTable: a live SQLite table read back as the ops::Table that
// SQLAlchemy 1.4.46's SQLite dialect reflects, which is what Alembic's batch
// mode rebuilds from (Table(name, MetaData(), autoload_with=connection)).
//
// Why exact rather than faithful: Alembic writes the rebuilt table from the
// reflection, so whatever SQLAlchemy 1.4 loses or mangles is lost or
// mangled in the database Alembic leaves. sqlmend must leave the same bytes,
// so this file reproduces SQLAlchemy's rules, not SQLite's truth:
//   - types: the declared type upper-cased, matched by
//     "([\w ]+)(\(.*?\))?" against the dialect's ischema_names, else by
//     affinity (INT -> INTEGER, CHAR/CLOB/TEXT -> TEXT, BLOB or none ->
//     NullType, REAL/FLOA/DOUB -> REAL, else NUMERIC), then compiled back
//     ("INT" -> INTEGER, "DOUBLE" -> FLOAT, "DECIMAL(10,2)" ->
//     DECIMAL(10, 2), "DATETIME(6)" -> DATETIME, "COLLATE" is lost);
//   - nullable from PRAGMA table_info's notnull (an INTEGER PRIMARY KEY
//     without NOT NULL is nullable=True, written without NOT NULL);
//   - server defaults as text, parenthesized by Alembic's listener when they
//     look like an unparenthesized SQL expression ("10" -> "(10)", "0" and
//     "'x'" stay);
//   - the primary key's columns in key order, its name only from
//     "CONSTRAINT (\w+) PRIMARY KEY";
//   - foreign keys from PRAGMA foreign_key_list, with name, ON DELETE /
//     ON UPDATE (NO ACTION dropped), DEFERRABLE and INITIALLY only where
//     SQLAlchemy's table-level FOREIGN KEY regex finds them (an inline
//     "REFERENCES" keeps neither name nor options);
//   - unique constraints that match an sqlite_autoindex by columns, found by
//     SQLAlchemy's two regexes over the CREATE TABLE text;
//   - CHECK constraints by the line-wise regex
//     "(?:CONSTRAINT (.+) +)?CHECK *\( *(.+) *\),? *" (which misreads
//     one-line tables exactly as SQLAlchemy does);
//   - indexes from PRAGMA index_list without autoindexes and without
//     expression indexes, with a partial index's WHERE text.
// Not reflected (as in SQLAlchemy 1.4): AUTOINCREMENT, COLLATE, generated
// columns' expressions, column comments, triggers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/schema_item.h"
#include "sqlite/db.h"

namespace sqlmend::schema {

// Reflects table `name` of the main schema. The table-level constraints
// come in SQLAlchemy's reflection order: foreign keys, unique constraints,
// checks (unnamed checks included; Alembic's batch drops them, see
// ops/batch.h). Fails (kRefused, object = the
// table) when the table does not exist ("No such table: 'name'"), or with
// SQLite's message when a pragma fails. Reads only.
base::Result<ops::Table> ReflectTable(sqlite::Db& db, const std::string& name);

// The indexes of table `name` alone, as ReflectTable() gives them
// (table.indexes; no columns, keys or constraints): what a table about to
// be created needs compared. An empty list for a table that does not exist.
base::Result<ops::Table> ReflectIndexes(sqlite::Db& db, const std::string& name);

// Inspector.get_table_names() / get_view_names(): the main schema's tables
// (or views), sqlite_* internal ones left out, sorted by name.
base::Result<std::vector<std::string>> ObjectNames(sqlite::Db& db, bool views);

// The indexes of `reflected` (a table ReflectTable read) that reflection
// leaves out because they index an expression, by name: their CREATE INDEX
// text with each run of white space made one space.
base::Result<std::map<std::string, std::string>> ExpressionIndexSql(sqlite::Db& db,
                                                                    const ops::Table& reflected);

// The type SQLAlchemy 1.4's SQLite dialect reflects for declared type text
// `declared` (as PRAGMA table_info reports it), spelled as its DDL compiler
// writes it, as ops::Type::Raw. NullType (no type, or an unknown *BLOB*
// name) gives Raw("") , which cannot be rendered in a CREATE TABLE.
ops::Type ReflectedType(const std::string& declared);

}  // namespace sqlmend::schema
