#include "commands/alembic_commands.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "base/files.h"
#include "commands/alembic_project.h"
#include "graph/history.h"
#include "graph/plan.h"
#include "graph/revision_error.h"
#include "migrate/runner.h"
#include "script/python_runtime.h"
#include "script/script_directory.h"
#include "version/version_table.h"

namespace sqlmend::commands {

namespace {

std::string Comma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Alembic prints some sets (nextrev) in Python's set order, which changes
// from run to run; sqlmend prints them sorted.
std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::string DownRevisionText(const graph::Revision& r) {
  return r.down_revisions.empty() ? "<base>" : Comma(r.down_revisions);
}

std::string LongDoc(const Project& p, const graph::Revision& r) {
  const script::Script* s = p.scripts.Find(r.id);
  return s ? s->longdoc : r.doc;
}

// Alembic's Script.log_entry (the -v form).
std::string LogEntry(const Project& p, const graph::Revision& r, bool current) {
  std::string entry = fmt::format("Rev: {}{}{}{}{}\n", r.id, r.is_head() ? " (head)" : "",
                                  r.is_branch_point() ? " (branchpoint)" : "",
                                  r.is_merge_point() ? " (mergepoint)" : "",
                                  current ? " (current)" : "");
  entry += fmt::format("{}: {}\n", r.is_merge_point() ? "Merges" : "Parent", DownRevisionText(r));
  if (!r.depends_on.empty()) entry += fmt::format("Also depends on: {}\n", Comma(r.depends_on));
  if (r.is_branch_point()) entry += fmt::format("Branches into: {}\n", Comma(Sorted(r.nextrev)));
  if (!r.effective_branch_labels.empty()) {
    entry += fmt::format("Branch names: {}\n", Comma(r.effective_branch_labels));
  }
  entry += fmt::format("Path: {}\n", r.path);
  std::string doc;
  std::istringstream lines(LongDoc(p, r));
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    doc += (first ? "" : "\n") + ("    " + line);
    first = false;
  }
  entry += "\n" + doc + "\n";
  return entry;
}

struct FormatOptions {
  bool include_branches = false;
  bool include_doc = false;
  bool include_parents = false;
  bool tree_indicators = true;
  bool current = false;
};

// Alembic's Script.cmd_format / _head_only.
std::string CmdFormat(const Project& p, const graph::Revision& r, bool verbose, const FormatOptions& o) {
  if (verbose) return LogEntry(p, r, o.current);
  std::string text = r.id;
  if (o.include_parents) {
    text = r.depends_on.empty()
               ? fmt::format("{} -> {}", DownRevisionText(r), text)
               : fmt::format("{} ({}) -> {}", DownRevisionText(r), Comma(r.depends_on), text);
  }
  if (o.include_branches && !r.effective_branch_labels.empty()) {
    text += fmt::format(" ({})", Comma(r.effective_branch_labels));
  }
  text += r.is_real_head() ? " (head)" : "";
  text += (r.is_head() && !r.is_real_head()) ? " (effective head)" : "";
  text += o.current ? " (current)" : "";
  if (o.tree_indicators) {
    text += r.is_branch_point() ? " (branchpoint)" : "";
    text += r.is_merge_point() ? " (mergepoint)" : "";
  }
  if (o.include_doc) text += ", " + r.doc;
  return text;
}

RevisionInfo RevisionInfoOf(const graph::Revision& r, bool current) {
  return {r.id,          r.down_revisions,      r.branch_labels,      r.depends_on,
          r.doc,         r.path,                r.is_head(),          r.is_branch_point(),
          r.is_merge_point(), current};
}


}  // namespace


