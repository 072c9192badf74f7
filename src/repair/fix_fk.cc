#include "repair/fix_fk.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <map>

#include "base/atomic_file.h"
#include "base/files.h"
#include "repair/analyze.h"
#include "repair/check_fk.h"
#include "repair/orphan_policy.h"
#include "repair/reload.h"
#include "schema/schema.h"
#include "sql/tokenizer.h"
#include "sqlite/bulk_io_vfs.h"
#include "sqlite/checks.h"
#include "sqlite/db.h"
#include "sqlite/header.h"
#include "sqlite/sidecars.h"
#include "version/version_table.h"

namespace sqlmend::repair {

namespace {

using base::Status;
using schema::Object;
using schema::ObjectType;
using schema::TableKind;

bool IsCopiedTable(const Object& o) {
  return o.type == ObjectType::kTable &&
         (o.kind == TableKind::kOrdinary || o.kind == TableKind::kShadow);
}

// The source-side work that can overlap the copy, on its own connection and
// thread: quick_check, row counts, orphan counts and (--verify full) digests.
struct SourceFacts {
  Status status;
  std::string quick_check;
  // By table name as SQLite matches it: a schema row may spell the name
  // otherwise than the CREATE statement the copy is built from.
  std::map<std::string, int64_t, sql::AsciiILess> rows;
  std::map<std::string, uint64_t, sql::AsciiILess> digests;
  std::vector<AffectedFk> fks;  // with orphan counts
};

SourceFacts GatherSourceFacts(const std::string& path, const Analysis& analysis,
                              std::vector<AffectedFk> fks, bool digests, int busy_timeout_ms,
                              bool include_orphans) {
  SourceFacts facts;
  facts.fks = std::move(fks);
  sqlite::OpenOptions open_options;
  open_options.busy_timeout_ms = busy_timeout_ms;
  open_options.vfs = sqlite::BulkIoVfsName();
  auto opened = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly, open_options);
  if (!opened) {
    facts.status = opened.error();
    return facts;
  }
  sqlite::Db& db = *opened;
  auto fail = [&](Status st) {
    facts.status = st.WithObject(path);
    return facts;
  };
  // 16 MiB of cache: counting orphans probes each parent's key once per
  // child row, and with SQLite's default 2 MiB most probes of a large parent
  // missed and read a page from the file again.
  if (auto st = db.Exec("PRAGMA cache_size=-16384; BEGIN"); !st.ok()) return fail(st);
  auto quick = sqlite::QuickCheck(db);
  if (!quick) return fail(quick.error());
  facts.quick_check = *quick;
  if (*quick != "ok") {
    return fail(Status::Unusable(path, "database is corrupt (quick_check: " + *quick + ")"));
  }
  for (const Object& o : analysis.schema.objects()) {
    if (!IsCopiedTable(o)) continue;
    auto count = sqlite::CountRows(db, o.name);
    if (!count) return fail(count.error());
    facts.rows[o.name] = *count;
    if (digests) {
      auto digest = sqlite::TableDigest(db, o.name, schema::ShapeOf(o).SelectList());
      if (!digest) return fail(digest.error());
      facts.digests[o.name] = *digest;
    }
  }
  if (include_orphans) {
    Report scratch;
    scratch.fks = std::move(facts.fks);
    if (auto st = CountAllOrphans(db, analysis, &scratch); !st.ok()) return fail(st);
    facts.fks = std::move(scratch.fks);
  }
  db.Exec("COMMIT");
  return facts;
}

// The fix-fk pipeline over one file: Run() executes the named steps in
// order and stops at the first failure (leveldb's Repairer shape).
class Pipeline {
 public:
  Pipeline(const std::string& path, const FixOptions& options, Report* report)
      : path_(path), options_(options), report_(report), sidecars_(path) {}

  Status Run() {
    SQLMEND_RETURN_IF_ERROR(Inspect());
    if (!analysis_.damaged() && options_.table_edits.empty()) return Healthy();
    if (!analysis_.repairable()) return UnrepairableStatus(path_, analysis_);
    SQLMEND_RETURN_IF_ERROR(Rewrite());
    if (options_.dry_run) return DryRun();
    SQLMEND_RETURN_IF_ERROR(ReloadAndCheckSource());
    SQLMEND_RETURN_IF_ERROR(Verify());
    SQLMEND_RETURN_IF_ERROR(Swap());
    report_->outcome = Report::Outcome::kFixed;
    return Status::Ok();
  }

