// WriteRevision: Alembic 1.8.1's ScriptDirectory.generate_revision, for
// `revision` and `merge` without autogenerate.
//
//  1. Check the new id's characters (Script.verify_rev_id).
//  2. Resolve the --head arguments to revisions (several for `merge`).
//  3. Take the create date (timezone) and pick the version folder:
//     --version-path, else the folder of the first head when there are
//     several locations, else the only one; it must be a configured location.
//  4. Name the file (file_template, slug) and refuse a non-head base
//     without --splice.
//  5. Resolve --depends-on (labels kept as written, partial ids expanded).
//  6. Render script.py.mako (or, for an SQL project, RenderSqlRevision) and
//     write the file; check that labels asked for made it into the file.
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <algorithm>
#include <random>
#include <set>

#include "alembic/revision_header.h"
#include "base/files.h"
#include "graph/revision_error.h"
#include "python/parser.h"
#include "script/file_template.h"
#include "script/mako.h"
#include "script/script_directory.h"
#include "script/sql_revision.h"
#include "script/text_file.h"

namespace sqlmend::script {

namespace {

base::Status UsageError(std::string message) {
  return base::Status::Usage("", std::move(message));
}

// util.rev_id(): the last 12 hex digits of a random uuid4.
std::string NewRevisionId() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<uint64_t>(device()) << 32) ^ device());
  return fmt::format("{:012x}", generator() & 0xffffffffffffULL);
}

