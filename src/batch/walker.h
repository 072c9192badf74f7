// The walker: turns the PATH arguments of a fleet run into the list of files
// to work on, each named once.
//
// Rules (the README documents them):
//   * A PATH is a file, a folder (walked recursively) or, when no file of
//     that name exists, a glob(3) pattern whose matches are taken as if found
//     in a folder.
//   * A database is recognised by its header bytes (sqlite::SniffFile), not
//     its extension. A file found in a folder or by a glob without a SQLite
//     header (empty, text, anything else) is listed as skipped with the
//     reason; a file named explicitly is always handed to the repair, which
//     says precisely what is wrong with it.
//   * "-wal", "-shm" and "-journal" files travel with their database and are
//     never inputs; neither are sqlmend's own temporaries, backups and resume
//     journal (base::IsSqlmendArtifact). Found by walking, they are passed
//     over silently, by name alone (a concurrent run's temporary may vanish
//     at any moment); named explicitly, they are listed as skipped.
//   * A file found by walking or by a glob that is gone by the time it is
//     looked at (removed since its folder was listed) is passed over.
//   * Symlinks: one named on the command line (or matched by a glob) is
//     followed. While walking a folder, a symlink to a file is followed but a
//     symlink to a folder is not descended (listed as skipped), so no loop is
//     possible. A followed symlink is worked on through its resolved target
//     (a swap must replace the file, not the link); the result names both.
//   * A file reached twice (two paths, a symlink and its target, hard links)
//     is listed once, at its first path: files are deduplicated by device and
//     inode.
// Walking is iterative (an explicit stack of folders), never recursive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::batch {

// The identity of a file's contents as stat(2) sees them: a file whose
// FileId is unchanged since a run recorded it has not been touched (a repair
// swaps in a new inode; any write moves the mtime).
struct FileId {
  uint64_t dev = 0;
  uint64_t ino = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileId&) const = default;
};

// stat(2) of `path` (following symlinks); kEnvironment when it fails.
base::Result<FileId> StatFileId(const std::string& path);

struct WalkEntry {
  enum class Kind {
    kCandidate,  // to be sniffed (found in a folder or by a glob)
    kNamed,      // a file named on the command line: always processed
    kSkipped,    // listed with `reason`, never opened
    kProblem,    // a PATH that cannot be read: `problem` says why
  };
  Kind kind = Kind::kCandidate;
  std::string path;   // the file to open (a followed symlink's target)
  std::string link;   // the symlink it was reached through, if any
  FileId id;
  std::string reason;      // kSkipped
  base::Status problem;    // kProblem
};

// Expands `paths` by the rules above, in a stable order (each folder's
// entries sorted by name, its files before its subfolders). Never fails as a
// whole: a PATH that is missing, unreadable or a glob matching nothing
// becomes a kProblem entry.
std::vector<WalkEntry> Walk(const std::vector<std::string>& paths);

// True for a "-wal", "-shm" or "-journal" companion name.
bool IsCompanionName(std::string_view path);

// Why a kCandidate entry is not taken as a database ("" when it is one): the
// sniffed reason for a file without a SQLite header or with no bytes. A
// truncated or unreadable file with a header is taken: the repair reports it
// as unusable with the detail.
std::string SkipReason(const WalkEntry& entry);

}  // namespace sqlmend::batch
