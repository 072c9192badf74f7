#include "sqlite/header.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/files.h"

namespace sqlmend::sqlite {

Sniff SniffFile(const std::string& path) {
  Sniff sniff;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    sniff.kind = errno == ENOENT ? FileKind::kMissing : FileKind::kUnreadable;
    sniff.reason = errno == ENOENT ? "no such file" : std::strerror(errno);
    return sniff;
  }
  if (!S_ISREG(st.st_mode)) {
    sniff.kind = FileKind::kNotDatabase;
    sniff.reason = "not a regular file";
    return sniff;
  }
  sniff.file_size = st.st_size;
  if (st.st_size == 0) {
    sniff.kind = FileKind::kEmpty;
    sniff.reason = "empty file (0 bytes)";
    return sniff;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    sniff.kind = FileKind::kUnreadable;
    sniff.reason = std::strerror(errno);
    return sniff;
  }
  unsigned char header[100] = {};
  ssize_t got = ::pread(fd, header, sizeof header, 0);
  ::close(fd);
  static const char kMagic[] = "SQLite format 3";  // 16 bytes with the NUL
  if (got < 16 || std::memcmp(header, kMagic, 16) != 0) {
    sniff.kind = FileKind::kNotDatabase;
    sniff.reason = "not a database (no SQLite header)";
    return sniff;
  }
  if (got < 100) {
    sniff.kind = FileKind::kTruncated;
    sniff.reason = fmt::format("truncated: {} bytes, shorter than the 100-byte header", got);
    return sniff;
  }
  uint32_t page_size = (uint32_t(header[16]) << 8) | header[17];
  if (page_size == 1) page_size = 65536;
  sniff.page_size = page_size;
  sniff.wal_mode = header[18] == 2 && header[19] == 2;
  sniff.write_version = header[18];
  auto be32 = [&](int offset) {
    return (uint32_t(header[offset]) << 24) | (uint32_t(header[offset + 1]) << 16) |
           (uint32_t(header[offset + 2]) << 8) | uint32_t(header[offset + 3]);
  };
  bool valid_page_size = page_size >= 512 && page_size <= 65536 && (page_size & (page_size - 1)) == 0;
  if (!valid_page_size) {
    sniff.kind = FileKind::kNotDatabase;
    sniff.reason = fmt::format("not a database (invalid page size {})", page_size);
    return sniff;
  }
  // The in-header page count is valid when the change counter (offset 24)
  // equals the version-valid-for number (offset 92). A WAL can hold pages
  // beyond the main file's end, so a WAL-mode file with a non-empty -wal is
  // not judged by its size.
  uint32_t page_count = be32(28);
  bool count_valid = be32(24) == be32(92) && page_count > 0;
  int64_t wal_size = base::FileSize(path + "-wal");
  bool wal_has_frames = sniff.wal_mode && wal_size > 32;
  if (!wal_has_frames && st.st_size % page_size != 0) {
    sniff.kind = FileKind::kTruncated;
    sniff.reason = fmt::format("truncated: {} bytes is not a whole number of {}-byte pages",
                               st.st_size, page_size);
    return sniff;
  }
  if (!wal_has_frames && count_valid &&
      static_cast<int64_t>(page_count) * page_size > st.st_size) {
    sniff.kind = FileKind::kTruncated;
    sniff.reason = fmt::format("truncated: the header says {} pages, the file holds {}",
                               page_count, st.st_size / page_size);
    return sniff;
  }
  sniff.kind = FileKind::kDatabase;
  return sniff;
}

Status SniffStatus(const std::string& path, const Sniff& sniff) {
  switch (sniff.kind) {
    case FileKind::kDatabase: return Status::Ok();
    case FileKind::kMissing:
    case FileKind::kUnreadable: return Status::Environment(path, sniff.reason);
    default: return Status::Unusable(path, sniff.reason);
  }
}

Status WritableFormatStatus(const std::string& path, const Sniff& sniff) {
  if (sniff.kind != FileKind::kDatabase || sniff.write_version <= 2) return Status::Ok();
  return Status::Unusable(
      path, fmt::format("file format write version {} is newer than this SQLite can write "
                        "(header byte 18; it reads the file but writes only versions 1 and 2)",
                        sniff.write_version));
}

Result<HeaderSettings> ReadHeaderSettings(Db& db, const std::string& schema) {
  HeaderSettings s;
  auto num = [&](const char* pragma, int64_t& out) -> Status {
    auto v = db.QueryInt(fmt::format("PRAGMA \"{}\".{}", schema, pragma));
    if (!v) return v.error();
    out = *v;
    return Status::Ok();
  };
  for (auto [name, field] : {std::pair{"page_size", &s.page_size},
                             {"auto_vacuum", &s.auto_vacuum},
                             {"user_version", &s.user_version},
                             {"application_id", &s.application_id},
                             {"freelist_count", &s.freelist_count},
                             {"page_count", &s.page_count}}) {
    Status st = num(name, *field);
    if (!st.ok()) return base::Fail(st);
  }
  // PRAGMA encoding reports the main database's encoding; attached databases
  // always share it.
  auto enc = db.QueryText("PRAGMA encoding");
  if (!enc) return base::Fail(enc.error());
  s.encoding = *enc;
  auto jm = db.QueryText(fmt::format("PRAGMA \"{}\".journal_mode", schema));
  if (!jm) return base::Fail(jm.error());
  s.journal_mode = *jm;
  return s;
}

std::string HeaderPragmasForNewFile(const HeaderSettings& settings) {
  return fmt::format(
      "PRAGMA page_size={};\nPRAGMA auto_vacuum={};\nPRAGMA encoding='{}';\n"
      "PRAGMA user_version={};\nPRAGMA application_id={};\n",
      settings.page_size, settings.auto_vacuum, settings.encoding, settings.user_version,
      settings.application_id);
}

}  // namespace sqlmend::sqlite
