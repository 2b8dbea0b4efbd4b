// The history table: every change to a stored object, with who made it, when, and the state after.
#pragma once

#include <optional>
#include <string_view>

#include "store/db.hpp"

namespace certreg::store::history {

enum class Action { create, update, remove };

void record(Connection& c, std::string_view object_type, std::string_view object_id, Action action,
            std::string_view actor, std::optional<std::string_view> state_json);

}  // namespace certreg::store::history
