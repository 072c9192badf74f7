#include "batch/walker.h"

#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>
#include <utility>

#include "base/files.h"
#include "sqlite/header.h"

namespace sqlmend::batch {

namespace {

FileId IdOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<int64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string Resolved(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

std::string StripTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool HasGlobCharacters(const std::string& path) {
  return path.find_first_of("*?[") != std::string::npos;
}

// Collects entries, deduplicating files by device and inode.
class Collector {
 public:
  std::vector<WalkEntry> Take() { return std::move(entries_); }

  void Problem(const std::string& path, base::Status status) {
    entries_.push_back({WalkEntry::Kind::kProblem, path, "", {}, "", std::move(status)});
  }
  void Skipped(const std::string& path, std::string reason) {
    entries_.push_back({WalkEntry::Kind::kSkipped, path, "", {}, std::move(reason), {}});
  }

  // A path found on the command line, by a glob or in a folder. `found_in`:
  // it was met while walking a folder (symlinked folders are not followed).
  // `named`: the user typed this exact path.
  void Path(const std::string& path, bool named, bool found_in) {
    // A walk passes sqlmend's own files over by name, before any stat: a
    // concurrent run's temporary may be gone by then.
    if (!named && (base::IsSqlmendArtifact(path) || IsCompanionName(path))) return;
    struct stat lst;
    if (::lstat(path.c_str(), &lst) != 0) {
      // Listed a moment ago and removed since: there is nothing to work on.
      if (!named && errno == ENOENT) return;
      Problem(path, base::ErrnoStatus(path, "cannot read", errno));
      return;
    }
    bool is_link = S_ISLNK(lst.st_mode);
    struct stat st = lst;
    if (is_link && ::stat(path.c_str(), &st) != 0) {
      Skipped(path, "symlink to nothing (dangling)");
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (is_link && found_in) {
        Skipped(path, "symlink to a folder (not followed while walking)");
        return;
      }
      Folder(path);
      return;
    }
    const std::string target = is_link ? Resolved(path) : path;
    if (base::IsSqlmendArtifact(path) || base::IsSqlmendArtifact(target)) {
      if (named) Skipped(path, "a sqlmend backup, temporary or journal");
      return;
    }
    if (IsCompanionName(path) || IsCompanionName(target)) {
      if (named) Skipped(path, "a -wal, -shm or -journal companion: travels with its database");
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      Skipped(path, "not a regular file");
      return;
    }
    FileId id = IdOf(st);
    if (!seen_.insert({id.dev, id.ino}).second) return;
    WalkEntry e;
    e.kind = named ? WalkEntry::Kind::kNamed : WalkEntry::Kind::kCandidate;
    e.path = target;
    if (is_link) e.link = path;
    e.id = id;
    entries_.push_back(std::move(e));
  }

 private:
  // Walks `root` with an explicit stack: each folder's files in name order,
  // then its subfolders in name order.
  void Folder(const std::string& root) {
    std::vector<std::string> stack = {root};
    while (!stack.empty()) {
      std::string dir = stack.back();
      stack.pop_back();
      DIR* d = ::opendir(dir.c_str());
      if (!d) {
        Problem(dir, base::ErrnoStatus(dir, "cannot list the folder", errno));
        continue;
      }
      std::vector<std::string> names;
      while (dirent* entry = ::readdir(d)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
      }
      ::closedir(d);
      std::sort(names.begin(), names.end());
      std::vector<std::string> subfolders;
      for (const auto& name : names) {
        std::string path = JoinPath(dir, name);
        struct stat lst;
        if (::lstat(path.c_str(), &lst) == 0 && S_ISDIR(lst.st_mode)) {
          subfolders.push_back(path);
        } else {
          Path(path, /*named=*/false, /*found_in=*/true);
        }
      }
      std::reverse(subfolders.begin(), subfolders.end());
      for (auto& sub : subfolders) stack.push_back(std::move(sub));
    }
  }

  std::vector<WalkEntry> entries_;
  std::set<std::pair<uint64_t, uint64_t>> seen_;
};

}  // namespace

base::Result<FileId> StatFileId(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return base::Fail(base::ErrnoStatus(path, "cannot stat", errno));
  return IdOf(st);
}

bool IsCompanionName(std::string_view path) {
  for (std::string_view suffix : {"-wal", "-shm", "-journal"}) {
    if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
      return true;
    }
  }
  return false;
}

std::vector<WalkEntry> Walk(const std::vector<std::string>& paths) {
  Collector collector;
  for (const auto& given : paths) {
    std::string path = StripTrailingSlashes(given);
    struct stat lst;
    if (::lstat(path.c_str(), &lst) == 0 || !HasGlobCharacters(path)) {
      collector.Path(path, /*named=*/true, /*found_in=*/false);
      continue;
    }
    glob_t matches{};
    int rc = ::glob(path.c_str(), 0, nullptr, &matches);
    if (rc == GLOB_NOMATCH) {
      collector.Problem(given, base::Status::Environment(given, "no file matches this pattern"));
    } else if (rc != 0) {
      collector.Problem(given, base::Status::Environment(given, "cannot expand this pattern"));
    } else {
      for (size_t i = 0; i < matches.gl_pathc; ++i) {
        collector.Path(StripTrailingSlashes(matches.gl_pathv[i]), /*named=*/false,
                       /*found_in=*/false);
      }
    }
    ::globfree(&matches);
  }
  return collector.Take();
}

std::string SkipReason(const WalkEntry& entry) {
  if (entry.kind == WalkEntry::Kind::kSkipped) return entry.reason;
  if (entry.kind != WalkEntry::Kind::kCandidate) return "";
  sqlite::Sniff sniff = sqlite::SniffFile(entry.path);
  if (sniff.kind == sqlite::FileKind::kEmpty || sniff.kind == sqlite::FileKind::kNotDatabase) {
    return sniff.reason;
  }
  return "";
}

}  // namespace sqlmend::batch
