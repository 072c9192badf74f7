// Generators: functions whose body has `yield`. A call returns a generator
// object without running the body; iterating it (for, list(), next(), a
// comprehension) runs the body once, collecting every yielded value, and
// hands them out in order (see Interpreter::MakeGenerator).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/interpreter.h"

namespace sqlmend::python {

using base::Result;

namespace {

// What next() steps: a generator or the iterator iter() makes of a value.
class IteratorObject : public HostObject {
 public:
  // The next value, or std::nullopt when exhausted.
  virtual Result<std::optional<Value>> Next(CallContext& context) = 0;
};

// iter(value) of a builtin value: its items, handed out one by one.
class ItemIterator : public IteratorObject {
 public:
  explicit ItemIterator(std::vector<Value> items) : items_(std::move(items)) {}
  std::string TypeName() const override { return "iterator"; }
  Result<std::vector<Value>> Iterate(CallContext&) override {
    std::vector<Value> rest(items_.begin() + static_cast<ptrdiff_t>(next_), items_.end());
    next_ = items_.size();
    return rest;
  }
  Result<std::optional<Value>> Next(CallContext&) override {
    if (next_ >= items_.size()) return std::optional<Value>();
    return std::optional<Value>(items_[next_++]);
  }

 private:
  std::vector<Value> items_;
  size_t next_ = 0;
};

class GeneratorValue : public IteratorObject {
 public:
  GeneratorValue(std::shared_ptr<const FunctionObject> function, std::shared_ptr<Scope> locals,
                 Value first_argument)
      : function_(std::move(function)),
        locals_(std::move(locals)),
        first_argument_(std::move(first_argument)) {}
  std::string TypeName() const override { return "generator"; }
  std::string Repr() const override { return "<generator object " + function_->name + ">"; }

  // The values not yet handed out; afterwards the generator is exhausted.
  Result<std::vector<Value>> Iterate(CallContext& context) override {
    SQLMEND_RETURN_IF_ERROR(Run(context));
    std::vector<Value> rest(values_.begin() + static_cast<ptrdiff_t>(next_), values_.end());
    next_ = values_.size();
    return rest;
  }

  // next(generator): one value, or std::nullopt when exhausted.
  Result<std::optional<Value>> Next(CallContext& context) override {
    SQLMEND_RETURN_IF_ERROR(Run(context));
    if (next_ >= values_.size()) return std::optional<Value>();
    return std::optional<Value>(values_[next_++]);
  }

  const FunctionObject& function() const { return *function_; }

  // The function is this generator's own copy (MakeGenerator), so what it
  // holds is traversed as the generator's.
  void Traverse(const Visitor& visit) const override {
    if (function_) {
      for (const Parameter& parameter : function_->parameters) {
        if (parameter.default_value) VisitValue(*parameter.default_value, visit);
      }
      if (function_->closure) visit(function_->closure.get());
      if (function_->globals) visit(function_->globals.get());
      for (const auto& [name, value] : function_->attributes) VisitValue(value, visit);
    }
    if (locals_) visit(locals_.get());
    VisitValue(first_argument_, visit);
    for (const Value& value : values_) VisitValue(value, visit);
  }
  void Clear() override {
    function_.reset();
    locals_.reset();
    first_argument_ = Value();
    values_.clear();
  }

 private:
  base::Status Run(CallContext& context) {
    if (ran_) return base::Status::Ok();
    ran_ = true;
    auto& interpreter = static_cast<Interpreter&>(context);
    auto result = interpreter.RunBody(*function_, locals_, first_argument_, &values_);
    return result ? base::Status::Ok() : result.error();
  }

