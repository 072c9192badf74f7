#include "sqlite/bulk_io_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

namespace sqlmend::sqlite {

namespace {

constexpr char kName[] = "sqlmend-bulk-io";
constexpr int kStreams = 4;
constexpr int kCandidates = 8;
// How far from the last read of a stream (or a candidate) a read may land
// and still continue it: a b-tree's leaves written one after another have
// its interior and overflow pages between them.
constexpr int64_t kGapBytes = 64 * 1024;
// The longest pending write run. The unix VFS writes at most 0x1ffff bytes
// per call (os_unix.c's seekAndWriteFd masks the length: a page is at most
// 64 KiB) and reports a longer write as a short one, that is, disk full.
constexpr int64_t kWriteRunBytes = 0x1ffff;

std::atomic<int64_t> g_reads{0};
std::atomic<int64_t> g_file_reads{0};
std::atomic<int64_t> g_file_read_bytes{0};
std::atomic<int64_t> g_writes{0};
std::atomic<int64_t> g_file_writes{0};

// Whether a read at `offset` continues one at `last`, and in which
// direction: SQLite scans a b-tree forwards, but its integrity check walks
// each page's cells from the last to the first, so it reads backwards.
enum class Direction { kNone, kForward, kBackward };
Direction Continues(int64_t last, int64_t offset) {
  if (last < 0 || offset == last) return Direction::kNone;
  if (offset > last && offset - last <= kGapBytes) return Direction::kForward;
  if (offset < last && last - offset <= kGapBytes) return Direction::kBackward;
  return Direction::kNone;
}

struct Stream {
  std::unique_ptr<char[]> data;  // kBulkIoChunkBytes, allocated on first use
  int64_t start = 0;
  int64_t length = 0;  // [start, start + length) is buffered
  int64_t last = -1;   // offset of the last read it served; -1: unused
  Direction direction = Direction::kNone;  // of its last refill
  uint64_t used = 0;   // for least-recently-used replacement
};

// What a file opened through this VFS keeps, after the wrapped VFS's own
// file object in the allocation SQLite makes (see VfsOpen).
struct State {
  const sqlite3_io_methods* real = nullptr;  // the wrapped file's methods

  // Read-ahead (a read-only main database).
  Stream streams[kStreams];
  int64_t candidates[kCandidates];  // offsets of recent reads outside every stream
  int next_candidate = 0;
  uint64_t tick = 0;
  int64_t file_size = -1;  // as read under the current lock; -1: not yet

  // Write-behind (a read-write main database): [start, start + length).
  std::unique_ptr<char[]> pending;
  int64_t pending_start = 0;
  int64_t pending_length = 0;

  State() { std::fill(std::begin(candidates), std::end(candidates), -1); }

  // Forgets everything read: the file may change once the lock changes.
  void DropReads() {
    for (Stream& s : streams) {
      s.length = 0;
      s.last = -1;
    }
    std::fill(std::begin(candidates), std::end(candidates), -1);
    file_size = -1;
  }

