#include "testutil/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>

namespace sqlmend::testutil {
namespace {

// The wrapped VFS, set once by Install() before registration.
sqlite3_vfs* g_real_vfs = nullptr;

// The write budget. One mutex, because checking the budget and counting the
// bytes must be one step when several connections write at once.
struct WriteState {
  std::mutex mu;
  int64_t bytes_written = 0;  // successful writes since Reset()
  int64_t limit = -1;         // bytes_written may not pass this; -1: no limit
  int error = SQLITE_FULL;    // what a write past the limit returns
  bool tripped = false;       // a write failed: every later one fails too
};
WriteState g_writes;
std::atomic<bool> g_fail_sync{false};

// Our file object: SQLite allocates szOsFile bytes for it, and the wrapped
// VFS's file lives in the same allocation, right after this header.
struct FaultFile {
  sqlite3_file base;    // must come first: SQLite sees a sqlite3_file*
  sqlite3_file* real;   // points into the same allocation
};
constexpr size_t kRealFileOffset =
    (sizeof(FaultFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
    alignof(std::max_align_t);

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file)->real; }

// ---- io_methods: forward to the wrapped file, except xWrite and xSync.

int FileClose(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  int rc = real->pMethods->xClose(real);
  file->pMethods = nullptr;
  return rc;
}

int FileRead(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xRead(real, buffer, amount, offset);
}

int FileWrite(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  {
    std::lock_guard<std::mutex> lock(g_writes.mu);
    if (g_writes.tripped ||
        (g_writes.limit >= 0 && g_writes.bytes_written + amount > g_writes.limit)) {
      g_writes.tripped = true;
      return g_writes.error;
    }
    g_writes.bytes_written += amount;  // reserved; given back if the write fails
  }
  sqlite3_file* real = Real(file);
  int rc = real->pMethods->xWrite(real, buffer, amount, offset);
  if (rc != SQLITE_OK) {
    std::lock_guard<std::mutex> lock(g_writes.mu);
    g_writes.bytes_written -= amount;
  }
  return rc;
}

int FileTruncate(sqlite3_file* file, sqlite3_int64 size) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xTruncate(real, size);
}

int FileSync(sqlite3_file* file, int flags) {
  if (g_fail_sync.load()) return SQLITE_IOERR_FSYNC;
  sqlite3_file* real = Real(file);
  return real->pMethods->xSync(real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xFileSize(real, size);
}

int FileLock(sqlite3_file* file, int level) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xLock(real, level);
}

int FileUnlock(sqlite3_file* file, int level) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xUnlock(real, level);
}

int FileCheckReservedLock(sqlite3_file* file, int* result) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xCheckReservedLock(real, result);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xFileControl(real, op, arg);
}

int FileSectorSize(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xSectorSize(real);
}

int FileDeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xDeviceCharacteristics(real);
}

// Version 2: the WAL index in shared memory.
int FileShmMap(sqlite3_file* file, int region, int region_size, int extend,
               void volatile** address) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xShmMap(real, region, region_size, extend, address);
}

int FileShmLock(sqlite3_file* file, int offset, int n, int flags) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xShmLock(real, offset, n, flags);
}

void FileShmBarrier(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  real->pMethods->xShmBarrier(real);
}

int FileShmUnmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xShmUnmap(real, delete_flag);
}

// Version 3: memory-mapped reads. SQLite never writes through the map
// (without SQLITE_MMAP_READWRITE), so every write still reaches FileWrite.
int FileFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xFetch(real, offset, amount, page);
}

int FileUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = Real(file);
  return real->pMethods->xUnfetch(real, offset, page);
}

// One table per io_methods version: a wrapped file must present the same
// version as the real one, since SQLite decides from iVersion whether it may
// call the shared-memory (2) and fetch (3) methods at all.
constexpr sqlite3_io_methods MakeMethods(int version) {
  sqlite3_io_methods methods{};
  methods.iVersion = version;
  methods.xClose = FileClose;
  methods.xRead = FileRead;
  methods.xWrite = FileWrite;
  methods.xTruncate = FileTruncate;
  methods.xSync = FileSync;
  methods.xFileSize = FileSize;
  methods.xLock = FileLock;
  methods.xUnlock = FileUnlock;
  methods.xCheckReservedLock = FileCheckReservedLock;
  methods.xFileControl = FileControl;
  methods.xSectorSize = FileSectorSize;
  methods.xDeviceCharacteristics = FileDeviceCharacteristics;
  if (version >= 2) {
    methods.xShmMap = FileShmMap;
    methods.xShmLock = FileShmLock;
    methods.xShmBarrier = FileShmBarrier;
    methods.xShmUnmap = FileShmUnmap;
  }
  if (version >= 3) {
    methods.xFetch = FileFetch;
    methods.xUnfetch = FileUnfetch;
  }
  return methods;
}
const sqlite3_io_methods kMethods[] = {MakeMethods(1), MakeMethods(2), MakeMethods(3)};

const sqlite3_io_methods* MethodsLike(const sqlite3_io_methods* real) {
  int version = real->iVersion < 1 ? 1 : (real->iVersion > 3 ? 3 : real->iVersion);
  return &kMethods[version - 1];
}

// ---- VFS methods: all forwarded to the wrapped VFS.

// SQLite reads file->pMethods after xOpen whether or not it succeeded: NULL
// means "nothing to close", anything else gets an xClose. So ours mirrors
// what the wrapped VFS left in its own file.
int VfsOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
            int* out_flags) {
  auto* fault = reinterpret_cast<FaultFile*>(file);
  fault->base.pMethods = nullptr;
  fault->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealFileOffset);
  fault->real->pMethods = nullptr;
  int rc = g_real_vfs->xOpen(g_real_vfs, name, fault->real, flags, out_flags);
  if (fault->real->pMethods != nullptr) fault->base.pMethods = MethodsLike(fault->real->pMethods);
  return rc;
}

