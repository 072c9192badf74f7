// The files `init` writes: Alembic 1.8.1's "generic" template, embedded
// (init_templates.cc), and sqlmend's own "sql" template.
#pragma once

#include <string_view>

namespace sqlmend::script {

// alembic/templates/generic/*, exactly as Alembic 1.8.1 ships them.
// alembic.ini.mako is rendered with `script_location` (the directory as the
// user typed it); the others are copied.
extern const std::string_view kGenericScriptPyMako;
extern const std::string_view kGenericReadme;
extern const std::string_view kGenericEnvPy;
extern const std::string_view kGenericAlembicIniMako;

// script.sql.tmpl of `init -t sql`: its presence in script_location makes
// `revision` write .sql revisions (sql_revision.h); its text documents the
// format for whoever opens the folder. The generated files come from
// RenderSqlRevision(), not from this text.
extern const std::string_view kSqlScriptTemplate;
// README of `init -t sql`.
extern const std::string_view kSqlReadme;

}  // namespace sqlmend::script
