// Database failures as the engines report them, mapped to what repositories need to tell apart.
#pragma once

#include <stdexcept>

namespace certreg::store {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A UNIQUE or PRIMARY KEY constraint rejected a write (SQLite SQLITE_CONSTRAINT_UNIQUE,
// PostgreSQL 23505).
struct UniqueViolation : DbError {
  using DbError::DbError;
};

// The engine gave up on the transaction because of other transactions (PostgreSQL deadlock or
// serialization failure); running the same work again is expected to succeed.
struct RetryableError : DbError {
  using DbError::DbError;
};

}  // namespace certreg::store
