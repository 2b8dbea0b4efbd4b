#include "admin/copy.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <deque>
#include <memory>
#include <stdexcept>

#include "store/catalog.hpp"

namespace certreg::admin {
namespace {

using store::Param;

// One value of a row, owned (Rows' views last only until the next row).
struct Value {
  Param::Kind kind = Param::Kind::null;
  std::int64_t i = 0;
  double d = 0;
  std::string s;

  Param param() const {
    switch (kind) {
      case Param::Kind::null:
        return nullptr;
      case Param::Kind::integer:
        return i;
      case Param::Kind::real:
        return d;
      case Param::Kind::text:
        return std::string_view(s);
      case Param::Kind::blob:
        return Param::blob(s);
    }
    return nullptr;
  }
};

Value read(const store::Rows& r, int col) {
  Value v;
  v.kind = r.kind(col);
  switch (v.kind) {
    case Param::Kind::null:
      break;
    case Param::Kind::integer:
      v.i = r.integer(col);
      break;
    case Param::Kind::real:
      v.d = r.real(col);
      break;
    case Param::Kind::text:
    case Param::Kind::blob:
      v.s = std::string(r.text(col));
      break;
  }
  return v;
}

// Statements made at run time; Statement keeps a view of its SQL, so the text is kept here too.
class DynamicStatements {
 public:
  const store::Statement& make(std::string sql) {
    texts_.push_back(std::move(sql));
    statements_.push_back(std::make_unique<store::Statement>(texts_.back()));
    return *statements_.back();
  }

 private:
  std::deque<std::string> texts_;
  std::vector<std::unique_ptr<store::Statement>> statements_;
};

// A sum of per-row SHA-256 prefixes: independent of row order (the engines collate text
// differently) and of the engines' type names. Integers are compared as integers, reals by
// value, text and blobs as bytes.
class Checksum {
 public:
  void add(const store::Rows& r, int columns) {
    std::string row;
    for (int c = 0; c < columns; ++c) {
      switch (r.kind(c)) {
        case Param::Kind::null:
          row += "N;";
          break;
        case Param::Kind::integer:
          row += fmt::format("I{};", r.integer(c));
          break;
        case Param::Kind::real:
          row += fmt::format("R{};", r.real(c));
          break;
        case Param::Kind::text:
        case Param::Kind::blob: {
          auto t = r.text(c);
          row += fmt::format("S{}:", t.size());
          row.append(t.data(), t.size());
          row += ';';
          break;
        }
      }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(row.data(), row.size(), digest, &len, EVP_sha256(), nullptr);
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | digest[k];
    sum_ += v;
  }
  std::string hex() const { return fmt::format("{:016x}", sum_); }

 private:
  std::uint64_t sum_ = 0;
};

std::pair<std::int64_t, std::string> check(store::Database& db, const std::string& table,
                                           DynamicStatements& sql) {
  const auto& q = sql.make("SELECT * FROM " + table);
  auto lease = db.reader();
  auto rows = lease->query(q);
  Checksum sum;
  std::int64_t n = 0;
  while (rows.next()) {
    sum.add(rows, rows.columns());
    ++n;
  }
  return {n, sum.hex()};
}

std::int64_t count(store::Database& db, const std::string& table, DynamicStatements& sql) {
  const auto& q = sql.make("SELECT COUNT(*) FROM " + table);
  auto lease = db.reader();
  auto rows = lease->query(q);
  return rows.next() ? rows.integer(0) : 0;
}

}  // namespace

std::vector<TableCheck> copy_database(store::Database& from, store::Database& to, bool replace,
                                      const CopyProgress& progress) {
  DynamicStatements sql;
  std::vector<std::string> tables;
  {
    auto lease = from.reader();
    tables = store::data_tables(*lease);
  }
  // Both databases run the same migrations, so their tables are the same.
  std::int64_t total = 0, target_rows = 0;
  for (const auto& t : tables) {
    total += count(from, t, sql);
    target_rows += count(to, t, sql);
  }
  if (target_rows > 0 && !replace)
    throw std::runtime_error(fmt::format(
        "the target already holds {} rows; use --replace to empty it first", target_rows));
  if (target_rows > 0) {
    to.write([&](store::Connection& c) {
      for (const auto& t : tables) c.execute(sql.make("DELETE FROM " + t));
    });
  }

  constexpr std::size_t kBatch = 1000;
  std::int64_t done = 0;
  auto source = from.reader();
  store::ReadSnapshot snapshot(*source);  // every table as of one moment
  for (const auto& table : tables) {
    auto rows = source->query(sql.make("SELECT * FROM " + table));
    std::vector<std::vector<Value>> batch;
    const store::Statement* insert = nullptr;
    std::int64_t copied = 0;
    auto flush = [&] {
      if (batch.empty()) return;
      to.write([&](store::Connection& c) {
        std::vector<Param> params;
        for (const auto& row : batch) {
          params.clear();
          for (const auto& v : row) params.push_back(v.param());
          c.execute(*insert, store::ParamSpan(params));
        }
      });
      copied += static_cast<std::int64_t>(batch.size());
      done += static_cast<std::int64_t>(batch.size());
      batch.clear();
      if (progress) progress(table, copied, done, total);
    };
    while (rows.next()) {
      int n = rows.columns();
      if (!insert) {
        std::string cols, marks;
        for (int c = 0; c < n; ++c) {
          cols += (c ? ", " : "") + std::string(rows.name(c));
          marks += fmt::format("{}${}", c ? ", " : "", c + 1);
        }
        insert = &sql.make(fmt::format("INSERT INTO {} ({}) VALUES ({})", table, cols, marks));
      }
      std::vector<Value> row;
      row.reserve(n);
      for (int c = 0; c < n; ++c) row.push_back(read(rows, c));
      batch.push_back(std::move(row));
      if (batch.size() == kBatch) flush();
    }
    flush();
    if (progress && copied == 0) progress(table, 0, done, total);
  }
  to.write([](store::Connection& c) { store::resync_identities(c); });

  std::vector<TableCheck> checks;
  for (const auto& table : tables) {
    TableCheck tc;
    tc.table = table;
    std::tie(tc.source_rows, tc.source_checksum) = check(from, table, sql);
    std::tie(tc.target_rows, tc.target_checksum) = check(to, table, sql);
    checks.push_back(std::move(tc));
  }
  return checks;
}

}  // namespace certreg::admin
