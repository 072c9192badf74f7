// Small string helpers every module needs and none should write again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sqlmend::base {

// `items` with `separator` between them: Join({"a", "b"}) is "a, b".
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// The pieces of `text` between each `separator`, empty ones included:
// Split("a,,b", ',') is {"a", "", "b"}; Split("", ',') is {""}.
std::vector<std::string> Split(std::string_view text, char separator);

}  // namespace sqlmend::base
