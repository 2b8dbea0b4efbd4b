// The scale-out engine: PostgreSQL through libpq. Statements are prepared once per connection
// (types inferred by the server, values sent as text, blobs in binary); the shared
// PooledDatabase gives one writer connection with group commit and a pool of readers. Several
// certreg processes may share one database: migrations take an advisory lock, and everything a
// later request needs lives in the database.
#pragma once

#include <memory>
#include <string>

#include "store/db.hpp"

namespace certreg::store {

std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& options);

}  // namespace certreg::store
