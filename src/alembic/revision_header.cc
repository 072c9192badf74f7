#include "alembic/revision_header.h"

#include <array>

#include "python/literal.h"
#include "python/string_literal.h"

namespace sqlmend::alembic {

using python::Abbreviate;
using python::DecodeStringLiteral;
using python::DescribeLiteralKind;
using python::IsStringLiteral;
using python::Literal;
using python::Node;
using python::PythonModule;
using python::ReadLiteral;
using python::SourceSpan;

namespace {

using base::Code;
using base::Status;

enum HeaderVariable { kRevision, kDownRevision, kBranchLabels, kDependsOn, kVariableCount };
constexpr std::array<std::string_view, kVariableCount> kVariableNames = {
    "revision", "down_revision", "branch_labels", "depends_on"};

int VariableIndex(std::string_view name) {
  for (int k = 0; k < kVariableCount; ++k) {
    if (kVariableNames[k] == name) return k;
  }
  return -1;
}

// The identifiers a target binds, in source order: `a`, or the names inside
// `a, (b, *c)`.
// Iterative; targets are as deep as the source nests them.
std::vector<Node> BoundIdentifiers(Node target) {
  std::vector<Node> names;
  std::vector<Node> stack = {target};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (node.Is("identifier")) {
      names.push_back(node);
    } else if (node.Is("pattern_list") || node.Is("tuple_pattern") || node.Is("list_pattern") ||
               node.Is("list_splat_pattern") || node.Is("parenthesized_expression") ||
               node.Is("tuple") || node.Is("list")) {
      for (uint32_t k = node.NamedChildCount(); k > 0; --k) stack.push_back(node.NamedChild(k - 1));
    }  // x.attr and x[i] bind no module variable
  }
  return names;
}

// The value nodes of the header variables, as the last top-level assignment
// of each sets them (null when never assigned). Refuses a header variable
// bound where its value depends on running the file.
//
// 1. Walk the module in document order (explicit stack), not entering
//    function, class or lambda bodies: their names are not module variables.
// 2. For each assignment chain `a = b = value` (the grammar nests it as
//    assignments in the right side), collect the names its targets bind.
// 3. A header name bound by a plain `name = value` or `name: T = value`
//    statement at the top level records `value`; bound any other way (inside
//    `if`/`try`/`for`, by unpacking, by `+=`) it is refused.
base::Result<std::array<Node, kVariableCount>> FindHeaderValues(const PythonModule& module) {
  std::array<Node, kVariableCount> values{};
  // Each entry carries what it needs to know of its ancestors: tree-sitter
  // 0.20's ts_node_parent walks down from the root, so asking a node for
  // its parent made this walk quadratic and dominated start-up time.
  struct Entry {
    Node node;
    bool parent_is_module = false;
    bool parent_is_top_statement = false;  // an expression_statement in the module
    bool parent_is_assignment = false;
  };
  std::vector<Entry> stack = {{module.Root()}};
  while (!stack.empty()) {
    Entry entry = stack.back();
    stack.pop_back();
    Node node = entry.node;
    if (node.Is("function_definition") || node.Is("class_definition") || node.Is("lambda")) {
      continue;
    }
    const bool top_level = entry.parent_is_top_statement;
    if (node.Is("augmented_assignment")) {
      for (Node name : BoundIdentifiers(node.Field("left"))) {
        if (VariableIndex(module.Text(name)) >= 0) {
          return base::Fail(module.ErrorAt(
              name, Code::kRefused,
              std::string(module.Text(name)) + " is changed by " + Abbreviate(module.Text(node)) +
                  "; sqlmend reads header variables assigned once, as literals"));
        }
      }
    } else if (node.Is("assignment") && !entry.parent_is_assignment) {
      Node value;
      for (Node link = node; link.Is("assignment"); link = value) {
        value = link.Field("right");
        Node target = link.Field("left");
        for (Node name : BoundIdentifiers(target)) {
          const int index = VariableIndex(module.Text(name));
          if (index < 0) continue;
          if (!top_level || !target.Is("identifier")) {
            return base::Fail(module.ErrorAt(
                name, Code::kRefused,
                std::string(module.Text(name)) +
                    " is assigned in a form sqlmend cannot read without running the file "
                    "(write it as a top-level `" +
                    std::string(kVariableNames[index]) + " = <literal>`)"));
          }
          // An annotation without a value (`revision: str`) binds nothing.
          Node chain_end = value;
          while (chain_end.Is("assignment")) chain_end = chain_end.Field("right");
          if (!chain_end.IsNull()) values[index] = chain_end;
        }
      }
    }
    const bool is_module = node.Is("module");
    const bool is_top_statement = node.Is("expression_statement") && entry.parent_is_module;
    const bool is_assignment = node.Is("assignment");
    for (uint32_t k = node.NamedChildCount(); k > 0; --k) {
      stack.push_back({node.NamedChild(k - 1), is_module, is_top_statement, is_assignment});
    }
  }
  return values;
}

// The module docstring: a first statement that is a string literal (possibly
// parenthesised or concatenated; not an f-string, which Python does not
// take as a docstring). Null when there is none.
Node DocstringNode(const PythonModule& module) {
  Node root = module.Root();
  for (uint32_t k = 0; k < root.NamedChildCount(); ++k) {
    Node statement = root.NamedChild(k);
    if (statement.Is("comment")) continue;
    if (!statement.Is("expression_statement") || statement.NamedChildCount() != 1) return Node();
    Node expression = statement.NamedChild(0);
    while (expression.Is("parenthesized_expression") && expression.NamedChildCount() == 1) {
      expression = expression.NamedChild(0);
    }
    if (!IsStringLiteral(expression)) return Node();
    std::string_view text = module.Text(expression);
    for (char c : text.substr(0, text.find_first_of("'\""))) {
      if (c == 'f' || c == 'F') return Node();
    }
    return expression;
  }
  return Node();
}

// Alembic 0.1 named files "<hex id>.py" and had no `revision` variable
// (`_legacy_rev = re.compile(r"([a-f0-9]+)\.py$")`, used with re.match).
std::optional<std::string> LegacyRevisionFromFileName(std::string_view path) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  constexpr std::string_view kSuffix = ".py";
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  std::string_view stem = name.substr(0, name.size() - kSuffix.size());
  for (char c : stem) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return std::string(stem);
}

