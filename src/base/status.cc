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
    case Code::kBuildFailed: return 6;
    case Code::kVerifyFailed: return 6;
    case Code::kInterrupted: return 130;
  }
  return 6;
}

std::string_view ExitCodeMeaning(Code code) {
  switch (code) {
    case Code::kOk: return "done: repaired, stamped, or healthy with nothing to do";
    case Code::kDamage: return "damage found (check-fk, fix-fk --dry-run)";
    case Code::kUsage:
      return "usage error (bad flag, malformed --map, a --map that matches nothing)";
    case Code::kRefused:
      return "refused: a name cannot be resolved, a target is not a table, a repaired key would "
             "not match its parent";
    case Code::kUnusableInput:
      return "unusable input: not a database, empty, truncated or corrupt (quick_check)";
    case Code::kEnvironment:
      return "environment: locked by another process, read-only folder or file, disk full, I/O "
             "error";
    case Code::kBuildFailed:
      return "the repaired copy could not be built (SQLite refused to create or fill it; the "
             "original is untouched)";
    case Code::kVerifyFailed:
      return "the repaired copy failed verification (a bug: the original is untouched; please "
             "report it)";
    case Code::kInterrupted: return "interrupted (Ctrl-C); the original is untouched";
  }
  return "";
}

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kDamage: return "damage";
    case Code::kUsage: return "usage";
    case Code::kRefused: return "refused";
    case Code::kUnusableInput: return "unusable";
    case Code::kEnvironment: return "environment";
    case Code::kBuildFailed: return "build-failed";
    case Code::kVerifyFailed: return "verify-failed";
    case Code::kInterrupted: return "interrupted";
  }
  return "internal";
}

Code MoreSerious(Code a, Code b) {
  // Interrupted outranks everything; otherwise the larger exit code wins
  // (and a failed verification outranks a failed build, which shares 6).
  if (a == Code::kInterrupted || b == Code::kInterrupted) return Code::kInterrupted;
  if (ExitCode(a) == ExitCode(b)) return a == Code::kVerifyFailed ? a : b;
  return ExitCode(a) >= ExitCode(b) ? a : b;
}

}  // namespace sqlmend::base
