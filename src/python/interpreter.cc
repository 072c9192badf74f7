// The interpreter's public API, the CallContext it offers builtins, and the
// statements. Names and imports are in interpreter_names.cc, expressions in
// interpreter_expressions.cc, and calls, functions, classes and attributes
// in interpreter_calls.cc.
#include "python/interpreter.h"

#include <utility>

#include "python/base64_module.h"
#include "python/builtins.h"
#include "python/collections_module.h"
#include "python/dataclasses_module.h"
#include "python/datetime_module.h"
#include "python/decimal_module.h"
#include "python/enum_module.h"
#include "python/files_module.h"
#include "python/hashlib_module.h"
#include "python/operators.h"
#include "python/re_module.h"
#include "python/secrets_module.h"
#include "python/source_modules.h"
#include "python/toml_module.h"
#include "python/typing_module.h"
#include "python/uuid_module.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

bool SameStatus(const Status& a, const Status& b) {
  return a.code() == b.code() && a.object() == b.object() && a.message() == b.message();
}

}  // namespace

Interpreter::Interpreter(LogSink log)
    : log_(std::move(log)),
      globals_(MakeScope()),
      builtins_(MakeScope()) {
  InstallBuiltins(*builtins_);
  for (const std::string& name : ExceptionClassNames()) {
    builtins_->names[name] = Value::Class(ExceptionClass(name));
  }
  // Python 3's aliases of OSError.
  builtins_->names["IOError"] = Value::Class(ExceptionClass("OSError"));
  builtins_->names["EnvironmentError"] = Value::Class(ExceptionClass("OSError"));
  InstallInterpreterBuiltins();
  modules_["logging"] = MakeLoggingModule();
  modules_["json"] = MakeJsonModule();
  modules_["typing"] = MakeTypingModule();
  modules_["typing_extensions"] = modules_["typing"];
  // collections is written in Python (source_modules.h) over this.
  modules_["_sqlmend_collections"] = MakeCollectionsModule();
  modules_["datetime"] = MakeDatetimeModule();
  modules_["enum"] = MakeEnumModule();
  modules_["uuid"] = MakeUuidModule();
  modules_["decimal"] = MakeDecimalModule();
  modules_["secrets"] = MakeSecretsModule();
  // hashlib and hmac are written in Python (source_modules.h) over this.
  modules_["_sqlmend_hashlib"] = MakeNativeHashlibModule();
  modules_["secrets"].AsModule().attributes["compare_digest"] =
      modules_["_sqlmend_hashlib"].AsModule().attributes["compare_digest"];
  modules_["re"] = MakeReModule();
  modules_["base64"] = MakeBase64Module();
  modules_["binascii"] = MakeBinasciiModule();
  modules_["pathlib"] = MakePathlibModule();
  modules_["tomllib"] = MakeTomllibModule("tomllib");
  modules_["tomli"] = MakeTomllibModule("tomli");
  modules_["toml"] = MakeTomlModule();
  globals_->names["__name__"] = Value::Str("__main__");
}

Interpreter::~Interpreter() = default;

void Interpreter::AddModule(std::string name, Value module) {
  modules_[std::move(name)] = std::move(module);
}

const Value* Interpreter::Global(std::string_view name) const {
  auto it = globals_->names.find(name);
  return it == globals_->names.end() ? nullptr : &it->second;
}

void Interpreter::SetGlobal(std::string name, Value value) {
  globals_->names[std::move(name)] = std::move(value);
}

Status Interpreter::Run(const PythonModule& module) {
  if (frames_.empty()) steps_ = 0;
  Frame frame;
  frame.locals = globals_;
  frame.is_module = true;
  FramePush push(*this, frame);
  const PythonModule* saved = current_module_;
  current_module_ = &module;
  auto doc = BlockDoc(module, module.Root());
  globals_->names["__doc__"] = doc ? std::move(*doc) : Value::None();
  auto flow = ExecBlock(module.Root());
  current_module_ = saved;
  if (!flow) return flow.error();
  return Status::Ok();
}

