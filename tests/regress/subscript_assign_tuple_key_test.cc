// Bug: `d[1, 2] = v` and `del d[1, 2]` used only the first key (`1`) while
// reading `d[1, 2]` used the tuple `(1, 2)`: assignment and deletion took
// the subscript's "subscript" field, which names only the first of several
// keys (see subscript_several_keys_test.cc). All three now build the key
// the same way.
#include <gtest/gtest.h>

#include "base/leak_check.h"
#include "python/interpreter.h"

namespace sqlmend {
namespace {

TEST(RegressSubscriptAssignTupleKey, AssignAndDeleteUseTheTuple) {
  base::IntentionalLeakScope interpreter_cycles;
  auto module = python::PythonModule::Parse(
      "grid = {}\n"
      "grid[1, 2] = 'a'\n"
      "grid[3, 4] = 'b'\n"
      "del grid[3, 4]\n"
      "result = grid, grid[1, 2]\n",
      "t.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  python::Interpreter interpreter;
  base::Status status = interpreter.Run(*module);
  ASSERT_TRUE(status.ok()) << status.ToString();
  const python::Value* result = interpreter.Global("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(python::Repr(*result), "({(1, 2): 'a'}, 'a')");
}

}  // namespace
}  // namespace sqlmend
