// The `os`, `os.path` and `sys` modules as an env.py and a project's model
// modules use them: to find files next to themselves and to put the project
// on sys.path before importing it.
//
// os.path: join, dirname, basename, split, splitext, normpath, abspath,
// realpath (as abspath: symbolic links are not resolved), isabs, exists,
// isfile, isdir, expanduser (unchanged). They follow posixpath's rules on
// str arguments; exists/isfile/isdir look at the file system, nothing else
// does. os.getcwd(), os.getuid(), getgid(), geteuid(), getegid(), getpid()
// (the process's), os.sep, os.pathsep, os.linesep, os.name ("posix").
//
// The environment is never read: os.environ.get(name, default=None) and
// os.getenv(name, default=None) return the default, os.environ[name] raises
// KeyError and `name in os.environ` is False. A migration then depends only
// on the files sqlmend is given (the database URL comes from alembic.ini);
// an env.py that needs a variable fails, located, where it reads it.
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
