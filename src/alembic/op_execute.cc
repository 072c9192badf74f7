#include "alembic/op_execute.h"

#include "python/string_literal.h"

namespace sqlmend::alembic {

using python::Abbreviate;
using python::DecodeStringLiteral;
using python::IsAttributeOf;
using python::IsStringLiteral;
using python::Node;
using python::PythonModule;

namespace {

using base::Code;

// The last top-level definition of `name` (Python rebinds the name at each
// `def`), decorated or not; null when there is none.
Node FindFunction(const PythonModule& module, std::string_view name) {
  Node found;
  Node root = module.Root();
  for (uint32_t k = 0; k < root.NamedChildCount(); ++k) {
    Node statement = root.NamedChild(k);
    Node definition = statement;
    if (statement.Is("decorated_definition")) definition = statement.Field("definition");
    if (definition.Is("function_definition") && module.Text(definition.Field("name")) == name) {
      found = statement;
    }
  }
  return found;
}

// True when a string literal has a replacement field: an f-string whose
// value depends on running Python.
bool Interpolates(Node literal) {
  std::vector<Node> parts = {literal};
  if (literal.Is("concatenated_string")) {
    parts.clear();
    for (uint32_t k = 0; k < literal.NamedChildCount(); ++k) parts.push_back(literal.NamedChild(k));
  }
  for (Node part : parts) {
    for (uint32_t k = 0; k < part.NamedChildCount(); ++k) {
      if (part.NamedChild(k).Is("interpolation")) return true;
    }
  }
  return false;
}

// The only argument of a call's argument list, positional or given as the
// keyword `keyword`; null unless there is exactly one such argument.
Node SoleArgument(const PythonModule& module, Node call, std::string_view keyword) {
  Node arguments = call.Field("arguments");
  Node sole;
  int count = 0;
  for (uint32_t k = 0; k < arguments.NamedChildCount(); ++k) {
    Node argument = arguments.NamedChild(k);
    if (argument.Is("comment")) continue;
    ++count;
    sole = argument;
  }
  if (count != 1) return Node();
  if (sole.Is("keyword_argument")) {
    return module.Text(sole.Field("name")) == keyword ? sole.Field("value") : Node();
  }
  return sole;
}

// The SQL literal of an op.execute() argument: a string literal, or one
// wrapped in sa.text()/text()/sqlalchemy.text(); null otherwise.
Node SqlLiteral(const PythonModule& module, Node argument) {
  if (argument.Is("call")) {
    Node function = argument.Field("function");
    const bool is_text = (function.Is("identifier") && module.Text(function) == "text") ||
                         IsAttributeOf(module, function, "sa", "text") ||
                         IsAttributeOf(module, function, "sqlalchemy", "text");
    if (!is_text) return Node();
    argument = SoleArgument(module, argument, "text");
  }
  return IsStringLiteral(argument) ? argument : Node();
}

// What a refused statement is, in a few words: "call to op.create_table",
// "assignment to x", "if statement".
std::string DescribeStatement(const PythonModule& module, Node statement) {
  if (statement.Is("expression_statement") && statement.NamedChildCount() >= 1) {
    Node expression = statement.NamedChild(0);
    if (expression.Is("call")) {
      return "call to " + Abbreviate(module.Text(expression.Field("function")), 40);
    }
    if (expression.Is("assignment") || expression.Is("augmented_assignment")) {
      return "assignment to " + Abbreviate(module.Text(expression.Field("left")), 40);
    }
    if (expression.Is("await")) return "await " + Abbreviate(module.Text(expression), 40);
    return "expression " + Abbreviate(module.Text(expression), 40);
  }
  // "if_statement" -> "if statement", "import_from_statement" -> ...
  std::string kind(statement.Type());
  for (char& c : kind) {
    if (c == '_') c = ' ';
  }
  return kind;
}

}  // namespace

base::Result<std::vector<Statement>> ReadExecuteBody(const PythonModule& module,
                                                     std::string_view function_name) {
  const std::string where_in = "unsupported statement in " + std::string(function_name) + "(): ";
  Node definition = FindFunction(module, function_name);
  if (definition.IsNull()) {
    return base::Fail(base::Status::Unusable(
        module.path(), "no " + std::string(function_name) + "() function at the top level"));
  }
  if (definition.Is("decorated_definition")) {
    return base::Fail(module.ErrorAt(definition, Code::kRefused, where_in + "decorated function"));
  }
  if (definition.Child(0).Is("async")) {
    return base::Fail(module.ErrorAt(definition, Code::kRefused, where_in + "async function"));
  }

  std::vector<Statement> statements;
  Node body = definition.Field("body");
  for (uint32_t k = 0; k < body.NamedChildCount(); ++k) {
    Node statement = body.NamedChild(k);
    if (statement.Is("comment") || statement.Is("pass_statement")) continue;
    Node expression = statement.Is("expression_statement") && statement.NamedChildCount() == 1
                          ? statement.NamedChild(0)
                          : Node();
    if (expression.Is("ellipsis")) continue;
    if (IsStringLiteral(expression) && !Interpolates(expression)) continue;  // a no-op string
    if (expression.Is("call") &&
        IsAttributeOf(module, expression.Field("function"), "op", "execute")) {
      Node argument = SoleArgument(module, expression, "sqltext");
      Node literal = SqlLiteral(module, argument);
      if (literal.IsNull()) {
        Node at = argument.IsNull() ? expression.Field("arguments") : argument;
        return base::Fail(module.ErrorAt(at, Code::kRefused,
                                         where_in + "op.execute() with a non-literal argument: " +
                                             Abbreviate(module.Text(at), 40)));
      }
      auto sql = DecodeStringLiteral(module, literal);
      if (!sql) return base::Fail(sql.error());
      statements.push_back(
          Statement{std::move(*sql), module.Location(expression), module.Span(literal)});
      continue;
    }
    return base::Fail(
        module.ErrorAt(statement, Code::kRefused, where_in + DescribeStatement(module, statement)));
  }
  return statements;
}

base::Result<std::vector<Statement>> ReadExecuteBody(std::string_view source,
                                                     const std::string& path,
                                                     std::string_view function_name) {
  auto module = PythonModule::Parse(std::string(source), path);
  if (!module) return base::Fail(module.error());
  return ReadExecuteBody(*module, function_name);
}

}  // namespace sqlmend::alembic
