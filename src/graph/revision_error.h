// RevisionError: the typed failures of graph lookups, and the sentences
// Alembic 1.8.1 turns them into.
//
// Alembic raises one of a few RevisionError subclasses deep in
// script/revision.py and rewords them per command in
// ScriptDirectory._catch_revision_errors. sqlmend keeps the same two tiers:
// RevisionMap returns a RevisionError carrying the raw message and its data
// (the argument, the competing heads, the range ends), and ToStatus() applies
// a command's Wording to produce the text Alembic prints after "FAILED: ".
#pragma once

#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "base/status.h"

namespace sqlmend::graph {

struct RevisionError {
  enum class Kind {
    kRevision,          // plain RevisionError: its message is printed as is
    kResolution,        // an identifier names nothing (ResolutionError)
    kMultipleHeads,     // a single revision was asked for, several match
    kRangeNotAncestor,  // lower is not below upper (RangeNotAncestorError)
    kCycle,             // CycleDetected and its subclasses
  };
  Kind kind = Kind::kRevision;
  // The exception's own text, e.g. "No such revision or branch 'ab'" or
  // "Multiple heads are present for given argument 'head'; a, b".
  std::string message;
  // kResolution and kMultipleHeads: the identifier the user gave.
  std::string argument;
  // kMultipleHeads: the heads that competed.
  std::vector<std::string> heads;
  // kRangeNotAncestor: the range ends, as Python formats them ("base" when
  // absent, a tuple repr such as "('a', 'b')" for several heads).
  std::string lower;
  std::string upper;
};

// A value or the RevisionError that prevented it.
template <typename T>
using Lookup = tl::expected<T, RevisionError>;

inline tl::unexpected<RevisionError> Fail(RevisionError error) {
  return tl::unexpected<RevisionError>(std::move(error));
}

// The per-command templates of ScriptDirectory._catch_revision_errors. An
// unset member means Alembic's default sentence; `%(start)s`, `%(end)s` and
// `%(head_arg)s` are substituted as Alembic does (start and end default to
// the range ends of a kRangeNotAncestor error, head_arg to `end` or else the
// error's argument).
struct Wording {
  std::optional<std::string> ancestor;
  std::optional<std::string> multiple_heads;
  std::optional<std::string> start;
  std::optional<std::string> end;
  std::optional<std::string> resolution;
};

// The sentence Alembic prints for `error` under `wording`, as a kRefused
// Status whose object is the argument or range involved (may be empty).
// Defaults: kResolution -> "Can't locate revision identified by '<arg>'";
// kMultipleHeads -> "Multiple head revisions are present for given argument
// '<arg>'; please specify a specific target revision, '<branchname>@<arg>'
// to narrow to a specific head, or 'heads' for all heads"; kRangeNotAncestor
// -> "Requested range <start>:<end> does not refer to ancestor/descendant
// revisions along the same branch"; anything else -> the raw message.
base::Status ToStatus(const RevisionError& error, const Wording& wording = {});

// Python's repr of a tuple of strings: ('a',) or ('a', 'b') or ().
std::string PythonTupleRepr(const std::vector<std::string>& items);

}  // namespace sqlmend::graph