Result<Value> Interpreter::RunModule(const PythonModule& module, const std::string& name) {
  auto object = std::make_shared<ModuleObject>();
  object->name = name;
  Value value = Value::Module(object);
  modules_[name] = value;
  auto scope = MakeScope();
  scope->names["__name__"] = Value::Str(name);
  scope->names["__doc__"] = Value::None();  // the body's docstring, once it runs
  // __package__: the package itself for an __init__ (marked before it
  // runs), else the module's parent ("" at the top level), as importlib sets.
  const size_t dot = name.rfind('.');
  scope->names["__package__"] = Value::Str(
      packages_.contains(name) ? name : dot == std::string::npos ? "" : name.substr(0, dot));
  std::shared_ptr<Scope> saved_globals = globals_;
  globals_ = scope;
  running_modules_[object.get()] = scope;
  if (frames_.empty()) steps_ = 0;
  Status status;
  {
    Frame frame;
    frame.locals = globals_;
    frame.is_module = true;
    frame.syntax_base = syntax_depth_;
    FramePush push(*this, frame);
    const PythonModule* saved_module = current_module_;
    Node saved_node = current_node_;
    current_module_ = &module;
    auto doc = BlockDoc(module, module.Root());
    if (doc) scope->names["__doc__"] = std::move(*doc);
    auto flow = ExecBlock(module.Root());
    current_module_ = saved_module;
    current_node_ = saved_node;
    if (!flow) status = flow.error();
  }
  globals_ = saved_globals;
  running_modules_.erase(object.get());
  // The module's attributes are its globals as the run left them; functions
  // it defined keep the scope itself, so later changes stay visible to them.
  for (const auto& [key, item] : scope->names) object->attributes[key] = item;
  if (!status.ok()) {
    modules_.erase(name);
    return base::Fail(status);
  }
  return value;
}

void Interpreter::CompleteOnFirstUse(const Value& module, ModuleCompletion complete) {
  if (!module.Is(Value::Kind::kModule)) return;
  pending_completions_[&module.AsModule()] = std::move(complete);
}

void Interpreter::CompletePending(ModuleObject& module) {
  auto it = pending_completions_.find(&module);
  if (it == pending_completions_.end()) return;
  ModuleCompletion complete = std::move(it->second);
  pending_completions_.erase(it);
  (void)complete(*this, module);
}

Result<std::optional<Value>> Interpreter::FindModule(const std::string& dotted) {
  auto it = modules_.find(dotted);
  if (it != modules_.end()) {
    if (!pending_completions_.empty() && it->second.Is(Value::Kind::kModule)) {
      CompletePending(it->second.AsModule());
    }
    return std::optional<Value>(it->second);
  }
  // Standard modules written in Python run when first imported.
  if (dotted == "dataclasses") {
    auto made = MakeDataclassesModule(*this);
    if (!made) return base::Fail(made.error());
    return std::optional<Value>(std::move(*made));
  }
  if (auto made = MakeSourceModule(*this, dotted)) {
    if (!*made) return base::Fail(made->error());
    return std::optional<Value>(std::move(**made));
  }
  if (!resolver_) return std::optional<Value>();
  auto found = resolver_(*this, dotted);
  if (!found) return base::Fail(found.error());
  if (*found) modules_[dotted] = **found;
  return found;
}

std::string Interpreter::WhereFor(Node node) const {
  if (current_module_ == nullptr) return "<host>";
  if (current_module_->path().starts_with('<') && !script_call_sites_.empty()) {
    const auto& [module, site] = script_call_sites_.back();
    return module->Where(site);
  }
  return current_module_->Where(node);
}

Status Interpreter::ErrorAt(Node node, std::string message) {
  pending_exception_ = Value();
  pending_status_ = Status();
  return Status::Refused(WhereFor(node), std::move(message));
}

