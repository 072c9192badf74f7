#include "repair/doctor.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "repair/analyze.h"
#include "schema/resolver.h"
#include "schema/schema.h"
#include "sql/tokenizer.h"
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

// Alembic's batch mode names its temporary table so (batch.py).
constexpr std::string_view kAlembicTmp = "_alembic_tmp_";

bool HasPrefixNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && sql::AsciiIEquals(text.substr(0, prefix.size()), prefix);
}

std::string RowsText(int64_t rows) { return fmt::format("{} row{}", rows, rows == 1 ? "" : "s"); }

// The read-only examination: what is there, and what --fix would do.
class Examination {
 public:
  Examination(sqlite::Db& db, const DoctorOptions& options, DoctorReport* report)
      : db_(db), options_(options), report_(report) {}

  Status Run() {
    auto analysis = Analyze(db_, {});
    if (!analysis) return analysis.error();
    analysis_ = std::move(*analysis);
    SQLMEND_RETURN_IF_ERROR(AlembicTemporaries());
    SQLMEND_RETURN_IF_ERROR(LeftoverTables());
    SQLMEND_RETURN_IF_ERROR(VersionRows());
    DanglingNames();
    return Status::Ok();
  }

  const std::vector<TableEdit>& edits() const { return edits_; }
  bool repairs_references() const { return repairs_references_; }

 private:
  base::Result<int64_t> Rows(const std::string& table) { return sqlite::CountRows(db_, table); }

  void Add(DoctorFinding finding) { report_->findings.push_back(std::move(finding)); }

  // 1. _alembic_tmp_<t>.
  Status AlembicTemporaries() {
    for (const Object& o : analysis_.schema.objects()) {
      if (o.type != ObjectType::kTable || o.kind != TableKind::kOrdinary) continue;
      if (!HasPrefixNoCase(o.name, kAlembicTmp)) continue;
      std::string original = o.name.substr(kAlembicTmp.size());
      auto tmp_rows = Rows(o.name);
      if (!tmp_rows) return tmp_rows.error();
      DoctorFinding f;
      f.kind = "alembic-tmp";
      f.object = "table " + o.name;
      const Object* live = analysis_.schema.FindTableOrView(original);
      if (live && live->type == ObjectType::kTable) {
        auto live_rows = Rows(live->name);
        if (!live_rows) return live_rows.error();
        f.problem = fmt::format(
            "left by an Alembic batch rebuild of {} that stopped before DROP TABLE; {} still "
            "exists with {}, the temporary holds {}",
            live->name, live->name, RowsText(*live_rows), RowsText(*tmp_rows));
        if (*tmp_rows <= *live_rows) {
          f.fix = fmt::format("drop {} ({} is the table in use)", o.name, live->name);
          edits_.push_back({o.name, ""});
        } else {
          f.left = fmt::format("the temporary holds more rows than {}: compare them and drop one "
                               "yourself", live->name);
        }
      } else if (live) {
        f.problem = fmt::format("left by an Alembic batch rebuild of {}, but {} is now a view",
                                original, original);
        f.left = "renaming it would collide with the view";
      } else {
        auto recorded = RecordedRevisions();
        if (!recorded) return recorded.error();
        f.problem = fmt::format(
            "left by an Alembic batch rebuild of {} that stopped between DROP TABLE and the "
            "rename: {} is missing, the temporary holds its {}; the revision that ran it did "
            "not finish (alembic_version still holds {}): what it does after the rename, such "
            "as creating {}'s indexes, is missing, so finish that and stamp the revision",
            original, original, RowsText(*tmp_rows), *recorded, original);
        f.fix = fmt::format("rename {} to {}, as the batch would have", o.name, original);
        edits_.push_back({o.name, original});
      }
      Add(std::move(f));
    }
    return Status::Ok();
  }