int VfsDelete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real_vfs->xDelete(g_real_vfs, name, sync_dir);
}

int VfsAccess(sqlite3_vfs*, const char* name, int flags, int* result) {
  return g_real_vfs->xAccess(g_real_vfs, name, flags, result);
}

int VfsFullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return g_real_vfs->xFullPathname(g_real_vfs, name, size, out);
}

void* VfsDlOpen(sqlite3_vfs*, const char* filename) {
  return g_real_vfs->xDlOpen(g_real_vfs, filename);
}

void VfsDlError(sqlite3_vfs*, int size, char* message) {
  g_real_vfs->xDlError(g_real_vfs, size, message);
}

void (*VfsDlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return g_real_vfs->xDlSym(g_real_vfs, handle, symbol);
}

void VfsDlClose(sqlite3_vfs*, void* handle) { g_real_vfs->xDlClose(g_real_vfs, handle); }

int VfsRandomness(sqlite3_vfs*, int size, char* out) {
  return g_real_vfs->xRandomness(g_real_vfs, size, out);
}

int VfsSleep(sqlite3_vfs*, int microseconds) {
  return g_real_vfs->xSleep(g_real_vfs, microseconds);
}

int VfsCurrentTime(sqlite3_vfs*, double* julian_day) {
  return g_real_vfs->xCurrentTime(g_real_vfs, julian_day);
}

int VfsGetLastError(sqlite3_vfs*, int size, char* message) {
  return g_real_vfs->xGetLastError(g_real_vfs, size, message);
}

int VfsCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* milliseconds) {
  return g_real_vfs->xCurrentTimeInt64(g_real_vfs, milliseconds);
}

int VfsSetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
  return g_real_vfs->xSetSystemCall(g_real_vfs, name, call);
}

sqlite3_syscall_ptr VfsGetSystemCall(sqlite3_vfs*, const char* name) {
  return g_real_vfs->xGetSystemCall(g_real_vfs, name);
}

const char* VfsNextSystemCall(sqlite3_vfs*, const char* name) {
  return g_real_vfs->xNextSystemCall(g_real_vfs, name);
}

sqlite3_vfs g_fault_vfs{};

// Fills g_fault_vfs from the wrapped VFS: same version, path length and
// optional methods (a method the real VFS lacks stays NULL here too).
void BuildVfs(sqlite3_vfs* real) {
  g_real_vfs = real;
  sqlite3_vfs& vfs = g_fault_vfs;
  vfs.iVersion = real->iVersion > 3 ? 3 : real->iVersion;
  vfs.szOsFile = static_cast<int>(kRealFileOffset) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = FaultVfs::kName;
  vfs.pAppData = nullptr;
  vfs.xOpen = VfsOpen;
  vfs.xDelete = VfsDelete;
  vfs.xAccess = VfsAccess;
  vfs.xFullPathname = VfsFullPathname;
  vfs.xDlOpen = real->xDlOpen ? VfsDlOpen : nullptr;
  vfs.xDlError = real->xDlError ? VfsDlError : nullptr;
  vfs.xDlSym = real->xDlSym ? VfsDlSym : nullptr;
  vfs.xDlClose = real->xDlClose ? VfsDlClose : nullptr;
  vfs.xRandomness = VfsRandomness;
  vfs.xSleep = VfsSleep;
  vfs.xCurrentTime = VfsCurrentTime;
  vfs.xGetLastError = real->xGetLastError ? VfsGetLastError : nullptr;
  if (vfs.iVersion >= 2) {
    vfs.xCurrentTimeInt64 = real->xCurrentTimeInt64 ? VfsCurrentTimeInt64 : nullptr;
  }
  if (vfs.iVersion >= 3) {
    vfs.xSetSystemCall = real->xSetSystemCall ? VfsSetSystemCall : nullptr;
    vfs.xGetSystemCall = real->xGetSystemCall ? VfsGetSystemCall : nullptr;
    vfs.xNextSystemCall = real->xNextSystemCall ? VfsNextSystemCall : nullptr;
  }
}

}  // namespace

base::Status FaultVfs::Install() {
  static std::mutex install_mu;
  std::lock_guard<std::mutex> lock(install_mu);
  if (g_real_vfs != nullptr) return base::Status::Ok();
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr) {
    return base::Status::Environment(kName, "SQLite has no default VFS to wrap");
  }
  BuildVfs(real);
  int rc = sqlite3_vfs_register(&g_fault_vfs, /*makeDflt=*/0);
  if (rc != SQLITE_OK) {
    g_real_vfs = nullptr;
    return base::Status::Environment(
        kName, std::string("sqlite3_vfs_register failed: ") + sqlite3_errstr(rc));
  }
  return base::Status::Ok();
}

void FaultVfs::FailWritesAfter(int64_t bytes, int sqlite_error) {
  std::lock_guard<std::mutex> lock(g_writes.mu);
  g_writes.limit = g_writes.bytes_written + (bytes < 0 ? 0 : bytes);
  g_writes.error = sqlite_error;
  g_writes.tripped = false;
}

void FaultVfs::FailSync(bool fail) { g_fail_sync.store(fail); }

void FaultVfs::Reset() {
  {
    std::lock_guard<std::mutex> lock(g_writes.mu);
    g_writes.bytes_written = 0;
    g_writes.limit = -1;
    g_writes.error = SQLITE_FULL;
    g_writes.tripped = false;
  }
  g_fail_sync.store(false);
}

int64_t FaultVfs::BytesWritten() {
  std::lock_guard<std::mutex> lock(g_writes.mu);
  return g_writes.bytes_written;
}

}  // namespace sqlmend::testutil
