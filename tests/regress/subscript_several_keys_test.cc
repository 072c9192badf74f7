// Bug: a subscript with several keys (`Dict[str, int]`, `Literal["a", "b"]`,
// `grid[1, 2]`) stopped with "unsupported: ,": the interpreter took the keys
// from the children ts_node_field_name_for_child calls "subscript", and that
// names the comma after the first key, not the second key. Annotations in
// project modules use the form all the time. The keys are now the named
// children other than the subscripted value.
#include <gtest/gtest.h>

#include "base/leak_check.h"
#include "python/interpreter.h"

namespace sqlmend {
namespace {

TEST(RegressSubscriptSeveralKeys, CommasAreNotKeys) {
  // The function the script defines and its globals refer to each other; the
  // interpreter leaves such cycles to process exit (base/leak_check.h).
  base::IntentionalLeakScope interpreter_cycles;
  auto module = python::PythonModule::Parse(
      "from typing import Dict, Literal\n"
      "Mode = Literal['a', 'b']\n"
      "def f(x: Dict[str, int]) -> int:\n"
      "    return len(x)\n"
      "grid = {(1, 2): 'cell'}\n"
      "result = f({'a': 1}), grid[1, 2]\n",
      "t.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  python::Interpreter interpreter;
  base::Status status = interpreter.Run(*module);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const python::Value* result = interpreter.Global("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(python::Repr(*result), "(1, 'cell')");
}

}  // namespace
}  // namespace sqlmend
