#include "cli/alembic_cli.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands/alembic_commands.h"

namespace sqlmend::cli {

namespace {

// "path:line" or "path:line:col", as pyrev and the runner locate errors,
// or a revision file's path.
bool IsLocation(const std::string& object) {
  if (object.ends_with(".py") || object.ends_with(".sql")) return true;
  size_t colon = object.rfind(':');
  if (colon == std::string::npos || colon + 1 == object.size()) return false;
  for (size_t i = colon + 1; i < object.size(); ++i) {
    if (object[i] < '0' || object[i] > '9') return false;
  }
  return colon > 0;
}

struct Globals {
  std::vector<std::string> configs;
  std::string name = "alembic";
  std::vector<std::string> x_args;
  bool raiseerr = false;
  double lock_timeout_s = 10;
};

commands::AlembicArgs ToArgs(const Globals& g) {
  commands::AlembicArgs args;
  args.config.config_paths = g.configs;
  args.config.section = g.name;
  args.config.x_args = g.x_args;
  args.config.raiseerr = g.raiseerr;
  args.lock_timeout_ms = static_cast<int>(g.lock_timeout_s * 1000);
  return args;
}

nlohmann::json ToJson(const std::vector<commands::RevisionInfo>& revisions) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : revisions) {
    list.push_back({{"revision", r.id},
                    {"down_revisions", r.down_revisions},
                    {"branch_labels", r.branch_labels},
                    {"depends_on", r.depends_on},
                    {"doc", r.doc},
                    {"path", r.path},
                    {"is_head", r.is_head},
                    {"is_branch_point", r.is_branch_point},
                    {"is_merge_point", r.is_merge_point},
                    {"is_current", r.is_current}});
  }
  return list;
}

