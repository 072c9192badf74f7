// The header of an Alembic revision file, read without running Python.
//
// Alembic imports each `.py` file of a versions folder and reads four module
// variables and the docstring (script/base.py, Script.__init__ and
// Script._from_filename in Alembic 1.8.1):
//
//   """Add users table              <- docstring; its first paragraph is the
//                                      message `alembic history` shows
//   Revision ID: 1a2b3c4d5e6f
//   Revises: 0f9e8d7c6b5a
//   Create Date: 2024-01-02 03:04:05.678901
//
//   """
//   revision: str = "1a2b3c4d5e6f"
//   down_revision: Union[str, None] = "0f9e8d7c6b5a"     # or None, or a tuple
//   branch_labels: Union[str, Sequence[str], None] = None
//   depends_on: Union[str, Sequence[str], None] = None
//
// Every form Alembic's templates have written is accepted: plain and
// annotated assignments (1.8: `revision = 'x'`; 1.12+: `revision: str = "x"`;
// 1.16: `down_revision: Union[str, Sequence[str], None] = ("a", "b")`),
// chained assignments, and values that are literals as literal.h defines
// them. A header variable whose value is not a literal, or which is bound in
// another way (inside an `if`, by tuple unpacking, `+=`), is refused with its
// location: its value is only known by running the file. As in Python, the
// last top-level assignment of a name wins.
//
// Values follow Alembic's normalisation (util.to_tuple and
// tuple_rev_as_scalar): None, "" and an empty tuple mean no down revision
// (a base) and no dependencies; a string means one; a tuple or list keeps
// its order and duplicates (the revision graph dedupes and checks them).
//
// A file without `revision`: Alembic 1.8.1 does not skip it. When the file
// name is hex digits and ".py" (Alembic 0.1's naming, `_legacy_rev`), the
// name is the revision id; otherwise it fails with "Could not determine
// revision id from filename <name>. Be sure the 'revision' variable is
// declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2'
// in the documentation)." ReadRevisionHeader() does the same. A file without
// `down_revision` makes Alembic fail with an AttributeError; here it is a
// plain error. Which files of a folder are revision files at all (not
// __init__.py, not .#emacs locks) is the script directory's business.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "python/parser.h"

namespace sqlmend::alembic {

struct RevisionHeader {
  std::string revision;
  std::vector<std::string> down_revisions;  // empty: a base revision
  std::vector<std::string> branch_labels;   // empty when None or absent
  std::vector<std::string> depends_on;      // empty when None or absent
  // The module docstring as Python's __doc__ holds it (decoded, not
  // stripped), or nullopt when the file has none.
  std::optional<std::string> docstring;
  // True when `revision` was absent and taken from a legacy file name.
  bool revision_from_filename = false;

  // Where each value is written (the expression right of `=`), for messages
  // and for editing the file in place; nullopt when absent from the file.
  struct Locations {
    std::optional<python::SourceSpan> revision;
    std::optional<python::SourceSpan> down_revision;
    std::optional<python::SourceSpan> branch_labels;
    std::optional<python::SourceSpan> depends_on;
    std::optional<python::SourceSpan> docstring;
  } locations;

  // Alembic's Script.longdoc: the docstring with surrounding whitespace
  // stripped; "" without one.
  std::string LongDoc() const;
  // Alembic's Script.doc, the revision message: LongDoc() up to its first
  // blank line ("\n\n"). For template-written files, the -m message.
  std::string Message() const;
};

// Reads the header of the revision file whose text is `source`; `path` names
// it in messages and its last component is the file name the legacy rule
// looks at. Fails, leaving nothing half-read, with:
//   - Code::kUnusableInput "path:line:col" for a syntax error;
//   - Code::kRefused "path:line:col" for a header value that is not a
//     literal or has the wrong kind ("revision must be a string, not None"),
//     or a header variable bound in a form that cannot be read statically;
//   - Code::kUnusableInput "path" for a missing revision (Alembic's message
//     above, with the file name) or a missing down_revision.
base::Result<RevisionHeader> ReadRevisionHeader(std::string_view source, const std::string& path);

// The same over a module already parsed (the script loader parses each file
// once, then reads the header and the upgrade()/downgrade() bodies).
base::Result<RevisionHeader> ReadRevisionHeader(const python::PythonModule& module);

}  // namespace sqlmend::alembic
