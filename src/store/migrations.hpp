// Schema migrations: SQL files in store/migrations/, embedded in the binary, applied in name order,
// each once, each in its own transaction. The SQL is shared by both engines; the few type names
// that differ are written as placeholders ({{SERIAL_PK}}, {{BLOB}}) and filled in per engine.
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

// The SQL of a migration with the engine's type names in place of the placeholders.
std::string migration_sql(std::string_view sql, std::string_view engine);

// Applies every migration not yet recorded in schema_migrations; returns how many ran.
int migrate(Connection& c);

}  // namespace certreg::store