  // Closes every connection to the source, then restores its companions.
  void Finish() {
    guard_.Close();
    sidecars_.Cleanup();
  }

 private:
  bool InPlace() const { return !options_.output.has_value(); }
  const std::string& Destination() const { return InPlace() ? path_ : *options_.output; }
  bool Stopped() const { return options_.should_stop && options_.should_stop(); }
  void Progress(const std::string& phase) {
    if (options_.progress) options_.progress({phase, "", 0, 0, 0});
  }

  // 1. Inspect: sniff, open, lock, read the header, analyze.
  Status Inspect() {
    Progress("inspect");
    sqlite::Sniff sniff = sqlite::SniffFile(path_);
    report_->bytes = sniff.file_size;
    SQLMEND_RETURN_IF_ERROR(sqlite::SniffStatus(path_, sniff));
    // A dry run only reads; anything else writes the file or a copy of it.
    if (!options_.dry_run) SQLMEND_RETURN_IF_ERROR(sqlite::WritableFormatStatus(path_, sniff));
    for (const auto& [from, to] : options_.maps) {
      if (from.empty() || to.empty()) return Status::Usage("--map", "expects OLD=NEW");
    }
    if (options_.stamp) SQLMEND_RETURN_IF_ERROR(version::CheckRevisionId(*options_.stamp));
    if (options_.output) {
      // --output naming the input itself would replace it without a backup.
      char* in = ::realpath(path_.c_str(), nullptr);
      char* out = ::realpath(options_.output->c_str(), nullptr);
      bool same = in && out && std::string(in) == out;
      std::free(in);
      std::free(out);
      if (same) return Status::Usage(*options_.output, "--output names the database itself");
    }

    SQLMEND_RETURN_IF_ERROR(OpenAndLock());
    auto data_version = guard_.QueryInt("PRAGMA data_version");
    if (!data_version) return data_version.error();
    data_version_ = *data_version;
    auto header = sqlite::ReadHeaderSettings(guard_);
    if (!header) return header.error();
    header_ = *header;
    auto analysis = Analyze(guard_, options_.maps);
    if (!analysis) return analysis.error().WithObject(path_);
    analysis_ = std::move(*analysis);
    ForgetNamesRenamesCreate();
    FillDiagnosis(analysis_, report_);
    report_->orphans.policy = options_.orphans;
    if (options_.orphans != OrphanPolicy::kKeep && analysis_.damaged() &&
        analysis_.repairable()) {
      // Planned on the source now, so a refusal writes nothing.
      OrphanPlanner planner(guard_, analysis_);
      auto plan = planner.Plan(options_.orphans);
      if (!plan) return plan.error().WithObject(path_);
      report_->orphans = *plan;
      if (!plan->refusal.ok()) {
        return Status::Refused(path_, plan->refusal.ToString());
      }
    }
    if (options_.stamp) {
      auto heads = version::ReadHeads(guard_);
      if (!heads) return heads.error().WithObject(path_);
      report_->previous_heads = *heads;
    }
    return Status::Ok();
  }

