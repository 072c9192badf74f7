// The resume journal: what a fleet run has finished, so that running the same
// command again after an interruption (Ctrl-C, kill, power loss) finishes the
// rest without touching what is done.
//
// The journal is base::kJournalName (".sqlmend-journal.jsonl") in the first
// folder argument, or beside the first file argument (JournalPathFor). It is
// append-only JSON Lines, one object per finished file, written with a single
// write(2) on an O_APPEND descriptor and fsync'ed before the file counts as
// done, so concurrent sqlmend processes can share it and a torn last line
// (power loss) is simply ignored:
//   {"path":"a/b.db","dev":2049,"ino":1234,"size":1048576,"mtime_ns":...,
//    "outcome":"fixed","signature":"fix-fk --stamp=abc --map=x=y"}
// The identity (dev, ino, size, mtime_ns) is taken after the repair: a fixed
// file is recorded as the new file that was swapped in.
//
// A file is done when the latest entry for its (dev, ino) under the same
// command signature has a final outcome (fixed, stamped, healthy, refused,
// damaged) and still matches its size and mtime. Anything else (an error, an
// interrupted file, a file changed since) is worked on again. The journal
// never grows without bound in practice: one line per file per run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/status.h"
#include "batch/summary.h"
#include "batch/walker.h"

namespace sqlmend::batch {

struct JournalEntry {
  std::string path;
  FileId id;
  Outcome outcome = Outcome::kError;
  std::string signature;
};

// Where a run over `paths` keeps its journal: in the first PATH when it is a
// folder, else in the folder holding it (for a glob, the folder part of the
// pattern, or "." when it has none).
std::string JournalPathFor(const std::vector<std::string>& paths);

// True for the outcomes a rerun does not redo.
bool IsFinal(Outcome outcome);

// One JSON line for `entry` (with the trailing newline); ParseJournalLine is
// its inverse and returns nothing for a malformed or torn line.
std::string JournalLine(const JournalEntry& entry);
std::optional<JournalEntry> ParseJournalLine(const std::string& line);

// Thread-safe: workers look up and append concurrently.
class Journal {
 public:
  // Opens `path` for appending (creating it) and reads what is there.
  // kEnvironment when it can be neither read nor created (a read-only
  // folder): the caller runs without resume and says so.
  static base::Result<std::unique_ptr<Journal>> Open(const std::string& path);
  ~Journal();

  const std::string& path() const { return path_; }

  // The recorded final outcome of the file with exactly `id` under
  // `signature`, or nothing when it is not done.
  std::optional<Outcome> Done(const FileId& id, const std::string& signature);

  // Reads the lines other processes appended since the last read.
  void Refresh();

  // Appends one line and fsyncs it. The entry counts for Done() at once.
  base::Status Append(const JournalEntry& entry);

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  void ReadNewLinesLocked();

  std::string path_;
  int fd_ = -1;
  std::mutex mu_;
  int64_t read_offset_ = 0;   // bytes parsed so far
  std::string partial_;       // an unterminated last line, kept for later
  std::map<std::tuple<uint64_t, uint64_t, std::string>, JournalEntry> latest_;
};

}  // namespace sqlmend::batch