Status Interpreter::EnterNesting(Node node, std::string_view what) {
  if (syntax_depth_ - frames_.back()->syntax_base >= kMaxSyntaxDepth) {
    return ErrorAt(node, "unsupported: " + std::string(what) + " nested deeper than " +
                             std::to_string(kMaxSyntaxDepth));
  }
  if (syntax_depth_ >= kMaxEvaluationDepth) {
    return ErrorAt(node, "unsupported: evaluation nested deeper than " +
                             std::to_string(kMaxEvaluationDepth) + " levels across calls");
  }
  ++syntax_depth_;
  return Status::Ok();
}

Status Interpreter::CountStep(Node node) {
  if (++steps_ > kMaxSteps) {
    return ErrorAt(node, "unsupported: more than " + std::to_string(kMaxSteps) +
                             " loop iterations and calls in one run");
  }
  if (steps_ % kMemoryCheckSteps == 0) return CheckMemory();
  return Status::Ok();
}

Status Interpreter::CheckMemory() {
  if (base::ResidentBytes() <= memory_cap_) return Status::Ok();
  return Unsupported("unsupported: the values made take more than " +
                     std::to_string(memory_cap_ >> 20) + " MB of memory");
}

Status Interpreter::ThrowValueAt(Node node, Value exception) {
  std::string message = exception.AsInstance().class_object->name;
  std::string text = ExceptionMessage(exception);
  if (!text.empty()) message += ": " + text;
  pending_exception_ = std::move(exception);
  pending_status_ = Status::Refused(WhereFor(node), message);
  return pending_status_;
}

Status Interpreter::ThrowAt(Node node, std::string_view type_name, std::string message) {
  auto class_object = ExceptionClass(type_name);
  if (class_object == nullptr) class_object = ExceptionClass("Exception");
  return ThrowValueAt(node, MakeException(class_object, std::move(message)));
}

Status Interpreter::Throw(std::string_view type_name, std::string message) {
  return ThrowAt(current_node_, type_name, std::move(message));
}

Status Interpreter::ThrowKeyError(const Value& key) {
  Value exception = MakeException(ExceptionClass("KeyError"), "");
  exception.AsInstance().attributes["args"] = Value::Tuple({key});
  return ThrowValueAt(current_node_, exception);
}

Status Interpreter::ThrowValue(const Value& exception) {
  return ThrowValueAt(current_node_, exception);
}

Status Interpreter::Unsupported(std::string message) {
  return ErrorAt(current_node_, std::move(message));
}

SourceLocation Interpreter::CurrentLocation() const {
  if (current_module_ == nullptr || current_node_.IsNull()) return {};
  return current_module_->Location(current_node_);
}

std::string Interpreter::CurrentWhere() const {
  if (current_module_ == nullptr || current_node_.IsNull()) return "<host>";
  return WhereFor(current_node_);
}

void Interpreter::Log(std::string_view level, std::string_view text) { LogFrom("", level, text); }

void Interpreter::LogFrom(std::string_view logger, std::string_view level, std::string_view text) {
  LogRecord record{std::string(level), std::string(text), std::string(logger)};
  if (capture_ != nullptr) {
    capture_->push_back(std::move(record));
  } else if (log_) {
    log_(record);
  }
}

bool Interpreter::Catch(const Status& status, std::string_view type_name) {
  if (pending_exception_.IsNone() || !SameStatus(status, pending_status_)) return false;
  auto class_object = ExceptionClass(type_name);
  if (class_object == nullptr ||
      !pending_exception_.AsInstance().class_object->IsSubclassOf(*class_object)) {
    return false;
  }
  pending_exception_ = Value();
  pending_status_ = Status();
  return true;
}

std::string Interpreter::NodeText(Node node) const {
  return current_module_ ? std::string(current_module_->Text(node)) : std::string();
}

Result<std::vector<Value>> Interpreter::Iterate(const Value& iterable) {
  return IterateValue(*this, iterable);
}

