#include "schema/resolver.h"

#include <re2/re2.h>

#include <deque>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sql/tokenizer.h"

namespace sqlmend::schema {

namespace {

struct AffixRule {
  const char* description;
  const char* pattern;  // one capture group: what is left after stripping
};

// Matched against the ASCII-lowercased name. Order only affects the text of
// the rule reported, never the outcome: every path is explored.
const AffixRule kRules[] = {
    {"suffix __old", "^(.+)__old$"},
    {"suffix _old", "^(.+)_old$"},
    {"suffix _tmp", "^(.+)_tmp$"},
    {"suffix _temp", "^(.+)_temp$"},
    {"suffix _temporary", "^(.+)_temporary$"},
    {"suffix _backup", "^(.+)_backup[0-9]*$"},
    {"suffix _bak", "^(.+)_bak$"},
    {"suffix _orig", "^(.+)_orig(?:inal)?$"},
    {"suffix _broken", "^(.+)_broken$"},
    {"prefix _alembic_tmp_", "^_alembic_tmp_(.+)$"},
    {"prefix old_", "^old_(.+)$"},
    {"prefix new_", "^new_(.+)$"},
    {"prefix new__", "^new__(.+)$"},
    {"prefix tmp_", "^tmp_(.+)$"},
    {"prefix temp_", "^temp_(.+)$"},
    {"prefix backup_", "^backup_(.+)$"},
    {"leading _", "^_(.+)$"},
};

// Bounds the search: real leftovers carry two or three affixes at most.
constexpr int kMaxStrips = 6;

const std::vector<std::unique_ptr<RE2>>& CompiledRules() {
  static const auto* compiled = [] {
    auto* v = new std::vector<std::unique_ptr<RE2>>;
    for (const AffixRule& rule : kRules) v->push_back(std::make_unique<RE2>(rule.pattern));
    return v;
  }();
  return *compiled;
}

std::string Describe(const Object& o) {
  if (o.type == ObjectType::kView) return fmt::format("{} (a view)", o.name);
  if (o.kind == TableKind::kVirtual) return fmt::format("{} (a virtual table)", o.name);
  if (o.kind == TableKind::kShadow) return fmt::format("{} (a virtual table's shadow table)", o.name);
  if (o.kind == TableKind::kInternal) return fmt::format("{} (an internal table)", o.name);
  return o.name;
}

}  // namespace

Resolved Resolve(std::string_view missing, const Schema& schema, const NameMaps& maps) {
  Resolved result;
  for (const auto& [from, to] : maps) {
    if (!sql::AsciiIEquals(from, missing)) continue;
    result.rule = "--map";
    const Object* o = schema.FindTableOrView(to);
    if (!o) {
      result.problem = fmt::format("--map {}={}: no table named {}", from, to, to);
    } else if (!schema.IsOrdinaryTable(to)) {
      result.candidates.push_back(Describe(*o));
      result.problem = fmt::format("--map {}={}: {} is not a table", from, to, Describe(*o));
    } else {
      result.target = o->name;
    }
    return result;
  }

  // Breadth-first over strip operations; each reachable name remembers the
  // first rule chain that reached it.
  std::map<std::string, std::string> chain_of;  // lowered name -> rule chain
  std::deque<std::pair<std::string, int>> queue;
  std::string start = sql::AsciiLower(missing);
  chain_of[start] = "";
  queue.emplace_back(start, 0);
  std::map<std::string, std::string> tables;  // actual name -> rule chain
  std::set<std::string> others;
  while (!queue.empty()) {
    auto [name, depth] = queue.front();
    queue.pop_front();
    if (depth >= kMaxStrips) continue;
    for (size_t i = 0; i < CompiledRules().size(); ++i) {
      std::string rest;
      if (!RE2::FullMatch(name, *CompiledRules()[i], &rest) || rest.empty()) continue;
      if (chain_of.count(rest)) continue;
      const std::string& prior = chain_of[name];
      std::string chain = prior.empty() ? kRules[i].description
                                        : prior + ", then " + kRules[i].description;
      chain_of[rest] = chain;
      queue.emplace_back(rest, depth + 1);
      if (const Object* o = schema.FindTableOrView(rest)) {
        if (schema.IsOrdinaryTable(o->name)) {
          tables.emplace(o->name, chain);
        } else {
          others.insert(Describe(*o));
        }
      }
    }
  }
  for (const auto& [name, chain] : tables) result.candidates.push_back(name);
  for (const auto& other : others) result.candidates.push_back(other);
  if (tables.size() == 1) {
    result.target = tables.begin()->first;
    result.rule = tables.begin()->second;
  } else if (tables.empty()) {
    result.problem = others.empty()
                         ? "no live table matches it after stripping rename affixes"
                         : fmt::format("only {} matches it, which is not a table",
                                       *others.begin());
  } else {
    std::string names;
    for (const auto& [name, chain] : tables) names += (names.empty() ? "" : ", ") + name;
    result.problem = fmt::format("ambiguous: it could mean {}", names);
  }
  return result;
}

}  // namespace sqlmend::schema
