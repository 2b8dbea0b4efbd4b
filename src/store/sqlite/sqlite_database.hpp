// The embedded engine: SQLite in WAL mode, one writer thread that commits queued jobs in groups,
// a pool of reader connections, statements prepared once per connection.
#pragma once

#include <memory>
#include <string>

#include "store/db.hpp"

namespace certreg::store {

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace certreg::store
