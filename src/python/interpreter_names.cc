// Names: scopes, lookups (local, enclosing, global, builtin) and imports.
#include <memory>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/interpreter.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

// Bound by an import the module table cannot satisfy. Python fails at the
// import; sqlmend fails only when the name is used, so env.py's
// `from myapp import models` costs nothing unless models is read.
class MissingModule : public HostObject {
 public:
  MissingModule(std::string module, std::string where)
      : module_(std::move(module)), where_(std::move(where)) {}
  std::string TypeName() const override { return "module"; }
  const std::string& module() const { return module_; }
  const std::string& where() const { return where_; }

 private:
  std::string module_;
  std::string where_;
};

// What globals() returns (and locals() at module level or in a class body):
// the scope's names, live, as Python's module dict is (a name bound later
// shows; update() and setdefault() bind).
// NOTE: `globals()[name] = value` raises TypeError: item assignment on it is
// not modelled.
class GlobalsView : public HostObject {
 public:
  explicit GlobalsView(std::shared_ptr<Scope> scope) : scope_(std::move(scope)) {}
  void Traverse(const Visitor& visit) const override {
    if (scope_) visit(scope_.get());
  }
  void Clear() override { scope_.reset(); }
  std::string TypeName() const override { return "dict"; }
  std::string Repr() const override { return python::Repr(Snapshot()); }
  Result<Value> GetItem(CallContext& context, const Value& key) override {
    if (key.Is(Kind::kStr)) {
      auto it = scope_->names.find(key.AsStr());
      if (it != scope_->names.end()) return it->second;
    }
    return base::Fail(context.ThrowKeyError(key));
  }
  Result<std::vector<Value>> Iterate(CallContext&) override {
    std::vector<Value> keys;
    for (const auto& entry : scope_->names) keys.push_back(Value::Str(entry.first));
    return keys;
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "update" || name == "setdefault") {
      std::shared_ptr<Scope> scope = scope_;
      std::string method(name);
      return Value::Builtin("dict." + method, [scope, method](CallContext& c,
                                                              Args& a) -> Result<Value> {
        if (method == "setdefault") {
          SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "setdefault", a, 1, 2));
          if (!a.positional[0].Is(Kind::kStr)) {
            return base::Fail(c.Unsupported("unsupported: a global named by a non-str key"));
          }
          Value fallback = a.positional.size() > 1 ? a.positional[1] : Value();
          return scope->names.try_emplace(a.positional[0].AsStr(), fallback).first->second;
        }
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "update", a, 0, 1, {"*"}));
        std::vector<std::pair<Value, Value>> entries;
        if (!a.positional.empty()) {
          if (!a.positional[0].Is(Kind::kDict)) {
            return base::Fail(c.Unsupported("unsupported: globals().update() from a " +
                                            a.positional[0].TypeName()));
          }
          entries = a.positional[0].AsDict().entries;
        }
        for (auto& [key, value] : a.keywords) entries.emplace_back(Value::Str(key), value);
        for (auto& [key, value] : entries) {
          if (!key.Is(Kind::kStr)) {
            return base::Fail(c.Unsupported("unsupported: a global named by a non-str key"));
          }
          scope->names[key.AsStr()] = value;
        }
        return Value::None();
      });
    }
    // The reading methods: those of a snapshot.
    return BuiltinMethod(Snapshot(), name);
  }

 private:
  Value Snapshot() const {
    Value dict = Value::Dict();
    for (const auto& [name, value] : scope_->names) dict.AsDict().Set(Value::Str(name), value);
    return dict;
  }
  std::shared_ptr<Scope> scope_;
};

}  // namespace

void Interpreter::InstallGlobals() {
  builtins_->names["globals"] =
      Value::Builtin("globals", [this](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "globals", a, 0, 0));
        return Value::Host(std::make_shared<GlobalsView>(globals_));
      });
  // locals(): at module level the globals, in a class body its namespace
  // (both live, as in Python); in a function a snapshot dict of its locals,
  // which writes do not reach (Python 3.11's semantics).
  builtins_->names["locals"] =
      Value::Builtin("locals", [this](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "locals", a, 0, 0));
        const Frame& frame = *frames_.back();
        if (frame.is_module || frame.is_class) {
          return Value::Host(std::make_shared<GlobalsView>(frame.locals));
        }
        Value snapshot = Value::Dict();
        for (const auto& [name, value] : frame.locals->names) {
          snapshot.AsDict().Set(Value::Str(name), value);
        }
        return snapshot;
      });
}

