// certreg copy: moves an installation from one database to another (SQLite to PostgreSQL and
// back), then checks that both hold the same rows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace certreg::admin {

struct TableCheck {
  std::string table;
  std::int64_t source_rows = 0, target_rows = 0;
  std::string source_checksum, target_checksum;
  bool matches() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

// Called as rows are copied: (table, rows copied of it, rows copied in all, rows in all).
using CopyProgress =
    std::function<void(const std::string&, std::int64_t, std::int64_t, std::int64_t)>;

// Copies every data table of `from` into `to`. A target that already holds data is refused
// (std::runtime_error) unless `replace`, which empties it first. Returns each table's check.
std::vector<TableCheck> copy_database(store::Database& from, store::Database& to, bool replace,
                                      const CopyProgress& progress);

}  // namespace certreg::admin
