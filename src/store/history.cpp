#include "store/history.hpp"

#include "core/clock.hpp"

namespace certreg::store::history {

static std::string_view action_name(Action a) {
  switch (a) {
    case Action::create:
      return "create";
    case Action::update:
      return "update";
    case Action::remove:
      return "delete";
  }
  return "update";
}

void record(Connection& c, std::string_view object_type, std::string_view object_id, Action action,
            std::string_view actor, std::optional<std::string_view> state_json) {
  static const Statement q{
      "INSERT INTO history (object_type, object_id, action, actor, at_ms, state) "
      "VALUES ($1, $2, $3, $4, $5, $6)"};
  c.execute_later(
      q, {object_type, object_id, action_name(action), actor, clock::unix_millis(), state_json});
}

}  // namespace certreg::store::history