AlembicOutput Current(const AlembicArgs& args, bool verbose) {
  auto project = OpenProject(args, true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, out); !st.ok()) return Failed(st);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  auto heads = migrate::CurrentHeads(project->target);
  if (!heads) return Failed(heads.error());
  if (verbose) {
    auto url = project->config.GetMainOption("sqlalchemy.url");
    std::string shown = url && *url ? **url : "";
    if (python && *python && (*python)->env().url) shown = *(*python)->env().url;
    Print(out, fmt::format("Current revision(s) for {}:", shown));
  }
  auto current = graph::Current(project->scripts.map(), *heads);
  if (!current) return Failed(current.error());
  // Alembic prints them in Python's set order (random per run); sorted here.
  std::sort(current->begin(), current->end(),
            [](const graph::Revision* a, const graph::Revision* b) { return a->id < b->id; });
  for (const graph::Revision* r : *current) {
    Print(out, CmdFormat(*project, *r, verbose, {}));
    out.revisions.push_back(RevisionInfoOf(*r, true));
  }
  return out;
}

AlembicOutput Heads(const AlembicArgs& args, bool verbose, bool resolve_dependencies) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  FormatOptions options;
  options.include_branches = true;
  options.tree_indicators = false;
  for (const graph::Revision* r : graph::Heads(project->scripts.map(), resolve_dependencies)) {
    Print(out, CmdFormat(*project, *r, verbose, options));
    out.revisions.push_back(RevisionInfoOf(*r, false));
  }
  return out;
}

base::Result<std::vector<RevisionChoice>> RevisionChoices(const AlembicArgs& args) {
  auto project = OpenProject(args, false);
  if (!project) return base::Fail(project.error());
  std::vector<RevisionChoice> choices = {{"head", "the newest revision"},
                                         {"heads", "the newest revision of every branch"},
                                         {"base", "before the first revision"}};
  std::vector<std::string> labels;
  for (const graph::Revision& r : project->scripts.map().revisions()) {
    for (const std::string& label : r.branch_labels) labels.push_back(label);
  }
  for (const std::string& label : Sorted(labels)) {
    choices.push_back({label, "branch label"});
    choices.push_back({label + "@head", "the newest revision of branch " + label});
  }
  for (const graph::Revision& r : project->scripts.map().revisions()) {
    std::string description = r.doc.substr(0, r.doc.find('\n'));
    if (r.is_head()) description += description.empty() ? "(head)" : " (head)";
    choices.push_back({r.id, description});
  }
  return choices;
}

AlembicOutput History(const AlembicArgs& args, const std::optional<std::string>& range,
                      bool verbose, bool indicate_current) {
  auto project = OpenProject(args, indicate_current || (range && range->find("current") != std::string::npos));
  if (!project) return Failed(project.error());
  AlembicOutput env_out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, env_out); !st.ok()) return Failed(st);
  graph::HistoryRange parsed;
  if (range) {
    auto r = graph::ParseHistoryRange(*range);
    if (!r) return Failed(r.error());
    parsed = *r;
  }
  std::vector<std::string> current;
  if (!project->target.database.empty()) {
    auto heads = migrate::CurrentHeads(project->target);
    if (!heads) return Failed(heads.error());
    current = *heads;
  }
  auto revisions = graph::History(project->scripts.map(), parsed, current);
  if (!revisions) return Failed(revisions.error());
  AlembicOutput out = std::move(env_out);
  if (!project->target.database.empty()) out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  FormatOptions options;
  options.include_branches = true;
  options.include_doc = true;
  options.include_parents = true;
  for (const graph::Revision* r : *revisions) {
    options.current = indicate_current &&
                      std::find(current.begin(), current.end(), r->id) != current.end();
    Print(out, CmdFormat(*project, *r, verbose, options));
    out.revisions.push_back(RevisionInfoOf(*r, options.current));
  }
  return out;
}

AlembicOutput Branches(const AlembicArgs& args, bool verbose) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  const auto& map = project->scripts.map();
  for (const graph::Revision* r : graph::BranchPoints(map)) {
    FormatOptions branch;
    branch.include_branches = true;
    std::string children;
    for (const std::string& next : Sorted(r->nextrev)) {
      const graph::Revision* child = map.Find(next);
      if (!child) continue;
      FormatOptions child_options;
      child_options.include_branches = true;
      child_options.include_doc = verbose;
      children += (children.empty() ? "" : "\n") +
                  fmt::format("{} -> {}", std::string(r->id.size(), ' '),
                              CmdFormat(*project, *child, false, child_options));
    }
    // print_stdout("%s\n%s\n", ...) adds its own newline.
    Print(out, CmdFormat(*project, *r, verbose, branch) + "\n" + children + "\n");
    out.revisions.push_back(RevisionInfoOf(*r, false));
  }
  return out;
}