Scope& Interpreter::ScopeForWrite(std::string_view name) {
  Frame& frame = *frames_.back();
  if (frame.global_names.contains(name)) return *globals_;
  if (frame.nonlocal_names.contains(name)) {
    for (Scope* scope = frame.locals->enclosing.get(); scope != nullptr;
         scope = scope->enclosing.get()) {
      if (scope->names.contains(name)) return *scope;
    }
  }
  return *frame.locals;
}

std::shared_ptr<Scope> Interpreter::ClosureScope() const {
  const Frame& frame = *frames_.back();
  if (frame.is_module) return nullptr;
  if (frame.is_class) return frame.locals->enclosing;
  return frame.locals;
}

std::optional<Value> Interpreter::NameInScope(std::string_view name) {
  if (!frames_.empty()) {
    for (const Scope* scope = frames_.back()->locals.get(); scope != nullptr;
         scope = scope->enclosing.get()) {
      auto it = scope->names.find(name);
      if (it != scope->names.end()) return it->second;
    }
  }
  for (const Scope* scope : {globals_.get(), builtins_.get()}) {
    if (scope == nullptr) continue;
    auto it = scope->names.find(name);
    if (it != scope->names.end()) return it->second;
  }
  return std::nullopt;
}

Result<Value> Interpreter::LookupName(Node identifier) {
  std::string name = NodeText(identifier);
  const Frame& frame = *frames_.back();
  const Value* found = nullptr;
  if (!frame.global_names.contains(name)) {
    for (const Scope* scope = frame.locals.get(); scope != nullptr && found == nullptr;
         scope = scope->enclosing.get()) {
      auto it = scope->names.find(name);
      if (it != scope->names.end()) found = &it->second;
    }
  }
  for (const Scope* scope : {globals_.get(), builtins_.get()}) {
    if (found != nullptr) break;
    auto it = scope->names.find(name);
    if (it != scope->names.end()) found = &it->second;
  }
  if (found == nullptr && name == "__file__" && current_module_ != nullptr) {
    // Python sets __file__ in every module run from a file; env.py reads it
    // to put its project on sys.path (os.path.dirname(__file__)).
    return Value::Str(current_module_->path());
  }
  if (found == nullptr)
    return base::Fail(ThrowAt(identifier, "NameError", "name '" + name + "' is not defined"));
  if (found->Is(Kind::kHost)) {
    if (auto* missing = dynamic_cast<MissingModule*>(&found->AsHost())) {
      if (!resolver_) {
        return base::Fail(ErrorAt(identifier, "ModuleNotFoundError: No module named '" +
                                                  missing->module() + "' (imported at " +
                                                  missing->where() + ")"));
      }
      // A project's interpreter (with a resolver) says what it can import.
      return base::Fail(
          ErrorAt(identifier, "module '" + missing->module() + "' is not available (imported at " +
                                  missing->where() +
                                  "): only sqlalchemy, alembic, the standard library modules "
                                  "sqlmend models, and the project's own modules can be imported"));
    }
  }
  return *found;
}

