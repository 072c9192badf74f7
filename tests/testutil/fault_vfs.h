// FaultVfs: a test-only SQLite VFS that injects the failures a repair must
// survive, a full disk, a failing write and a failing fsync, in the spirit of
// SQLite's own test VFSes (test_vfs.c, test_devsym.c).
//
// The VFS is registered under the name "sqlmend-fault" (FaultVfs::kName) and
// wraps the process's default VFS (sqlite3_vfs_find(nullptr) at Install()
// time). Open a connection through it with
//   sqlite3_open_v2(path, &db, flags, FaultVfs::kName)
// or sqlite::OpenOptions{.vfs = FaultVfs::kName}, or repair::FixOptions::vfs.
// Every call is forwarded to the wrapped VFS and to the wrapped file's own
// io_methods (locks, file controls, WAL shared memory, memory mapping), except
// where a fault is armed:
//   - xWrite counts the bytes it writes. Once FailWritesAfter(n, error) is
//     armed, a write that would take the count more than n bytes past the
//     count at arming time fails with `error`, writes nothing, and so does
//     every later write, until Reset(). Writes to every file count: the
//     database, its rollback journal or WAL, and SQLite's temporary files.
//   - xSync fails with SQLITE_IOERR_FSYNC while FailSync(true) is in force.
// Nothing else is altered: reads, truncation, deletion and locking behave as
// on the real disk, which is what a full disk looks like to SQLite.
//
// The controls are process-global and thread-safe (atomics and one mutex),
// because SQLite may call the VFS from any connection's thread. A test arms
// them, runs its scenario, and calls Reset() in TearDown so the next test
// starts clean.
//
// NOTE: a failed write leaves SQLite's pager in its error state. With writes
// still failing, even a read on that connection may fail, because SQLite must
// roll the hot journal back into the database file first. Tests that check
// the file after a fault call Reset() (the disk was freed) and then read.
#pragma once

#include <cstdint>

#include "base/status.h"

namespace sqlmend::testutil {

class FaultVfs {
 public:
  // The registered name, for sqlite3_open_v2's zVfs argument.
  static constexpr const char* kName = "sqlmend-fault";

  // Registers the VFS (not as the default). Safe to call any number of times
  // and from several threads: only the first call registers. Fails only when
  // SQLite has no default VFS or refuses the registration.
  static base::Status Install();

  // Arms the write fault: after `bytes` more bytes have been written through
  // this VFS (counted from this call), every xWrite fails with
  // `sqlite_error`, which should be SQLITE_FULL (a full disk) or
  // SQLITE_IOERR_WRITE (an I/O error), as the unix VFS reports them.
  // `bytes` = 0 fails the very next write. Replaces an earlier arming.
  static void FailWritesAfter(int64_t bytes, int sqlite_error);

  // While `fail` is true, every xSync returns SQLITE_IOERR_FSYNC (and does
  // not sync).
  static void FailSync(bool fail);

  // Disarms both faults and sets BytesWritten() back to zero.
  static void Reset();

  // Bytes written successfully through this VFS since the last Reset() (or
  // since the process started).
  static int64_t BytesWritten();
};

}  // namespace sqlmend::testutil
