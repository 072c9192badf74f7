// ParseAhead: parses, on a second thread, the files of the modules a module
// imports, before the interpreter asks for them.
//
// Parsing is most of what importing a project's own modules costs (an
// env.py that imports the whole application: 390 kB of Python in 32 files,
// two thirds of `upgrade head` at head). The interpreter needs one module at
// a time, in order; this guesses the next ones from the import statements
// and parses them beside it:
//   * QueueImportsOf(module, search path) reads `module`'s module-level
//     imports (in `if`, `try`, `with` and class bodies too, not in function
//     bodies), finds their files as Python's path-based search would with
//     that search path (relative imports against the module's folder), and
//     queues each file not seen yet. A file parsed ahead is read the same
//     way in turn, so the guess runs down the import graph.
//   * Take(path) hands over the module parsed from `path` (waiting while it
//     is being parsed). A file nobody started on is dropped from the queue
//     and the caller parses it itself, so the two threads share the work.
// Files are known by device and inode, so a file reached under two
// spellings of its path is parsed once; the module taken is renamed to the
// caller's path. A guess is never trusted: the loader still decides what to
// import, and a file the worker could not read or parse is parsed again by
// the caller, which reports the error. A wrong guess costs the second CPU's
// time only. Without a second CPU nothing is queued.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/thread.h"
#include "python/parser.h"

namespace sqlmend::python {

// The files (modules and the packages' __init__.py on the way) that the
// module-level imports of `module` would load, found on `search_path`, in
// the order the statements name them. Compiled extensions are left out.
std::vector<std::string> ImportedFiles(const PythonModule& module,
                                       const std::vector<std::string>& search_path);

class ParseAhead {
 public:
  // `enabled`: false makes every call a no-op. The thread starts with the
  // first QueueImportsOf().
  explicit ParseAhead(bool enabled);
  ~ParseAhead();
  ParseAhead(const ParseAhead&) = delete;
  ParseAhead& operator=(const ParseAhead&) = delete;

  // Queues the files `module` imports (see above), read on the worker:
  // `module` must stay alive and unmoved while this object lives. Marks
  // `module`'s own file as seen.
  void QueueImportsOf(const PythonModule* module, std::vector<std::string> search_path);

  // Marks the file at `path` as parsed already (by the caller, who has the
  // module): its imports are still followed when it is queued with
  // QueueImportsOf(), but it is not parsed here.
  void MarkSeen(const std::string& path);

  // The module parsed ahead from the file at `path`, renamed to `path`;
  // nullopt when nobody started on it or its parse failed.
  std::optional<PythonModule> Take(const std::string& path);

  // Waits until nothing is queued or being parsed (for tests).
  void WaitUntilIdle();

 private:
  using Identity = std::pair<uint64_t, uint64_t>;  // device, inode
  struct Job {
    const PythonModule* scan = nullptr;  // read its imports, or
    Identity parse;                      // parse this file
    std::string path;
    std::vector<std::string> search_path;
  };
  enum class State { kQueued, kParsing, kDone, kFailed };
  struct Entry {
    State state = State::kQueued;
    std::optional<PythonModule> module;
  };

  void Start();
  void Work();
  // Queues those of `files` not seen yet (found with `search_path`) before
  // every other parse, in order: Python imports depth first. mu_ held.
  void QueueFiles(const std::vector<std::string>& files,
                  const std::vector<std::string>& search_path);

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  std::map<Identity, Entry> entries_;
  std::set<Identity> seen_;
  bool enabled_;
  bool busy_ = false;  // the worker is on a job
  bool stop_ = false;
  std::unique_ptr<base::WorkerThread> worker_;
};

}  // namespace sqlmend::python