Result<std::string> Interpreter::AbsoluteModuleName(Node module_name) {
  if (!module_name.Is("relative_import")) return NodeText(module_name);
  // `from ..a import b` in module p.q.r (not a package) means p.a: one dot
  // is the importing module's package, each further dot its parent.
  size_t level = 0;
  std::string rest;
  for (uint32_t i = 0; i < module_name.NamedChildCount(); ++i) {
    Node part = module_name.NamedChild(i);
    if (part.Is("import_prefix")) {
      level = NodeText(part).size();
    } else if (part.Is("dotted_name")) {
      rest = NodeText(part);
    }
  }
  std::string package;
  if (auto it = globals_->names.find("__name__");
      it != globals_->names.end() && it->second.Is(Kind::kStr)) {
    package = it->second.AsStr();
  }
  if (package == "__main__" || !packages_.contains(package)) {
    size_t dot = package.rfind('.');
    package = dot == std::string::npos || package == "__main__" ? "" : package.substr(0, dot);
  }
  if (package.empty()) {
    return base::Fail(ThrowAt(module_name, "ImportError",
                              "attempted relative import with no known parent package"));
  }
  for (size_t i = 1; i < level; ++i) {
    size_t dot = package.rfind('.');
    if (dot == std::string::npos) {
      return base::Fail(ThrowAt(module_name, "ImportError",
                                "attempted relative import beyond top-level package"));
    }
    package.resize(dot);
  }
  return rest.empty() ? package : package + "." + rest;
}

Status Interpreter::ExecImport(Node statement) {
  for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
    Node item = statement.NamedChild(i);
    std::string dotted, bound;
    if (item.Is("aliased_import")) {
      dotted = NodeText(item.Field("name"));
      bound = NodeText(item.Field("alias"));
    } else {
      dotted = NodeText(item);
      bound = dotted.substr(0, dotted.find('.'));
    }
    // `import a.b` binds `a` (after importing a, then a.b); `import a.b as c`
    // binds the module a.b.
    current_node_ = item;
    auto whole = FindModule(dotted);
    if (!whole) return whole.error();
    std::optional<Value> top = *whole;
    if (!item.Is("aliased_import") && bound != dotted) {
      auto first = FindModule(bound);
      if (!first) return first.error();
      top = *first;
    }
    if (!*whole || !top) {
      ScopeForWrite(bound).names[bound] =
          Value::Host(std::make_shared<MissingModule>(dotted, current_module_->Where(item)));
    } else {
      ScopeForWrite(bound).names[bound] = *top;
    }
  }
  return Status::Ok();
}

Status Interpreter::ExecImportFrom(Node statement) {
  Node module_name = statement.Field("module_name");
  current_node_ = module_name;
  auto absolute = AbsoluteModuleName(module_name);
  if (!absolute) return absolute.error();
  std::string dotted = std::move(*absolute);
  auto found_module = FindModule(dotted);
  if (!found_module) return found_module.error();
  const std::optional<Value>& module = *found_module;
  for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
    Node item = statement.NamedChild(i);
    if (ts_node_eq(item.raw(), module_name.raw())) continue;
    if (item.Is("wildcard_import")) {
      if (!module) return ErrorAt(item, "ModuleNotFoundError: No module named '" + dotted + "'");
      if (module->Is(Kind::kModule)) {
        for (const auto& [name, value] : module->AsModule().attributes) {
          if (!name.starts_with("_")) ScopeForWrite(name).names[name] = value;
        }
      }
      continue;
    }
    if (!item.Is("dotted_name") && !item.Is("aliased_import")) continue;
    std::string name = NodeText(item.Is("aliased_import") ? item.Field("name") : item);
    std::string bound = item.Is("aliased_import") ? NodeText(item.Field("alias")) : name;
    if (!module) {
      ScopeForWrite(bound).names[bound] =
          Value::Host(std::make_shared<MissingModule>(dotted, current_module_->Where(item)));
      continue;
    }
    current_node_ = item;
    auto value = GetAttr(*module, name);
    if (!value && Catch(value.error(), "AttributeError")) {
      // `from package import submodule`.
      auto submodule = FindModule(dotted + "." + name);
      if (!submodule) return submodule.error();
      if (*submodule) {
        ScopeForWrite(bound).names[bound] = **submodule;
        continue;
      }
      return ThrowAt(item, "ImportError",
                     "cannot import name '" + name + "' from '" + dotted + "'");
    }
    if (!value) {
      if (!Catch(value.error(), "AttributeError")) return value.error();
      return ThrowAt(item, "ImportError",
                     "cannot import name '" + name + "' from '" + dotted + "'");
    }
    ScopeForWrite(bound).names[bound] = std::move(*value);
  }
  return Status::Ok();
}

}  // namespace sqlmend::python