int Emit(const commands::AlembicOutput& out, bool json) {
  for (const auto& line : out.log) {
    std::fprintf(stderr, "INFO  [alembic.runtime.migration] %s\n", line.c_str());
  }
  if (!out.status.ok()) {
    // Alembic's own errors are printed as Alembic words them; a malformed
    // file (ini, toml, revision) also names the file and line.
    // A revision body, env.py or a statement that failed is located
    // ("file:line[:col]") so the user can find it.
    bool name_file = (out.status.code() == base::Code::kUnusableInput && !out.status.object().empty()) ||
                     IsLocation(out.status.object());
    std::cout << "FAILED: " << (name_file ? out.status.ToString() : out.status.message()) << "\n";
    std::cout.flush();
    return 255;
  }
  if (json) {
    std::cout << ToJson(out.revisions).dump() << "\n";
  } else {
    std::cout << out.out;
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void ProtectRelativeRevisions(int argc, char** argv, std::vector<std::string>* args) {
  // CLI11 reads "-1" as an option; Alembic users write `downgrade -1`. A
  // lone "-<digits>" becomes "--" "-<digits>" (CLI11's end-of-options mark
  // applies to that one positional only when it comes last).
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    bool relative = a.size() > 1 && a[0] == '-' &&
                    a.find_first_not_of("0123456789", 1) == std::string::npos;
    if (relative && i == argc - 1) args->push_back("--");
    args->push_back(a);
  }
}

void AddAlembicCommands(CLI::App& app, int* exit_code) {
  auto g = std::make_shared<Globals>();
  app.add_option("-c,--config", g->configs,
                 "Alternate config file (default $ALEMBIC_CONFIG, then alembic.ini); repeatable "
                 "for pyproject.toml");
  app.add_option("-n,--name", g->name, "Name of section in .ini file to use (default alembic)");
  app.add_option("-x", g->x_args, "Additional arguments consumed by custom env.py scripts");
  app.add_flag("--raiseerr", g->raiseerr, "Raise a full stack trace on error");

  auto json = std::make_shared<bool>(false);
  auto verbose = std::make_shared<bool>(false);
  auto sql = std::make_shared<bool>(false);
  auto tag = std::make_shared<std::string>();
  auto revision = std::make_shared<std::string>();
  auto revisions = std::make_shared<std::vector<std::string>>();
  auto add_lock = [g](CLI::App* cmd) {
    cmd->add_option("--lock-timeout", g->lock_timeout_s,
                    "Seconds to wait while another migration holds the database (default 10)");
  };

  CLI::App* up = app.add_subcommand("upgrade", "Upgrade to a later version");
  up->add_option("revision", *revision, "revision identifier")->required();
  up->add_flag("--sql", *sql, "Don't emit SQL to database - dump to standard output instead");
  up->add_option("--tag", *tag, "Arbitrary 'tag' name - can be used by custom env.py scripts");
  add_lock(up);
  up->callback([=] { *exit_code = Emit(commands::Upgrade(ToArgs(*g), *revision, *sql), false); });

  CLI::App* down = app.add_subcommand("downgrade", "Revert to a previous version");
  down->add_option("revision", *revision, "revision identifier")->required();
  down->add_flag("--sql", *sql, "Don't emit SQL to database - dump to standard output instead");
  down->add_option("--tag", *tag, "Arbitrary 'tag' name - can be used by custom env.py scripts");
  add_lock(down);
  down->callback([=] { *exit_code = Emit(commands::Downgrade(ToArgs(*g), *revision, *sql), false); });

  auto purge = std::make_shared<bool>(false);
  CLI::App* stamp = app.add_subcommand("stamp", "'stamp' the revision table with the given revision");
  stamp->add_option("revisions", *revisions, "revision identifier")->required();
  stamp->add_flag("--sql", *sql, "Don't emit SQL to database - dump to standard output instead");
  stamp->add_option("--tag", *tag, "Arbitrary 'tag' name - can be used by custom env.py scripts");
  stamp->add_flag("--purge", *purge, "Unconditionally erase the version table before stamping");
  add_lock(stamp);
  stamp->callback(
      [=] { *exit_code = Emit(commands::Stamp(ToArgs(*g), *revisions, *sql, *purge), false); });

  CLI::App* current = app.add_subcommand("current", "Display the current revision for a database");
  current->add_flag("-v,--verbose", *verbose, "Use more verbose output");
  current->add_flag("--json", *json, "A JSON array of revisions");
  current->callback([=] { *exit_code = Emit(commands::Current(ToArgs(*g), *verbose), *json); });

  auto range = std::make_shared<std::string>();
  auto indicate = std::make_shared<bool>(false);
  CLI::App* history = app.add_subcommand("history", "List changeset scripts in chronological order");
  history->add_option("-r,--rev-range", *range, "Specify a revision range; format is [start]:[end]");
  history->add_flag("-v,--verbose", *verbose, "Use more verbose output");
  history->add_flag("-i,--indicate-current", *indicate, "Indicate the current revision");
  history->add_flag("--json", *json, "A JSON array of revisions");
  history->callback([=] {
    std::optional<std::string> r;
    if (!range->empty()) r = *range;
    *exit_code = Emit(commands::History(ToArgs(*g), r, *verbose, *indicate), *json);
  });

  auto resolve = std::make_shared<bool>(false);
  CLI::App* heads = app.add_subcommand("heads", "Show current available heads in the script directory");
  heads->add_flag("-v,--verbose", *verbose, "Use more verbose output");
  heads->add_flag("--resolve-dependencies", *resolve,
                  "Treat dependency versions as down revisions");
  heads->add_flag("--json", *json, "A JSON array of revisions");
  heads->callback(
      [=] { *exit_code = Emit(commands::Heads(ToArgs(*g), *verbose, *resolve), *json); });

  CLI::App* branches = app.add_subcommand("branches", "Show current branch points");
  branches->add_flag("-v,--verbose", *verbose, "Use more verbose output");
  branches->add_flag("--json", *json, "A JSON array of revisions");
  branches->callback([=] { *exit_code = Emit(commands::Branches(ToArgs(*g), *verbose), *json); });

  CLI::App* show = app.add_subcommand("show", "Show the revision(s) denoted by the given symbol");
  show->add_option("rev", *revision, "revision identifier")->required();
  show->add_flag("--json", *json, "A JSON array of revisions");
  show->callback([=] { *exit_code = Emit(commands::Show(ToArgs(*g), *revision), *json); });

  auto rev = std::make_shared<script::NewRevisionArgs>();
  auto rev_id = std::make_shared<std::string>();
  auto version_path = std::make_shared<std::string>();
  auto autogenerate = std::make_shared<bool>(false);
  CLI::App* revision_cmd = app.add_subcommand("revision", "Create a new revision file");
  revision_cmd->add_option("-m,--message", rev->message, "Message string to use with 'revision'");
  revision_cmd->add_flag("--autogenerate", *autogenerate,
                         "Populate revision script with candidate migration operations (not "
                         "supported yet)");
  revision_cmd->add_option("--head", rev->heads, "Specify head revision or <branchname>@head to base new revision on");
  revision_cmd->add_flag("--splice", rev->splice, "Allow a non-head revision as the 'head' to splice onto");
  revision_cmd->add_option("--branch-label", rev->branch_labels, "Specify a branch label to apply to the new revision");
  revision_cmd->add_option("--version-path", *version_path, "Specify specific path from config for version file");
  revision_cmd->add_option("--rev-id", *rev_id, "Specify a hardcoded revision id instead of generating one");
  revision_cmd->add_option("--depends-on", rev->depends_on, "Specify one or more revision identifiers which this revision should depend on");
  revision_cmd->callback([=] {
    if (*autogenerate) {
      *exit_code = Emit(commands::AlembicOutput{"", {}, {}, base::Status::Usage("", "--autogenerate is not supported yet")}, false);
      return;
    }
    script::NewRevisionArgs args = *rev;
    if (!rev_id->empty()) args.rev_id = *rev_id;
    if (!version_path->empty()) args.version_path = *version_path;
    *exit_code = Emit(commands::Revision(ToArgs(*g), args), false);
  });

  auto merge = std::make_shared<script::NewRevisionArgs>();
  auto merge_rev_id = std::make_shared<std::string>();
  CLI::App* merge_cmd = app.add_subcommand("merge", "Merge two revisions together. Creates a new migration file");
  merge_cmd->add_option("revisions", merge->heads, "one or more revisions, or 'heads' for all heads")->required();
  merge_cmd->add_option("-m,--message", merge->message, "Message string to use with 'revision'");
  merge_cmd->add_option("--branch-label", merge->branch_labels, "Specify a branch label to apply to the new revision");
  merge_cmd->add_option("--rev-id", *merge_rev_id, "Specify a hardcoded revision id instead of generating one");
  merge_cmd->callback([=] {
    script::NewRevisionArgs args = *merge;
    if (!merge_rev_id->empty()) args.rev_id = *merge_rev_id;
    *exit_code = Emit(commands::Merge(ToArgs(*g), args), false);
  });

  auto directory = std::make_shared<std::string>();
  auto template_name = std::make_shared<std::string>("generic");
  CLI::App* init = app.add_subcommand("init", "Initialize a new scripts directory");
  init->add_option("directory", *directory, "location of scripts directory")->required();
  init->add_option("-t,--template", *template_name, "Setup template for use with 'init': generic or sql");
  init->callback([=] { *exit_code = Emit(commands::Init(ToArgs(*g), *directory, *template_name), false); });

  CLI::App* list = app.add_subcommand("list_templates", "List available templates");
  list->callback([=] { *exit_code = Emit(commands::ListTemplates(), false); });

  CLI::App* ensure = app.add_subcommand("ensure_version", "Create the alembic version table if it doesn't exist already");
  ensure->add_flag("--sql", *sql, "Don't emit SQL to database - dump to standard output instead");
  add_lock(ensure);
  ensure->callback([=] { *exit_code = Emit(commands::EnsureVersion(ToArgs(*g), *sql), false); });
}

}  // namespace sqlmend::cli
