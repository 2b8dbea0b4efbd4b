#include "store/db.hpp"

#include <future>
#include <stdexcept>

#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace certreg::store {

void Connection::add_to_counter(const Statement& upsert, std::string_view key_text,
                                std::int64_t key_int, std::int64_t delta) {
  auto [it, added] = job_counters_.try_emplace(
      CounterKey{upsert.index(), std::string(key_text), key_int}, CounterSum{&upsert, 0});
  it->second.delta += delta;
}

void Connection::end_job_counters(bool kept) {
  if (kept) {
    for (auto& [key, sum] : job_counters_) {
      auto [it, added] = group_counters_.try_emplace(key, CounterSum{sum.upsert, 0});
      it->second.delta += sum.delta;
    }
  }
  job_counters_.clear();
}

void Connection::flush_counters() {
  Counters sums;
  sums.swap(group_counters_);
  for (const auto& [key, sum] : sums)
    if (sum.delta != 0) execute_later(*sum.upsert, {std::get<1>(key), std::get<2>(key), sum.delta});
}

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
