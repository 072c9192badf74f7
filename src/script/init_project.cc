// InitProject: Alembic 1.8.1's command.init, with the generic template
// embedded, plus sqlmend's "sql" template.
//
//  1. Refuse a directory that exists and is not empty, and an unknown
//     template (Alembic's sentences).
//  2. Create the directory and its versions/ folder.
//  3. Write the template's files in the order Alembic's os.listdir of the
//     installed template folder gives them (Debian's alembic 1.8.1:
//     script.py.mako, README, env.py, alembic.ini.mako); alembic.ini is
//     rendered with script_location = the directory as typed, and skipped
//     when the config file exists.
// The returned lines are what Alembic prints when stdout is not a terminal
// ("Creating directory /abs ...  done"); on a terminal Alembic indents each
// by two spaces and wraps it to the terminal width, which is for `cli` to do.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include <fmt/format.h>

#include "base/files.h"
#include "config/python_text.h"
#include "script/init_templates.h"
#include "script/mako.h"
#include "script/script_directory.h"
#include "script/text_file.h"

namespace sqlmend::script {

namespace {

base::Status MakeFolder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0) return base::ErrnoStatus(path, "mkdir", errno);
  return base::Status::Ok();
}

}  // namespace

base::Result<std::vector<std::string>> InitProject(const std::string& directory,
                                                   const std::string& template_name,
                                                   const std::string& config_path) {
  // 1. Refusals.
  if (base::Exists(directory)) {
    auto entries = ListFolder(directory);
    if (!entries || !entries->empty()) {
      return base::Fail(base::Status::Usage(
          directory, fmt::format("Directory {} already exists and is not empty", directory)));
    }
  }
  if (template_name != "generic" && template_name != "sql") {
    return base::Fail(base::Status::Usage(
        template_name, fmt::format("No such template {}", config::PythonRepr(template_name))));
  }

  // 2. Folders.
  std::vector<std::string> lines;
  const std::string abs_directory = AbsolutePath(directory);
  if (!base::Exists(directory)) {
    // Alembic uses os.makedirs: missing parents are created too.
    std::string parent = base::DirName(abs_directory);
    std::vector<std::string> missing;
    for (; !base::Exists(parent) && parent != "/"; parent = base::DirName(parent)) {
      missing.insert(missing.begin(), parent);
    }
    for (const auto& folder : missing) SQLMEND_RETURN_IF_ERROR(MakeFolder(folder));
    SQLMEND_RETURN_IF_ERROR(MakeFolder(abs_directory));
    lines.push_back(fmt::format("Creating directory {} ...  done", abs_directory));
  }
  const std::string versions = abs_directory + "/versions";
  SQLMEND_RETURN_IF_ERROR(MakeFolder(versions));
  lines.push_back(fmt::format("Creating directory {} ...  done", versions));

  // 3. Files.
  auto copy = [&](const std::string& name, std::string_view text) -> base::Status {
    std::string path = abs_directory + "/" + name;
    SQLMEND_RETURN_IF_ERROR(WriteTextFile(path, std::string(text)));
    lines.push_back(fmt::format("Generating {} ...  done", path));
    return base::Status::Ok();
  };
  if (template_name == "generic") {
    SQLMEND_RETURN_IF_ERROR(copy("script.py.mako", kGenericScriptPyMako));
    SQLMEND_RETURN_IF_ERROR(copy("README", kGenericReadme));
    SQLMEND_RETURN_IF_ERROR(copy("env.py", kGenericEnvPy));
  } else {
    SQLMEND_RETURN_IF_ERROR(copy("script.sql.tmpl", kSqlScriptTemplate));
    SQLMEND_RETURN_IF_ERROR(copy("README", kSqlReadme));
  }
  const std::string config_file = AbsolutePath(config_path);
  if (base::Exists(config_file)) {
    lines.push_back(fmt::format("File {} already exists, skipping", config_file));
  } else {
    auto ini = RenderMako(kGenericAlembicIniMako, {{"script_location", MakoValue::Str(directory)}},
                          "alembic.ini.mako");
    if (!ini) return base::Fail(ini.error());
    SQLMEND_RETURN_IF_ERROR(WriteTextFile(config_file, *ini));
    lines.push_back(fmt::format("Generating {} ...  done", config_file));
  }
  lines.push_back(fmt::format(
      "Please edit configuration/connection/logging settings in {} before proceeding.",
      config::PythonRepr(config_file)));
  return lines;
}

}  // namespace sqlmend::script
