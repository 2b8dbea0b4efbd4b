// The embedded engine: SQLite in WAL mode (synchronous FULL unless asked otherwise), connections
// that prepare each statement once, under the shared PooledDatabase (one writer, group commit).
#pragma once

#include <memory>
#include <string>

#include "store/db.hpp"

namespace certreg::store {

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace certreg::store
