// An interpreter of the practical subset of Python that Alembic revision
// files, env.py and model modules are written in.
//
// sqlmend runs no Python. Interpreter::Run() evaluates a parsed PythonModule
// (python_parser.h) into its global scope; host code then reads globals
// (Global()) and calls functions such as upgrade() (Call()). Imports resolve
// through a table of host-provided modules (AddModule()); `logging`, `json`
// and `typing` are built in. An import of a module the table lacks is not
// an error until the imported name is used, so env.py's
// `from myapp import models` only fails when something reads `models`.
//
// The subset: assignments of every target form (names, attributes,
// subscripts, unpacking with a starred target, annotated), augmented
// assignment, if/elif/else, for and while with break/continue/else, with
// (host context managers), try/except/else/finally and raise, def (defaults,
// *args, **kwargs, keyword-only parameters), lambda, closures, decorators,
// class (class attributes, methods, __init__, inheritance, exceptions,
// metaclasses and three-argument type(), abc),
// global/nonlocal, del, assert, comprehensions (a generator expression is
// evaluated to a list), conditional expressions, chained comparisons,
// arithmetic on int/float/str/list, %-formatting, str.format(), f-strings
// with the common format specs, subscripts and slices, and the builtins and
// methods listed in builtins.h.
//
// Errors: every failure is a Status whose object is "path:line:col" of the
// construct. A Python exception nobody catches reads as Python prints it
// ("NameError: name 'x' is not defined", "ZeroDivisionError: division by
// zero") and is located where it was raised. A construct outside the subset
// ("unsupported: yield"), an int result beyond 64 bits or a limit reached
// (below) is an error the script cannot catch. Nothing the script does can
// crash sqlmend or run for ever.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/memory.h"
#include "base/status.h"
#include "python/heap.h"
#include "python/parser.h"
#include "python/value.h"

namespace sqlmend::python {

// Safety limits. Each guards the C++ stack or the run time against a script
// that recurses or loops without end.
// Python-level calls in progress: CPython's default recursion limit is 1000,
// but each Python frame costs several C++ frames here; 200 nested calls are
// far beyond any migration script.
inline constexpr int kMaxCallDepth = 200;
// Nesting of expressions and statements evaluated at once (a 300-level
// parenthesised expression); tree-sitter parses deeper input iteratively but
// evaluation recurses.
inline constexpr int kMaxSyntaxDepth = 300;
// Nesting summed over all calls in progress: what bounds the C++ stack when
// a recursive function recurses inside deep expressions. A level costs
// about 2 KB of stack in an optimised build (1500 levels overflowed a 2 MB
// stack) and more under AddressSanitizer; 1000 levels leave room in the
// 8 MB main thread stack, and 200 plain recursive calls (about 4 levels
// each) fit under it. InterpreterTest.DeepNestingIsAnErrorNotACrash checks.
inline constexpr int kMaxEvaluationDepth = 1000;
// Iterations of one loop (for or while), items of one range() or
// comprehension: a million is far more than a migration needs.
inline constexpr int64_t kMaxIterations = 1'000'000;
// Loop iterations, comprehension items and calls summed over one Run() or
// host Call(): nested loops each under kMaxIterations could otherwise run
// for hours. A step costs about a microsecond, so a run stops within
// seconds.
inline constexpr int64_t kMaxSteps = 2'000'000;

// How often a run looks at the process's memory (Interpreter::CheckMemory),
// in steps: a few microseconds per look.
inline constexpr int64_t kMemoryCheckSteps = 4096;

// One print() or logging call: `level` is "print", "debug", "info",
// "warning", "error" or "critical"; `logger` the logger's name (empty for
// print() and sys.stdout/stderr).
struct LogRecord {
  std::string level;
  std::string text;
  std::string logger;
};

// Receives print() output and logging calls.
using LogSink = std::function<void(const LogRecord& record)>;

// The `...` singleton (Ellipsis), a placeholder body in stubs.
Value EllipsisValue();
// The first `yield` of a function body, outside nested functions, classes
// and lambdas; a null Node when the function is not a generator.
Node FirstYield(Node body);
// Adds next() to the builtins (interpreter_generators.cc).
void InstallNext(Scope& builtins);

// An iterator over `items`, as iter() returns for a builtin value: next()
// hands them out one by one; iterating it takes the rest
// (interpreter_generators.cc).
Value MakeItemIterator(std::vector<Value> items);

// Records that `class_object`, whose `bases` are set, derives from the
// builtin type `builtin` ("list", "dict", ...; see
// InstanceObject::builtin_value; "" when no builtin is listed among its
// bases), or returns the error message when Python or sqlmend does not
// allow that base or its bases derive from two different builtin types
// (interpreter_containers.cc).
std::optional<std::string> AdoptBuiltinBase(ClassObject& class_object, std::string_view builtin);

// The NotImplemented singleton a special method returns to let the other
// operand try (interpreter_operators.cc).
Value NotImplementedValue();
// object.__new__(cls): a new instance of `cls` with no attributes set;
// TypeError for a class with abstract methods (interpreter_classes.cc).
Value ObjectNewBuiltin();

// A class attribute through which host code acts as a metaclass (the
// modelled enum.Enum, a declarative base). When a `class` statement's base
// has it, the interpreter calls it with the new class right after the body
// ran, before decorators, and binds what it returns under the class's name.
// Such a class may also list `str` or `int` among its bases
// (`class Color(str, enum.Enum)`): the builtin is dropped, and the class
// gets the attribute "__sqlmend_order__", a tuple of the names the body
// assigned, in order (ClassObject's attributes are sorted by name).
inline constexpr char kClassHookName[] = "__sqlmend_class_hook__";
// The attribute a hook sets on the class itself when what it returned
// stands for the class (an enum class): a classmethod read through the class
// or its instances is bound to that, as `cls`.
inline constexpr char kClassFacadeName[] = "__sqlmend_class_facade__";

class Interpreter : public CallContext {
 public:
  explicit Interpreter(LogSink log = {});
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;
  ~Interpreter() override;

