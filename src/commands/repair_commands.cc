#include "commands/repair_commands.h"

#include <set>

#include "config/alembic_config.h"
#include "repair/analyze.h"
#include "repair/dump.h"
#include "sqlite/db.h"
#include "sqlite/header.h"
#include "script/script_directory.h"
#include "sqlite/sidecars.h"

namespace sqlmend::commands {

RepairRun CheckFk(const std::string& path, const repair::CheckOptions& options) {
  RepairRun run;
  run.status = repair::CheckFk(path, options, &run.report);
  return run;
}

RepairRun FixFk(const std::string& path, const repair::FixOptions& options) {
  RepairRun run;
  run.status = repair::FixFk(path, options, &run.report);
  return run;
}

DoctorRun Doctor(const std::string& path, repair::DoctorOptions options,
                 const std::vector<std::string>& config_paths) {
  DoctorRun run;
  run.report.path = path;
  if (!config_paths.empty()) {
    // The project's revisions, as `alembic heads` reads them.
    auto environment = config::Environment::FromProcess();
    if (!environment) {
      run.status = environment.error();
      return run;
    }
    config::ConfigArgs args;
    args.config_paths = config_paths;
    auto config = config::LoadConfig(args, *environment);
    if (!config) {
      run.status = config.error();
      return run;
    }
    auto scripts = script::ScriptDirectory::Load(*config);
    if (!scripts) {
      run.status = scripts.error();
      return run;
    }
    std::set<std::string> known;
    for (const auto& revision : scripts->map().revisions()) known.insert(revision.id);
    options.known_revisions = std::move(known);
    options.heads = scripts->map().heads().size();
  }
  run.status = repair::Doctor(path, options, &run.report);
  return run;
}

base::Result<std::pair<std::string, std::string>> ParseMap(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return base::Fail(base::Status::Usage("--map " + text, "expects OLD=NEW"));
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

base::Status Dump(const std::string& path, const DumpArgs& args, std::ostream& out) {
  sqlite::Sniff sniff = sqlite::SniffFile(path);
  SQLMEND_RETURN_IF_ERROR(sqlite::SniffStatus(path, sniff));
  sqlite::SidecarGuard sidecars(path);
  sqlite::OpenOptions open_options;
  open_options.busy_timeout_ms = args.busy_timeout_ms;
  auto opened = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly, open_options);
  if (!opened) return opened.error();
  repair::DumpOptions options;
  std::optional<repair::Analysis> analysis;
  if (args.fix_fk) {
    auto analyzed = repair::Analyze(*opened, args.maps);
    if (!analyzed) return analyzed.error().WithObject(path);
    if (!analyzed->repairable()) return repair::UnrepairableStatus(path, *analyzed);
    analysis = std::move(*analyzed);
    options.rewrite_sql = [&](std::string_view type, std::string_view name,
                              std::string_view sql) -> std::string {
      for (const auto& o : analysis->schema.objects()) {
        if (o.name == name && schema::ObjectTypeName(o.type) == type) return analysis->SqlFor(o);
      }
      return std::string(sql);
    };
  } else if (!args.maps.empty()) {
    return base::Status::Usage("--map", "only applies with --fix-fk");
  }
  base::Status status = repair::WriteDump(*opened, options, out);
  return status.WithObject(path);
}

}  // namespace sqlmend::commands