AlembicOutput Show(const AlembicArgs& args, const std::string& revision) {
  auto project = OpenProject(args, revision == "current");
  if (!project) return Failed(project.error());
  AlembicOutput out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, out); !st.ok()) return Failed(st);
  std::vector<std::string> ids;
  if (revision == "current") {
    auto heads = migrate::CurrentHeads(project->target);
    if (!heads) return Failed(heads.error());
    ids = *heads;
  }
  auto found = revision == "current"
                   ? project->scripts.map().GetRevisions(graph::RevisionArg::Tuple(ids))
                   : project->scripts.map().GetRevisions(graph::RevisionArg::Symbol(revision));
  if (!found) return Failed(graph::ToStatus(found.error()));
  for (const graph::Revision* r : *found) {
    if (!r) continue;
    Print(out, LogEntry(*project, *r, false));
    out.revisions.push_back(RevisionInfoOf(*r, false));
  }
  return out;
}

namespace {

// upgrade / downgrade / stamp share this: plan, then run or write SQL.
AlembicOutput Migrate(const AlembicArgs& args, bool sql,
                      const std::function<base::Result<graph::Plan>(
                          const graph::RevisionMap&, const std::vector<std::string>&)>& plan_for,
                      std::optional<std::string> start, bool purge) {
  auto project = OpenProject(args, true, /*runs_env=*/true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  std::vector<std::string> script_log;
  auto python = StartPython(*project, sql, out, script_log);
  if (!python) return Failed(python.error());
  ParkAtExit park(project, python);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  std::vector<std::string> heads;
  if (sql) {
    // The range's start as revision ids, as Alembic resolves its
    // starting_rev; "base:head" starts from no heads, so the script
    // creates the version table.
    if (start) {
      auto resolved = project->scripts.map().GetRevisions(graph::RevisionArg::Symbol(*start));
      if (!resolved) return Failed(graph::ToStatus(resolved.error()));
      for (const graph::Revision* revision : *resolved) {
        if (revision != nullptr) heads.push_back(revision->id);
      }
    }
  } else {
    auto current = migrate::CurrentHeads(project->target);
    if (!current) return Failed(current.error());
    heads = purge ? std::vector<std::string>{} : *current;
  }
  auto plan = plan_for(project->scripts.map(), heads);
  if (!plan) return Failed(plan.error());
  if (sql) {
    std::ostringstream text;
    base::Status st = migrate::WriteOfflineSql(project->target, *plan, heads, project->scripts,
                                               text, python->get());
    out.out += text.str();
    out.log.clear();
    out.log = {Info("Context impl SQLiteImpl."), Info("Generating static SQL"),
               Info("Will assume transactional DDL.")};
    for (const auto& step : plan->steps) out.log.push_back(Info("Running " + step.LogLine()));
    out.status = st;
    return out;
  }
  migrate::RunOptions options;
  options.lock_timeout_ms = args.lock_timeout_ms;
  options.python = python->get();
  // The runner's lines and the bodies' logging (through StartPython's sink)
  // go to one list, in the order the runner sends them.
  options.log = [&](const std::string& line) { script_log.push_back(Info(line)); };
  if (!purge) {
    // Another migration may move the heads while this one waits for the
    // lock: the runner then plans again from what it finds, under the lock.
    options.planned_from = heads;
    options.replan = [&](const std::vector<std::string>& found) {
      return plan_for(project->scripts.map(), found);
    };
  }
  out.status = migrate::RunPlan(project->target, *plan, project->scripts, options, purge);
  out.log = std::move(script_log);
  return out;
}

// "start:end" for --sql ranges.
std::pair<std::optional<std::string>, std::string> SplitRange(const std::string& revision) {
  auto colon = revision.find(':');
  if (colon == std::string::npos) return {std::nullopt, revision};
  return {revision.substr(0, colon), revision.substr(colon + 1)};
}

}  // namespace

AlembicOutput Upgrade(const AlembicArgs& args, const std::string& revision, bool sql) {
  auto [start, destination] = SplitRange(revision);
  if (start && !sql) return Failed(base::Status::Usage("", "Range revision not allowed"));
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanUpgrade(map, heads, destination);
                 },
                 start, false);
}