  // Makes `import name` and `from name import x` find `module` (a kModule
  // Value, or any Value: a host object serves as a module too). Dotted names
  // ("sqlalchemy.dialects") are registered whole; `import a.b` binds `a`,
  // which must be registered as well.
  void AddModule(std::string name, Value module);

  // Finds a module the table lacks, for `import` and `from ... import`:
  // returns the module (then cached in the table), std::nullopt when there
  // is no such module (the import binds a placeholder that fails when used),
  // or an error (a syntax error in the module's file) that fails the import.
  using ModuleResolver = std::function<base::Result<std::optional<Value>>(
      Interpreter& interpreter, const std::string& dotted)>;
  void SetModuleResolver(ModuleResolver resolver) { resolver_ = std::move(resolver); }

  // Fills module `module` (registered with AddModule) by `complete` the
  // first time a revision reads one of its attributes or imports from it,
  // instead of now: for modules whose contents cost time to build (a
  // prelude written in Python) and that most runs never touch. A failing
  // `complete` leaves the module as it was (its placeholders stand).
  using ModuleCompletion = std::function<base::Status(Interpreter&, ModuleObject&)>;
  void CompleteOnFirstUse(const Value& module, ModuleCompletion complete);

  // The module registered (or already resolved) as `dotted`, or nullptr.
  // Host code adds attributes to a registered module through it.
  const Value* RegisteredModule(std::string_view dotted) const {
    auto it = modules_.find(dotted);
    return it == modules_.end() ? nullptr : &it->second;
  }
  // Records that module `dotted` is a package (an __init__.py), so the
  // relative imports it runs (`from . import x`) resolve against itself, not
  // its parent, as Python's __package__ does.
  void MarkPackage(std::string dotted) { packages_.insert(std::move(dotted)); }

  // Runs `module` as the module `name` in a global scope of its own (as
  // Python runs an imported file), registers it in the table first (so a
  // circular import sees it half-built, as in Python) and returns it: a
  // kModule Value whose attributes are the module's globals. `module` must
  // outlive the interpreter.
  base::Result<Value> RunModule(const PythonModule& module, const std::string& name);

