#include "batch/runner.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "batch/file_lock.h"
#include "batch/journal.h"
#include "batch/walker.h"

namespace sqlmend::batch {

namespace {

class Runner {
 public:
  Runner(const std::vector<std::string>& paths, const RunOptions& options)
      : paths_(paths), options_(options), signature_(CommandSignature(options)) {
    fix_ = options_.fix;
    fix_.should_stop = options_.should_stop;
  }

  Summary Run() {
    auto start = std::chrono::steady_clock::now();
    // NOTE: SQLite's memory statistics take a global mutex on every
    // allocation; workers repairing different files would queue on it. It
    // can only be turned off before SQLite's first use (later: a no-op).
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    OpenJournal();
    std::vector<WalkEntry> queue = Plan(Walk(paths_));
    int jobs = options_.jobs > 0 ? options_.jobs
                                 : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (jobs > 1) fix_.overlap_source_checks = false;

    std::vector<WalkEntry> busy;
    int not_started = Pool(queue, jobs, /*wait_ms=*/0, &busy);
    if (!Stopped()) {
      not_started += Pool(busy, jobs, options_.busy_wait_ms, nullptr);
    } else {
      not_started += static_cast<int>(busy.size());
    }

    summary_.not_started = not_started;
    if (Stopped() && (not_started > 0 || summary_.Count(Outcome::kInterrupted) > 0)) {
      summary_.interrupted = true;
      summary_.worst = base::MoreSerious(summary_.worst, base::Code::kInterrupted);
    }
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(summary_);
  }

 private:
  bool Stopped() const { return options_.should_stop && options_.should_stop(); }
  bool Fixing() const { return options_.verb == Verb::kFixFk; }

  void OpenJournal() {
    if (!options_.resume || (Fixing() && options_.fix.dry_run)) return;
    auto opened = Journal::Open(JournalPathFor(paths_));
    if (!opened) {
      summary_.warnings.push_back(opened.error().ToString() + "; running without resume");
      return;
    }
    journal_ = std::move(*opened);
    summary_.journal = journal_->path();
  }

  // Reports what needs no work; returns the files to work on, largest first.
  std::vector<WalkEntry> Plan(std::vector<WalkEntry> entries) {
    std::vector<WalkEntry> queue;
    int64_t bytes = 0;
    for (auto& entry : entries) {
      FileResult result;
      result.path = entry.path;
      result.link = entry.link;
      result.bytes = entry.id.size;
      if (entry.kind == WalkEntry::Kind::kProblem) {
        result.outcome = Outcome::kError;
        result.status = entry.problem;
        Finish(std::move(result));
        continue;
      }
      if (DoneEarlier(entry.id, &result)) continue;
      std::string skip = SkipReason(entry);
      if (!skip.empty()) {
        result.outcome = Outcome::kSkipped;
        result.reason = skip;
        Finish(std::move(result));
        continue;
      }
      bytes += entry.id.size;
      queue.push_back(std::move(entry));
    }
    std::stable_sort(queue.begin(), queue.end(), [](const WalkEntry& a, const WalkEntry& b) {
      return a.id.size > b.id.size;
    });
    if (options_.observer.planned) {
      std::lock_guard<std::mutex> lock(observer_mu_);
      options_.observer.planned(static_cast<int>(queue.size()), bytes);
    }
    return queue;
  }

  // When the journal records the file as done: reports it and returns true.
  bool DoneEarlier(const FileId& id, FileResult* result) {
    if (!journal_ || id.ino == 0) return false;
    auto done = journal_->Done(id, signature_);
    if (!done) return false;
    result->outcome = Outcome::kDoneEarlier;
    result->earlier = *done;
    result->reason = "done in an earlier run (" + std::string(OutcomeName(*done)) + ")";
    Finish(std::move(*result));
    return true;
  }

  // Works through `files` on `jobs` threads. Files whose lock is held
  // elsewhere go to *busy (or, without it, are skipped). Returns how many
  // were never taken because of a stop.
  int Pool(const std::vector<WalkEntry>& files, int jobs, int wait_ms,
           std::vector<WalkEntry>* busy) {
    std::atomic<size_t> next{0};
    std::atomic<int> untaken{0};
    std::mutex busy_mu;
    auto worker = [&] {
      for (;;) {
        size_t i = next.fetch_add(1);
        if (i >= files.size()) return;
        if (Stopped()) {
          ++untaken;
          continue;
        }
        if (!Work(files[i], wait_ms) && busy) {
          std::lock_guard<std::mutex> lock(busy_mu);
          busy->push_back(files[i]);
        }
      }
    };
    int threads = std::min<int>(jobs, static_cast<int>(files.size()));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    if (threads > 0) worker();
    for (auto& thread : pool) thread.join();
    return untaken;
  }

