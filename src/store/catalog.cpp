#include "store/catalog.hpp"

namespace certreg::store {

std::vector<std::string> data_tables(Connection& c) {
  static const Statement sqlite{
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " AND name <> 'schema_migrations' ORDER BY name"};
  static const Statement pg{
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
      " AND tablename <> 'schema_migrations' ORDER BY tablename"};
  std::vector<std::string> out;
  auto rows = c.query(c.engine() == "sqlite" ? sqlite : pg);
  while (rows.next()) out.push_back(rows.str(0));
  return out;
}

void resync_identities(Connection& c) {
  if (c.engine() != "postgresql") return;
  static const Statement identities{
      "SELECT table_name, column_name FROM information_schema.columns"
      " WHERE table_schema = current_schema() AND is_identity = 'YES'"};
  std::vector<std::pair<std::string, std::string>> columns;
  {
    auto rows = c.query(identities);
    while (rows.next()) columns.emplace_back(rows.str(0), rows.str(1));
  }
  for (const auto& [table, column] : columns)
    c.script("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column +
             "'), COALESCE((SELECT MAX(" + column + ") FROM " + table + "), 0) + 1, false)");
}

}  // namespace certreg::store