Result<Interpreter::Flow> Interpreter::ExecBlock(Node block) {
  for (Node statement : block.NamedChildren()) {
    if (statement.Is("comment")) continue;
    auto flow = ExecStatement(statement);
    if (!flow || *flow != Flow::kNormal) return flow;
  }
  return Flow::kNormal;
}

Result<Interpreter::Flow> Interpreter::ExecStatement(Node statement) {
  current_node_ = statement;
  SQLMEND_RETURN_IF_ERROR(EnterNesting(statement, "statements"));
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } guard{syntax_depth_};
  std::string_view type = statement.Type();
  Frame& frame = *frames_.back();
  if (type == "expression_statement") {
    Node first = statement.NamedChild(0);
    if (first.Is("assignment")) {
      SQLMEND_RETURN_IF_ERROR(ExecAssignment(first));
    } else if (first.Is("augmented_assignment")) {
      SQLMEND_RETURN_IF_ERROR(ExecAugmentedAssignment(first));
    } else {
      for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
        auto value = Eval(statement.NamedChild(i));
        if (!value) return base::Fail(value.error());
      }
    }
    return Flow::kNormal;
  }
  if (type == "if_statement") return ExecIf(statement);
  if (type == "for_statement") return ExecFor(statement);
  if (type == "while_statement") return ExecWhile(statement);
  if (type == "with_statement") return ExecWith(statement, 0);
  if (type == "try_statement") return ExecTry(statement);
  if (type == "pass_statement" || type == "future_import_statement") return Flow::kNormal;
  if (type == "break_statement") return Flow::kBreak;
  if (type == "continue_statement") return Flow::kContinue;
  if (type == "return_statement") {
    if (frame.is_module || frame.is_class)
      return base::Fail(ErrorAt(statement, "SyntaxError: 'return' outside function"));
    frame.return_value = Value();
    if (statement.NamedChildCount() > 0) {
      auto value = Eval(statement.NamedChild(0));
      if (!value) return base::Fail(value.error());
      frame.return_value = std::move(*value);
    }
    return Flow::kReturn;
  }
  if (type == "raise_statement") return base::Fail(ExecRaise(statement));
  if (type == "import_statement") {
    SQLMEND_RETURN_IF_ERROR(ExecImport(statement));
    return Flow::kNormal;
  }
  if (type == "import_from_statement") {
    SQLMEND_RETURN_IF_ERROR(ExecImportFrom(statement));
    return Flow::kNormal;
  }
  if (type == "function_definition") {
    SQLMEND_RETURN_IF_ERROR(ExecFunctionDef(statement, {}));
    return Flow::kNormal;
  }
  if (type == "class_definition") {
    SQLMEND_RETURN_IF_ERROR(ExecClassDef(statement, {}));
    return Flow::kNormal;
  }
  if (type == "decorated_definition") {
    std::vector<Value> decorators;
    for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
      Node child = statement.NamedChild(i);
      if (!child.Is("decorator")) continue;
      auto decorator = Eval(child.NamedChild(0));
      if (!decorator) return base::Fail(decorator.error());
      decorators.push_back(std::move(*decorator));
    }
    Node definition = statement.Field("definition");
    if (definition.Is("class_definition")) {
      SQLMEND_RETURN_IF_ERROR(ExecClassDef(definition, decorators));
    } else {
      SQLMEND_RETURN_IF_ERROR(ExecFunctionDef(definition, decorators));
    }
    return Flow::kNormal;
  }
  if (type == "assert_statement") {
    auto condition = Eval(statement.NamedChild(0));
    if (!condition) return base::Fail(condition.error());
    auto truth = Truth(*condition);
    if (!truth) return base::Fail(truth.error());
    if (*truth) return Flow::kNormal;
    std::string message;
    if (statement.NamedChildCount() > 1) {
      auto text = Eval(statement.NamedChild(1));
      if (!text) return base::Fail(text.error());
      message = ToStr(*text);
    }
    return base::Fail(ThrowAt(statement, "AssertionError", message));
  }
  if (type == "global_statement" || type == "nonlocal_statement") {
    for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
      std::string name = NodeText(statement.NamedChild(i));
      (type == "global_statement" ? frame.global_names : frame.nonlocal_names).insert(name);
    }
    return Flow::kNormal;
  }
  if (type == "delete_statement") {
    SQLMEND_RETURN_IF_ERROR(ExecDelete(statement));
    return Flow::kNormal;
  }
  return base::Fail(ErrorAt(statement, "unsupported: " + std::string(type)));
}

