// Resolution of leftover names: which live table a dangling name meant.
//
// A rename-first rebuild names its temporary after the table with an affix:
// users__old (Django), users_backup0 (Sequel), _alembic_tmp_users, old_users,
// _foo_old, and chains of them (t_old_backup). Resolve() strips known affixes
// repeatedly, breadth first, and accepts the result only when exactly one
// ordinary table (not a view, not a virtual or internal table) is reachable.
// Anything else is left unresolved with the reason and the candidates seen,
// so the user can answer with --map OLD=NEW. Names compare ASCII
// case-insensitively, as SQLite compares identifiers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/schema.h"

namespace sqlmend::schema {

struct Resolved {
  std::string target;  // live table; empty when unresolved
  std::string rule;    // "--map", or the affixes stripped: "suffix __old"
  std::vector<std::string> candidates;  // everything considered that exists
  std::string problem;  // why unresolved
  bool ok() const { return !target.empty(); }
};

using NameMaps = std::vector<std::pair<std::string, std::string>>;

// Resolves `missing` against `schema`. A --map entry for it (ASCII
// case-insensitive) wins and must name an ordinary table.
Resolved Resolve(std::string_view missing, const Schema& schema, const NameMaps& maps);

}  // namespace sqlmend::schema
