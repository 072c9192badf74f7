// PythonPath: the folders CPython's import system would search for a
// project's modules when the `alembic` command runs in the project's
// environment, so that env.py's `from myapp.model.meta import Base` finds
// what Alembic finds. No Python runs: every folder comes from files and
// environment variables.
//
// The order (the order of sys.path once Alembic's ScriptDirectory.
// from_config has prepended prepend_sys_path):
//   1. prepend_sys_path, as the config splits it (AlembicConfig::
//      PrependSysPath), relative entries against the current folder;
//   2. $PYTHONPATH, split on ':' (an empty entry is the current folder, a
//      relative one is relative to it), as CPython reads it at start-up;
//   3. the virtualenv's site-packages: the active one ($VIRTUAL_ENV), else
//      the first of .venv/ and venv/ (holding pyvenv.cfg) in the project
//      root, the config file's folder or the current folder. Each
//      lib/python3*/site-packages (and lib64/) folder, then what its .pth
//      files add, as site.py adds it: files in name order, each line a
//      folder (relative lines against site-packages; blank lines, comments
//      and folders that do not exist are skipped). An `import` line runs
//      code in Python; the one form read here is setuptools' finder-based
//      editable install (`import __editable___<name>_finder; ...install()`),
//      whose finder module maps each package to its folder in a literal
//      MAPPING dict: the folder holding each mapped package is added;
//      NOTE: that folder may hold other top-level names the finder would
//      not expose; sqlmend finds those too;
//   4. the project's src layout, as its build configuration declares it, for
//      a project whose environment is not found (not installed, or installed
//      where sqlmend does not look). The project root is the nearest folder
//      (the config file's folder or above it, then the current folder or
//      above it) holding pyproject.toml, setup.cfg or setup.py. Declarations
//      read: setuptools' `[tool.setuptools] package-dir` ("" = "src") and
//      `[tool.setuptools.packages.find] where`, setup.cfg's `[options]
//      package_dir` and `[options.packages.find] where`, setup.py's
//      `package_dir={"": "src"}` and `find_packages("src")` /
//      `find_packages(where="src")` written as literals, hatch's
//      `[tool.hatch.build.targets.wheel] packages = ["src/pkg"]` (and
//      `sources`), poetry's `packages = [{include = "pkg", from = "src"}]`,
//      pdm's `[tool.pdm.build] package-dir`, flit's module (src/<module>).
//      Without a declaration, a src/ folder holding a package (a folder with
//      __init__.py) is the layout setuptools, hatch and pdm discover.
// A folder appears once, at its first place. The interpreter of the system
// (/usr/lib/python3*/ dist-packages) is not searched: a project's
// third-party modules are those of its own environment.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/alembic_config.h"

namespace sqlmend::config {

// The absolute folders to search, in order (see the file comment). Fails
// only as AlembicConfig::PrependSysPath fails (a bad path_separator);
// unreadable or malformed pyproject.toml, setup.cfg, setup.py and .pth
// files are skipped (Python would not read a layout from them either).
// $PYTHONPATH and $VIRTUAL_ENV are the ones `config` was loaded with
// (Environment in alembic_config.h).
base::Result<std::vector<std::string>> ProjectPythonPath(const AlembicConfig& config);

// The virtualenv of step 3 above (absolute), or "" when there is none.
std::string ProjectVirtualenv(const AlembicConfig& config);

// The folder of the package `dotted` ("quetz", "plugins.x.migrations") as
// Python's path-based import would find it in `path` (regular package
// first, else the first portion of a namespace package), without running
// it; std::nullopt when there is none.
std::optional<std::string> FindPackageFolder(const std::string& dotted,
                                             const std::vector<std::string>& path);

// The folders a project rooted at `root` declares as its import roots
// (step 4 above), absolute; empty when it declares none and has no src/
// package.
std::vector<std::string> DeclaredSourceFolders(const std::string& root);

// The folders a virtualenv at `venv` adds (step 3 above): its site-packages
// folders, each followed by what its .pth files add.
std::vector<std::string> SitePackagesFolders(const std::string& venv);

}  // namespace sqlmend::config
