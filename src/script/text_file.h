// Whole-file reads and writes for the script directory, with errors that
// name the file: revision files, templates and the files `init` writes are
// small, so they are read and written in one piece.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace sqlmend::script {

// The bytes of `path`. Fails with kEnvironment naming `path` when it cannot
// be opened or read (a missing file is ENOENT's "No such file or directory").
base::Result<std::string> ReadTextFile(const std::string& path);

// Writes `bytes` to `path` through an AtomicFile (temp beside it, fsync,
// rename): the file appears whole or not at all. An existing file is
// replaced. Fails with kEnvironment naming `path`.
base::Status WriteTextFile(const std::string& path, const std::string& bytes);

// The entries of folder `dir` in readdir order (Python's os.listdir order),
// without "." and "..". Fails with kEnvironment naming `dir`.
base::Result<std::vector<std::string>> ListFolder(const std::string& dir);

// os.path.abspath: `path` joined to `cwd` (the process's current folder
// when `cwd` is empty) unless absolute, then normalised as os.path.normpath
// does ("." and empty components dropped, ".." applied lexically).
std::string AbsolutePath(const std::string& path, const std::string& cwd = "");

// True when `path` is a folder (following symlinks).
bool IsFolder(const std::string& path);
// True when `path` is a regular file (following symlinks).
bool IsRegularFile(const std::string& path);

}  // namespace sqlmend::script
