#include "python/literal.h"

#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

// Parentheses nest deeper than this only in generated or hostile input; the
// unwrapping is a loop, the cap just bounds the work on absurd files.
constexpr int kMaxParentheses = 100;

base::Status NotALiteral(const PythonModule& module, Node node, std::string_view what) {
  return module.ErrorAt(node, base::Code::kRefused,
                        std::string(what) +
                            " is not a literal value: " + Abbreviate(module.Text(node)) +
                            " (sqlmend reads Python files without running them)");
}

// A scalar: None, True, False or a string. No recursion.
base::Result<Literal> ReadScalar(const PythonModule& module, Node node, std::string_view what) {
  Literal literal;
  literal.span = module.Span(node);
  if (node.Is("none")) return literal;
  if (node.Is("true") || node.Is("false")) {
    literal.kind = Literal::Kind::kBool;
    literal.boolean = node.Is("true");
    return literal;
  }
  if (IsStringLiteral(node)) {
    auto text = DecodeStringLiteral(module, node);
    if (!text) return base::Fail(text.error());
    literal.kind = Literal::Kind::kString;
    literal.string = std::move(*text);
    return literal;
  }
  return base::Fail(NotALiteral(module, node, what));
}

// `node` without the parentheses around it.
base::Result<Node> Unparenthesize(const PythonModule& module, Node node, std::string_view what) {
  for (int depth = 0; node.Is("parenthesized_expression"); ++depth) {
    if (depth == kMaxParentheses) return base::Fail(NotALiteral(module, node, what));
    Node inner;
    for (uint32_t k = 0; k < node.NamedChildCount(); ++k) {
      if (!node.NamedChild(k).Is("comment")) inner = node.NamedChild(k);
    }
    if (inner.IsNull()) return base::Fail(NotALiteral(module, node, what));
    node = inner;
  }
  return node;
}

}  // namespace

base::Result<Literal> ReadLiteral(const PythonModule& module, Node node, std::string_view what) {
  auto bare = Unparenthesize(module, node, what);
  if (!bare) return base::Fail(bare.error());
  if (!bare->Is("tuple") && !bare->Is("list") && !bare->Is("expression_list")) {
    auto scalar = ReadScalar(module, *bare, what);
    if (scalar) scalar->span = module.Span(node);
    return scalar;
  }
  Literal sequence;
  sequence.kind = Literal::Kind::kSequence;
  sequence.span = module.Span(node);
  for (uint32_t k = 0; k < bare->NamedChildCount(); ++k) {
    Node item = bare->NamedChild(k);
    if (item.Is("comment")) continue;
    auto bare_item = Unparenthesize(module, item, what);
    if (!bare_item) return base::Fail(bare_item.error());
    // One level only: nested sequences are not values Alembic reads.
    auto scalar = ReadScalar(module, *bare_item, what);
    if (!scalar) return base::Fail(scalar.error());
    scalar->span = module.Span(item);
    sequence.items.push_back(std::move(*scalar));
  }
  return sequence;
}

std::string DescribeLiteralKind(const Literal& literal) {
  switch (literal.kind) {
    case Literal::Kind::kNone:
      return "None";
    case Literal::Kind::kBool:
      return literal.boolean ? "True" : "False";
    case Literal::Kind::kString:
      return "a string";
    case Literal::Kind::kSequence:
      return "a tuple or list";
  }
  return "a value";
}

}  // namespace sqlmend::python
