// Placeholders: what a module sqlmend cannot load stands as, so that a
// project whose package __init__ imports its whole application (a web
// framework, crypto libraries) still runs its migrations.
//
// A module is "unloadable" when the module loader (module_loader.h) finds it
// on no sys.path entry (it is not installed in the project's environment) or
// finds only a compiled extension for it (a .so or .pyd file: Python code
// sqlmend cannot read). The import succeeds and binds a placeholder for the
// module. Its semantics, documented in the README too:
//   - attribute access (`m.x`), calls (`m.f(1)`), subscripts (`m.T[int]`),
//     operators (`m.VERSION >= (2, 0)`), decorators (`@m.route("/")`) and
//     `with m.lock():` pass through and give further placeholders, each
//     named by the expression it stands for ("flask_sqlalchemy.SQLAlchemy()
//     .Model"); setting an attribute on one does nothing;
//   - a class deriving from a placeholder is a real class (its own methods
//     and attributes work); what it would inherit from the placeholder is a
//     placeholder, and instantiating it accepts any arguments;
//   - its truth value is false and iterating it yields nothing; each such
//     use is logged as a warning (spdlog) with its location and the module's
//     name, so `if cert_utils.NEEDS_TEMPFILES: raise ...` in a package
//     __init__ passes and says so; isinstance(x, placeholder) is False;
//   - while a revision's upgrade() or downgrade() runs, a call of a
//     placeholder passes too (logged as a warning: it does nothing here)
//     unless one of its arguments, or an item of a list, tuple, set or dict
//     given as one, reaches the database (HostObject::ReachesDatabase():
//     the connection, a session, op; or what the policy's
//     reaches_database says, such as an ORM object a flush would write):
//     what the call would do to the database is unknown, so it stops there;
//   - it stops the run, with its location, where it would decide what is
//     written: inside a revision body, turning one into text (str(), an
//     f-string) stops, and a placeholder reaching a table, a column, a
//     type, a constraint or a value written to the database stops there
//     (PlaceholderStop(), which the SQLAlchemy model calls where a Value
//     becomes one of those).
// Identity (`is`), `==` in containers and hashing are by identity.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::python {

// Shared by every placeholder one loader makes: the module loader's owner
// sets `in_body` ("upgrade()", "downgrade()") while a revision body runs,
// and clears it after. `reaches_database`, when set, names further values
// (beyond host objects whose ReachesDatabase() is true) that a placeholder
// must not be handed inside a body.
struct PlaceholderPolicy {
  std::string in_body;
  std::function<bool(const Value&)> reaches_database;
};

// A placeholder for the module `module`, which `reason` says why sqlmend
// cannot load ("is not installed", "is a C extension (<file>)").
// `policy` may be null (calls always pass).
Value MakePlaceholderModule(const std::string& module, const std::string& reason,
                            std::shared_ptr<const PlaceholderPolicy> policy);

// Libraries sqlmend models in part (ModuleLoader::AddPartialModel): the
// reason their placeholders give.
inline constexpr char kPartialReason[] =
    "is modelled by sqlmend only in part (see \"modelled libraries\" in the README)";

// A module sqlmend models in part: a placeholder for `module` whose names
// `model` (a module run from sqlmend's own Python) defines are the model's;
// every other name is a placeholder as above.
Value MakePartialModule(const std::string& module, Value model,
                        std::shared_ptr<const PlaceholderPolicy> policy);

// True when `value` is a placeholder (a module, or anything reached from one).
bool IsPlaceholder(const Value& value);

// A further placeholder of `placeholder`'s module, standing for
// `function(<placeholder>)` (`function(<placeholder>, ...)` when the call
// had `arguments` > 1): what a standard function that computes from its
// argument (os.path.join) gives for one.
Value DerivePlaceholder(const Value& placeholder, std::string_view function, size_t arguments);

// The expression `value` stands for and its module's sentence
// ("flask_sqlalchemy.SQLAlchemy().Model (module 'flask_sqlalchemy' is not
// installed)"); empty when `value` is no placeholder.
std::string DescribePlaceholder(const Value& value);

// For the places where a Value becomes a table, a column, a type, a
// constraint or a value written to the database: when `value` is a
// placeholder, the located error to stop with ("unsupported: <what> is
// flask_sqlalchemy.db.JSON (module 'flask_sqlalchemy' is not installed)"),
// which the script cannot catch; std::nullopt otherwise.
std::optional<base::Status> PlaceholderStop(CallContext& context, const Value& value,
                                            std::string_view what);

// Inside a revision body (the policy's in_body set), the located
// error for str()/repr() of a placeholder; std::nullopt otherwise or when
// `value` is no placeholder.
std::optional<base::Status> PlaceholderTextStop(CallContext& context, const Value& value);

// The class attribute that records a placeholder base (see the file
// comment): attribute lookups that find nothing else end there.
inline constexpr std::string_view kPlaceholderBaseName = "__sqlmend_placeholder_base__";

// Logs the warning for a use of `value` (a placeholder) whose outcome
// sqlmend chose: `what` says the choice ("is taken as false"). `where` is
// the location ("file:line:col").
void WarnPlaceholderUse(const Value& value, std::string_view where, std::string_view what);

}  // namespace sqlmend::python