  // Executes `module` in this interpreter's global scope. `module` must
  // outlive the interpreter: functions defined by it keep pointers into its
  // tree. On failure the globals hold what ran before the failing statement.
  base::Status Run(const PythonModule& module);

  // The global `name`, or nullptr.
  const Value* Global(std::string_view name) const;
  void SetGlobal(std::string name, Value value);

  // Calls `callee` (a function the script defined, a builtin, a class) from
  // host code. Errors are located inside the script.
  base::Result<Value> Call(const Value& callee, Args args) override;

  // CallContext, for builtins and host objects.
  base::Status Throw(std::string_view type_name, std::string message) override;
  base::Status ThrowKeyError(const Value& key) override;
  base::Status ThrowValue(const Value& exception) override;
  base::Status Unsupported(std::string message) override;
  void Log(std::string_view level, std::string_view text) override;
  void LogFrom(std::string_view logger, std::string_view level, std::string_view text) override;
  base::Status CheckMemory() override;
  // The resident memory at which a run stops ("unsupported: ... memory"):
  // checked every kMemoryCheckSteps steps and where a value of 1 MB or more
  // is made. Default base::DefaultMemoryCap().
  void set_memory_cap(size_t bytes) { memory_cap_ = bytes; }
  // While `into` is set, print() and logging output is appended to it
  // instead of going to the sink; nullptr sends it to the sink again.
  void CaptureLog(std::vector<LogRecord>* into) { capture_ = into; }
  // Sends a record to the sink, past any capture.
  void EmitLog(const LogRecord& record) {
    if (log_) log_(record);
  }
  base::Result<Value> GetAttr(const Value& object, std::string_view name) override;
  // A function's __doc__: its body's first statement when that is a plain
  // string literal, else None.
  base::Result<Value> FunctionDoc(const FunctionObject& function);
  // The same for a module's or class's body `block`.
  base::Result<Value> BlockDoc(const PythonModule& module, Node block);
  std::optional<Value> NameInScope(std::string_view name) override;
  base::Status SetAttr(const Value& object, std::string_view name, Value value) override;
  bool Catch(const base::Status& status, std::string_view type_name) override;
  base::Result<std::string> Text(const Value& value, bool repr) override;
  base::Result<bool> Truth(const Value& value) override;
  base::Result<Value> Operate(std::string_view op, const Value& left,
                              const Value& right) override;
  base::Result<std::optional<Value>> CallSpecialMethod(const Value& object,
                                                       std::string_view method,
                                                       std::vector<Value> arguments) override;

  // Where the construct being evaluated starts (the call a host function
  // serves), or {0, 0} outside any module.
  SourceLocation CurrentLocation() const;
  // The same as "file:line:col" ("<host>" outside any module), for warnings.
  std::string CurrentWhere() const;
  // True while a host context manager's Exit() runs because its `with` body
  // failed (an exception or an error): Alembic's batch_alter_table then
  // applies nothing.
  bool ExitingWithError() const { return exiting_with_error_; }
  // How many `try` statements have started running in this interpreter:
  // where none ran, no exception can have been caught (context managers
  // never suppress one), so a body's outcome cannot depend on one.
  int64_t TryStatementsRun() const { return try_statements_run_; }

 private:
  // One execution context: the module body, a function call, a class body
  // or a comprehension.
  struct Frame {
    std::shared_ptr<Scope> locals;
    bool is_module = false;  // locals are the globals
    bool is_class = false;   // a class body: its names are not closed over
    std::set<std::string, std::less<>> global_names;
    std::set<std::string, std::less<>> nonlocal_names;
    Value return_value;
    int syntax_base = 0;  // syntax_depth_ when the frame started
    // A function call's function and first argument, for super().
    const FunctionObject* function = nullptr;
    Value first_argument;
    // A generator's body: where its `yield`s put their values.
    std::vector<Value>* yielded = nullptr;
  };
  // Pushes a frame for the duration of a scope; pops it on destruction.
  class FramePush {
   public:
    FramePush(Interpreter& interpreter, Frame& frame) : interpreter_(interpreter) {
      interpreter_.frames_.push_back(&frame);
    }
    ~FramePush() { interpreter_.frames_.pop_back(); }
    FramePush(const FramePush&) = delete;
    FramePush& operator=(const FramePush&) = delete;

