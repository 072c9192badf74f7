// The `os`, `os.path` and `sys` modules as an env.py and a project's model
// modules use them: to find files next to themselves and to put the project
// on sys.path before importing it.
//
// os.path: join, dirname, basename, split, splitext, normpath, abspath,
// realpath (as abspath: symbolic links are not resolved), isabs, exists,
// isfile, isdir, expanduser (unchanged). They follow posixpath's rules on
// str arguments; exists/isfile/isdir look at the file system, nothing else
// does. Given a placeholder (a path from a module sqlmend cannot load, such
// as appdirs.user_config_dir(...)), each gives a further placeholder, which
// an `if` takes as false with a warning (placeholder.h). os.getcwd(), os.getuid(), getgid(), geteuid(), getegid(), getpid()
// (the process's), os.sep, os.pathsep, os.linesep, os.name ("posix"),
// os.access() with F_OK/R_OK/W_OK/X_OK, os.listdir() (sorted). Nothing
// writes: os.makedirs, mkdir, remove, unlink, rmdir, rename, replace, chmod
// raise PermissionError (an OSError), except makedirs(existing,
// exist_ok=True), which changes nothing in Python either.
//
// os.environ is the process environment, as a dict made when the module is
// (an env.py that reads DATABASE_URL reads it as under Alembic); assigning
// to it changes what the scripts see, not the process. os.getenv(name,
// default=None) reads that dict.
//
// sys: path (the list the module loader searches, see module_loader.h),
// argv (["alembic"]), platform ("linux"), version_info ((3, 11, 2, "final",
// 0): the Python Debian's oracle runs), modules (an empty dict),
// getdefaultencoding() and getfilesystemencoding() ("utf-8"), stdout and
// stderr (write() logs the text as print() does, as an error for stderr).
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// The `os` module; its attribute `path` is the `os.path` module.
Value MakeOsModule();

// The `sys` module whose `path` is `sys_path` (a list Value, shared).
Value MakeSysModule(const Value& sys_path);

}  // namespace sqlmend::python
