#include "cli/alembic_cli.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/help.h"
#include "commands/alembic_commands.h"

namespace sqlmend::cli {

namespace {

// "path:line" or "path:line:col", as the interpreter and the runner locate errors,
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
  std::string models = "auto";  // revision --autogenerate, check
  std::string python;
};

commands::AlembicArgs ToArgs(const Globals& g) {
  commands::AlembicArgs args;
  args.config.config_paths = g.configs;
  args.config.section = g.name;
  args.config.x_args = g.x_args;
  args.config.raiseerr = g.raiseerr;
  args.lock_timeout_ms = static_cast<int>(g.lock_timeout_s * 1000);
  using Models = commands::AlembicArgs::Models;
  args.models = g.models == "native" ? Models::kNative
                : g.models == "python" ? Models::kPython
                                       : Models::kAuto;
  args.python = g.python;
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
  for (const auto& line : out.log) std::fprintf(stderr, "%s\n", line.c_str());
  if (!out.status.ok()) {
    // Alembic's own errors are printed as Alembic words them; a malformed
    // file (ini, toml, revision) also names the file and line, and a file
    // that cannot be read or written (an I/O error: "open: no such file or
    // folder") the file. A revision body, env.py or a statement that
    // failed is located ("file:line[:col]") so the user can find it.
    const base::Code code = out.status.code();
    bool name_file = ((code == base::Code::kUnusableInput || code == base::Code::kEnvironment) &&
                      !out.status.object().empty()) ||
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

nlohmann::json ToJson(const commands::DifferenceInfo& d) {
  nlohmann::json item = {{"op", d.op}, {"table", d.table}};
  auto maybe = [](const auto& value) -> nlohmann::json {
    if (value) return *value;
    return nullptr;
  };
  if (d.column) item["column"] = *d.column;
  if (d.kind) item["kind"] = *d.kind;
  if (d.has_name) item["name"] = maybe(d.name);
  if (d.columns) item["columns"] = *d.columns;
  if (d.unique) item["unique"] = *d.unique;
  if (d.referred_table) item["referred_table"] = *d.referred_table;
  if (d.referred_columns) item["referred_columns"] = *d.referred_columns;
  if (d.existing_text) item["existing"] = *d.existing_text;
  if (d.existing_bool) item["existing"] = *d.existing_bool;
  if (d.type) item["type"] = *d.type;
  if (d.nullable) item["nullable"] = *d.nullable;
  if (d.has_defaults) {
    item["existing"] = maybe(d.existing_default);
    item["default"] = maybe(d.server_default);
  }
  if (d.op == "add_table") {
    nlohmann::json columns = nlohmann::json::array();
    for (const auto& c : d.table_columns) {
      columns.push_back({{"name", c.name}, {"type", c.type}, {"nullable", c.nullable}});
    }
    item["table_columns"] = columns;
  }
  return item;
}

// `check`: the differences as text, or with --json one object
// {"differences": [...], "models": "native" | "python" | null,
// "exit_code": N, "error": null | "..."}; exit 255
// when anything differs or the comparison failed, as Alembic's check.
int EmitCheck(const commands::AlembicOutput& out, bool json) {
  if (!json) {
    std::cout << out.out;
    std::cout.flush();
    return Emit(commands::AlembicOutput{"", out.log, {}, {}, out.models, out.status}, false);
  }
  for (const auto& line : out.log) std::fprintf(stderr, "%s\n", line.c_str());
  nlohmann::json differences = nlohmann::json::array();
  for (const auto& d : out.differences) differences.push_back(ToJson(d));
  const bool failed = !out.status.ok();
  const bool error = failed && out.differences.empty();
  nlohmann::json doc = {{"differences", differences},
                        {"models", out.models.empty() ? nlohmann::json(nullptr) : nlohmann::json(out.models)},
                        {"exit_code", failed ? 255 : 0},
                        {"error", error ? nlohmann::json(out.status.ToString()) : nlohmann::json(nullptr)}};
  std::cout << doc.dump() << "\n";
  std::cout.flush();
  return failed ? 255 : 0;
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
                 "for pyproject.toml")
      ->type_name(kFileValue);
  app.add_option("-n,--name", g->name, "Name of section in .ini file to use (default alembic)")
      ->type_name(kSectionValue);
  app.add_option("-x", g->x_args, "Additional arguments consumed by custom env.py scripts")
      ->type_name("KEY=VALUE");
  app.add_flag("--raiseerr", g->raiseerr, "Raise a full stack trace on error");

  auto json = std::make_shared<bool>(false);
  auto verbose = std::make_shared<bool>(false);
  auto sql = std::make_shared<bool>(false);
  auto tag = std::make_shared<std::string>();
  auto revision = std::make_shared<std::string>();
  auto revisions = std::make_shared<std::vector<std::string>>();
  auto add = [&app](const char* name, const char* description) {
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->group(kAlembicGroup);
    return cmd;
  };
  auto add_revision = [](CLI::App* cmd, const char* name, auto& target) {
    cmd->add_option(name, target, "revision identifier")->required()->type_name(kRevisionValue);
  };
  auto add_sql = [sql](CLI::App* cmd) {
    cmd->add_flag("--sql", *sql, "Don't emit SQL to database - dump to standard output instead");
  };
  auto add_tag = [tag](CLI::App* cmd) {
    cmd->add_option("--tag", *tag, "Arbitrary 'tag' name - can be used by custom env.py scripts")
        ->type_name("TAG");
  };
  auto add_lock = [g](CLI::App* cmd) {
    cmd->add_option("--lock-timeout", g->lock_timeout_s,
                    "Seconds to wait while another migration holds the database (default 10)")
        ->type_name("SECONDS");
  };
  auto add_models = [g](CLI::App* cmd) {
    cmd->add_option("--models", g->models,
                    "How the models are read: auto (sqlmend's interpreter, then the project's "
                    "Python where it stops), native, or python")
        ->check(CLI::IsMember({"auto", "native", "python"}))
        ->type_name("auto|native|python");
    cmd->add_option("--python", g->python,
                    "The Python that may read the models (default: the project's virtualenv)")
        ->type_name("PATH");
  };
  auto add_verbose = [verbose](CLI::App* cmd) {
    cmd->add_flag("-v,--verbose", *verbose, "Use more verbose output");
  };
  auto add_json = [json](CLI::App* cmd) {
    cmd->add_flag("--json", *json, "A JSON array of revisions");
  };

  CLI::App* up = add("upgrade", "Upgrade to a later version");
  add_revision(up, "revision", *revision);
  add_sql(up);
  add_tag(up);
  add_lock(up);
  SetFooter(up,
            "Runs each revision (.py or .sql) with its alembic_version change inside one\n"
            "transaction, a savepoint per revision: a revision that fails is rolled back\n"
            "whole. REV is an id or a unique prefix, head, heads, a label@head, or +N.",
            {{"sqlmend -c data_development/config.ini upgrade head", "Apply every revision."},
             {"sqlmend upgrade +1", "Apply the next revision only."},
             {"sqlmend upgrade 0c3414079bfe:head --sql > upgrade.sql",
              "Write the SQL instead of running it."}});
  up->callback([=] { *exit_code = Emit(commands::Upgrade(ToArgs(*g), *revision, *sql), false); });

  CLI::App* down = add("downgrade", "Revert to a previous version");
  add_revision(down, "revision", *revision);
  add_sql(down);
  add_tag(down);
  add_lock(down);
  SetFooter(down, "REV is an id or a unique prefix, base, a label@base, or -N.",
            {{"sqlmend -c data_development/config.ini downgrade -1", "Revert the last revision."},
             {"sqlmend -c data_development/config.ini downgrade base", "Revert every revision."},
             {"sqlmend downgrade head:base --sql", "Write the SQL instead of running it."}});
  down->callback([=] { *exit_code = Emit(commands::Downgrade(ToArgs(*g), *revision, *sql), false); });

  auto purge = std::make_shared<bool>(false);
  CLI::App* stamp = add("stamp", "'stamp' the revision table with the given revision");
  stamp->add_option("revisions", *revisions, "revision identifier")
      ->required()
      ->type_name(kRevisionValue);
  add_sql(stamp);
  add_tag(stamp);
  stamp->add_flag("--purge", *purge, "Unconditionally erase the version table before stamping");
  add_lock(stamp);
  SetFooter(stamp, "Moves alembic_version without running any revision.",
            {{"sqlmend -c data_development/config.ini stamp 0c3414079bfe",
              "Record that the database is at 0c3414079bfe."},
             {"sqlmend stamp --purge head", "Replace whatever alembic_version holds with the heads."}});
  stamp->callback(
      [=] { *exit_code = Emit(commands::Stamp(ToArgs(*g), *revisions, *sql, *purge), false); });

  CLI::App* current = add("current", "Display the current revision for a database");
  add_verbose(current);
  add_json(current);
  SetFooter(current, "",
            {{"sqlmend -c data_development/config.ini current", "Print the revision the database is at."},
             {"sqlmend current --json", "The same as a JSON array of revisions."}});
  current->callback([=] { *exit_code = Emit(commands::Current(ToArgs(*g), *verbose), *json); });

  auto range = std::make_shared<std::string>();
  auto indicate = std::make_shared<bool>(false);
  CLI::App* history = add("history", "List changeset scripts in chronological order");
  history->add_option("-r,--rev-range", *range, "Specify a revision range; format is [start]:[end]")
      ->type_name(kRevisionValue);
  add_verbose(history);
  history->add_flag("-i,--indicate-current", *indicate, "Indicate the current revision");
  add_json(history);
  SetFooter(history, "",
            {{"sqlmend history -i", "Every revision, newest first, marking the current one."},
             {"sqlmend history -r 0c3414079bfe:head -v", "The revisions after 0c3414079bfe, in full."},
             {"sqlmend history --json", "The history as a JSON array of revisions."}});
  history->callback([=] {
    std::optional<std::string> r;
    if (!range->empty()) r = *range;
    *exit_code = Emit(commands::History(ToArgs(*g), r, *verbose, *indicate), *json);
  });

  auto resolve = std::make_shared<bool>(false);
  CLI::App* heads = add("heads", "Show current available heads in the script directory");
  add_verbose(heads);
  heads->add_flag("--resolve-dependencies", *resolve,
                  "Treat dependency versions as down revisions");
  add_json(heads);
  SetFooter(heads, "",
            {{"sqlmend -c data_development/config.ini heads", "The newest revision of each branch."},
             {"sqlmend heads --json", "The heads as a JSON array of revisions."}});
  heads->callback(
      [=] { *exit_code = Emit(commands::Heads(ToArgs(*g), *verbose, *resolve), *json); });

  CLI::App* branches = add("branches", "Show current branch points");
  add_verbose(branches);
  add_json(branches);
  SetFooter(branches, "",
            {{"sqlmend branches", "The revisions where the history splits."},
             {"sqlmend branches -v --json", "The same as a JSON array of revisions."}});
  branches->callback([=] { *exit_code = Emit(commands::Branches(ToArgs(*g), *verbose), *json); });

  CLI::App* show = add("show", "Show the revision(s) denoted by the given symbol");
  add_revision(show, "rev", *revision);
  add_json(show);
  SetFooter(show, "",
            {{"sqlmend show head", "The newest revision, with its message and file."},
             {"sqlmend show 0c3414079bfe --json", "One revision as JSON."}});
  show->callback([=] { *exit_code = Emit(commands::Show(ToArgs(*g), *revision), *json); });

  auto rev = std::make_shared<script::NewRevisionArgs>();
  auto rev_id = std::make_shared<std::string>();
  auto version_path = std::make_shared<std::string>();
  auto autogenerate = std::make_shared<bool>(false);
  CLI::App* revision_cmd = add("revision", "Create a new revision file");
  revision_cmd->add_option("-m,--message", rev->message, "Message string to use with 'revision'")
      ->type_name("MESSAGE");
  revision_cmd->add_flag("--autogenerate", *autogenerate,
                         "Populate revision script with candidate migration operations, from "
                         "env.py's target_metadata compared with the database");
  revision_cmd->add_option("--head", rev->heads, "Specify head revision or <branchname>@head to base new revision on")
      ->type_name(kRevisionValue);
  add_models(revision_cmd);
  revision_cmd->add_flag("--splice", rev->splice, "Allow a non-head revision as the 'head' to splice onto");
  revision_cmd->add_option("--branch-label", rev->branch_labels, "Specify a branch label to apply to the new revision")
      ->type_name("LABEL");
  revision_cmd->add_option("--version-path", *version_path, "Specify specific path from config for version file")
      ->type_name(kDirValue);
  revision_cmd->add_option("--rev-id", *rev_id, "Specify a hardcoded revision id instead of generating one")
      ->type_name("ID");
  revision_cmd->add_option("--depends-on", rev->depends_on, "Specify one or more revision identifiers which this revision should depend on")
      ->type_name(kRevisionValue);
  SetFooter(revision_cmd, "Writes the file from the project's own script.py.mako.",
            {{"sqlmend -c data_development/config.ini revision -m \"add users.email\"",
              "A new revision on top of the current head."},
             {"sqlmend revision -m \"reports\" --head base --branch-label reports",
              "Start a new branch, labelled reports."}});
  revision_cmd->callback([=] {
    script::NewRevisionArgs args = *rev;
    if (!rev_id->empty()) args.rev_id = *rev_id;
    if (!version_path->empty()) args.version_path = *version_path;
    if (*autogenerate) {
      *exit_code = Emit(commands::RevisionAutogenerate(ToArgs(*g), args), false);
      return;
    }
    *exit_code = Emit(commands::Revision(ToArgs(*g), args), false);
  });

  auto check_json = std::make_shared<bool>(false);
  CLI::App* check_cmd =
      add("check", "Check if revision command with autogenerate has pending upgrade ops");
  check_cmd->add_flag("--json", *check_json, "The differences as a JSON object");
  add_models(check_cmd);
  SetFooter(check_cmd,
            "Compares env.py's target_metadata with the database as `revision --autogenerate` "
            "does; exits 255 when they differ.",
            {{"sqlmend -c data_development/config.ini check", "Lists what the models change."},
             {"sqlmend check --json", "The same as data, for CI."}});
  check_cmd->callback([=] { *exit_code = EmitCheck(commands::Check(ToArgs(*g)), *check_json); });

  auto merge = std::make_shared<script::NewRevisionArgs>();
  auto merge_rev_id = std::make_shared<std::string>();
  CLI::App* merge_cmd = add("merge", "Merge two revisions together. Creates a new migration file");
  merge_cmd->add_option("revisions", merge->heads, "one or more revisions, or 'heads' for all heads")
      ->required()
      ->type_name(kRevisionValue);
  merge_cmd->add_option("-m,--message", merge->message, "Message string to use with 'revision'")
      ->type_name("MESSAGE");
  merge_cmd->add_option("--branch-label", merge->branch_labels, "Specify a branch label to apply to the new revision")
      ->type_name("LABEL");
  merge_cmd->add_option("--rev-id", *merge_rev_id, "Specify a hardcoded revision id instead of generating one")
      ->type_name("ID");
  SetFooter(merge_cmd, "",
            {{"sqlmend merge heads -m \"merge reports\"", "Join every head into one revision."},
             {"sqlmend merge 0c3414079bfe 1a2b3c4d5e6f -m \"merge\"", "Join two given revisions."}});
  merge_cmd->callback([=] {
    script::NewRevisionArgs args = *merge;
    if (!merge_rev_id->empty()) args.rev_id = *merge_rev_id;
    *exit_code = Emit(commands::Merge(ToArgs(*g), args), false);
  });

  auto directory = std::make_shared<std::string>();
  auto template_name = std::make_shared<std::string>("generic");
  CLI::App* init = add("init", "Initialize a new scripts directory");
  init->add_option("directory", *directory, "location of scripts directory")
      ->required()
      ->type_name(kDirValue);
  init->add_option("-t,--template", *template_name, "Setup template for use with 'init': generic or sql")
      ->type_name("{generic,sql}");
  SetFooter(init, "",
            {{"sqlmend init alembic", "alembic.ini and a script directory for .py revisions."},
             {"sqlmend init -t sql migrations", "The same for plain-SQL revisions: no Python anywhere."}});
  init->callback([=] { *exit_code = Emit(commands::Init(ToArgs(*g), *directory, *template_name), false); });

  CLI::App* list = add("list_templates", "List available templates");
  SetFooter(list, "",
            {{"sqlmend list_templates", "Name each template init can write."},
             {"sqlmend init -t sql migrations", "Then use one."}});
  list->callback([=] { *exit_code = Emit(commands::ListTemplates(), false); });

  CLI::App* ensure = add("ensure_version", "Create the alembic version table if it doesn't exist already");
  add_sql(ensure);
  add_lock(ensure);
  SetFooter(ensure, "",
            {{"sqlmend -c data_development/config.ini ensure_version", "Create alembic_version."},
             {"sqlmend ensure_version --sql", "Print the CREATE TABLE instead."}});
  ensure->callback([=] { *exit_code = Emit(commands::EnsureVersion(ToArgs(*g), *sql), false); });
}

}  // namespace sqlmend::cli
