#include "store/db.hpp"

#include <future>
#include <stdexcept>

#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace certreg::store {

void Database::write(WriteWork work) {
  std::promise<void> p;
  auto f = p.get_future();
  submit(std::move(work), [&p](std::exception_ptr e) {
    if (e)
      p.set_exception(e);
    else
      p.set_value();
  });
  f.get();
}

std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://relative or sqlite:///abs
    if (path.empty()) throw std::invalid_argument("sqlite: URL needs a file path");
    return open_sqlite(path, options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return open_postgres(url, options);
  throw std::invalid_argument("unknown database URL (expected sqlite:PATH or postgresql://...): " +
                              url);
}

}  // namespace certreg::store
