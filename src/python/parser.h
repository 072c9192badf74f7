// The Python front end: a parsed Python module and a typed view of its
// syntax tree.
//
// sqlmend reads Alembic's `.py` files (revision scripts, env.py) without a
// Python interpreter. PythonModule::Parse() runs the pinned tree-sitter-python
// grammar (0.23.6) over the text and keeps the text, the file name and the
// tree together, so every later reader can say where a construct is
// ("versions/1a2b_add.py:14:5: ...") and quote it. Parse() refuses a file
// with a syntax error, naming the first place tree-sitter could not parse.
//
// Locations are 1-based lines and 1-based columns counted in code points
// (what an editor shows for UTF-8 text), not bytes.
//
// NOTE: tree-sitter's grammar is slightly more permissive than CPython's
// (it accepts Python 2 `print x`, for one); files it accepts that Python
// would not are read anyway. The readers built on this module accept only
// narrow, literal forms, so such a file is refused later for what it says,
// not for how it is spelled.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::python {

// A 1-based line and column (in code points) in a source text.
struct SourceLocation {
  int line = 0;
  int column = 0;
  bool operator==(const SourceLocation&) const = default;
};

// A byte range [begin, end) of the source text and where it starts: enough to
// quote a construct in a message or to splice a replacement into the file.
struct SourceSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  SourceLocation start;
  bool operator==(const SourceSpan&) const = default;
};

// A node of the syntax tree, by value (a tree-sitter TSNode). Valid while the
// PythonModule it came from lives. Node types are the grammar's names:
// "module", "assignment", "call", "string", "identifier", "ERROR", ...
class Node {
 public:
  Node() = default;  // the null node
  explicit Node(TSNode node) : node_(node) {}

  bool IsNull() const { return ts_node_is_null(node_); }
  // The grammar's type name; "" for the null node.
  std::string_view Type() const;
  bool Is(std::string_view type) const { return !IsNull() && Type() == type; }
  // Named nodes are the grammar's rules; unnamed ones are punctuation and
  // keywords ("(", "def").
  bool IsNamed() const { return !IsNull() && ts_node_is_named(node_); }

  uint32_t ChildCount() const;
  Node Child(uint32_t index) const;
  uint32_t NamedChildCount() const;
  // NamedChild(i) walks the children from the first each time; a loop over
  // all of them should take NamedChildren(), which walks them once.
  Node NamedChild(uint32_t index) const;
  std::vector<Node> NamedChildren() const;
  // The child the grammar labels `field` ("left", "right", "function",
  // "arguments", "body", ...), or the null node.
  Node Field(std::string_view field) const;
  Node Parent() const;

  uint32_t StartByte() const { return ts_node_start_byte(node_); }
  uint32_t EndByte() const { return ts_node_end_byte(node_); }

  const TSNode& raw() const { return node_; }

 private:
  TSNode node_{};
};

// A parsed Python source file. Move-only; owns its text and tree.
class PythonModule {
 public:
  // Parses `source`; `path` names the file in messages (it is not read).
  // Fails with Code::kUnusableInput and the object "path:line:col" at the
  // first ERROR or MISSING node tree-sitter produced, the message saying what
  // was found there ("syntax error: unterminated string literal",
  // "syntax error: missing \")\"", "syntax error: cannot parse \"y = )\"").
  // A source over kMaxSourceBytes fails the same way, before parsing.
  static base::Result<PythonModule> Parse(std::string source, std::string path);
  // Reads the file at `path` and parses it; kEnvironment "cannot read the
  // file" when it cannot be read.
  static base::Result<PythonModule> ParseFile(const std::string& path);

  // The largest Python file sqlmend reads. Its tree and what evaluating it
  // records take about 30 bytes per byte of source, so a 2 MB revision runs
  // within the memory bar of tools/bench.sh (100 MB); real revision and
  // model files are a few kB. A .sql revision has no such limit.
  static constexpr size_t kMaxSourceBytes = 2 << 20;

  PythonModule(PythonModule&&) noexcept = default;
  PythonModule& operator=(PythonModule&&) noexcept = default;
  ~PythonModule() = default;

  // The "module" node.
  Node Root() const;
  const std::string& source() const { return source_; }
  const std::string& path() const { return path_; }
  // Names the file differently in messages (the same file reached through
  // another spelling of its path).
  void set_path(std::string path) { path_ = std::move(path); }

  // The source text of `node`: a view into source(), valid until this module
  // is moved or destroyed.
  std::string_view Text(Node node) const;
  // Where `node` starts.
  SourceLocation Location(Node node) const { return LocationOfByte(node.StartByte()); }
  SourceLocation LocationOfByte(uint32_t byte_offset) const;
  SourceSpan Span(Node node) const;

  // "path:line:col", the object of every Status about `node`.
  std::string Where(Node node) const { return WhereByte(node.StartByte()); }
  std::string WhereByte(uint32_t byte_offset) const;

  // A failed Status of `code` whose object is Where(node).
  base::Status ErrorAt(Node node, base::Code code, std::string message) const {
    return base::Status(code, Where(node), std::move(message));
  }

 private:
  struct TreeDeleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };
  PythonModule(std::string source, std::string path, TSTree* tree);

  std::string source_;
  std::string path_;
  std::unique_ptr<TSTree, TreeDeleter> tree_;
  // The byte offset where each line starts (lines end at \n), for
  // LocationOfByte: every recorded operation asks for its location.
  std::vector<uint32_t> line_starts_;
};

// True when `node` is the attribute access `object.attribute` on a plain
// name, as in `op.execute` or `context.configure`.
bool IsAttributeOf(const PythonModule& module, Node node, std::string_view object,
                   std::string_view attribute);

// A short, single-line quotation of `text` for messages: whitespace runs
// collapsed to one space, cut to `max_chars` code points with "...".
std::string Abbreviate(std::string_view text, size_t max_chars = 60);

// An embedded Python source of sqlmend's own (a standard module or a
// prelude written in Python), named `name` in messages: parsed on first
// use and kept for the life of the process, since the functions it defines
// point into it and outlive every interpreter. Fails with kVerifyFailed
// when it does not parse (a bug: every test would fail).
base::Result<const PythonModule*> EmbeddedModule(const char* source, const std::string& name);

}  // namespace sqlmend::python
