// What a file is, told from its first bytes, before SQLite opens it; and the
// header settings a rebuilt copy must carry over.
//
// SniffFile() never writes and never creates companion files: it is how
// sqlmend recognises a database by its header bytes, not its extension, and
// how it refuses an empty, truncated or foreign file with a precise reason.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::sqlite {

enum class FileKind {
  kDatabase,     // a SQLite 3 header and a plausible size
  kEmpty,        // zero bytes
  kNotDatabase,  // no SQLite header
  kTruncated,    // header present, but the file is shorter than it says
  kMissing,      // no such file
  kUnreadable,   // cannot be opened for reading
};

struct Sniff {
  FileKind kind = FileKind::kMissing;
  uint32_t page_size = 0;
  int64_t file_size = 0;
  bool wal_mode = false;      // header says journal_mode=WAL (bytes 18-19 = 2)
  // The file format write version (byte 18): 1 legacy, 2 WAL. SQLite opens
  // a file whose write version is above 2 (a format newer than it knows)
  // read-only: it can be read, never written.
  int write_version = 0;
  std::string reason;         // one line for the user when kind != kDatabase
};

// Reads the first 100 bytes of `path` (and the size of its "-wal", which can
// hold pages the main file lacks).
Sniff SniffFile(const std::string& path);

// The Status that refuses a sniffed non-database (kUnusableInput, or
// kEnvironment for kMissing/kUnreadable); OK for kDatabase.
Status SniffStatus(const std::string& path, const Sniff& sniff);

// kUnusableInput when the file's format cannot be written by this SQLite
// (write version above 2), for a command about to write it or copy it into a
// new file: the problem is the input, not a read-only file or folder. OK
// otherwise.
Status WritableFormatStatus(const std::string& path, const Sniff& sniff);

// Header settings that VACUUM INTO and .dump do not all carry, read through
// PRAGMAs on an open connection.
struct HeaderSettings {
  int64_t page_size = 4096;
  int64_t auto_vacuum = 0;  // 0 none, 1 full, 2 incremental
  int64_t user_version = 0;
  int64_t application_id = 0;
  std::string encoding = "UTF-8";  // UTF-8, UTF-16le, UTF-16be
  std::string journal_mode = "delete";
  int64_t freelist_count = 0;
  int64_t page_count = 0;
};

Result<HeaderSettings> ReadHeaderSettings(Db& db, const std::string& schema = "main");

// The ATTACH-free PRAGMAs that give a new, empty database `settings`'s
// page_size, auto_vacuum and encoding (must run before anything is created)
// and user_version and application_id.
std::string HeaderPragmasForNewFile(const HeaderSettings& settings);

}  // namespace sqlmend::sqlite