   private:
    Interpreter& interpreter_;
  };
  enum class Flow { kNormal, kBreak, kContinue, kReturn };

  // Statements (interpreter.cc).
  base::Result<Flow> ExecBlock(Node block);
  base::Result<Flow> ExecStatement(Node statement);
  base::Result<Flow> ExecIf(Node statement);
  base::Result<Flow> ExecFor(Node statement);
  base::Result<Flow> ExecWhile(Node statement);
  base::Result<Flow> ExecLoopElse(Node statement);
  base::Result<Flow> ExecWith(Node statement, uint32_t item_index);
  base::Result<Flow> ExecTry(Node statement);
  base::Status ExecRaise(Node statement);
  base::Status ExecImport(Node statement);
  base::Status ExecImportFrom(Node statement);
  // The module a `from` statement names, with a relative name (`.models`,
  // `..`) made absolute against the running module's package
  // (interpreter_names.cc).
  base::Result<std::string> AbsoluteModuleName(Node module_name);
  base::Status ExecFunctionDef(Node definition, const std::vector<Value>& decorators);
  base::Status ExecClassDef(Node definition, const std::vector<Value>& decorators);
  base::Status ExecAssignment(Node assignment);
  base::Status ExecAugmentedAssignment(Node assignment);
  // `target: type` in a class body: adds the annotation to __annotations__.
  void RecordAnnotation(Node target, Node type);
  base::Status ExecDelete(Node statement);
  base::Status Assign(Node target, Value value);

  // Expressions (interpreter_expressions.cc).
  base::Result<Value> Eval(Node expression);
  base::Result<Value> EvalInner(Node expression);
  base::Result<Value> EvalString(Node string);
  base::Result<Value> EvalCall(Node call);
  base::Result<Args> EvalArguments(Node arguments);
  base::Result<Value> EvalComprehension(Node comprehension);
  base::Result<Value> EvalSubscript(Node subscript);
  // The start, stop and step of a slice's key (None where not given).
  base::Result<std::array<std::optional<int64_t>, 3>> EvalSliceParts(Node key_node);
  // `container[a:b] = iterable` on a list (a step other than 1 is refused).
  base::Status AssignSlice(Node target, const Value& container, Value value);
  // The key of `subscript` (a tuple for `a[1, 2]`); not for slices.
  base::Result<Value> EvalSubscriptKey(Node subscript);
  base::Result<Value> EvalComparison(Node comparison);
  base::Result<Value> EvalLambda(Node lambda);
  base::Result<Value> EvalFString(Node string);
  base::Result<Value> EvalNumber(Node literal);
  // `first_iterable`: the first `for`'s iterable, evaluated already in the
  // enclosing scope (EvalComprehension).
  base::Status RunComprehensionClauses(Node comprehension, uint32_t clause_index,
                                       std::vector<Value>& out, Value* dict_out,
                                       const Value* first_iterable = nullptr);
  base::Result<Value> BinaryOperationAt(Node where, std::string_view op, const Value& left,
                                        const Value& right);
  base::Result<std::vector<Value>> EvalSequenceItems(Node container);
  base::Result<Value> LookupName(Node identifier);
  base::Result<std::vector<Parameter>> EvalParameters(Node parameters);
  base::Result<Value> CallFunction(const FunctionObject& function, Args& args);
  base::Result<Value> Instantiate(const std::shared_ptr<ClassObject>& class_object, Args& args);
  // Installs the builtins that need the interpreter: super, type,
  // staticmethod, classmethod, property.
  void InstallInterpreterBuiltins();
  base::Result<Value> MakeSuper(Args& args);
  // `found`, an attribute of `class_object` read through `instance` (or
  // through the class when null): functions become bound methods and the
  // staticmethod/classmethod/property wrappers apply.
  base::Result<Value> BindClassAttribute(const Value& found, const Value* instance,
                                         const std::shared_ptr<ClassObject>& class_object);
  base::Result<Value> Subscript(Node where, const Value& container, const Value& key);
  base::Status SetSubscript(Node where, const Value& container, const Value& key, Value value);
  // `del container[key]`.
  base::Status DeleteSubscript(Node where, const Value& container, const Value& key);
  // instance[key] and instance[key] = value: the class's __getitem__ /
  // __setitem__, else a builtin subclass's value (interpreter_containers.cc).
  base::Result<Value> InstanceSubscript(Node where, const Value& instance, const Value& key);
  base::Status InstanceSetSubscript(Node where, const Value& instance, const Value& key,
                                    Value value);
  // Gives a new instance of a class deriving from a builtin type its
  // builtin value, made from `args` when the type is immutable or the class
  // defines no __init__. True when the builtin's own initialisation took
  // the arguments (no __init__ is to be called); false for any other class.
  base::Result<bool> InitBuiltinValue(const std::shared_ptr<ClassObject>& class_object,
                                      InstanceObject& instance, Args& args);
  base::Result<Value> EnterContext(Node where, const Value& manager);
  base::Status ExitContext(Node where, const Value& manager);
  // The scope a function or comprehension defined in the current frame
  // closes over (null at module level, where names are globals).
  std::shared_ptr<Scope> ClosureScope() const;

