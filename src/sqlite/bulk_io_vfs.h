// A VFS that reads and writes database files in large chunks.
//
// SQLite's pager moves one page per read or write call: a pass over a 1 GB
// file of 4 KiB pages is 262,144 system calls. On a virtual machine each
// call costs more than the copy of the page it moves, so the passes fix-fk
// makes (the copy's reads of the source and writes of the new file,
// quick_check of the source and of the copy) spent most of their time
// entering and leaving the kernel. Memory-mapped I/O (PRAGMA mmap_size)
// would avoid the reads' calls too, but every page touched through the map
// counts in the process's resident set: a 1 GB file would make fix-fk a
// 1 GB process. This VFS keeps memory to a few buffers per file.
//
// It wraps the default VFS, and changes how two kinds of file are read or
// written; every other file (journals, WALs, temporary files) is the default
// VFS's own file, untouched.
//
// A main database opened read-only is read ahead. It keeps a few streams of
// kBulkIoChunkBytes each: a read inside a stream's buffer is a memcpy; a
// read near a stream's last read, in the direction the stream reads (SQLite
// scans b-trees forwards; its integrity check walks them backwards), refills
// that stream with the next chunk in one call; any other read goes to the
// file as asked and is remembered as a candidate, which becomes a stream
// when the next read continues it. Random probes (an index lookup) therefore
// never evict a stream that is being read in order. The buffers are dropped
// whenever the file's lock or a WAL read lock changes (every read
// transaction starts that way, and SQLite's own check that the file is
// unchanged then reads the file itself), and on any write or truncation.
//
// A main database opened read-write is written behind: a write that
// continues the pending run is appended to it (SQLite writes dirty pages in
// page order), and the run goes to the file in one call when a write does
// not continue it, when it is full (128 KiB), and before anything else is done with
// the file (read, size, sync, truncate, lock, unlock, file control, shared
// memory, close). So nothing another connection could see (it must take a
// lock first) and nothing a sync promises is ever held back. An error of the
// delayed write is returned by the call that flushed it.
// NOTE: write-behind suits a file one connection builds (fix-fk's new file);
// it is not used for a database other processes write.
#pragma once

#include <cstdint>

namespace sqlmend::sqlite {

// Bytes per read-ahead refill. (A pending write run holds at most 128 KiB
// less one byte, the most the unix VFS writes in one call.)
inline constexpr int64_t kBulkIoChunkBytes = 256 * 1024;

// Registers the VFS (once; thread-safe; not as the default) and returns its
// name, for OpenOptions::vfs or a URI's vfs= parameter; "" (the default VFS)
// when SQLite refused to register it.
const char* BulkIoVfsName();

// Counts since the process started, over every file opened through the
// VFS: the reads and writes SQLite asked for, and those that reached the
// file. For tests and benchmarks.
struct BulkIoCounts {
  int64_t reads = 0;
  int64_t file_reads = 0;
  int64_t file_read_bytes = 0;
  int64_t writes = 0;
  int64_t file_writes = 0;
};
BulkIoCounts BulkIoCountsSoFar();

}  // namespace sqlmend::sqlite
