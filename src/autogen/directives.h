// ProcessRevisionDirectives: env.py's process_revision_directives hook,
// called as Alembic's `revision --autogenerate` calls it, with the
// directives the hook may change.
//
// Alembic passes (context, revision, directives), directives being a list
// of one MigrationScript. What hooks do with it, and what is modelled:
//   - empty the list when nothing changed (Flask-Migrate's env.py:
//     `if script.upgrade_ops.is_empty(): directives[:] = []`): no file is
//     written;
//   - set script.rev_id (sequential revision ids), script.message,
//     script.head, script.version_path, script.branch_label,
//     script.depends_on: the file is written with them.
// Reading or changing the operations themselves (upgrade_ops.ops,
// .downgrade_ops.ops) stops with a located "unsupported" error; `context`
// is None.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "autogen/model.h"
#include "base/status.h"
#include "python/value.h"
#include "script/script_directory.h"

namespace sqlmend::autogen {

// Calls `hook` with `revision` as its MigrationScript; `empty` is whether
// the comparison found nothing; `revision_heads` is Alembic's `revision`
// argument (the database's heads). Returns the revision as the hook left
// it, or std::nullopt when it emptied the directives (nothing is written).
base::Result<std::optional<script::NewRevisionArgs>> ProcessRevisionDirectives(
    const python::Value& hook, const PythonCall& call, script::NewRevisionArgs revision,
    bool empty, const std::vector<std::string>& revision_heads);

}  // namespace sqlmend::autogen
