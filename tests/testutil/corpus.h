// The fix-fk fixture corpus: fixtures/fk/<case>.sql files, the pair of
// databases each one builds through the real SQLite, and comparators that say
// whether a repaired file is the one the migration's authors expected.
//
// A fixture file is SQL in two sections split by a line that reads exactly
// "-- migrate". Before it, the setup (schema and data); after it, a
// rename-first migration (ALTER TABLE t RENAME TO <leftover>; CREATE TABLE t
// ...; INSERT INTO t SELECT ... FROM <leftover>; DROP TABLE <leftover>).
// The file opens with a block of "--" comment lines; the first states the
// case, the others may carry directives:
//   -- expect: refused     fix-fk must refuse (Code::kRefused), change nothing
//   -- expect: healthy     fix-fk must find nothing to do and write nothing
//                          (without either line, fix-fk must repair the file)
//   -- map: OLD=NEW        the --map fix-fk needs (may repeat)
//   -- pragma: <sql>       run before the setup (page_size, encoding, ...)
//   -- wal: keep           the migration must live only in an uncheckpointed
//                          -wal beside broken.db (needs journal_mode=WAL)
//   -- probe: <sql>        one statement that fails on the broken file with
//                          foreign_keys=ON and succeeds on the repaired one
//                          (an INSERT into a damaged child, a SELECT from a
//                          damaged view); run inside BEGIN ... ROLLBACK
//
// The pair: broken.db runs setup and migration with legacy_alter_table=OFF
// (SQLite 3.26+: every REFERENCES, view and trigger follows the rename to the
// leftover name, which the DROP then leaves dangling); good.db runs the same
// SQL with legacy_alter_table=ON (nothing follows the rename, so everything
// names the new table: the file the authors expected). foreign_keys is OFF in
// both, as migration tools run. The building connection defines regexp(), as
// an application would, so a fixture can hold a CHECK calling a function that
// sqlmend's own connections do not know.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sqlmend::testutil {

struct Fixture {
  enum class Expect { kFixed, kRefused, kHealthy };

  std::string name;          // file stem, e.g. "affix_old_suffix"
  std::string description;   // the first comment line, without "-- "
  Expect expect = Expect::kFixed;
  std::vector<std::pair<std::string, std::string>> maps;  // -- map: OLD=NEW
  std::vector<std::string> pragmas;                       // -- pragma: <sql>
  std::vector<std::string> probes;                        // -- probe: <sql>
  bool keep_wal = false;                                  // -- wal: keep
  std::string setup;    // SQL before "-- migrate"
  std::string migrate;  // SQL after it (may be empty)
};

// The folder of the fix-fk corpus (fixtures/fk).
std::string CorpusFolder();

// Stems of the *.sql files in `folder`, sorted.
std::vector<std::string> ListFixtures(const std::string& folder);

// Parses the text of a fixture file. Fails (kUsage, object = name) on a
// missing "-- migrate" line, a missing description, an unknown directive or
// a malformed one.
base::Result<Fixture> ParseFixture(const std::string& name, std::string_view text);

// Reads and parses <folder>/<name>.sql.
base::Result<Fixture> LoadFixture(const std::string& folder, const std::string& name);

// Builds one database at `path` (which must not exist) from the fixture:
// foreign_keys=OFF, legacy_alter_table as given, the pragmas, the setup, the
// migration. With keep_wal (and fixture.keep_wal), the setup is checkpointed
// and the migration left in `path`-wal: the files are copied while the
// building connection is still open, before its close can checkpoint.
// Returns the first SQLite error, naming the section that failed.
base::Status BuildDatabase(const Fixture& fixture, const std::string& path,
                           bool legacy_alter_table, bool keep_wal);

// Builds <dir>/broken.db (legacy_alter_table=OFF, with its -wal when the
// fixture says "wal: keep") and <dir>/good.db (legacy_alter_table=ON,
// checkpointed).
base::Status BuildPair(const Fixture& fixture, const std::string& dir);

// Copies a database and its -wal (never the -shm) to `to`, so a test can
// open a copy without letting SQLite checkpoint or delete the original's
// -wal. Overwrites `to` and removes a stale `to`-wal/-shm.
base::Status CopyDatabase(const std::string& from, const std::string& to);

// Everything the corpus compares about one database, read through SQLite.
struct DbImage {
  // "type name (on tbl_name)" -> normalised SQL (see NormalizeSql), or
  // "NULL" for automatic indexes.
  std::map<std::string, std::string> schema;
  // The same keys -> the stored SQL as is, for readable diffs.
  std::map<std::string, std::string> raw_schema;
  // Table -> its rows in rowid order (WITHOUT ROWID: primary key order), each
  // "rowid=N | type:value | ...": integers in decimal, reals as their 64 bit
  // pattern and %!.20g, text and blobs in hex (text in the database's own
  // encoding, embedded NULs included). sqlite_sequence and sqlite_stat* rows
  // are sorted and carry no rowid (a reload may renumber them). Virtual
  // tables are skipped; their shadow tables are ordinary tables and compared.
  std::map<std::string, std::vector<std::string>> rows;
  // page_size, auto_vacuum, user_version, application_id, encoding,
  // journal_mode.
  std::map<std::string, std::string> header;
  int64_t foreign_key_violations = 0;  // rows of PRAGMA foreign_key_check
  // Why foreign_key_check itself failed ("foreign key mismatch" when a
  // REFERENCES names a view or a non-unique key); then violations is -1.
  std::string foreign_key_error;
  std::string integrity;               // PRAGMA integrity_check, joined
};

// Reads the image of the database at `path`, read-only. NOTE: a read-only
// connection to a WAL database creates `path`-shm; open a CopyDatabase copy
// when the folder must stay as it is.
base::Result<DbImage> ReadImage(const std::string& path);

// Which parts DiffImages compares.
struct Aspects {
  bool schema = true;
  bool rows = true;
  bool header = true;
  bool foreign_keys = true;
  bool integrity = true;  // both must say "ok"
};

// "" when `actual` matches `expected` on the chosen aspects, otherwise a
// readable, line-per-difference description (capped per table).
std::string DiffImages(const DbImage& expected, const DbImage& actual, const Aspects& aspects = {});

// The text the schema comparison uses: whitespace dropped; every bare or
// quoted name replaced by its unquoted, ASCII-lowercased name (written bare
// when it is a plain word, else double-quoted), since fix-fk writes "t"
// where the author wrote t, [T] or `t`; comments, strings, numbers and
// punctuation kept verbatim (SQLite never edits them, nor may fix-fk).
std::string NormalizeSql(std::string_view sql);

// Creates the database at `path` (which must not exist) from SQL text, such
// as a dump, on a connection that defines regexp() as the fixture builder
// does. OK, or SQLite's first error.
base::Status LoadSql(const std::string& path, const std::string& sql);

// Runs `probe` on the database at `path` with foreign_keys=ON inside
// BEGIN ... ROLLBACK. OK when it ran; otherwise SQLite's message.
base::Status RunProbe(const std::string& path, const std::string& probe);

}  // namespace sqlmend::testutil
