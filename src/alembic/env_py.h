// The migration settings an Alembic env.py passes to context.configure(),
// read statically.
//
// env.py is a program, but the settings that change what sqlmend writes to a
// database are nearly always literal keyword arguments of
// context.configure() (Alembic's runtime/environment.py documents them):
//
//   context.configure(connection=connection, target_metadata=target_metadata,
//                     version_table="my_version", render_as_batch=True)
//
// ReadEnvSettings() finds every `context.configure(...)` call anywhere in
// the file (Alembic's templates call it twice: once for offline mode and
// once for online mode) and reads these keywords when their values are
// literals:
//   version_table              a string     default "alembic_version"
//   version_table_schema       a string/None default None
//   render_as_batch            True/False   default False
//   transaction_per_migration  True/False   default False
// A keyword absent from every call keeps Alembic's default; given as a
// literal in one call or more, it takes that value. A value that cannot be
// read statically (a variable, a call, the wrong kind) adds a Note saying
// so, and so do calls that give different literal values (the setting then
// keeps its default): a Note is for the caller to report, or for the user to
// override from the command line, not an error. A call passing **kwargs may
// hide any keyword; it adds a Note too.
//
// NOTE: only calls spelled `context.configure` are seen (not
// `from alembic.context import configure`, not an alias of `context`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "python/parser.h"

namespace sqlmend::alembic {

struct EnvSettings {
  std::string version_table = "alembic_version";
  std::optional<std::string> version_table_schema;  // None: the default schema
  bool render_as_batch = false;
  bool transaction_per_migration = false;

  // How many context.configure() calls the file has.
  int configure_calls = 0;

  // Something that could not be read statically; the setting it concerns
  // kept its default.
  struct Note {
    std::string keyword;              // "version_table"; "" for a **kwargs note
    python::SourceLocation location;  // the argument (or call) concerned
    std::string message;  // "version_table=config.get_main_option(...) is not a literal"
  };
  std::vector<Note> notes;
};

// Reads the settings of the env.py whose text is `source`; `path` names it
// in messages. Fails only on a syntax error (Code::kUnusableInput,
// "path:line:col"); everything else is a value or a Note.
base::Result<EnvSettings> ReadEnvSettings(std::string_view source, const std::string& path);

// The same over a module already parsed.
EnvSettings ReadEnvSettings(const python::PythonModule& module);

}  // namespace sqlmend::alembic