  // The guard connection holds the source's write lock from here to the
  // swap, so no other writer can commit a change the copy would miss.
  //
  // Another fix-fk of the same file may swap its repaired copy in while
  // this one waits for the lock: the lock this one then gets is on the
  // replaced file (now the other's backup), whose repair would be swapped
  // over the other's result, losing what was written to it since and
  // keeping a repaired file as the "original". So the path's identity is
  // read before the open and again once the lock is held; when it changed,
  // the file is opened again (and is then found repaired).
  Status OpenAndLock() {
    const bool want_lock = InPlace() && !options_.dry_run;
    sqlite::OpenOptions open_options;
    open_options.busy_timeout_ms = options_.busy_timeout_ms;
    constexpr int kMaxReopens = 20;  // each one means another run swapped
    for (int reopen = 0;; ++reopen) {
      const std::optional<base::FileIdentity> before = base::IdentityOf(path_);
      auto opened = sqlite::Db::Open(
          path_, want_lock ? sqlite::OpenMode::kReadWrite : sqlite::OpenMode::kReadOnly,
          open_options);
      if (!opened) return opened.error();
      guard_ = std::move(*opened);
      SQLMEND_RETURN_IF_ERROR(guard_.Exec(want_lock ? "BEGIN IMMEDIATE" : "BEGIN"));
      identity_ = base::IdentityOf(path_);
      if (before && identity_ && *before == *identity_) break;
      guard_.Close();
      if (reopen == kMaxReopens) {
        return Status::Environment(path_, "replaced by other processes again and again while "
                                          "waiting for its lock");
      }
      sqlite::Sniff sniff = sqlite::SniffFile(path_);
      report_->bytes = sniff.file_size;
      SQLMEND_RETURN_IF_ERROR(sqlite::SniffStatus(path_, sniff));
      if (!options_.dry_run) SQLMEND_RETURN_IF_ERROR(sqlite::WritableFormatStatus(path_, sniff));
    }
    return Status::Ok();
  }

  // A healthy file is never rewritten: nothing to do, or the stamp alone.
  Status Healthy() {
    auto quick = sqlite::QuickCheck(guard_);
    if (!quick) return quick.error();
    report_->quick_check = *quick;
    if (*quick != "ok") {
      return Status::Unusable(path_, "database is corrupt (quick_check: " + *quick + ")");
    }
    report_->outcome = Report::Outcome::kHealthy;
    if (!options_.stamp || !options_.stamp_healthy || options_.dry_run) return Status::Ok();
    if (report_->previous_heads == std::vector<std::string>{*options_.stamp}) return Status::Ok();
    if (!InPlace()) {
      return Status::Usage(path_, "healthy: nothing to repair, so --output is not written; "
                                  "stamp it in place with --stamp alone");
    }
    // One transaction on the original: the stamp, nothing else.
    SQLMEND_RETURN_IF_ERROR(version::StampPurge(guard_, *options_.stamp));
    SQLMEND_RETURN_IF_ERROR(guard_.Exec("COMMIT"));
    report_->stamped = *options_.stamp;
    report_->outcome = Report::Outcome::kStamped;
    return Status::Ok();
  }

  // 2. Rewrite: the analysis already holds the token-level edits; check
  // that every rewritten statement still parses as one complete statement.
  Status Rewrite() {
    for (const auto& [name, sql] : analysis_.new_sql) {
      // "\n;" so a trailing -- comment cannot swallow the terminator.
      if (!sqlite3_complete((sql + "\n;").c_str())) {
        return Status::VerifyFailed(path_, "rewritten SQL of " + name + " is incomplete");
      }
    }
    return Status::Ok();
  }

  Status DryRun() {
    report_->dry_run = true;
    report_->outcome = Report::Outcome::kDamaged;
    SQLMEND_RETURN_IF_ERROR(CountAllOrphans(guard_, analysis_, report_));
    return Status::Ok();
  }

