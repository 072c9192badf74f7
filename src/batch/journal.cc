#include "batch/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "base/files.h"

namespace sqlmend::batch {

namespace {

// JSON string escaping for the few characters that need it; other bytes
// (UTF-8 included) are written as they are.
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Parses a flat JSON object whose values are strings or integers, as
// JournalLine writes them. Returns false on anything else.
bool ParseFlatObject(const std::string& line, std::map<std::string, std::string>* out) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  };
  auto parse_string = [&](std::string* s) {
    if (i >= line.size() || line[i] != '"') return false;
    for (++i; i < line.size(); ++i) {
      char c = line[i];
      if (c == '"') {
        ++i;
        return true;
      }
      if (c != '\\') {
        *s += c;
        continue;
      }
      if (++i >= line.size()) return false;
      switch (line[i]) {
        case '"': *s += '"'; break;
        case '\\': *s += '\\'; break;
        case '/': *s += '/'; break;
        case 'n': *s += '\n'; break;
        case 't': *s += '\t'; break;
        case 'u': {
          if (i + 4 >= line.size()) return false;
          long code = std::strtol(line.substr(i + 1, 4).c_str(), nullptr, 16);
          if (code > 0x7f) return false;  // JournalLine escapes only control bytes
          *s += static_cast<char>(code);
          i += 4;
          break;
        }
        default: return false;
      }
    }
    return false;
  };
  skip_space();
  if (i >= line.size() || line[i++] != '{') return false;
  for (;;) {
    skip_space();
    std::string key, value;
    if (!parse_string(&key)) return false;
    skip_space();
    if (i >= line.size() || line[i++] != ':') return false;
    skip_space();
    if (i < line.size() && line[i] == '"') {
      if (!parse_string(&value)) return false;
    } else {
      size_t start = i;
      while (i < line.size() && (std::isdigit(static_cast<unsigned char>(line[i])) || line[i] == '-')) ++i;
      if (i == start) return false;
      value = line.substr(start, i - start);
    }
    (*out)[key] = value;
    skip_space();
    if (i < line.size() && line[i] == ',') {
      ++i;
      continue;
    }
    if (i < line.size() && line[i] == '}') return true;
    return false;
  }
}

}  // namespace

std::string JournalPathFor(const std::vector<std::string>& paths) {
  std::string dir = ".";
  if (!paths.empty()) {
    const std::string& first = paths.front();
    struct stat st;
    if (::stat(first.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      dir = first;
    } else {
      dir = base::DirName(first);
    }
  }
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir == "/" ? "/" + std::string(base::kJournalName)
                    : dir + "/" + std::string(base::kJournalName);
}

bool IsFinal(Outcome outcome) {
  switch (outcome) {
    case Outcome::kFixed:
    case Outcome::kStamped:
    case Outcome::kHealthy:
    case Outcome::kRefused:
    case Outcome::kDamaged: return true;
    default: return false;
  }
}

std::string JournalLine(const JournalEntry& entry) {
  return fmt::format(
      "{{\"path\":{},\"dev\":{},\"ino\":{},\"size\":{},\"mtime_ns\":{},\"outcome\":{},"
      "\"signature\":{}}}\n",
      Quote(entry.path), entry.id.dev, entry.id.ino, entry.id.size, entry.id.mtime_ns,
      Quote(std::string(OutcomeName(entry.outcome))), Quote(entry.signature));
}

std::optional<JournalEntry> ParseJournalLine(const std::string& line) {
  std::map<std::string, std::string> fields;
  if (!ParseFlatObject(line, &fields)) return std::nullopt;
  for (const char* key : {"path", "dev", "ino", "size", "mtime_ns", "outcome", "signature"}) {
    if (!fields.count(key)) return std::nullopt;
  }
  JournalEntry entry;
  entry.path = fields["path"];
  entry.id.dev = std::strtoull(fields["dev"].c_str(), nullptr, 10);
  entry.id.ino = std::strtoull(fields["ino"].c_str(), nullptr, 10);
  entry.id.size = std::strtoll(fields["size"].c_str(), nullptr, 10);
  entry.id.mtime_ns = std::strtoll(fields["mtime_ns"].c_str(), nullptr, 10);
  if (!ParseOutcome(fields["outcome"], &entry.outcome)) return std::nullopt;
  entry.signature = fields["signature"];
  return entry;
}

base::Result<std::unique_ptr<Journal>> Journal::Open(const std::string& path) {
  bool existed = base::Exists(path);
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return base::Fail(base::ErrnoStatus(path, "cannot keep the resume journal", errno));
  if (!existed) base::FsyncDir(base::DirName(path));  // the new name survives a power loss
  std::unique_ptr<Journal> journal(new Journal(path, fd));
  std::lock_guard<std::mutex> lock(journal->mu_);
  journal->ReadNewLinesLocked();
  // A line torn by a power loss must not swallow the next one appended.
  if (!journal->partial_.empty()) {
    journal->partial_.clear();
    if (::write(fd, "\n", 1) != 1) {
      return base::Fail(base::ErrnoStatus(path, "cannot write the resume journal", errno));
    }
    journal->read_offset_ += 1;
  }
  return journal;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::ReadNewLinesLocked() {
  char buf[65536];
  for (;;) {
    ssize_t got = ::pread(fd_, buf, sizeof buf, read_offset_);
    if (got <= 0) break;
    read_offset_ += got;
    partial_.append(buf, static_cast<size_t>(got));
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
      auto entry = ParseJournalLine(partial_.substr(start, nl - start));
      if (entry) latest_[{entry->id.dev, entry->id.ino, entry->signature}] = std::move(*entry);
    }
    partial_.erase(0, start);
  }
}

std::optional<Outcome> Journal::Done(const FileId& id, const std::string& signature) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = latest_.find({id.dev, id.ino, signature});
  if (it == latest_.end() || !(it->second.id == id) || !IsFinal(it->second.outcome)) {
    return std::nullopt;
  }
  return it->second.outcome;
}

void Journal::Refresh() {
  std::lock_guard<std::mutex> lock(mu_);
  ReadNewLinesLocked();
}

base::Status Journal::Append(const JournalEntry& entry) {
  // One write(2) on the O_APPEND descriptor: lines of concurrent writers
  // never interleave. The fsync runs outside the lock so that workers
  // finishing together share the disk's flush instead of queueing for it.
  std::string line = JournalLine(entry);
  ssize_t wrote = ::write(fd_, line.data(), line.size());
  if (wrote != static_cast<ssize_t>(line.size())) {
    return base::ErrnoStatus(path_, "cannot write the resume journal", wrote < 0 ? errno : ENOSPC);
  }
  if (::fdatasync(fd_) != 0) return base::ErrnoStatus(path_, "cannot fsync the resume journal", errno);
  std::lock_guard<std::mutex> lock(mu_);
  latest_[{entry.id.dev, entry.id.ino, entry.signature}] = entry;
  return base::Status::Ok();
}

}  // namespace sqlmend::batch
