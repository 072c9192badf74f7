// Python's path-based search for one part of a dotted module name, shared by
// the module loader (which imports what it finds) and the parse-ahead
// (which only reads it).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sqlmend::python {

// What one search over a list of folders found for a name.
struct FoundModule {
  std::string file;  // the file to run; "" for a namespace package
  bool is_package = false;
  bool is_extension = false;       // `file` is a compiled extension module
  std::vector<std::string> paths;  // the package's folders (its __path__)
};

// Python's PathFinder over `folders` for the last part `name`: the first
// folder holding a regular package, an extension module or a module wins
// (in that order, as FileFinder tries its loaders); folders holding only a
// directory `name` are the portions of a namespace package. "" as a folder
// is the current directory.
std::optional<FoundModule> SearchModule(const std::vector<std::string>& folders,
                                        const std::string& name);

}  // namespace sqlmend::python