  // Writes the pending run; its error (disk full, I/O) is the caller's.
  int Flush(sqlite3_file* file) {
    if (pending_length == 0) return SQLITE_OK;
    g_file_writes.fetch_add(1, std::memory_order_relaxed);
    int rc = real->xWrite(file, pending.get(), static_cast<int>(pending_length), pending_start);
    pending_length = 0;
    return rc;
  }
};

sqlite3_vfs* g_real_vfs = nullptr;
sqlite3_vfs g_vfs{};
size_t g_state_offset = 0;  // where a file's State* lives

State* StateOf(sqlite3_file* file) {
  return *reinterpret_cast<State**>(reinterpret_cast<char*>(file) + g_state_offset);
}

int Direct(State* st, sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  g_file_reads.fetch_add(1, std::memory_order_relaxed);
  g_file_read_bytes.fetch_add(amount, std::memory_order_relaxed);
  return st->real->xRead(file, buffer, amount, offset);
}

// Refills `stream` with the chunk that starts at `offset` (forwards) or
// ends with this read (backwards), and serves the read from it. At the end
// of the file, or when the chunk cannot be read, the read goes to the file
// as asked, so SQLite's own rules for short reads and errors apply.
int Fill(State* st, Stream& stream, Direction direction, sqlite3_file* file, void* buffer,
         int amount, sqlite3_int64 offset) {
  if (st->file_size < 0) {
    sqlite3_int64 size = 0;
    if (st->real->xFileSize(file, &size) != SQLITE_OK) return Direct(st, file, buffer, amount, offset);
    st->file_size = size;
  }
  if (offset + amount > st->file_size) return Direct(st, file, buffer, amount, offset);
  int64_t start = offset;
  int64_t end = std::min<int64_t>(offset + kBulkIoChunkBytes, st->file_size);
  if (direction == Direction::kBackward) {
    end = offset + amount;
    start = std::max<int64_t>(0, end - kBulkIoChunkBytes);
  }
  if (!stream.data) stream.data.reset(new (std::nothrow) char[kBulkIoChunkBytes]);
  if (!stream.data) return Direct(st, file, buffer, amount, offset);
  g_file_reads.fetch_add(1, std::memory_order_relaxed);
  g_file_read_bytes.fetch_add(end - start, std::memory_order_relaxed);
  if (st->real->xRead(file, stream.data.get(), static_cast<int>(end - start), start) != SQLITE_OK) {
    stream.length = 0;
    stream.last = -1;
    return Direct(st, file, buffer, amount, offset);
  }
  stream.start = start;
  stream.length = end - start;
  stream.last = offset;
  stream.direction = direction;
  stream.used = ++st->tick;
  std::memcpy(buffer, stream.data.get() + (offset - start), static_cast<size_t>(amount));
  return SQLITE_OK;
}

// ---- io_methods of a read-ahead file: the wrapped file's own, except these.

int ReadAheadRead(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  g_reads.fetch_add(1, std::memory_order_relaxed);
  State* st = StateOf(file);
  if (amount <= 0 || amount > kBulkIoChunkBytes) return Direct(st, file, buffer, amount, offset);
  // 1. Inside a stream's buffer.
  for (Stream& s : st->streams) {
    if (s.length > 0 && offset >= s.start && offset + amount <= s.start + s.length) {
      std::memcpy(buffer, s.data.get() + (offset - s.start), static_cast<size_t>(amount));
      s.last = offset;
      s.used = ++st->tick;
      return SQLITE_OK;
    }
  }
  // 2. Near a stream's last read, in the direction it reads: its next
  //    chunk. (A backward walk over leaves also follows overflow chains
  //    forwards; those start a stream of their own rather than turn it.)
  for (Stream& s : st->streams) {
    if (Direction d = Continues(s.last, offset); d != Direction::kNone && d == s.direction) {
      return Fill(st, s, d, file, buffer, amount, offset);
    }
  }
  // 3. Near a candidate: it becomes a stream, replacing the one used least
  //    recently.
  for (int64_t& candidate : st->candidates) {
    if (Direction d = Continues(candidate, offset); d != Direction::kNone) {
      candidate = -1;
      Stream* oldest = std::min_element(std::begin(st->streams), std::end(st->streams),
                                        [](const Stream& a, const Stream& b) { return a.used < b.used; });
      return Fill(st, *oldest, d, file, buffer, amount, offset);
    }
  }
  // 4. Anywhere else: read as asked; the next read may continue from here.
  st->candidates[st->next_candidate] = offset;
  st->next_candidate = (st->next_candidate + 1) % kCandidates;
  return Direct(st, file, buffer, amount, offset);
}

// Forgets what was read ahead, then does what `method` does: for writes,
// truncation, and lock changes (a WAL reader starts each read transaction
// with xShmLock).
template <auto method, typename... Args>
int DropReadsThen(sqlite3_file* file, Args... args) {
  State* st = StateOf(file);
  st->DropReads();
  return (st->real->*method)(file, args...);
}

// ---- io_methods of a write-behind file: the wrapped file's own, except these.

int WriteBehindWrite(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  g_writes.fetch_add(1, std::memory_order_relaxed);
  State* st = StateOf(file);
  int64_t end = st->pending_start + st->pending_length;
  if (st->pending_length > 0 && offset >= st->pending_start && offset <= end &&
      offset + amount - st->pending_start <= kWriteRunBytes) {
    // Continues the run, or writes over part of it again.
    std::memcpy(st->pending.get() + (offset - st->pending_start), buffer, static_cast<size_t>(amount));
    st->pending_length = std::max<int64_t>(st->pending_length, offset + amount - st->pending_start);
    return SQLITE_OK;
  }
  if (int rc = st->Flush(file); rc != SQLITE_OK) return rc;
  if (!st->pending) st->pending.reset(new (std::nothrow) char[kWriteRunBytes]);
  if (amount <= 0 || amount > kWriteRunBytes || !st->pending) {
    g_file_writes.fetch_add(1, std::memory_order_relaxed);
    return st->real->xWrite(file, buffer, amount, offset);
  }
  std::memcpy(st->pending.get(), buffer, static_cast<size_t>(amount));
  st->pending_start = offset;
  st->pending_length = amount;
  return SQLITE_OK;
}

// Writes the pending run, then does what `method` does.
template <auto method, typename... Args>
int FlushThen(sqlite3_file* file, Args... args) {
  State* st = StateOf(file);
  if (int rc = st->Flush(file); rc != SQLITE_OK) return rc;
  return (st->real->*method)(file, args...);
}

int FileClose(sqlite3_file* file) {
  State* st = StateOf(file);
  int flushed = st->Flush(file);
  int rc = st->real->xClose(file);
  delete st;
  return flushed != SQLITE_OK ? flushed : rc;
}

using M = sqlite3_io_methods;

sqlite3_io_methods ReadAheadMethods(const sqlite3_io_methods& real) {
  sqlite3_io_methods m = real;
  m.xClose = FileClose;
  m.xRead = ReadAheadRead;
  m.xWrite = DropReadsThen<&M::xWrite, const void*, int, sqlite3_int64>;
  m.xTruncate = DropReadsThen<&M::xTruncate, sqlite3_int64>;
  m.xLock = DropReadsThen<&M::xLock, int>;
  m.xUnlock = DropReadsThen<&M::xUnlock, int>;
  if (m.iVersion >= 2 && m.xShmLock) m.xShmLock = DropReadsThen<&M::xShmLock, int, int, int>;
  return m;
}

sqlite3_io_methods WriteBehindMethods(const sqlite3_io_methods& real) {
  sqlite3_io_methods m = real;
  m.xClose = FileClose;
  m.xRead = FlushThen<&M::xRead, void*, int, sqlite3_int64>;
  m.xWrite = WriteBehindWrite;
  m.xTruncate = FlushThen<&M::xTruncate, sqlite3_int64>;
  m.xSync = FlushThen<&M::xSync, int>;
  m.xFileSize = FlushThen<&M::xFileSize, sqlite3_int64*>;
  m.xLock = FlushThen<&M::xLock, int>;
  m.xUnlock = FlushThen<&M::xUnlock, int>;
  m.xCheckReservedLock = FlushThen<&M::xCheckReservedLock, int*>;
  m.xFileControl = FlushThen<&M::xFileControl, int, void*>;
  if (m.iVersion >= 2) {
    if (m.xShmMap) m.xShmMap = FlushThen<&M::xShmMap, int, int, int, void volatile**>;
    if (m.xShmLock) m.xShmLock = FlushThen<&M::xShmLock, int, int, int>;
    if (m.xShmUnmap) m.xShmUnmap = FlushThen<&M::xShmUnmap, int>;
  }
  if (m.iVersion >= 3 && m.xFetch) m.xFetch = FlushThen<&M::xFetch, sqlite3_int64, int, void**>;
  return m;
}

// Our methods for files whose own methods are `real`: a copy of them with
// the functions above. The default VFS uses one or two tables per kind, so
// a handful of slots is plenty; past them, files are opened plainly.
const sqlite3_io_methods* MethodsFor(const sqlite3_io_methods* real, bool read_ahead) {
  constexpr int kSlots = 8;
  static std::mutex mu;
  static const sqlite3_io_methods* reals[kSlots] = {};
  static bool kinds[kSlots] = {};
  static sqlite3_io_methods ours[kSlots] = {};
  std::lock_guard<std::mutex> lock(mu);
  for (int i = 0; i < kSlots; ++i) {
    if (reals[i] == real && kinds[i] == read_ahead) return &ours[i];
    if (reals[i] == nullptr) {
      ours[i] = read_ahead ? ReadAheadMethods(*real) : WriteBehindMethods(*real);
      reals[i] = real;
      kinds[i] = read_ahead;
      return &ours[i];
    }
  }
  return nullptr;
}

// The wrapped VFS opens its file at the start of SQLite's allocation, so
// its own methods work on the same pointer; a main database then gets our
// methods and a State after that file. Any other file is the wrapped VFS's
// file as it opened it.
int VfsOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
            int* out_flags) {
  int rc = g_real_vfs->xOpen(g_real_vfs, name, file, flags, out_flags);
  if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_MAIN_DB) || file->pMethods == nullptr) return rc;
  const sqlite3_io_methods* ours = MethodsFor(file->pMethods, flags & SQLITE_OPEN_READONLY);
  auto* st = ours ? new (std::nothrow) State() : nullptr;
  if (!st) return rc;
  st->real = file->pMethods;
  *reinterpret_cast<State**>(reinterpret_cast<char*>(file) + g_state_offset) = st;
  file->pMethods = ours;
  return rc;
}

}  // namespace

