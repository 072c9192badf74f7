#include "python/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace sqlmend::python {
namespace {

using base::Code;
using base::Status;

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The first ERROR or MISSING node in document order, or the null node.
// Iterative (an explicit stack), so deeply nested input cannot exhaust the
// C++ stack; only subtrees that contain an error are entered.
Node FirstErrorNode(Node root) {
  std::vector<Node> stack = {root};
  while (!stack.empty()) {
    Node node = stack.back();
    stack.pop_back();
    if (ts_node_is_missing(node.raw()) || node.Type() == "ERROR") return node;
    if (!ts_node_has_error(node.raw())) continue;
    for (uint32_t i = node.ChildCount(); i > 0; --i) stack.push_back(node.Child(i - 1));
  }
  return Node();
}

// What a reader needs to hear about the error node: tree-sitter's recovery
// either invents a token it expected (MISSING) or wraps what it could not
// place in an ERROR node, whose first token is the surprise.
std::string DescribeSyntaxError(const PythonModule& module, Node node) {
  if (ts_node_is_missing(node.raw())) {
    std::string_view type = node.Type();
    if (node.IsNamed()) return "syntax error: missing " + std::string(type);
    return "syntax error: missing \"" + std::string(type) + "\"";
  }
  Node first = node.ChildCount() > 0 ? node.Child(0) : Node();
  if (first.Is("string_start")) return "syntax error: unterminated string literal";
  // tree-sitter wraps the tokens it could not place; which of them is the
  // culprit it does not say, so quote the start of the region.
  std::string_view text = module.Text(node);
  text = text.substr(0, text.find('\n'));
  if (text.empty()) return "syntax error";
  return "syntax error: cannot parse \"" + Abbreviate(text, 30) + "\"";
}

}  // namespace

namespace {

// The grammar's symbol names, once: ts_node_type() looks the name up and
// the caller then measures it, on every node the interpreter visits. Never
// destroyed: a thread parsing ahead (parse_ahead.h) may still read nodes
// while the process runs its exit handlers.
const std::vector<std::string_view>& SymbolNames() {
  static const auto* names = [] {
    const TSLanguage* language = tree_sitter_python();
    auto* out = new std::vector<std::string_view>(ts_language_symbol_count(language));
    for (uint32_t symbol = 0; symbol < out->size(); ++symbol) {
      const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(symbol));
      if (name != nullptr) (*out)[symbol] = name;
    }
    return out;
  }();
  return *names;
}

}  // namespace

std::string_view Node::Type() const {
  if (IsNull()) return {};
  const TSSymbol symbol = ts_node_symbol(node_);
  const auto& names = SymbolNames();
  if (symbol < names.size()) return names[symbol];
  return ts_node_type(node_);  // ERROR, outside the table
}
uint32_t Node::ChildCount() const { return IsNull() ? 0 : ts_node_child_count(node_); }
Node Node::Child(uint32_t index) const { return Node(ts_node_child(node_, index)); }
uint32_t Node::NamedChildCount() const { return IsNull() ? 0 : ts_node_named_child_count(node_); }
Node Node::NamedChild(uint32_t index) const { return Node(ts_node_named_child(node_, index)); }
std::vector<Node> Node::NamedChildren() const {
  std::vector<Node> out;
  if (IsNull()) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(node_);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(child)) out.emplace_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

namespace {

// The grammar's id for the field `name`. tree-sitter's own lookup compares
// `name` with every field name of the grammar, on every call; the
// interpreter asks for the same dozen names millions of times, so each is
// looked up once (per thread: the script directory parses on two).
TSFieldId FieldId(std::string_view name) {
  static thread_local std::vector<std::pair<std::string, TSFieldId>> known;
  for (const auto& [field, id] : known) {
    if (field.size() == name.size() && field == name) return id;
  }
  const TSFieldId id = ts_language_field_id_for_name(tree_sitter_python(), name.data(),
                                                     static_cast<uint32_t>(name.size()));
  known.emplace_back(std::string(name), id);
  return id;
}

}  // namespace

Node Node::Field(std::string_view field) const {
  if (IsNull()) return Node();
  const TSFieldId id = FieldId(field);
  if (id == 0) return Node();
  return Node(ts_node_child_by_field_id(node_, id));
}
Node Node::Parent() const { return IsNull() ? Node() : Node(ts_node_parent(node_)); }