Status WrongKind(const PythonModule& module, const Literal& literal, std::string_view what,
                 std::string_view expected) {
  return Status(Code::kRefused, module.WhereByte(literal.span.begin),
                std::string(what) + " must be " + std::string(expected) + ", not " +
                    DescribeLiteralKind(literal));
}

// down_revision, branch_labels, depends_on: None, a string or a sequence of
// strings, normalised as util.to_tuple() does. For down_revision and
// depends_on Alembic then applies tuple_rev_as_scalar(), under which a
// falsy value ("" or an empty tuple) means none.
base::Result<std::vector<std::string>> ReadIdList(const PythonModule& module, Node value,
                                                  HeaderVariable variable) {
  std::string_view what = kVariableNames[variable];
  auto literal = ReadLiteral(module, value, what);
  if (!literal) return base::Fail(literal.error());
  constexpr std::string_view kExpected = "None, a string, or a tuple or list of strings";
  std::vector<std::string> ids;
  switch (literal->kind) {
    case Literal::Kind::kNone:
      return ids;
    case Literal::Kind::kBool:
      return base::Fail(WrongKind(module, *literal, what, kExpected));
    case Literal::Kind::kString:
      if (!literal->string.empty() || variable == kBranchLabels) ids.push_back(literal->string);
      return ids;
    case Literal::Kind::kSequence:
      for (const Literal& item : literal->items) {
        if (item.kind != Literal::Kind::kString) {
          return base::Fail(WrongKind(module, item, std::string(what) + " items", "strings"));
        }
        ids.push_back(item.string);
      }
      return ids;
  }
  return ids;
}

