// Small file-system helpers shared by every module: fsync, folder of a path,
// existence and size checks, sibling names, and the markers that tell
// sqlmend's own temporary and backup files apart from user files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sqlmend::base {

// The marker in every temporary file name sqlmend creates.
inline constexpr std::string_view kTempMarker = ".sqlmend-tmp-";
// The marker in every backup file name fix-fk keeps.
inline constexpr std::string_view kBackupMarker = ".sqlmend-backup-";

// The resume journal a fleet run keeps in its first folder (batch/journal.h).
inline constexpr std::string_view kJournalName = ".sqlmend-journal.jsonl";

// True when `path` is a sqlmend temporary, backup or resume journal (or one
// of their SQLite companions); such files are never taken as input.
bool IsSqlmendArtifact(std::string_view path);

// The folder holding `path` ("." for a bare name).
std::string DirName(const std::string& path);
// The last component of `path`.
std::string BaseName(const std::string& path);

bool Exists(const std::string& path);
// Creates `path` as an empty file (mode 0644 less the umask, as SQLite
// creates databases) only if nothing exists there, atomically (O_EXCL):
// true when this call created it.
bool CreateExclusive(const std::string& path);
// Whether `path` is a regular file / a folder, following symbolic links
// (Python's os.path.isfile / isdir); false when it cannot be read.
bool IsRegularFile(const std::string& path);
bool IsDirectory(const std::string& path);
// Size in bytes, or -1 when the file does not exist.
int64_t FileSize(const std::string& path);

// The file `path` names (following symlinks): its device and inode. Equal
// identities read before a database is opened and after its lock is taken
// mean nothing was renamed over the path in between (as fix-fk's swap
// does), so the lock is on the file the path names.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
};
// nullopt when `path` cannot be stat'ed.
std::optional<FileIdentity> IdentityOf(const std::string& path);

// fsync of a file by path; of a folder (making a rename durable).
Status FsyncFile(const std::string& path);
Status FsyncDir(const std::string& dir);

// Renames `from` to `to` atomically (same folder) and fsyncs the folder.
Status RenameDurably(const std::string& from, const std::string& to);

// Removes `path` when it exists; a missing file is not an error.
void RemoveIfExists(const std::string& path);

// Status for an errno value from a file operation on `object`, classified
// as kEnvironment (ENOSPC: "disk full", EROFS/EACCES/EPERM: read-only ...).
Status ErrnoStatus(const std::string& object, std::string_view what, int err);

// A UTC time stamp for file names: 20261124T231800Z.
std::string UtcStampForFileName();

// Copies permission bits (and owner, when running as root) of `from` to `to`.
void CopyModeAndOwner(const std::string& from, const std::string& to);

}  // namespace sqlmend::base