Result<Interpreter::Flow> Interpreter::ExecIf(Node statement) {
  auto condition = Eval(statement.Field("condition"));
  if (!condition) return base::Fail(condition.error());
  auto truth = Truth(*condition);
  if (!truth) return base::Fail(truth.error());
  if (*truth) return ExecBlock(statement.Field("consequence"));
  for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
    Node clause = statement.NamedChild(i);
    if (clause.Is("elif_clause")) {
      auto elif_condition = Eval(clause.Field("condition"));
      if (!elif_condition) return base::Fail(elif_condition.error());
      auto elif_truth = Truth(*elif_condition);
      if (!elif_truth) return base::Fail(elif_truth.error());
      if (*elif_truth) return ExecBlock(clause.Field("consequence"));
    } else if (clause.Is("else_clause")) {
      return ExecBlock(clause.Field("body"));
    }
  }
  return Flow::kNormal;
}

Result<Interpreter::Flow> Interpreter::ExecFor(Node statement) {
  if (statement.Child(0).Is("async"))
    return base::Fail(ErrorAt(statement, "unsupported: async for"));
  auto iterable = Eval(statement.Field("right"));
  if (!iterable) return base::Fail(iterable.error());
  current_node_ = statement.Field("right");
  auto items = Iterate(*iterable);
  if (!items) return base::Fail(items.error());
  int64_t count = 0;
  for (Value& item : *items) {
    if (++count > kMaxIterations) {
      return base::Fail(ErrorAt(statement, "unsupported: loop of more than " +
                                               std::to_string(kMaxIterations) + " iterations"));
    }
    SQLMEND_RETURN_IF_ERROR(CountStep(statement));
    SQLMEND_RETURN_IF_ERROR(Assign(statement.Field("left"), std::move(item)));
    auto flow = ExecBlock(statement.Field("body"));
    if (!flow || *flow == Flow::kReturn) return flow;
    if (*flow == Flow::kBreak) return Flow::kNormal;
  }
  return ExecLoopElse(statement);
}

Result<Interpreter::Flow> Interpreter::ExecLoopElse(Node statement) {
  Node alternative = statement.Field("alternative");
  if (!alternative.IsNull()) return ExecBlock(alternative.Field("body"));
  return Flow::kNormal;
}

Result<Interpreter::Flow> Interpreter::ExecWhile(Node statement) {
  int64_t count = 0;
  while (true) {
    auto condition = Eval(statement.Field("condition"));
    if (!condition) return base::Fail(condition.error());
    auto truth = Truth(*condition);
    if (!truth) return base::Fail(truth.error());
    if (!*truth) break;
    if (++count > kMaxIterations) {
      return base::Fail(ErrorAt(statement, "unsupported: loop of more than " +
                                               std::to_string(kMaxIterations) + " iterations"));
    }
    SQLMEND_RETURN_IF_ERROR(CountStep(statement));
    auto flow = ExecBlock(statement.Field("body"));
    if (!flow || *flow == Flow::kReturn) return flow;
    if (*flow == Flow::kBreak) return Flow::kNormal;
  }
  return ExecLoopElse(statement);
}