  // Class creation as `type` does it (interpreter_classes.cc).
  // Makes the class `type` (its __new__, __init__, __call__), which
  // metaclasses derive from, object.__new__ and the `abc` module.
  void InstallTypeClass();
  // globals(): a live view of the running module's globals
  // (interpreter_names.cc).
  void InstallGlobals();
  Value MakeAbcModule();
  // type.__new__(metaclass, name, bases, namespace, **keywords).
  base::Result<Value> TypeNew(Args& args);
  // type(name, bases, namespace).
  base::Result<Value> TypeCall(Args& args);
  // A class statement's class from its prepared `class_object` (name, bases)
  // and its body's names: made as type makes it, or by calling the metaclass
  // (`metaclass=` or a base's).
  base::Result<Value> MakeClass(Node definition, const std::shared_ptr<ClassObject>& class_object,
                                const Value* explicit_metaclass, const Scope& body,
                                const std::vector<std::pair<std::string, Value>>& keywords);
  // Binds `names` as the class's attributes (functions learn their owner)
  // and adds __name__, __qualname__ and __module__.
  void AdoptClassNamespace(const std::shared_ptr<ClassObject>& class_object,
                           const std::vector<std::pair<std::string, Value>>& names);
  // __set_name__ of the attributes, then a base's __init_subclass__.
  base::Status FinishClass(const std::shared_ptr<ClassObject>& class_object,
                           const std::vector<std::pair<std::string, Value>>& keywords);
  // Calling a class: its metaclass's __call__, or its own __new__ (then
  // __init__); std::nullopt for the plain object.__new__ path, after the
  // check for abstract methods.
  std::optional<base::Result<Value>> ConstructThroughMetaclass(
      const std::shared_ptr<ClassObject>& class_object, Args& args);
  // cls.__class__ and an attribute of `class_value` found on its metaclass;
  // std::nullopt when neither.
  std::optional<base::Result<Value>> MetaclassAttribute(const Value& class_value,
                                                        std::string_view name);

  base::Result<Value> EvalYield(Node yield);
  base::Result<Value> EvalLogical(Node expression, std::string_view type);
  base::Result<Value> EvalOther(Node expression, std::string_view type);