AlembicOutput Downgrade(const AlembicArgs& args, const std::string& revision, bool sql) {
  auto [start, destination] = SplitRange(revision);
  if (start && !sql) return Failed(base::Status::Usage("", "Range revision not allowed"));
  if (sql && !start) {
    return Failed(base::Status::Usage(
        "", "downgrade with --sql requires <fromrev>:<torev>"));
  }
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanDowngrade(map, heads, destination);
                 },
                 start, false);
}

AlembicOutput Stamp(const AlembicArgs& args, const std::vector<std::string>& revisions, bool sql,
                    bool purge) {
  if (sql && purge) return Failed(base::Status::Usage("", "Can't use --purge with --sql mode"));
  std::optional<std::string> start;
  std::vector<std::string> targets = revisions;
  if (sql && !targets.empty()) {
    auto [s, d] = SplitRange(targets.front());
    if (s) {
      start = s;
      targets.front() = d;
    }
  }
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanStamp(map, heads, targets, purge);
                 },
                 start, purge);
}

AlembicOutput EnsureVersion(const AlembicArgs& args, bool sql) {
  auto project = OpenProject(args, true, /*runs_env=*/true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  std::vector<std::string> script_log;
  auto python = StartPython(*project, sql, out, script_log);
  if (!python) return Failed(python.error());
  ParkAtExit park(project, python);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  graph::Plan empty;
  if (sql) {
    // Alembic's offline ensure_version: the CREATE, and the DROP an offline
    // run with no heads left ends with.
    // SQLAlchemy indents the offline CREATE with four spaces.
    std::string create = version::CreateTableSql(project->target.version_table);
    for (size_t at = create.find('\t'); at != std::string::npos; at = create.find('\t', at)) {
      create.replace(at, 1, "    ");
    }
    std::ostringstream text;
    out.status = migrate::WriteOfflineSql(project->target, empty, {}, project->scripts, text);
    out.out = create + ";\n\n" + text.str();
    return out;
  }
  migrate::RunOptions options;
  options.lock_timeout_ms = args.lock_timeout_ms;
  out.status = migrate::RunPlan(project->target, empty, project->scripts, options);
  return out;
}

AlembicOutput Revision(const AlembicArgs& args, const script::NewRevisionArgs& revision) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  auto path = script::WriteRevision(project->config, project->scripts, revision);
  if (!path) return Failed(path.error());
  AlembicOutput out;
  Print(out, fmt::format("Generating {} ...  done", *path));
  return out;
}

AlembicOutput Merge(const AlembicArgs& args, script::NewRevisionArgs revision) {
  revision.merge = true;
  return Revision(args, revision);
}

AlembicOutput Init(const AlembicArgs& args, const std::string& directory,
                   const std::string& template_name) {
  std::string config_path = args.config.config_paths.empty() ? "alembic.ini"
                                                             : args.config.config_paths.front();
  auto lines = script::InitProject(directory, template_name, config_path);
  if (!lines) return Failed(lines.error());
  AlembicOutput out;
  for (const auto& line : *lines) Print(out, line);
  return out;
}

AlembicOutput ListTemplates() {
  AlembicOutput out;
  out.out =
      "Available templates:\n\n"
      "generic - Generic single-database configuration.\n"
      "sql - Plain-SQL revisions (.sql files with -- upgrade / -- downgrade sections).\n"
      "\nTemplates are used via the 'init' command, e.g.:\n\n"
      "  sqlmend init --template generic ./scripts\n";
  return out;
}

}  // namespace sqlmend::commands