Result<Interpreter::Flow> Interpreter::ExecWith(Node statement, uint32_t item_index) {
  if (statement.Child(0).Is("async"))
    return base::Fail(ErrorAt(statement, "unsupported: async with"));
  Node clause;
  for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
    if (statement.NamedChild(i).Is("with_clause")) clause = statement.NamedChild(i);
  }
  std::vector<Node> items;
  for (uint32_t i = 0; i < clause.NamedChildCount(); ++i) {
    if (clause.NamedChild(i).Is("with_item")) items.push_back(clause.NamedChild(i));
  }
  if (item_index >= items.size()) return ExecBlock(statement.Field("body"));
  Node value_node = items[item_index].Field("value");
  Node target;
  if (value_node.Is("as_pattern")) {
    target = value_node.Field("alias").NamedChild(0);
    value_node = value_node.NamedChild(0);
  }
  auto manager = Eval(value_node);
  if (!manager) return base::Fail(manager.error());
  auto entered = EnterContext(value_node, *manager);
  if (!entered) return base::Fail(entered.error());
  if (!target.IsNull()) SQLMEND_RETURN_IF_ERROR(Assign(target, *entered));
  auto flow = ExecWith(statement, item_index + 1);
  // __exit__ runs however the body ended; an exception it does not
  // suppress (sqlmend's context managers never do) keeps propagating.
  Value saved_exception = pending_exception_;
  Status saved_status = pending_status_;
  const bool saved_exiting = exiting_with_error_;
  exiting_with_error_ = !flow.has_value();
  Status exited = ExitContext(value_node, *manager);
  exiting_with_error_ = saved_exiting;
  if (!exited.ok()) return base::Fail(exited);
  pending_exception_ = saved_exception;
  pending_status_ = saved_status;
  return flow;
}

Result<Interpreter::Flow> Interpreter::ExecTry(Node statement) {
  ++try_statements_run_;
  auto result = ExecBlock(statement.Field("body"));
  Node else_clause, finally_clause;
  std::vector<Node> handlers;
  for (uint32_t i = 0; i < statement.NamedChildCount(); ++i) {
    Node child = statement.NamedChild(i);
    if (child.Is("except_clause")) handlers.push_back(child);
    if (child.Is("except_group_clause")) return base::Fail(ErrorAt(child, "unsupported: except*"));
    if (child.Is("else_clause")) else_clause = child;
    if (child.Is("finally_clause")) finally_clause = child;
  }
  if (!result && !pending_exception_.IsNone() && SameStatus(result.error(), pending_status_)) {
    Value exception = pending_exception_;
    for (Node handler : handlers) {
      Node type_node = handler.Field("value");
      Node alias = handler.Field("alias");
      if (type_node.Is("as_pattern")) {
        alias = type_node.Field("alias").NamedChild(0);
        type_node = type_node.NamedChild(0);
      }
      bool matches = type_node.IsNull();
      if (!matches) {
        auto type = Eval(type_node);
        if (!type) return base::Fail(type.error());
        std::vector<Value> types =
            type->Is(Kind::kTuple) ? type->Items() : std::vector<Value>{*type};
        for (const Value& t : types) {
          if (!t.Is(Kind::kClass)) {
            return base::Fail(
                ThrowAt(type_node, "TypeError",
                        "catching classes that do not inherit from BaseException is not allowed"));
          }
          matches = matches || exception.AsInstance().class_object->IsSubclassOf(*t.AsClass());
        }
      }
      if (!matches) continue;
      pending_exception_ = Value();
      pending_status_ = Status();
      if (!alias.IsNull()) SQLMEND_RETURN_IF_ERROR(Assign(alias, exception));
      Node block;
      for (uint32_t i = 0; i < handler.NamedChildCount(); ++i) {
        if (handler.NamedChild(i).Is("block")) block = handler.NamedChild(i);
      }
      handling_.push_back(exception);
      result = ExecBlock(block);
      handling_.pop_back();
      break;
    }
  } else if (result && *result == Flow::kNormal && !else_clause.IsNull()) {
    result = ExecBlock(else_clause.Field("body"));
  }
  if (!finally_clause.IsNull()) {
    Value saved_exception = pending_exception_;
    Status saved_status = pending_status_;
    Node block;
    for (uint32_t i = 0; i < finally_clause.NamedChildCount(); ++i) {
      if (finally_clause.NamedChild(i).Is("block")) block = finally_clause.NamedChild(i);
    }
    auto finally_flow = ExecBlock(block);
    if (!finally_flow || *finally_flow != Flow::kNormal) return finally_flow;
    pending_exception_ = saved_exception;
    pending_status_ = saved_status;
  }
  return result;
}