 public:
  // Runs a function's body in `locals` (arguments bound); `yielded`
  // collects a generator's values (interpreter_generators.cc).
  base::Result<Value> RunBody(const FunctionObject& function, std::shared_ptr<Scope> locals,
                              const Value& first_argument, std::vector<Value>* yielded);
  // A generator: the call of a generator function, run when first iterated.
  // Its `yield`s are collected in one run of the body (so a body's other
  // effects happen before the consumer's first step, not between steps);
  // calls it never reaches never run, as in Python.
  base::Result<Value> MakeGenerator(const FunctionObject& function, std::shared_ptr<Scope> locals,
                                    const Value& first_argument);
  // The method `name` of the builtin type `self`'s class derives from,
  // acting on self's builtin value: the type's methods (append, items) and
  // the special methods (__init__, __getitem__, __setitem__, __delitem__,
  // __contains__, __len__, __iter__, __eq__, __repr__), as `super().name`,
  // `list.name` and `self.name` reach them; std::nullopt when `self` is not
  // such an instance or the type has no such method
  // (interpreter_containers.cc).
  std::optional<Value> BuiltinSubclassMethod(const Value& self, std::string_view name);
  // Where a generator value's function yields first ("file:line:col"), or
  // std::nullopt when `value` is not a generator.
  std::optional<std::string> GeneratorWhere(const Value& value) const;

 private:
  // The operator protocol (interpreter_operators.cc).
  base::Result<Value> UnaryOperate(std::string_view op, const Value& operand);
  base::Result<bool> ContainsItem(const Value& container, const Value& item);

  // Helpers shared by both files.
  base::Status ErrorAt(Node node, std::string message);
  // Enters one level of statement or expression nesting; fails at the caps.
  base::Status EnterNesting(Node node, std::string_view what);
  // Counts one step (see kMaxSteps); fails when the budget is spent.
  base::Status CountStep(Node node);
  base::Status ThrowAt(Node node, std::string_view type_name, std::string message);
  base::Status ThrowValueAt(Node node, Value exception);
  std::string NodeText(Node node) const;
  Scope& ScopeForWrite(std::string_view name);
  base::Result<std::vector<Value>> Iterate(const Value& iterable);

  // The module `dotted` from the table or the resolver; nullopt when none.
  base::Result<std::optional<Value>> FindModule(const std::string& dotted);

  // First, so that it is made before and goes after every other member:
  // what the run made is recorded in it, and freed when it goes.
  Heap heap_;
  LogSink log_;
  std::vector<LogRecord>* capture_ = nullptr;
  std::map<std::string, Value, std::less<>> modules_;
  std::map<const ModuleObject*, ModuleCompletion> pending_completions_;
  void CompletePending(ModuleObject& module);
  ModuleResolver resolver_;
  std::set<std::string, std::less<>> packages_;  // see MarkPackage()
  // The globals of each module whose body is running (RunModule), by module
  // object: Python's module.__dict__ is its globals, so a cyclic import sees
  // the names a half-run module has defined so far.
  std::map<const ModuleObject*, std::shared_ptr<Scope>> running_modules_;
  std::shared_ptr<Scope> globals_;
  std::shared_ptr<Scope> builtins_;
  std::vector<Frame*> frames_;  // the innermost last
  int syntax_depth_ = 0;
  int64_t steps_ = 0;  // since the outermost Run() or Call() began
  size_t memory_cap_ = base::DefaultMemoryCap();
  // The node being evaluated, for locating errors raised by builtins.
  const PythonModule* current_module_ = nullptr;
  // Where the script called into sqlmend's own Python (a standard module or
  // a library model written in Python, whose path is "<...>"), innermost
  // last: errors and warnings raised inside that Python are located there.
  std::vector<std::pair<const PythonModule*, Node>> script_call_sites_;
  // The location for `node` of the current module, or the script's call site
  // when the current module is sqlmend's own Python.
  std::string WhereFor(Node node) const;
  Node current_node_;
  // The Python exception in flight: set by Throw*(), matched by `except`.
  // `pending_status_` is the Status that carries it, so an unrelated error
  // (an unsupported construct) is never mistaken for it.
  Value pending_exception_;
  base::Status pending_status_;
  // The exceptions being handled by `except` blocks, for a bare `raise`.
  std::vector<Value> handling_;
  bool exiting_with_error_ = false;  // see ExitingWithError()
  int64_t try_statements_run_ = 0;   // see TryStatementsRun()
  std::shared_ptr<ClassObject> type_class_;  // see InstallTypeClass()
  bool skip_metaclass_call_ = false;  // type.__call__: the next Instantiate() skips it
};

}  // namespace sqlmend::python