  // The revisions alembic_version holds, for a report: "aaa", "aaa, bbb",
  // or "no revision".
  base::Result<std::string> RecordedRevisions() {
    auto exists = version::TableExists(db_);
    if (!exists) return base::Fail(exists.error());
    if (!*exists) return std::string("no revision");
    auto heads = version::ReadHeads(db_);
    if (!heads) return base::Fail(heads.error());
    return heads->empty() ? std::string("no revision") : base::Join(*heads);
  }

  // The tables whose foreign keys name `table` (a rename-first rebuild's
  // ALTER TABLE ... RENAME moved them to its leftover).
  std::vector<std::string> ReferencingTables(const std::string& table) const {
    std::vector<std::string> children;
    for (const Object& o : analysis_.schema.objects()) {
      if (o.type != ObjectType::kTable || sql::AsciiIEquals(o.name, table)) continue;
      for (const schema::ForeignKey& fk : o.foreign_keys) {
        if (!sql::AsciiIEquals(fk.parent, table)) continue;
        children.push_back(o.name);
        break;
      }
    }
    return children;
  }

  // 2. Leftover <t>__old tables beside their replacement.
  Status LeftoverTables() {
    for (const Object& o : analysis_.schema.objects()) {
      if (o.type != ObjectType::kTable || o.kind != TableKind::kOrdinary) continue;
      if (HasPrefixNoCase(o.name, kAlembicTmp) || HasPrefixNoCase(o.name, "sqlmend_")) continue;
      schema::Resolved resolved = schema::Resolve(o.name, analysis_.schema, {});
      if (!resolved.ok() || sql::AsciiIEquals(resolved.target, o.name)) continue;
      auto rows = Rows(o.name);
      if (!rows) return rows.error();
      auto replacement_rows = Rows(resolved.target);
      if (!replacement_rows) return replacement_rows.error();
      DoctorFinding f;
      f.kind = "leftover-table";
      f.object = "table " + o.name;
      f.problem = fmt::format("a leftover of a rename-first rebuild ({}) beside its replacement "
                              "{}: {} in {}, {} in {}",
                              resolved.rule, resolved.target, RowsText(*rows), o.name,
                              RowsText(*replacement_rows), resolved.target);
      f.left = "it may hold rows the migration did not copy: compare, then DROP TABLE it yourself";
      std::vector<std::string> children = ReferencingTables(o.name);
      if (!children.empty()) {
        f.problem += fmt::format("; the foreign keys of {} name it (the rename moved them there)",
                                 base::Join(children));
        f.left += fmt::format(", and run doctor --fix again to point them at {}", resolved.target);
      }
      Add(std::move(f));
    }
    return Status::Ok();
  }

  // 3. alembic_version.
  Status VersionRows() {
    auto exists = version::TableExists(db_);
    if (!exists) return exists.error();
    if (!*exists) return Status::Ok();
    auto heads = version::ReadHeads(db_);
    if (!heads) return heads.error();
    if (heads->size() > 1 && options_.heads && *options_.heads == 1) {
      DoctorFinding f;
      f.kind = "version-rows";
      f.object = "table alembic_version";
      f.problem = fmt::format("holds {} rows ({}) where the project has one head",
                              heads->size(), base::Join(*heads));
      f.left = "which revision the file is at is yours to say: sqlmend fix-fk --stamp REV, or "
               "sqlmend stamp --purge REV";
      Add(std::move(f));
    }
    if (options_.known_revisions) {
      for (const std::string& head : *heads) {
        if (options_.known_revisions->count(head)) continue;
        DoctorFinding f;
        f.kind = "unknown-revision";
        f.object = "table alembic_version";
        f.problem = fmt::format("holds revision {}, which the project's script directory does "
                                "not know", head);
        f.left = "a revision file is missing, or the file belongs to another project: stamp the "
                 "right revision with sqlmend fix-fk --stamp REV";
        Add(std::move(f));
      }
    }
    return Status::Ok();
  }

