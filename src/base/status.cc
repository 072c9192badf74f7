#include "base/status.h"

namespace sqlmend::base {

Status Status::WithObject(std::string_view object) const {
  Status copy = *this;
  if (copy.object_.empty()) copy.object_ = std::string(object);
  return copy;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (object_.empty()) return message_;
  return object_ + ": " + message_;
}

int ExitCode(Code code) {
  switch (code) {
    case Code::kOk: return 0;
    case Code::kDamage: return 1;
    case Code::kUsage: return 2;
    case Code::kRefused: return 3;
    case Code::kUnusableInput: return 4;
    case Code::kEnvironment: return 5;
    case Code::kVerifyFailed: return 6;
    case Code::kInterrupted: return 130;
  }
  return 6;
}

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kDamage: return "damage";
    case Code::kUsage: return "usage";
    case Code::kRefused: return "refused";
    case Code::kUnusableInput: return "unusable";
    case Code::kEnvironment: return "environment";
    case Code::kVerifyFailed: return "verify-failed";
    case Code::kInterrupted: return "interrupted";
  }
  return "internal";
}

Code MoreSerious(Code a, Code b) {
  // Interrupted outranks everything; otherwise the larger exit code wins.
  if (a == Code::kInterrupted || b == Code::kInterrupted) return Code::kInterrupted;
  return ExitCode(a) >= ExitCode(b) ? a : b;
}

}  // namespace sqlmend::base
