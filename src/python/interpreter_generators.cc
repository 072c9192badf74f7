// Generators: functions whose body has `yield`. A call returns a generator
// object without running the body; iterating it (for, list(), next(), a
// comprehension) runs the body once, collecting every yielded value, and
// hands them out in order (see Interpreter::MakeGenerator).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "python/interpreter.h"

namespace sqlmend::python {

using base::Result;

namespace {

class GeneratorValue : public HostObject {
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
  Result<std::optional<Value>> Next(CallContext& context) {
    SQLMEND_RETURN_IF_ERROR(Run(context));
    if (next_ >= values_.size()) return std::optional<Value>();
    return std::optional<Value>(values_[next_++]);
  }

  const FunctionObject& function() const { return *function_; }

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
    auto* generator = a.positional[0].Is(Value::Kind::kHost)
                          ? dynamic_cast<GeneratorValue*>(&a.positional[0].AsHost())
                          : nullptr;
    if (generator == nullptr) {
      return base::Fail(c.Throw("TypeError", "'" + a.positional[0].TypeName() +
                                                 "' object is not an iterator"));
    }
    auto value = generator->Next(c);
    if (!value) return base::Fail(value.error());
    if (*value) return std::move(**value);
    if (a.positional.size() == 2) return a.positional[1];
    return base::Fail(c.Throw("StopIteration", ""));
  });
}

}  // namespace sqlmend::python
