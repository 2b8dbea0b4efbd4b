// What a database holds, asked of the engine's own catalog: for whole-database operations such
// as `certreg copy`.
#pragma once

#include <string>
#include <vector>

#include "store/db.hpp"

namespace certreg::store {

// The data tables (every table but schema_migrations), by name.
std::vector<std::string> data_tables(Connection& c);
// After rows were inserted with explicit values into identity columns, makes the next generated
// value follow the largest one (PostgreSQL sequences; SQLite needs nothing).
void resync_identities(Connection& c);

}  // namespace certreg::store