void StripPythonWhitespace(std::string& text) {
  // str.strip() with no argument; ASCII whitespace covers what templates
  // and editors write (NOTE: Unicode spaces such as U+00A0 are kept).
  constexpr std::string_view kSpace = " \t\n\r\v\f\x1c\x1d\x1e\x1f";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) {
    text.clear();
    return;
  }
  text.erase(text.find_last_not_of(kSpace) + 1);
  text.erase(0, first);
}

}  // namespace

std::string RevisionHeader::LongDoc() const {
  std::string doc = docstring.value_or("");
  StripPythonWhitespace(doc);
  return doc;
}

std::string RevisionHeader::Message() const {
  std::string doc = LongDoc();  // re.split("\n\n", longdoc)[0]
  return doc.substr(0, doc.find("\n\n"));
}

base::Result<RevisionHeader> ReadRevisionHeader(std::string_view source, const std::string& path) {
  auto module = PythonModule::Parse(std::string(source), path);
  if (!module) return base::Fail(module.error());
  return ReadRevisionHeader(*module);
}

base::Result<RevisionHeader> ReadRevisionHeader(const PythonModule& module) {
  auto values = FindHeaderValues(module);
  if (!values) return base::Fail(values.error());
  RevisionHeader header;

  if (Node doc = DocstringNode(module); !doc.IsNull()) {
    auto text = DecodeStringLiteral(module, doc);
    if (!text) return base::Fail(text.error());
    header.docstring = std::move(*text);
    header.locations.docstring = module.Span(doc);
  }

  if (Node value = (*values)[kRevision]; !value.IsNull()) {
    auto literal = ReadLiteral(module, value, "revision");
    if (!literal) return base::Fail(literal.error());
    if (literal->kind != Literal::Kind::kString) {
      return base::Fail(WrongKind(module, *literal, "revision", "a string"));
    }
    if (literal->string.empty()) {
      return base::Fail(module.ErrorAt(value, Code::kRefused, "revision is an empty string"));
    }
    header.revision = std::move(literal->string);
    header.locations.revision = module.Span(value);
  } else if (auto legacy = LegacyRevisionFromFileName(module.path())) {
    header.revision = std::move(*legacy);
    header.revision_from_filename = true;
  } else {
    const std::string& path = module.path();
    return base::Fail(Status::Unusable(
        path, "Could not determine revision id from filename " +
                  path.substr(path.find_last_of('/') + 1) +
                  ". Be sure the 'revision' variable is declared inside the script (please see "
                  "'Upgrading from Alembic 0.1 to 0.2' in the documentation)."));
  }

  struct ListTarget {
    HeaderVariable variable;
    std::vector<std::string>* ids;
    std::optional<SourceSpan>* location;
  };
  const ListTarget lists[] = {
      {kDownRevision, &header.down_revisions, &header.locations.down_revision},
      {kBranchLabels, &header.branch_labels, &header.locations.branch_labels},
      {kDependsOn, &header.depends_on, &header.locations.depends_on},
  };
  for (const ListTarget& target : lists) {
    Node value = (*values)[target.variable];
    if (value.IsNull()) continue;
    auto ids = ReadIdList(module, value, target.variable);
    if (!ids) return base::Fail(ids.error());
    *target.ids = std::move(*ids);
    *target.location = module.Span(value);
  }
  if (!header.locations.down_revision) {
    // Alembic reads module.down_revision unconditionally (AttributeError).
    return base::Fail(
        Status::Unusable(module.path(),
                         "no down_revision variable: a revision file declares down_revision "
                         "(None for a first revision)"));
  }
  return header;
}

}  // namespace sqlmend::alembic