Status Interpreter::ExecRaise(Node statement) {
  if (statement.NamedChildCount() == 0) {
    if (handling_.empty())
      return ThrowAt(statement, "RuntimeError", "No active exception to reraise");
    return ThrowValueAt(statement, handling_.back());
  }
  Node expression = statement.NamedChild(0);
  auto raised = Eval(expression);
  if (!raised) return raised.error();
  Value exception = *raised;
  current_node_ = statement;
  if (exception.Is(Kind::kClass)) {
    Args no_args;
    auto instance = Instantiate(exception.AsClass(), no_args);
    if (!instance) return instance.error();
    exception = *instance;
  }
  if (!exception.Is(Kind::kInstance) ||
      !exception.AsInstance().class_object->IsSubclassOf(*ExceptionClass("BaseException"))) {
    return ThrowAt(statement, "TypeError", "exceptions must derive from BaseException");
  }
  return ThrowValueAt(statement, exception);
}

Status Interpreter::ExecAssignment(Node assignment) {
  std::vector<Node> targets;
  Node node = assignment;
  while (node.Is("assignment")) {
    targets.push_back(node.Field("left"));
    if (Node type = node.Field("type"); !type.IsNull()) RecordAnnotation(node.Field("left"), type);
    Node right = node.Field("right");
    if (right.IsNull()) return Status::Ok();  // `x: int`, an annotation only
    node = right;
  }
  auto value = Eval(node);
  if (!value) return value.error();
  for (Node target : targets) SQLMEND_RETURN_IF_ERROR(Assign(target, *value));
  return Status::Ok();
}

void Interpreter::RecordAnnotation(Node target, Node type) {
  // A class body records `name: T` in __annotations__, in the order
  // written, as Python does; dataclasses and typing.NamedTuple read their
  // fields from it. The annotation is kept as its source text, as under
  // `from __future__ import annotations`, so that a forward reference or a
  // hint from an unloadable module never stops the class.
  Frame& frame = *frames_.back();
  if (!frame.is_class || !target.Is("identifier")) return;
  Value& annotations = frame.locals->names["__annotations__"];
  if (!annotations.Is(Kind::kDict)) annotations = Value::Dict();
  annotations.AsDict().Set(Value::Str(NodeText(target)), Value::Str(NodeText(type)));
}

Status Interpreter::ExecAugmentedAssignment(Node assignment) {
  Node target = assignment.Field("left");
  std::string op = NodeText(assignment.Field("operator"));
  op.pop_back();  // "+=" → "+"
  auto current = Eval(target);
  if (!current) return current.error();
  auto operand = Eval(assignment.Field("right"));
  if (!operand) return operand.error();
  current_node_ = assignment;
  if (const Value& list = BuiltinValueOf(*current); list.Is(Kind::kList) && op == "+") {
    // list += iterable extends in place, so aliases see the change (and a
    // list subclass stays itself).
    auto items = Iterate(*operand);
    if (!items) return items.error();
    list.Items().insert(list.Items().end(), items->begin(), items->end());
    SQLMEND_RETURN_IF_ERROR(CheckSize(*this, list));
    return Assign(target, *current);
  }
  auto result = BinaryOperationAt(assignment, op, *current, *operand);
  if (!result) return result.error();
  return Assign(target, std::move(*result));
}