base::Status MakeFolders(const std::string& path) {
  if (IsFolder(path)) return base::Status::Ok();
  SQLMEND_RETURN_IF_ERROR(MakeFolders(base::DirName(path)));
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
    return base::ErrnoStatus(path, "mkdir", errno);
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<std::string> WriteRevision(const config::AlembicConfig& config,
                                        const ScriptDirectory& scripts,
                                        const NewRevisionArgs& args) {
  const graph::RevisionMap& map = scripts.map();
  // 1. The id.
  std::string rev_id = args.rev_id ? *args.rev_id : NewRevisionId();
  std::string illegal;
  for (char c : std::string("+-@")) {  // sorted, as Alembic sorts the set
    if (rev_id.find(c) != std::string::npos) illegal += (illegal.empty() ? "" : ", ") + std::string(1, c);
  }
  if (!illegal.empty()) {
    return base::Fail(UsageError(fmt::format(
        "Character(s) '{}' not allowed in revision identifier '{}'", illegal, rev_id)));
  }

  // 2. The heads. `merge` passes a tuple, whose members Alembic resolves one
  // by one; `revision --head` one string.
  graph::Wording wording;
  wording.multiple_heads =
      "Multiple heads are present; please specify the head revision on which the new revision "
      "should be based, or perform a merge.";
  std::vector<std::string> head_args = args.heads.empty() ? std::vector<std::string>{"head"} : args.heads;
  std::vector<const graph::Revision*> heads;
  for (const std::string& head : head_args) {
    auto found = map.GetRevisions(graph::RevisionArg::Symbol(head));
    if (!found) {
      base::Status st = graph::ToStatus(found.error(), wording);
      return base::Fail(base::Status::Usage(st.object(), st.message()));
    }
    heads.insert(heads.end(), found->begin(), found->end());
  }
  if (std::set<const graph::Revision*>(heads.begin(), heads.end()).size() != heads.size()) {
    return base::Fail(UsageError("Duplicate head revisions specified"));
  }

  // 3. The date and the folder.
  auto timezone = config.Timezone();
  if (!timezone) return base::Fail(timezone.error());
  struct timeval now;
  ::gettimeofday(&now, nullptr);
  auto date = MakeCreateDate(*timezone, now.tv_sec, static_cast<int>(now.tv_usec));
  if (!date) return base::Fail(date.error());
  const std::vector<std::string>& locations = scripts.version_locations();
  std::string version_path;
  if (args.version_path) {
    version_path = *args.version_path;
  } else if (locations.size() > 1) {
    for (const graph::Revision* head : heads) {
      if (head) {
        version_path = base::DirName(scripts.Find(head->id)->path);
        break;
      }
    }
    if (version_path.empty()) {
      return base::Fail(UsageError(
          "Multiple version locations present, please specify --version-path"));
    }
  } else {
    version_path = locations.at(0);
  }
  std::string normalized = AbsolutePath(version_path, config.cwd());
  if (std::none_of(locations.begin(), locations.end(),
                   [&](const std::string& l) { return AbsolutePath(l) == normalized; })) {
    return base::Fail(UsageError(fmt::format(
        "Path {} is not represented in current version locations", version_path)));
  }
  SQLMEND_RETURN_IF_ERROR(MakeFolders(normalized));

  // 4. The file name, and the splice rule.
  const std::string mako_path = scripts.script_location() + "/script.py.mako";
  const std::string sql_template_path = scripts.script_location() + "/script.sql.tmpl";
  const bool python = IsRegularFile(mako_path) || !IsRegularFile(sql_template_path);
  auto file_template = config.FileTemplate();
  if (!file_template) return base::Fail(file_template.error());
  auto truncate = config.TruncateSlugLength();
  if (!truncate) return base::Fail(truncate.error());
  auto name = FormatFileTemplate(*file_template, rev_id, RevisionSlug(args.message, *truncate), *date);
  if (!name) return base::Fail(name.error());
  // Alembic joins the original (possibly relative) version path.
  std::string path = (version_path.back() == '/' ? version_path : version_path + "/") + *name +
                     (python ? ".py" : ".sql");
  path = AbsolutePath(path, config.cwd());
  if (!args.splice) {
    for (const graph::Revision* head : heads) {
      if (head && !head->is_head()) {
        return base::Fail(UsageError(fmt::format(
            "Revision {} is not a head revision; please specify --splice to create a new branch "
            "from this revision",
            head->id)));
      }
    }
  }

  // 5. Dependencies.
  std::vector<std::string> depends_on;
  for (const std::string& dep : args.depends_on) {
    auto found = map.GetRevision(dep);
    if (!found) {
      base::Status st = graph::ToStatus(found.error());
      return base::Fail(base::Status::Usage(st.object(), st.message()));
    }
    if (!*found) return base::Fail(UsageError(fmt::format("Can't locate revision identified by '{}'", dep)));
    const auto& labels = (*found)->branch_labels;
    depends_on.push_back(std::find(labels.begin(), labels.end(), dep) != labels.end() ? dep
                                                                                       : (*found)->id);
  }

  // 6. Render and write.
  std::vector<std::string> down;
  for (const graph::Revision* head : heads) {
    if (head) down.push_back(head->id);
  }
  const std::string message = args.message.empty() ? "empty message" : args.message;
  std::string text;
  if (python) {
    auto source = ReadTextFile(mako_path);
    if (!source) return base::Fail(source.error());
    MakoContext context = {
        {"up_revision", MakoValue::Str(rev_id)},
        {"down_revision", MakoValue::RevisionsAsScalar(down)},
        {"branch_labels", args.branch_labels.empty() ? MakoValue::None()
                                                     : MakoValue::Tuple(args.branch_labels)},
        {"depends_on", MakoValue::RevisionsAsScalar(depends_on, /*as_list=*/true)},
        {"create_date", MakoValue::Str(date->ToString())},
        {"message", MakoValue::Str(message)},
    };
    if (args.imports) context.emplace("imports", MakoValue::Str(*args.imports));
    // A template that renders something other than Python (a comment in
    // another language's syntax, an unbalanced quote) would leave a
    // revision no tool can load: Alembic writes it and then fails reading
    // it back; here nothing is written. Autogenerate's operations are
    // sqlmend's own Python, so the template is tried with `pass` bodies:
    // parsing a whole 60-table revision would cost more than writing it.
    MakoContext probe = context;
    if (args.upgrades) probe.emplace("upgrades", MakoValue::Str("pass"));
    if (args.downgrades) probe.emplace("downgrades", MakoValue::Str("pass"));
    auto probed = RenderMako(*source, probe, mako_path);
    if (!probed) return base::Fail(probed.error());
    if (auto parsed = python::PythonModule::Parse(*probed, path); !parsed) {
      return base::Fail(base::Status::Refused(
          mako_path, fmt::format("{} renders a revision that is not Python, so none was written: {}",
                                 mako_path, parsed.error().message())));
    }
    if (!args.upgrades && !args.downgrades) {
      text = std::move(*probed);
    } else {
      if (args.upgrades) context.emplace("upgrades", MakoValue::Str(*args.upgrades));
      if (args.downgrades) context.emplace("downgrades", MakoValue::Str(*args.downgrades));
      auto rendered = RenderMako(*source, context, mako_path);
      if (!rendered) return base::Fail(rendered.error());
      text = std::move(*rendered);
    }
  } else if (args.upgrades) {
    return base::Fail(UsageError(
        "--autogenerate writes .py revisions; this project's template is script.sql.tmpl"));
  } else {
    SqlRevision revision;
    revision.revision = rev_id;
    revision.down_revisions = down;
    revision.branch_labels = args.branch_labels;
    revision.depends_on = depends_on;
    revision.message = message;
    revision.create_date = date->ToString();
    text = RenderSqlRevision(revision);
  }
  SQLMEND_RETURN_IF_ERROR(WriteTextFile(path, text));
  if (python && !args.branch_labels.empty()) {
    auto header = alembic::ReadRevisionHeader(text, path);
    if (header && header->branch_labels.empty()) {
      std::string labels;
      for (const auto& l : args.branch_labels) labels += (labels.empty() ? "" : ", ") + l;
      return base::Fail(UsageError(fmt::format(
          "Version {} specified branch_labels {}, however the migration file {} does not have "
          "them; have you upgraded your script.py.mako to include the 'branch_labels' section?",
          rev_id, labels, path)));
    }
  }
  return path;
}

}  // namespace sqlmend::script
