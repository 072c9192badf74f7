// PyprojectFile: the `[tool.alembic]` table of a pyproject.toml, read as
// Alembic 1.16+ reads it (`Config.toml_alembic_config` and
// `Config._get_toml_config_value` in alembic/config.py).
//
// Alembic's rules, which every getter here follows:
//  - The file is parsed as TOML 1.0 (Python's tomllib; here toml++). A
//    missing file is an empty configuration, never an error.
//  - Only `[tool.alembic]` is read; it must be a table ("Incorrect TOML
//    format" otherwise). Absent keys are absent, whatever the ini says.
//  - Every string, each string in a list and each string value of a table
//    goes through Python's `value % toml_args`, where toml_args holds only
//    `here`: the absolute folder of the pyproject.toml (not of the ini).
//    So "%(here)s" is that folder and "%%" is a '%'. Other '%' forms, and
//    keys other than `here`, are refused (Python would raise KeyError or
//    TypeError).
//  - Booleans must be TOML booleans ("boolean value expected for TOML
//    parameter 'x'", Alembic's CommandError wording); integers are kept as
//    integers; floats, dates and other types are refused ("unsupported TOML
//    value type for key: 'x'").
//
// Failing getters return a Status whose object is "<source>:<line>" of the
// offending value, kUnusableInput for TOML syntax errors and kUsage for
// values of the wrong shape. A PyprojectFile is immutable and cheap to copy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::config {

class PyprojectFile {
 public:
  // An empty configuration: no file.
  PyprojectFile() = default;

  // Parses `text` as the file `source` (named so in errors), whose absolute
  // folder is `here`. A TOML syntax error fails with "<source>:<line>" and
  // toml++'s description of the problem.
  static base::Result<PyprojectFile> Parse(std::string_view text, std::string source,
                                           std::string here);

  // Reads the file at `path` when it exists (an empty configuration when it
  // does not), as Parse(). A file that exists but cannot be read fails with
  // kEnvironment.
  static base::Result<PyprojectFile> Read(const std::string& path, std::string source,
                                          std::string here);

  // True when a file was read (even one without [tool.alembic]).
  bool found() const { return found_; }
  const std::string& source() const { return source_; }
  // The absolute folder of the file: what %(here)s means in its values.
  const std::string& here() const { return here_; }

  // True when [tool.alembic] has `key`.
  bool Has(std::string_view key) const;

  // A string value, interpolated. std::nullopt when absent; kUsage when the
  // value is not a string.
  base::Result<std::optional<std::string>> GetString(std::string_view key) const;

  // An integer, or a string holding one (Alembic applies int() to either).
  base::Result<std::optional<int64_t>> GetInteger(std::string_view key) const;

  // A TOML boolean; any other type fails with Alembic's sentence.
  base::Result<std::optional<bool>> GetBoolean(std::string_view key) const;

  // A boolean, or a string read by SQLAlchemy's asbool ("true", "yes", "on",
  // "y", "t", "1" and their negatives): how Alembic reads
  // revision_environment.
  base::Result<std::optional<bool>> GetLooseBoolean(std::string_view key) const;

  // An array of strings, each interpolated. A bare string is refused: Alembic
  // would iterate over its characters.
  base::Result<std::optional<std::vector<std::string>>> GetStringList(std::string_view key) const;

  // An array of tables of strings ([[tool.alembic.post_write_hooks]]), each
  // value interpolated; the tables in file order.
  base::Result<std::optional<std::vector<std::map<std::string, std::string>>>> GetTableList(
      std::string_view key) const;

 private:
  struct Data;  // the parsed [tool.alembic] table (toml++ stays in the .cc)

  // "<source>:<line>" of `key`'s value (of the file when unknown).
  std::string Where(std::string_view key) const;

  bool found_ = false;
  std::string source_;
  std::string here_;
  std::shared_ptr<const Data> data_;
};

}  // namespace sqlmend::config