  // 3 + 4. Reload (with the stamp) on this thread while the source facts
  // are gathered on the second core.
  Status ReloadAndCheckSource() {
    base::AtomicFile::RemoveStale(Destination());
    auto created = base::AtomicFile::Create(Destination());
    if (!created) return created.error();
    temp_.emplace(std::move(*created));
    Progress("copy");
    auto facts_future = std::async(
        options_.overlap_source_checks ? std::launch::async : std::launch::deferred,
        GatherSourceFacts, path_,
                                   std::cref(analysis_), report_->fks,
                                   options_.verify == VerifyLevel::kFull,
                                   options_.busy_timeout_ms, true);
    ReloadOptions reload_options;
    reload_options.vfs = options_.vfs;
    reload_options.stamp = options_.stamp;
    reload_options.progress = options_.progress;
    reload_options.should_stop = options_.should_stop;
    // In the copy, after its rows: doctor's table edits, then the --orphans
    // plan made again on the copy (same rows, same keys) and carried out.
    reload_options.after_rows = [this](sqlite::Db& db) -> Status {
      SQLMEND_RETURN_IF_ERROR(ApplyTableEdits(db));
      if (options_.orphans == OrphanPolicy::kKeep) return Status::Ok();
      OrphanPlanner planner(db, analysis_);
      auto plan = planner.Plan(options_.orphans);
      if (!plan) return plan.error();
      if (!plan->refusal.ok() || !SameActions(plan->actions, report_->orphans.actions)) {
        return Status::VerifyFailed(path_, "the --orphans plan differs on the copy");
      }
      return planner.Apply(*plan);
    };
    auto reloaded = Reload(path_, analysis_, header_, temp_->temp_path(), reload_options);
    facts_ = facts_future.get();
    // What the source's tables become after the table edits.
    for (const TableEdit& edit : options_.table_edits) {
      auto rekey = [&edit](auto& by_name) {
        auto node = by_name.extract(edit.table);
        if (node.empty() || edit.rename_to.empty()) return;  // dropped
        node.key() = edit.rename_to;
        by_name.insert(std::move(node));
      };
      rekey(facts_.rows);
      rekey(facts_.digests);
    }
    report_->quick_check = facts_.quick_check;
    // A corrupt or unreadable source outranks whatever the copy said.
    if (!facts_.status.ok()) return facts_.status;
    if (!reloaded) {
      if (reloaded.error().code() == base::Code::kInterrupted) {
        return Status::Interrupted(path_, "interrupted; the original is untouched");
      }
      // Errors inside the temporary name the file the user gave. An SQL
      // error is never a refusal of the input: the copy could not be built.
      const Status& e = reloaded.error();
      base::Code code = e.code() == base::Code::kRefused ? base::Code::kBuildFailed : e.code();
      return Status(code, Destination(), "writing the repaired copy beside it: " + e.message());
    }
    reload_ = std::move(*reloaded);
    // Flush the new file to disk while Verify reads it: the fsync is I/O,
    // the checks are CPU, and the swap's own fsync then finds little to do.
    fsync_ = std::async(std::launch::async, base::FsyncFile, temp_->temp_path());
    report_->fks = facts_.fks;
    if (options_.stamp) report_->stamped = *options_.stamp;
    return Status::Ok();
  }

  // 5. Verify the new file before it can replace anything.
  Status Verify() {
    Progress("verify");
    if (Stopped()) return Status::Interrupted(path_, "interrupted; the original is untouched");
    const std::string& temp = temp_->temp_path();
    sqlite::OpenOptions open_options;
    open_options.vfs = sqlite::BulkIoVfsName();
    auto opened = sqlite::Db::Open(temp, sqlite::OpenMode::kReadOnly, open_options);
    if (!opened) return opened.error().WithObject(Destination());
    sqlite::Db db = std::move(*opened);
    auto fail = [&](const std::string& what) {
      return Status::VerifyFailed(path_, "the repaired copy failed verification (" + what +
                                             "); the original is untouched");
    };
    auto quick = sqlite::QuickCheck(db);
    if (!quick) return quick.error();
    if (*quick != "ok") return fail("quick_check: " + *quick);
    auto after = Analyze(db, {});
    if (!after) return after.error();
    if (after->damaged()) {
      std::string what = after->unrepairable.empty()
                             ? "still dangling: " + after->resolutions.front().missing
                             : after->unrepairable.front();
      return fail(what);
    }
    // What --orphans moved or removed, per table.
    std::map<std::string, int64_t, sql::AsciiILess> removed, quarantined;
    for (const OrphanAction& action : report_->orphans.actions) {
      if (action.action != "quarantine" && action.action != "delete") continue;
      removed[action.table] += action.rows;
      if (!action.into.empty()) quarantined[action.into] += action.rows;
    }
    for (const Object& o : after->schema.objects()) {
      if (!IsCopiedTable(o)) continue;
      if (o.name == version::kDefaultTable && options_.stamp) continue;
      auto count = sqlite::CountRows(db, o.name);
      if (!count) return count.error();
      if (quarantined.count(o.name) && !facts_.rows.count(o.name)) {
        if (*count != quarantined[o.name]) {
          return fail(fmt::format("table {} has {} rows, --orphans moved {}", o.name, *count,
                                  quarantined[o.name]));
        }
        continue;
      }
      auto expected = facts_.rows.find(o.name);
      int64_t expected_rows =
          expected == facts_.rows.end() ? -1 : expected->second - removed[o.name];
      if (expected_rows != *count) {
        return fail(fmt::format("table {} has {} rows, the source {}", o.name, *count,
                                expected_rows));
      }
      if (options_.verify == VerifyLevel::kFull && !TouchedByOrphans(o.name)) {
        auto digest = sqlite::TableDigest(db, o.name, schema::ShapeOf(o).SelectList());
        if (!digest) return digest.error();
        if (*digest != facts_.digests[o.name]) return fail("content of table " + o.name + " differs");
      }
    }
    // Every source table made it across (alembic_version may be new).
    for (const auto& [name, rows] : facts_.rows) {
      if (!after->schema.FindTableOrView(name)) return fail("table " + name + " is missing");
    }
    if (options_.orphans != OrphanPolicy::kKeep) {
      SQLMEND_RETURN_IF_ERROR(CheckRepairedKeysClean(db, fail));
    }
    if (options_.stamp) {
      auto heads = version::ReadHeads(db);
      if (!heads) return heads.error();
      if (*heads != std::vector<std::string>{*options_.stamp}) return fail("alembic_version");
    }
    auto header = sqlite::ReadHeaderSettings(db);
    if (!header) return header.error();
    if (header->page_size != header_.page_size || header->encoding != header_.encoding ||
        header->user_version != header_.user_version ||
        header->application_id != header_.application_id ||
        header->auto_vacuum != header_.auto_vacuum ||
        (header_.journal_mode == "wal") != (header->journal_mode == "wal")) {
      return fail("header settings differ");
    }
    SQLMEND_RETURN_IF_ERROR(db.Close());
    return fsync_.valid() ? fsync_.get() : Status::Ok();
  }

