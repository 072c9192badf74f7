#include "alembic/env_py.h"

#include <array>

#include "python/literal.h"

namespace sqlmend::alembic {

using python::Abbreviate;
using python::DescribeLiteralKind;
using python::IsAttributeOf;
using python::Literal;
using python::Node;
using python::PythonModule;
using python::ReadLiteral;

namespace {

enum Setting {
  kVersionTable,
  kVersionTableSchema,
  kRenderAsBatch,
  kTransactionPerMigration,
  kSettingCount
};
constexpr std::array<std::string_view, kSettingCount> kKeywords = {
    "version_table", "version_table_schema", "render_as_batch", "transaction_per_migration"};

// The literal values each setting was given, over all calls.
using Observations = std::array<std::vector<Literal>, kSettingCount>;

// Every `context.configure(...)` call, in document order. Iterative (an
// explicit stack): env.py can nest as deep as its author likes.
std::vector<Node> ConfigureCalls(const PythonModule& module) {
  std::vector<Node> calls;
  std::vector<Node> stack = {module.Root()};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (node.Is("call") && IsAttributeOf(module, node.Field("function"), "context", "configure")) {
      calls.push_back(node);
    }
    for (uint32_t k = node.NamedChildCount(); k > 0; --k) stack.push_back(node.NamedChild(k - 1));
  }
  return calls;
}

// Whether `literal` is of the kind `setting` takes; Alembic itself would
// accept more (any truthy value), but a setting sqlmend cannot be sure of is
// better reported than guessed.
bool KindFits(Setting setting, const Literal& literal) {
  switch (setting) {
    case kVersionTable:
      return literal.kind == Literal::Kind::kString;
    case kVersionTableSchema:
      return literal.kind == Literal::Kind::kString || literal.kind == Literal::Kind::kNone;
    case kRenderAsBatch:
    case kTransactionPerMigration:
      return literal.kind == Literal::Kind::kBool;
    case kSettingCount:
      break;
  }
  return false;
}

bool SameValue(const Literal& a, const Literal& b) {
  return a.kind == b.kind && a.boolean == b.boolean && a.string == b.string;
}

// Reads the settings one call passes into `seen`, adding Notes for what
// cannot be read.
void ReadCall(const PythonModule& module, Node call, Observations& seen, EnvSettings& settings) {
  Node arguments = call.Field("arguments");
  for (uint32_t k = 0; k < arguments.NamedChildCount(); ++k) {
    Node argument = arguments.NamedChild(k);
    if (argument.Is("dictionary_splat")) {
      settings.notes.push_back({"", module.Location(argument),
                                Abbreviate(module.Text(argument), 40) +
                                    " may set any context.configure() keyword; it is not read"});
      continue;
    }
    if (!argument.Is("keyword_argument")) continue;
    std::string_view keyword = module.Text(argument.Field("name"));
    for (int setting = 0; setting < kSettingCount; ++setting) {
      if (keyword != kKeywords[setting]) continue;
      Node value = argument.Field("value");
      const std::string quoted = std::string(keyword) + "=" + Abbreviate(module.Text(value), 40);
      auto literal = ReadLiteral(module, value, keyword);
      if (!literal) {
        // ReadLiteral() names the keyword itself, except in a string
        // decoding error ("f-string interpolates a value...").
        const std::string why = literal.error().message();
        settings.notes.push_back({std::string(keyword), module.Location(value),
                                  why.starts_with(keyword) ? why : quoted + ": " + why});
      } else if (!KindFits(static_cast<Setting>(setting), *literal)) {
        settings.notes.push_back(
            {std::string(keyword), module.Location(value),
             quoted + " has an unexpected kind: " + DescribeLiteralKind(*literal)});
      } else {
        seen[setting].push_back(std::move(*literal));
      }
    }
  }
}

}  // namespace

EnvSettings ReadEnvSettings(const PythonModule& module) {
  EnvSettings settings;
  Observations seen;
  for (Node call : ConfigureCalls(module)) {
    ++settings.configure_calls;
    ReadCall(module, call, seen, settings);
  }
  for (int setting = 0; setting < kSettingCount; ++setting) {
    const std::vector<Literal>& values = seen[setting];
    if (values.empty()) continue;
    bool agree = true;
    for (const Literal& value : values) agree = agree && SameValue(value, values.front());
    if (!agree) {
      settings.notes.push_back({std::string(kKeywords[setting]), values[1].span.start,
                                std::string(kKeywords[setting]) +
                                    " has different values in different context.configure() "
                                    "calls; the default is kept"});
      continue;
    }
    const Literal& value = values.front();
    switch (static_cast<Setting>(setting)) {
      case kVersionTable:
        settings.version_table = value.string;
        break;
      case kVersionTableSchema:
        if (value.kind == Literal::Kind::kString) settings.version_table_schema = value.string;
        break;
      case kRenderAsBatch:
        settings.render_as_batch = value.boolean;
        break;
      case kTransactionPerMigration:
        settings.transaction_per_migration = value.boolean;
        break;
      case kSettingCount:
        break;
    }
  }
  return settings;
}

base::Result<EnvSettings> ReadEnvSettings(std::string_view source, const std::string& path) {
  auto module = PythonModule::Parse(std::string(source), path);
  if (!module) return base::Fail(module.error());
  return ReadEnvSettings(*module);
}

}  // namespace sqlmend::alembic
