// Schema migrations: SQL files in store/migrations/, embedded in the binary, applied in name order,
// each once, each in its own transaction. The SQL is shared by both engines (see engine_sql).
#pragma once

#include <string>
#include <vector>

#include "store/db.hpp"

namespace certreg::store {

struct Migration {
  const char* name;
  const char* sql;
};

const std::vector<Migration>& embedded_migrations();

// SQL written once for both engines, with the engine's words in place of the placeholders:
// {{SERIAL_PK}}, {{BLOB}} (DDL) and {{FOR_UPDATE_SKIP_LOCKED}} (row locks where the engine has
// several writers).
std::string engine_sql(std::string_view sql, std::string_view engine);

// Applies every migration not yet recorded in schema_migrations; returns how many ran.
int migrate(Connection& c);

}  // namespace certreg::store
