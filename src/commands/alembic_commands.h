// The Alembic-compatible verbs: one function each, taking the parsed command
// line and returning what to print. stdout text is Alembic 1.8.1's, byte for
// byte (the tests diff it against the real alembic); log lines are the text
// after Alembic's "INFO  [alembic.runtime.migration] " prefix; a failure's
// Status message is what Alembic prints after "FAILED: ".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/alembic_config.h"
#include "script/script_directory.h"

namespace sqlmend::commands {

// The global options: -c (repeatable), -n, -x, --raiseerr.
struct AlembicArgs {
  config::ConfigArgs config;
  int lock_timeout_ms = 10000;  // sqlmend's --lock-timeout (seconds on the CLI)
  // Autogenerate (`revision --autogenerate`, `check`): how the models are
  // read. kAuto: by sqlmend's interpreter, and where it stops, in the
  // project's Python when there is one (`python`, else the project's
  // virtualenv); kNative: only by the interpreter; kPython: only in Python.
  enum class Models { kAuto, kNative, kPython };
  Models models = Models::kAuto;
  std::string python;  // --python PATH: the interpreter for the models
};

// One revision as the reporting commands list it (for --json).
struct RevisionInfo {
  std::string id;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string doc;
  std::string path;
  bool is_head = false;
  bool is_branch_point = false;
  bool is_merge_point = false;
  bool is_current = false;
};

// One difference `check` found between the models and the database, as
// data (the keys of `check --json`). Unset members are left out.
struct DifferenceInfo {
  std::string op;     // "add_table", "modify_type", ..., "dangling_fk"
  std::string table;
  std::optional<std::string> column;
  std::optional<std::string> kind;  // "unique" for add/remove_constraint
  bool has_name = false;            // index, unique and foreign-key ops
  std::optional<std::string> name;  // null when unnamed
  std::optional<std::vector<std::string>> columns;
  std::optional<bool> unique;
  std::optional<std::string> referred_table;
  std::optional<std::vector<std::string>> referred_columns;
  // add_column: "type" and "nullable"; modify_type: "existing" and "type";
  // modify_nullable: "existing" and "nullable"; modify_default: "existing"
  // and "default" (either null).
  std::optional<std::string> type;
  std::optional<bool> nullable;
  std::optional<std::string> existing_text;
  std::optional<bool> existing_bool;
  bool has_defaults = false;
  std::optional<std::string> existing_default;
  std::optional<std::string> server_default;
  // add_table: the new table's columns, in order ("table_columns").
  struct TableColumn {
    std::string name;
    std::string type;
    bool nullable = true;
  };
  std::vector<TableColumn> table_columns;
};

struct AlembicOutput {
  std::string out;                     // stdout, newline-terminated lines
  std::vector<std::string> log;        // lines for stderr, as Alembic's logging prints them
  std::vector<RevisionInfo> revisions; // what a reporting command listed
  std::vector<DifferenceInfo> differences;  // what `check` found
  // Autogenerate: "native" (sqlmend's interpreter read the models) or
  // "python" (the project's Python did); "" when the models were not read.
  std::string models;
  base::Status status;
};

// Lets upgrade, downgrade and stamp leave what they built (parse trees, the
// interpreter's objects) unfreed when the process exits right after the
// command, as the CLI does: freeing tens of thousands of small objects
// costs a fast migration a noticeable share of its time. Off by default,
// for callers that run commands repeatedly.
void SkipCleanupAtExit(bool skip);

AlembicOutput Current(const AlembicArgs& args, bool verbose);
AlembicOutput Heads(const AlembicArgs& args, bool verbose, bool resolve_dependencies);
AlembicOutput History(const AlembicArgs& args, const std::optional<std::string>& range,
                      bool verbose, bool indicate_current);
AlembicOutput Branches(const AlembicArgs& args, bool verbose);
AlembicOutput Show(const AlembicArgs& args, const std::string& revision);

// What a revision argument can be, for shell completion: `head`, `heads`,
// `base`, each branch label and `<label>@head`, then every revision id with
// its message. Reads the script directory as Heads() does, without the
// database; fails as Heads() fails.
struct RevisionChoice {
  std::string value;
  std::string description;
};
base::Result<std::vector<RevisionChoice>> RevisionChoices(const AlembicArgs& args);

// upgrade / downgrade take "rev" or, with sql, "start:end".
AlembicOutput Upgrade(const AlembicArgs& args, const std::string& revision, bool sql);
AlembicOutput Downgrade(const AlembicArgs& args, const std::string& revision, bool sql);
AlembicOutput Stamp(const AlembicArgs& args, const std::vector<std::string>& revisions, bool sql,
                    bool purge);
AlembicOutput EnsureVersion(const AlembicArgs& args, bool sql);

// revision / merge write a new revision file ("Generating <path> ...  done").
AlembicOutput Revision(const AlembicArgs& args, const script::NewRevisionArgs& revision);
// `revision --autogenerate`: compares env.py's target_metadata with the
// database (which must be at the head revisions: "Target database is not up
// to date.") and writes the operations as Alembic would (autogen/).
// Refuses, writing nothing, when a foreign key of the database points at a
// table that does not exist (`sqlmend fix-fk` repairs that first).
AlembicOutput RevisionAutogenerate(const AlembicArgs& args, script::NewRevisionArgs revision);
// `check`: the same comparison; `differences` lists what differs, and the
// status fails ("New upgrade operations detected: ...") when anything does.
// Prints "No new upgrade operations detected." otherwise.
AlembicOutput Check(const AlembicArgs& args);
AlembicOutput Merge(const AlembicArgs& args, script::NewRevisionArgs revision);
// init DIRECTORY [-t generic|sql]; list_templates.
AlembicOutput Init(const AlembicArgs& args, const std::string& directory,
                   const std::string& template_name);
AlembicOutput ListTemplates();

}  // namespace sqlmend::commands