  // 4. Names that dangle (check-fk's analysis), less those a rename fixes.
  void DanglingNames() {
    bool all_resolved = analysis_.unrepairable.empty();
    for (const Resolution& r : analysis_.resolutions) {
      bool renamed = false;
      for (const TableEdit& edit : edits_) {
        renamed = renamed || sql::AsciiIEquals(edit.rename_to, r.missing);
      }
      if (renamed) continue;
      DoctorFinding f;
      f.kind = "dangling";
      f.object = base::Join(r.used_by);
      f.problem = fmt::format("names the missing table {}", r.missing);
      if (r.target.empty()) {
        all_resolved = false;
        f.left = fmt::format("{}; resolve it with sqlmend fix-fk --map {}=<table>", r.problem,
                             r.missing);
      } else {
        f.fix = fmt::format("point it at {} ({}), as fix-fk does", r.target, r.rule);
        repairs_references_ = true;
      }
      Add(std::move(f));
    }
    for (const std::string& line : analysis_.unrepairable) {
      Add({"dangling", line, "does not resolve (not a renamed table)", "",
           "sqlmend cannot repair it", false});
    }
    if (!all_resolved) {
      // fix-fk's pipeline repairs all names or none and refuses a file with
      // one it cannot resolve: leave everything it would have carried.
      for (DoctorFinding& f : report_->findings) {
        if (f.fix.empty()) continue;
        f.left = "a name in this file cannot be resolved, and the repair runs for the whole "
                 "file: resolve it first (fix-fk --map OLD=NEW)";
        f.fix.clear();
      }
      repairs_references_ = false;
      edits_.clear();
    }
  }

  sqlite::Db& db_;
  const DoctorOptions& options_;
  DoctorReport* report_;
  Analysis analysis_;
  std::vector<TableEdit> edits_;
  bool repairs_references_ = false;
};

}  // namespace

Status Doctor(const std::string& path, const DoctorOptions& options, DoctorReport* report) {
  report->path = path;
  sqlite::Sniff sniff = sqlite::SniffFile(path);
  SQLMEND_RETURN_IF_ERROR(sqlite::SniffStatus(path, sniff));
  std::vector<TableEdit> edits;
  bool repairs_references = false;
  {
    sqlite::SidecarGuard sidecars(path);
    sqlite::OpenOptions open_options;
    open_options.busy_timeout_ms = options.busy_timeout_ms;
    auto opened = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly, open_options);
    if (!opened) return opened.error();
    sqlite::Db& db = *opened;
    SQLMEND_RETURN_IF_ERROR(db.Exec("BEGIN").WithObject(path));
    auto quick = sqlite::QuickCheck(db);
    if (!quick) return quick.error().WithObject(path);
    report->quick_check = *quick;
    if (*quick != "ok") {
      return Status::Unusable(path, "database is corrupt (quick_check: " + *quick + ")");
    }
    Examination examination(db, options, report);
    SQLMEND_RETURN_IF_ERROR(examination.Run().WithObject(path));
    db.Exec("COMMIT");
    edits = examination.edits();
    repairs_references = examination.repairs_references();
  }
  auto remaining = [&] {
    int n = 0;
    for (const DoctorFinding& f : report->findings) n += f.fixed ? 0 : 1;
    return n;
  };
  if (options.fix && (!edits.empty() || repairs_references)) {
    FixOptions fix_options = options.fix_options;
    fix_options.table_edits = edits;
    fix_options.busy_timeout_ms = options.busy_timeout_ms;
    report->fix_ran = true;
    Status fixed = FixFk(path, fix_options, &report->repair);
    if (!fixed.ok()) return fixed;
    for (DoctorFinding& f : report->findings) f.fixed = !f.fix.empty();
  }
  if (int n = remaining()) {
    return Status::Damage(path, fmt::format("{} finding{}{}", n, n == 1 ? "" : "s",
                                            options.fix ? " left as they are" : ""));
  }
  return Status::Ok();
}

}  // namespace sqlmend::repair
