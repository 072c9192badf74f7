#include "cli/complete.h"

#include <cstdlib>

#include <CLI/CLI.hpp>

#include "base/strings.h"
#include "cli/help.h"
#include "commands/alembic_commands.h"

namespace sqlmend::cli {

namespace {

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// "-1", "-2": a relative revision (downgrade -1), not an option.
bool IsRelativeRevision(const std::string& word) {
  return word.size() > 1 && word[0] == '-' &&
         word.find_first_not_of("0123456789", 1) == std::string::npos;
}

bool IsOptionWord(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && !IsRelativeRevision(word);
}

// The option `name` ("-j", "--jobs") of `app`, or null.
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->get_positional() && opt->check_name(name)) return opt;
  }
  return nullptr;
}

const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&](const CLI::App* sub) {
    return !sub->get_group().empty() && sub->get_name() == name;
  });
  return found.empty() ? nullptr : found.front();
}

bool TakesValue(const CLI::Option* opt) { return opt->get_type_size() != 0; }

// Where the walk over the words before the cursor ended.
struct State {
  const CLI::App* command = nullptr;    // the subcommand, or the app itself
  const CLI::Option* pending = nullptr; // an option waiting for its value
  int positionals = 0;                  // positional words given so far
  bool only_positionals = false;        // after "--"
  commands::AlembicArgs alembic;        // -c and -n, for the revisions
};

State Walk(const CLI::App& app, const std::vector<std::string>& words) {
  State state;
  state.command = &app;
  auto record = [&state](const CLI::Option* opt, const std::string& value) {
    if (opt->check_name("-c")) state.alembic.config.config_paths.push_back(value);
    if (opt->check_name("-n")) state.alembic.config.section = value;
  };
  for (const std::string& word : words) {
    if (state.pending != nullptr) {
      record(state.pending, word);
      state.pending = nullptr;
    } else if (!state.only_positionals && word == "--") {
      state.only_positionals = true;
    } else if (!state.only_positionals && IsOptionWord(word)) {
      size_t equals = word.find('=');
      const CLI::Option* opt = FindOption(*state.command, word.substr(0, equals));
      if (opt == nullptr || !TakesValue(opt)) continue;
      if (equals == std::string::npos) {
        state.pending = opt;
      } else {
        record(opt, word.substr(equals + 1));
      }
    } else if (state.command == &app && FindSubcommand(app, word) != nullptr) {
      state.command = FindSubcommand(app, word);
      state.positionals = 0;
    } else {
      ++state.positionals;
    }
  }
  return state;
}

// The names inside "{a,b}" of a value name such as "TEXT:{default,full}".
std::vector<std::string> Choices(const std::string& type_name) {
  size_t open = type_name.find('{');
  size_t close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return base::Split(type_name.substr(open + 1, close - open - 1), ',');
}

// What a value of `opt` can be.
Candidates ValuesOf(const CLI::Option* opt, const State& state) {
  Candidates out;
  std::string type = opt->get_type_name();
  if (type == kRevisionValue) {
    auto revisions = commands::RevisionChoices(state.alembic);
    if (revisions) {
      for (const auto& r : *revisions) out.values.push_back({r.value, r.description});
    }
  } else if (type == kPathValue || type == kFileValue) {
    out.fallback = Candidates::Fallback::kFiles;
  } else if (type == kDirValue) {
    out.fallback = Candidates::Fallback::kDirs;
  } else {
    for (const std::string& choice : Choices(type)) out.values.push_back({choice, ""});
  }
  return out;
}

Candidates OptionsOf(const CLI::App& command) {
  Candidates out;
  for (const CLI::Option* opt : command.get_options()) {
    if (opt->get_positional() || opt->get_group().empty()) continue;
    // Long names, and short ones only where there is no long one (-x).
    if (!opt->get_lnames().empty()) {
      for (const std::string& l : opt->get_lnames()) out.values.push_back({"--" + l, opt->get_description()});
    } else {
      for (const std::string& s : opt->get_snames()) out.values.push_back({"-" + s, opt->get_description()});
    }
  }
  return out;
}

// The positional argument number `index` of `command` (the last one again
// when it takes many), or null.
const CLI::Option* Positional(const CLI::App& command, int index) {
  auto positionals = command.get_options([](const CLI::Option* o) { return o->get_positional(); });
  for (const CLI::Option* opt : positionals) {
    if (opt->get_expected_max() >= CLI::detail::expected_max_vector_size) return opt;
    if (index-- == 0) return opt;
  }
  return nullptr;
}

}  // namespace

Candidates Complete(const CLI::App& app, const std::vector<std::string>& words) {
  std::vector<std::string> before = words;
  std::string current;
  if (!before.empty()) {
    current = before.back();
    before.pop_back();
  }
  State state = Walk(app, before);
  if (const char* env = std::getenv("ALEMBIC_CONFIG");
      env != nullptr && state.alembic.config.config_paths.empty()) {
    state.alembic.config.config_paths.push_back(env);
  }

  Candidates out;
  std::string prefix = current;
  if (state.pending != nullptr) {
    out = ValuesOf(state.pending, state);
  } else if (!state.only_positionals && IsOptionWord(current) && current.find('=') != std::string::npos) {
    // --option=VALUE: complete the value, keeping "--option=" in front.
    size_t equals = current.find('=');
    const CLI::Option* opt = FindOption(*state.command, current.substr(0, equals));
    if (opt != nullptr && TakesValue(opt)) {
      out = ValuesOf(opt, state);
      for (Candidate& c : out.values) c.value = current.substr(0, equals + 1) + c.value;
    }
  } else if (!state.only_positionals && StartsWith(current, "-") && !IsRelativeRevision(current)) {
    out = OptionsOf(*state.command);
  } else if (state.command == &app) {
    for (const CLI::App* sub :
         app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
      out.values.push_back({sub->get_name(), sub->get_description()});
    }
  } else if (const CLI::Option* opt = Positional(*state.command, state.positionals)) {
    out = ValuesOf(opt, state);
  }
  std::vector<Candidate> matching;
  for (Candidate& c : out.values) {
    if (StartsWith(c.value, prefix)) matching.push_back(std::move(c));
  }
  out.values = std::move(matching);
  return out;
}

std::string FormatCandidates(const Candidates& candidates) {
  std::string out;
  for (const Candidate& c : candidates.values) {
    out += c.value;
    if (!c.description.empty()) {
      std::string description = c.description;
      for (char& ch : description) {
        if (ch == '\n' || ch == '\t') ch = ' ';
      }
      out += "\t" + description;
    }
    out += "\n";
  }
  switch (candidates.fallback) {
    case Candidates::Fallback::kNone: out += ":none\n"; break;
    case Candidates::Fallback::kFiles: out += ":files\n"; break;
    case Candidates::Fallback::kDirs: out += ":dirs\n"; break;
  }
  return out;
}

}  // namespace sqlmend::cli