Status Interpreter::ExecDelete(Node statement) {
  Node list = statement.NamedChild(0);
  std::vector<Node> targets;
  if (list.Is("expression_list")) {
    for (uint32_t i = 0; i < list.NamedChildCount(); ++i) targets.push_back(list.NamedChild(i));
  } else {
    targets.push_back(list);
  }
  for (Node target : targets) {
    current_node_ = target;
    if (target.Is("identifier")) {
      std::string name = NodeText(target);
      if (ScopeForWrite(name).names.erase(name) == 0) {
        return ThrowAt(target, "NameError", "name '" + name + "' is not defined");
      }
    } else if (target.Is("subscript")) {
      auto container = Eval(target.Field("value"));
      if (!container) return container.error();
      auto key = EvalSubscriptKey(target);
      if (!key) return key.error();
      SQLMEND_RETURN_IF_ERROR(DeleteSubscript(target, *container, *key));
    } else if (target.Is("attribute")) {
      auto object = Eval(target.Field("object"));
      if (!object) return object.error();
      std::string name = NodeText(target.Field("attribute"));
      if (!object->Is(Kind::kInstance) || object->AsInstance().attributes.erase(name) == 0) {
        return ThrowAt(target, "AttributeError", name);
      }
    } else {
      return ErrorAt(target, "unsupported: del of " + std::string(target.Type()));
    }
  }
  return Status::Ok();
}

Status Interpreter::Assign(Node target, Value value) {
  std::string_view type = target.Type();
  if (type == "identifier") {
    std::string name = NodeText(target);
    ScopeForWrite(name).names[name] = std::move(value);
    return Status::Ok();
  }
  if (type == "parenthesized_expression") return Assign(target.NamedChild(0), std::move(value));
  if (type == "attribute") {
    auto object = Eval(target.Field("object"));
    if (!object) return object.error();
    current_node_ = target;
    return SetAttr(*object, NodeText(target.Field("attribute")), std::move(value));
  }
  if (type == "subscript") {
    auto container = Eval(target.Field("value"));
    if (!container) return container.error();
    if (target.Field("subscript").Is("slice") && target.NamedChildCount() == 2) {
      return AssignSlice(target, *container, std::move(value));
    }
    auto key = EvalSubscriptKey(target);
    if (!key) return key.error();
    return SetSubscript(target, *container, *key, std::move(value));
  }
  if (type == "pattern_list" || type == "tuple_pattern" || type == "list_pattern" ||
      type == "expression_list" || type == "tuple" || type == "list") {
    std::vector<Node> targets;
    int starred = -1;
    for (uint32_t i = 0; i < target.NamedChildCount(); ++i) {
      Node child = target.NamedChild(i);
      if (child.Is("comment")) continue;
      if (child.Is("list_splat_pattern") || child.Is("list_splat"))
        starred = static_cast<int>(targets.size());
      targets.push_back(child);
    }
    current_node_ = target;
    auto items = Iterate(value);
    if (!items) return items.error();
    size_t fixed = targets.size() - (starred >= 0 ? 1 : 0);
    if (starred < 0 && items->size() > targets.size()) {
      return ThrowAt(target, "ValueError",
                     "too many values to unpack (expected " + std::to_string(targets.size()) + ")");
    }
    if (items->size() < fixed) {
      std::string expected =
          starred >= 0 ? "at least " + std::to_string(fixed) : std::to_string(fixed);
      return ThrowAt(target, "ValueError",
                     "not enough values to unpack (expected " + expected + ", got " +
                         std::to_string(items->size()) + ")");
    }
    size_t item = 0;
    for (size_t t = 0; t < targets.size(); ++t) {
      if (static_cast<int>(t) == starred) {
        size_t take = items->size() - fixed;
        std::vector<Value> rest(items->begin() + static_cast<ptrdiff_t>(item),
                                items->begin() + static_cast<ptrdiff_t>(item + take));
        item += take;
        SQLMEND_RETURN_IF_ERROR(Assign(targets[t].NamedChild(0), Value::List(std::move(rest))));
      } else {
        SQLMEND_RETURN_IF_ERROR(Assign(targets[t], (*items)[item++]));
      }
    }
    return Status::Ok();
  }
  return ErrorAt(target, "unsupported: assignment to " + std::string(type));
}

}  // namespace sqlmend::python
