// Heap: what a run made is freed when its interpreter goes, reference
// cycles included; what is still held outside stays whole.
#include "python/heap.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "python/interpreter.h"

namespace sqlmend::python {
namespace {

// Runs `source` in a fresh interpreter and returns weak references to the
// objects of the globals named in `names`, taken before the interpreter
// goes.
std::vector<std::weak_ptr<void>> ObjectsAfterRun(const std::string& source,
                                                 const std::vector<std::string>& names) {
  auto module = PythonModule::Parse(source, "cycles.py");
  EXPECT_TRUE(module.has_value());
  std::vector<std::weak_ptr<void>> objects;
  {
    Interpreter interpreter;
    base::Status status = interpreter.Run(*module);
    EXPECT_TRUE(status.ok()) << status.ToString();
    for (const std::string& name : names) {
      const Value* value = interpreter.Global(name);
      EXPECT_NE(value, nullptr) << name;
      if (value != nullptr) objects.push_back(value->object());
    }
  }
  return objects;
}

TEST(HeapTest, CyclesAreFreedWithTheirInterpreter) {
  const std::string source = R"py(
def recursive(n):
    return 0 if n == 0 else recursive(n - 1)

def outer():
    def inner():
        return inner
    return inner

class Node:
    def __init__(self):
        self.me = self
        self.children = [self]
        self.handler = self.describe
    def describe(self):
        return 'node'

class Colour:
    pass

Colour.RED = Colour()
Colour.GREEN = Colour()

looped = []
looped.append(looped)
table = {}
table['self'] = table
node = Node()
closure = outer()
colour = Colour.RED
)py";
  auto objects = ObjectsAfterRun(
      source, {"recursive", "closure", "Node", "node", "Colour", "colour", "looped", "table"});
  ASSERT_EQ(objects.size(), 8u);
  const char* names[] = {"recursive", "closure", "Node",   "node",
                         "Colour",    "colour",  "looped", "table"};
  for (size_t i = 0; i < objects.size(); ++i) {
    EXPECT_TRUE(objects[i].expired()) << names[i] << " outlived its interpreter";
  }
}

TEST(HeapTest, WhatIsHeldOutsideStaysWhole) {
  auto module = PythonModule::Parse("looped = [1, 2]\nlooped.append(looped)\n", "held.py");
  ASSERT_TRUE(module.has_value());
  Value kept;
  {
    Interpreter interpreter;
    ASSERT_TRUE(interpreter.Run(*module).ok());
    kept = *interpreter.Global("looped");
  }
  ASSERT_TRUE(kept.Is(Value::Kind::kList));
  ASSERT_EQ(kept.Items().size(), 3u);
  EXPECT_EQ(kept.Items()[0].AsInt(), 1);
  EXPECT_EQ(kept.Items()[2].object(), kept.object());
  kept.Items().clear();  // the test's own cycle, broken by hand
}

TEST(HeapTest, ProcessWideClassesSurviveEveryInterpreter) {
  // The decimal signals are made once per process, by whichever run first
  // imports decimal; a later interpreter still catches them by class.
  const std::string source = R"py(
import decimal
try:
    decimal.Decimal('x')
    result = 'no error'
except decimal.InvalidOperation as error:
    result = type(error).__name__ + ' ' + str(issubclass(decimal.DivisionByZero, ZeroDivisionError))
)py";
  for (int run = 0; run < 2; ++run) {
    auto module = PythonModule::Parse(source, "signals.py");
    ASSERT_TRUE(module.has_value());
    Interpreter interpreter;
    ASSERT_TRUE(interpreter.Run(*module).ok());
    EXPECT_EQ(Repr(*interpreter.Global("result")), "'InvalidOperation True'") << "run " << run;
  }
}

TEST(HeapTest, WhatOutlivesAHeapPassesToTheOneBelow) {
  Heap outer;
  Value held;
  {
    Heap inner;
    held = Value::List({});
    held.Items().push_back(held);
  }
  std::weak_ptr<void> list = held.object();
  EXPECT_EQ(held.Items().size(), 1u);  // held outside: left whole
  held = Value();
  EXPECT_FALSE(list.expired());
  EXPECT_EQ(outer.Collect(), 1u);  // the outer heap now has it
  EXPECT_TRUE(list.expired());
}

TEST(HeapTest, NestedHeapsRecordWithTheNewest) {
  std::weak_ptr<void> inner_list;
  Heap outer;
  {
    Heap inner;
    Value looped = Value::List({});
    looped.Items().push_back(looped);
    inner_list = looped.object();
  }
  EXPECT_TRUE(inner_list.expired());
  Value looped = Value::List({});
  looped.Items().push_back(looped);
  std::weak_ptr<void> outer_list = looped.object();
  looped = Value();
  EXPECT_FALSE(outer_list.expired());  // a cycle: only the outer heap frees it
  EXPECT_EQ(outer.Collect(), 1u);
  EXPECT_TRUE(outer_list.expired());
}

}  // namespace
}  // namespace sqlmend::python