  // 6. Swap: nothing replaces the original before this point.
  Status Swap() {
    Progress("swap");
    if (Stopped()) return Status::Interrupted(path_, "interrupted; the original is untouched");
    base::CopyModeAndOwner(path_, temp_->temp_path());
    if (!InPlace()) {
      SQLMEND_RETURN_IF_ERROR(temp_->Commit());
      report_->output_path = *options_.output;
      return Status::Ok();
    }
    // Fold the source's WAL into its main file so the backup is complete on
    // its own and no frame can be replayed onto the new file. A checkpoint
    // cannot run inside the guard's transaction: commit (nothing was
    // written), checkpoint, retake the lock, and make sure nobody else
    // committed in between.
    if (header_.journal_mode == "wal") {
      SQLMEND_RETURN_IF_ERROR(guard_.Exec("COMMIT"));
      // The first column is 1 when another connection (a reader still in
      // the WAL past the busy timeout) kept the checkpoint from completing.
      auto busy = guard_.QueryInt("PRAGMA wal_checkpoint(TRUNCATE)");
      if (!busy) return busy.error();
      if (*busy != 0) return sqlite::LockedStatus(path_);
      SQLMEND_RETURN_IF_ERROR(guard_.Exec("BEGIN IMMEDIATE"));
    }
    auto data_version = guard_.QueryInt("PRAGMA data_version");
    if (!data_version) return data_version.error();
    if (*data_version != data_version_ || base::IdentityOf(path_) != identity_) {
      return Status::Environment(path_, "database changed during the repair; nothing replaced");
    }
    if (options_.keep_backup) {
      std::string backup = fmt::format("{}{}{}", path_, base::kBackupMarker,
                                       base::UtcStampForFileName());
      for (int n = 1; base::Exists(backup); ++n) {
        backup = fmt::format("{}{}{}-{}", path_, base::kBackupMarker,
                             base::UtcStampForFileName(), n);
      }
      if (::link(path_.c_str(), backup.c_str()) != 0) {
        return base::ErrnoStatus(path_, "cannot keep a backup", errno);
      }
      report_->backup_path = backup;
      Progress("backup-kept");
    }
    if (options_.before_swap) options_.before_swap(temp_->temp_path());
    SQLMEND_RETURN_IF_ERROR(temp_->Commit());
    report_->output_path = path_;
    Progress("swapped");
    // The original's companions now describe nothing: the WAL was emptied
    // above (or never existed). Close the guard and remove them.
    guard_.Exec("ROLLBACK");
    guard_.Close();
    sqlite::RemoveUnusedCompanions(path_);
    return Status::Ok();
  }