  // One file, under its lock. Returns false (and reports nothing) when the
  // lock is busy and the caller keeps a retry list.
  bool Work(const WalkEntry& entry, int wait_ms) {
    FileResult result;
    result.path = entry.path;
    result.link = entry.link;
    result.bytes = entry.id.size;
    auto lock = FileLock::Acquire(entry.path, wait_ms);
    if (!lock) {
      result.outcome = Outcome::kError;
      result.status = lock.error();
      Finish(std::move(result));
      return true;
    }
    if (!lock->held()) {
      if (wait_ms == 0) return false;
      result.outcome = Outcome::kSkipped;
      result.reason = "busy: another sqlmend process is working on it";
      Finish(std::move(result));
      return true;
    }
    // Another process may have finished it since the plan was made.
    if (journal_) journal_->Refresh();
    if (DoneEarlier(lock->id(), &result)) return true;
    result.bytes = lock->id().size;
    if (options_.observer.started) {
      std::lock_guard<std::mutex> guard(observer_mu_);
      options_.observer.started(entry.path, result.bytes);
    }
    // The swapped-in file is a new inode: lock it before it appears under
    // the database's name, so another runner meets it busy until it is
    // recorded in the journal.
    FileLock new_file_lock;
    if (Fixing()) {
      repair::FixOptions fix = fix_;
      fix.before_swap = [&new_file_lock](const std::string& temp_path) {
        auto locked = FileLock::Acquire(temp_path, 0);
        if (locked) new_file_lock = std::move(*locked);
      };
      if (options_.observer.progress) {
        fix.progress = [this, &entry](const repair::ProgressEvent& event) {
          std::lock_guard<std::mutex> guard(observer_mu_);
          options_.observer.progress(entry.path, event);
        };
      }
      result.status = repair::FixFk(entry.path, fix, &result.report);
    } else {
      result.status = repair::CheckFk(entry.path, options_.check, &result.report);
    }
    result.outcome = OutcomeOf(result.report, result.status);
    Record(entry.path, result.outcome);
    result.processed = true;
    result.seconds = result.report.seconds;
    new_file_lock.Release();
    lock->Release();
    Finish(std::move(result));
    return true;
  }

  // Writes a final outcome to the journal with the file's identity now (a
  // fixed file's is the new file's), before the lock is released.
  void Record(const std::string& path, Outcome outcome) {
    if (!journal_ || !IsFinal(outcome)) return;
    auto id = StatFileId(path);
    base::Status status = id ? journal_->Append({path, *id, outcome, signature_}) : id.error();
    if (!status.ok()) {
      std::lock_guard<std::mutex> guard(observer_mu_);
      if (summary_.warnings.empty()) {
        summary_.warnings.push_back(status.ToString() + "; this run may not be resumable");
      }
    }
  }

  void Finish(FileResult result) {
    std::lock_guard<std::mutex> guard(observer_mu_);
    if (options_.observer.finished) options_.observer.finished(result);
    summary_.Add(std::move(result));
  }

  const std::vector<std::string>& paths_;
  const RunOptions& options_;
  const std::string signature_;
  repair::FixOptions fix_;
  std::unique_ptr<Journal> journal_;
  std::mutex observer_mu_;  // observers and summary_
  Summary summary_;
};

}  // namespace

std::string CommandSignature(const RunOptions& options) {
  std::string signature = options.verb == Verb::kFixFk ? "fix-fk" : "check-fk";
  const auto& maps = options.verb == Verb::kFixFk ? options.fix.maps : options.check.maps;
  if (options.verb == Verb::kFixFk && options.fix.stamp) {
    signature += " --stamp=" + *options.fix.stamp;
    if (options.fix.stamp_healthy) signature += " --stamp-healthy";
  }
  for (const auto& [from, to] : maps) signature += " --map=" + from + "=" + to;
  return signature;
}

Summary Run(const std::vector<std::string>& paths, const RunOptions& options) {
  return Runner(paths, options).Run();
}

}  // namespace sqlmend::batch