const char* BulkIoVfsName() {
  static std::once_flag once;
  static bool registered = false;
  std::call_once(once, [] {
    g_real_vfs = sqlite3_vfs_find(nullptr);
    constexpr size_t align = alignof(std::max_align_t);
    g_state_offset = (static_cast<size_t>(g_real_vfs->szOsFile) + align - 1) / align * align;
    // NOTE: every method but xOpen is the wrapped VFS's own, called with
    // this struct; pAppData is copied so a method that reads it finds its
    // own data (the unix VFS's methods other than xOpen ignore the pointer).
    g_vfs = *g_real_vfs;
    g_vfs.pNext = nullptr;
    g_vfs.zName = kName;
    g_vfs.szOsFile = static_cast<int>(g_state_offset + sizeof(State*));
    g_vfs.xOpen = VfsOpen;
    registered = sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) == SQLITE_OK;
  });
  return registered ? kName : "";
}

BulkIoCounts BulkIoCountsSoFar() {
  return {g_reads.load(std::memory_order_relaxed), g_file_reads.load(std::memory_order_relaxed),
          g_file_read_bytes.load(std::memory_order_relaxed),
          g_writes.load(std::memory_order_relaxed), g_file_writes.load(std::memory_order_relaxed)};
}

}  // namespace sqlmend::sqlite