  // Names a table edit's rename creates are not dangling: drop them (and
  // the foreign keys naming them) from the analysis.
  void ForgetNamesRenamesCreate() {
    for (const TableEdit& edit : options_.table_edits) {
      if (edit.rename_to.empty()) continue;
      auto same = [&](const std::string& name) { return sql::AsciiIEquals(name, edit.rename_to); };
      std::erase_if(analysis_.resolutions, [&](const Resolution& r) { return same(r.missing); });
      std::erase_if(analysis_.fks, [&](const AffectedFk& fk) { return same(fk.missing); });
    }
  }

  // In the copy: drop or rename each edited table. legacy_alter_table, so
  // the rename touches only the table's own statement, its indexes and
  // sqlite_sequence (triggers and views are created after this).
  Status ApplyTableEdits(sqlite::Db& db) {
    if (options_.table_edits.empty()) return Status::Ok();
    SQLMEND_RETURN_IF_ERROR(db.Exec("PRAGMA legacy_alter_table=ON"));
    for (const TableEdit& edit : options_.table_edits) {
      std::string table = sql::QuoteIdentifier(edit.table);
      SQLMEND_RETURN_IF_ERROR(db.Exec(
          edit.rename_to.empty()
              ? "DROP TABLE main." + table
              : "ALTER TABLE main." + table + " RENAME TO " + sql::QuoteIdentifier(edit.rename_to)));
    }
    return db.Exec("PRAGMA legacy_alter_table=OFF");
  }

  static bool SameActions(const std::vector<OrphanAction>& a, const std::vector<OrphanAction>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].table != b[i].table || a[i].action != b[i].action || a[i].rows != b[i].rows) {
        return false;
      }
    }
    return true;
  }

  // Whether --orphans changed rows of `table` (their digest then differs).
  bool TouchedByOrphans(const std::string& table) const {
    for (const OrphanAction& action : report_->orphans.actions) {
      if (action.table == table) return true;
    }
    return false;
  }

  // With an --orphans policy: foreign_key_check reports no row of a
  // repaired key's child against its new parent.
  Status CheckRepairedKeysClean(sqlite::Db& db,
                                const std::function<Status(const std::string&)>& fail) {
    for (const AffectedFk& fk : report_->fks) {
      if (fk.target.empty()) continue;
      auto check = db.Prepare(fmt::format("PRAGMA foreign_key_check({})",
                                          sql::QuoteIdentifier(fk.child)));
      if (!check) return check.error();
      while (true) {
        auto row = check->Step();
        if (!row) return row.error();
        if (!*row) break;
        if (sql::AsciiIEquals(check->ColumnText(2), fk.target)) {
          return fail(fmt::format("foreign_key_check: {} still has orphan rows in {}", fk.child,
                                  fk.target));
        }
      }
    }
    return Status::Ok();
  }

  std::string path_;
  const FixOptions& options_;
  Report* report_;
  sqlite::SidecarGuard sidecars_;  // declared before guard_: outlives it
  sqlite::Db guard_;
  int64_t data_version_ = 0;
  // The file the guard locked (OpenAndLock).
  std::optional<base::FileIdentity> identity_;
  sqlite::HeaderSettings header_;
  Analysis analysis_;
  std::optional<base::AtomicFile> temp_;
  ReloadResult reload_;
  std::future<Status> fsync_;  // the new file's fsync, overlapping Verify
  SourceFacts facts_;
};

}  // namespace

Status FixFk(const std::string& path, const FixOptions& options, Report* report) {
  auto start = std::chrono::steady_clock::now();
  report->path = path;
  Status status;
  {
    Pipeline pipeline(path, options, report);
    status = pipeline.Run();
    pipeline.Finish();
  }
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report->status = status;
  if (!status.ok()) report->outcome = Report::Outcome::kFailed;
  if (status.ok() && options.dry_run && report->outcome == Report::Outcome::kDamaged) {
    return Status::Damage(path, "damage found (dry run: nothing written)");
  }
  return status;
}

}  // namespace sqlmend::repair