base::Result<PythonModule> PythonModule::Parse(std::string source, std::string path) {
  if (source.size() > kMaxSourceBytes) {
    return base::Fail(Status::Unusable(
        path, fmt::format("{:.1f} MB of Python source; sqlmend reads Python files of up to {} MB "
                          "(a .sql revision has no such limit)",
                          static_cast<double>(source.size()) / (1 << 20), kMaxSourceBytes >> 20)));
  }
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  if (!ts_parser_set_language(parser.get(), tree_sitter_python())) {
    // Only when the runtime cannot load the grammar's ABI: a build problem.
    return base::Fail(
        Status::Environment(path, "the tree-sitter runtime rejects the Python grammar"));
  }
  // Python skips a UTF-8 byte order mark at the start of a file; the grammar
  // does not know it, so parsing starts after it. Offsets stay those of the
  // whole text.
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (std::string_view(source).starts_with(kByteOrderMark)) {
    const TSRange after_mark = {TSPoint{0, 3}, TSPoint{UINT32_MAX, UINT32_MAX}, 3, UINT32_MAX};
    ts_parser_set_included_ranges(parser.get(), &after_mark, 1);
  }
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, source.data(),
                                        static_cast<uint32_t>(source.size()));
  if (tree == nullptr) return base::Fail(Status::Environment(path, "tree-sitter failed to parse"));
  PythonModule module(std::move(source), std::move(path), tree);
  Node error = FirstErrorNode(module.Root());
  if (!error.IsNull()) {
    return base::Fail(
        module.ErrorAt(error, Code::kUnusableInput, DescribeSyntaxError(module, error)));
  }
  return module;
}

base::Result<PythonModule> PythonModule::ParseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Fail(Status::Environment(path, "cannot read the file"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return base::Fail(Status::Environment(path, "cannot read the file"));
  return Parse(text.str(), path);
}

Node PythonModule::Root() const { return Node(ts_tree_root_node(tree_.get())); }

std::string_view PythonModule::Text(Node node) const {
  if (node.IsNull()) return {};
  return std::string_view(source_).substr(node.StartByte(), node.EndByte() - node.StartByte());
}

PythonModule::PythonModule(std::string source, std::string path, TSTree* tree)
    : source_(std::move(source)), path_(std::move(path)), tree_(tree) {
  // Lines end at \n (a \r\n pair ends with its \n; a lone \r, which Python
  // also takes as a line end, is rare enough in revision files to ignore).
  line_starts_.push_back(0);
  for (size_t at = source_.find('\n'); at != std::string::npos; at = source_.find('\n', at + 1)) {
    line_starts_.push_back(static_cast<uint32_t>(at + 1));
  }
}

SourceLocation PythonModule::LocationOfByte(uint32_t byte_offset) const {
  if (byte_offset > source_.size()) byte_offset = static_cast<uint32_t>(source_.size());
  // The last line starting at or before the byte; columns count code points.
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const uint32_t line_start = *(next_line - 1);
  SourceLocation location{static_cast<int>(next_line - line_starts_.begin()), 1};
  for (uint32_t i = line_start; i < byte_offset; ++i) {
    if (!IsUtf8Continuation(source_[i])) ++location.column;
  }
  return location;
}

SourceSpan PythonModule::Span(Node node) const {
  return SourceSpan{node.StartByte(), node.EndByte(), Location(node)};
}

std::string PythonModule::WhereByte(uint32_t byte_offset) const {
  SourceLocation location = LocationOfByte(byte_offset);
  return path_ + ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
}

bool IsAttributeOf(const PythonModule& module, Node node, std::string_view object,
                   std::string_view attribute) {
  return node.Is("attribute") && node.Field("object").Is("identifier") &&
         module.Text(node.Field("object")) == object &&
         module.Text(node.Field("attribute")) == attribute;
}

std::string Abbreviate(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool pending_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (!IsUtf8Continuation(c)) {
      if (chars + (pending_space ? 1 : 0) >= max_chars) return out + "...";
      if (pending_space) {
        out += ' ';
        ++chars;
      }
      ++chars;
    }
    pending_space = false;
    out += c;
  }
  return out;
}

base::Result<const PythonModule*> EmbeddedModule(const char* source, const std::string& name) {
  static std::mutex mutex;
  static auto* const parsed = new std::map<const char*, const PythonModule*>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = parsed->find(source);
  if (it == parsed->end()) {
    auto tree = PythonModule::Parse(source, name);
    it = parsed->emplace(source, tree ? new PythonModule(std::move(*tree)) : nullptr).first;
  }
  if (it->second == nullptr) {
    return base::Fail(base::Status::VerifyFailed(name, "embedded Python source does not parse"));
  }
  return it->second;
}

}  // namespace sqlmend::python