  std::shared_ptr<const FunctionObject> function_;
  std::shared_ptr<Scope> locals_;
  Value first_argument_;
  bool ran_ = false;
  std::vector<Value> values_;
  size_t next_ = 0;
};

}  // namespace

Node FirstYield(Node node) {
  if (node.IsNull()) return Node();
  for (Node child : node.NamedChildren()) {
    if (child.Is("yield")) return child;
    if (child.Is("function_definition") || child.Is("class_definition") || child.Is("lambda")) {
      continue;
    }
    Node found = FirstYield(child);
    if (!found.IsNull()) return found;
  }
  return Node();
}

Result<Value> Interpreter::MakeGenerator(const FunctionObject& function,
                                         std::shared_ptr<Scope> locals,
                                         const Value& first_argument) {
  return Value::Host(std::make_shared<GeneratorValue>(
      std::make_shared<const FunctionObject>(function), std::move(locals), first_argument));
}

std::optional<std::string> Interpreter::GeneratorWhere(const Value& value) const {
  if (!value.Is(Value::Kind::kHost)) return std::nullopt;
  auto* generator = dynamic_cast<GeneratorValue*>(&value.AsHost());
  if (generator == nullptr || generator->function().module == nullptr) return std::nullopt;
  return generator->function().module->Where(generator->function().first_yield);
}

Result<Value> Interpreter::EvalYield(Node yield) {
  Frame& frame = *frames_.back();
  if (frame.yielded == nullptr) {
    return base::Fail(ErrorAt(yield, "SyntaxError: 'yield' outside function"));
  }
  Node argument = yield.NamedChildCount() > 0 ? yield.NamedChild(0) : Node();
  bool from = false;
  for (uint32_t i = 0; i < yield.ChildCount(); ++i) {
    if (yield.Child(i).Is("from")) from = true;
  }
  if (argument.IsNull()) {
    frame.yielded->push_back(Value());
    return Value();
  }
  auto value = Eval(argument);
  if (!value) return value;
  if (!from) {
    frame.yielded->push_back(std::move(*value));
    return Value();
  }
  current_node_ = yield;
  auto items = Iterate(*value);
  if (!items) return base::Fail(items.error());
  frame.yielded->insert(frame.yielded->end(), items->begin(), items->end());
  return Value();
}

void InstallNext(Scope& builtins) {
  builtins.names["next"] = Value::Builtin("next", [](CallContext& c, Args& a) -> Result<Value> {
    if (a.positional.empty() || a.positional.size() > 2 || !a.keywords.empty()) {
      return base::Fail(c.Throw("TypeError", "next expected 1 or 2 arguments"));
    }
    auto* iterator = a.positional[0].Is(Value::Kind::kHost)
                         ? dynamic_cast<IteratorObject*>(&a.positional[0].AsHost())
                         : nullptr;
    Result<std::optional<Value>> value = std::optional<Value>();
    if (iterator != nullptr) {
      value = iterator->Next(c);
    } else {
      // An object of the script's own with __next__; its StopIteration
      // gives the default when there is one.
      value = c.CallSpecialMethod(a.positional[0], "__next__", {});
      if (!value && a.positional.size() == 2 && c.Catch(value.error(), "StopIteration")) {
        return a.positional[1];
      }
      if (value && !*value) {
        return base::Fail(c.Throw("TypeError", "'" + a.positional[0].TypeName() +
                                                   "' object is not an iterator"));
      }
    }
    if (!value) return base::Fail(value.error());
    if (*value) return std::move(**value);
    if (a.positional.size() == 2) return a.positional[1];
    return base::Fail(c.Throw("StopIteration", ""));
  });
  builtins.names["iter"] = Value::Builtin("iter", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "iter", a, 1, 1));
    const Value& value = a.positional[0];
    if (value.Is(Value::Kind::kHost) && dynamic_cast<IteratorObject*>(&value.AsHost()) != nullptr) {
      return value;  // an iterator is its own iterator
    }
    auto own = c.CallSpecialMethod(value, "__iter__", {});
    if (!own) return base::Fail(own.error());
    if (*own) return std::move(**own);
    auto items = IterateValue(c, value);
    if (!items) return base::Fail(items.error());
    return MakeItemIterator(std::move(*items));
  });
}

Value MakeItemIterator(std::vector<Value> items) {
  return Value::Host(std::make_shared<ItemIterator>(std::move(items)));
}

}  // namespace sqlmend::python
