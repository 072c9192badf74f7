// Status and Result<T>: how every sqlmend module reports failure.
//
// A Status is either OK or carries a Code, the object that failed (a file,
// a table, a revision) and what is wrong with it, in the two-part style of
// leveldb's Status. Code maps one-to-one onto the exit-code table that the
// README documents (see exit_code.h), so the CLI never has to guess how
// serious an error is. No exception crosses a module boundary: functions that
// can fail return Status or Result<T> (tl::expected<T, Status>).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace sqlmend::base {

// Kinds of outcome, ordered by seriousness for aggregation (a fleet run exits
// with the most serious outcome any file had; see MoreSerious()).
enum class Code {
  kOk = 0,
  kDamage,          // damage found and reported (check-fk, --dry-run)
  kUsage,           // the command line is wrong
  kRefused,         // a name cannot be resolved, a target is not a table
  kUnusableInput,   // not a database, empty, truncated, corrupt
  kEnvironment,     // locked, read-only, disk full, I/O error
  kBuildFailed,     // the repaired copy could not be built (SQLite refused
                    // to create or fill it); shares exit code 6
  kVerifyFailed,    // the repaired copy failed verification (a bug)
  kInterrupted,     // stopped by a signal before finishing
};

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string object, std::string message)
      : code_(code), object_(std::move(object)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Damage(std::string object, std::string message) {
    return {Code::kDamage, std::move(object), std::move(message)};
  }
  static Status Usage(std::string object, std::string message) {
    return {Code::kUsage, std::move(object), std::move(message)};
  }
  static Status Refused(std::string object, std::string message) {
    return {Code::kRefused, std::move(object), std::move(message)};
  }
  static Status Unusable(std::string object, std::string message) {
    return {Code::kUnusableInput, std::move(object), std::move(message)};
  }
  static Status Environment(std::string object, std::string message) {
    return {Code::kEnvironment, std::move(object), std::move(message)};
  }
  static Status BuildFailed(std::string object, std::string message) {
    return {Code::kBuildFailed, std::move(object), std::move(message)};
  }
  static Status VerifyFailed(std::string object, std::string message) {
    return {Code::kVerifyFailed, std::move(object), std::move(message)};
  }
  static Status Interrupted(std::string object, std::string message) {
    return {Code::kInterrupted, std::move(object), std::move(message)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& object() const { return object_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose object is `object` when this one names none, so a
  // low layer can fail without knowing the file name and a caller adds it.
  Status WithObject(std::string_view object) const;

  // "object: message", or "message" when there is no object, or "OK".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string object_;
  std::string message_;
};

template <typename T>
using Result = tl::expected<T, Status>;

// Shorthand for returning a failed Result<T>.
inline tl::unexpected<Status> Fail(Status status) {
  return tl::unexpected<Status>(std::move(status));
}

// The process exit code of a Code; the single table the README documents.
// kBuildFailed and kVerifyFailed share 6: either way no repaired copy was
// swapped in and the original is untouched.
int ExitCode(Code code);
// What an exit code means, in the words of the README's table and of
// sqlmend(1)'s EXIT STATUS, which is generated from it.
std::string_view ExitCodeMeaning(Code code);
// Every Code, in exit-code order.
inline constexpr Code kAllCodes[] = {Code::kOk,           Code::kDamage,        Code::kUsage,
                                     Code::kRefused,      Code::kUnusableInput, Code::kEnvironment,
                                     Code::kBuildFailed,  Code::kVerifyFailed, Code::kInterrupted};
// The short name of a Code used in JSON output ("refused", "environment", ...).
std::string_view CodeName(Code code);
// The more serious of two codes, by exit-code order, for aggregating a run.
Code MoreSerious(Code a, Code b);

namespace internal {
// Converts to Status or to any Result<T>, so one macro serves both kinds of
// function.
struct ErrorReturn {
  Status status;
  operator Status() const { return status; }  // NOLINT: implicit by design
  template <typename T>
  operator tl::expected<T, Status>() const {  // NOLINT
    return tl::unexpected<Status>(status);
  }
};
}  // namespace internal

}  // namespace sqlmend::base

// Propagates a failed Status to the caller, whether the caller returns a
// Status or a Result<T>.
#define SQLMEND_RETURN_IF_ERROR(expr)                                   \
  do {                                                                  \
    ::sqlmend::base::Status _st = (expr);                               \
    if (!_st.ok()) return ::sqlmend::base::internal::ErrorReturn{_st};  \
  } while (0)
