#include "store/postgres/pg_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "store/errors.hpp"
#include "store/migrations.hpp"
#include "store/pooled_database.hpp"

namespace certreg::store {
namespace {

// Type OIDs (pg_type.dat) the engine tells apart.
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

[[noreturn]] void throw_result(PGconn* conn, PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = fmt::format("postgresql {}: {}", what,
                                res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  std::string code = state ? state : "";
  if (res) PQclear(res);
  if (code == "23505") throw UniqueViolation(msg);
  if (code == "40001" || code == "40P01") throw RetryableError(msg);
  throw DbError(msg);
}

std::string decode_bytea(std::string_view hex) {
  // Text-format bytea is "\x" and two hex digits per byte.
  std::string out;
  if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x') return std::string(hex);
  auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  out.reserve((hex.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(v(hex[i]) * 16 + v(hex[i + 1])));
  return out;
}

class PgRows final : public RowsImpl {
 public:
  explicit PgRows(PGresult* res) : res_(res), rows_(PQntuples(res)) {}
  ~PgRows() override { PQclear(res_); }
  bool next() override {
    decoded_.clear();
    return ++row_ < rows_;
  }
  int columns() const override { return PQnfields(res_); }
  std::string_view name(int col) const override { return PQfname(res_, col); }
  Param::Kind kind(int col) const override {
    if (PQgetisnull(res_, row_, col)) return Param::Kind::null;
    switch (PQftype(res_, col)) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kBoolOid:
        return Param::Kind::integer;
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return Param::Kind::real;
      case kByteaOid:
        return Param::Kind::blob;
      default:
        return Param::Kind::text;
    }
  }
  bool is_null(int col) const override { return PQgetisnull(res_, row_, col); }
  std::int64_t integer(int col) const override {
    const char* v = PQgetvalue(res_, row_, col);
    if (PQftype(res_, col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    return std::strtoll(v, nullptr, 10);
  }
  double real(int col) const override { return std::strtod(PQgetvalue(res_, row_, col), nullptr); }
  std::string_view text(int col) const override {
    std::string_view raw(PQgetvalue(res_, row_, col),
                         static_cast<std::size_t>(PQgetlength(res_, row_, col)));
    if (PQftype(res_, col) != kByteaOid) return raw;
    auto& slot = decoded_.emplace_back(col, decode_bytea(raw));
    return slot.second;
  }

 private:
  PGresult* res_;
  int rows_;
  int row_ = -1;
  mutable std::vector<std::pair<int, std::string>> decoded_;  // bytea values of this row
};

// Values go as text (the server parses them as the types it inferred), blobs as binary.
struct BoundParams {
  explicit BoundParams(ParamSpan params) {
    storage.reserve(params.size());
    for (const Param& p : params) {
      switch (p.kind()) {
        case Param::Kind::null:
          storage.emplace_back();
          break;
        case Param::Kind::integer:
          storage.push_back(std::to_string(p.integer()));
          break;
        case Param::Kind::real:
          storage.push_back(fmt::format("{}", p.real()));
          break;
        case Param::Kind::text:
        case Param::Kind::blob:
          storage.emplace_back(p.text());
          break;
      }
      if (p.kind() == Param::Kind::text && storage.back().find('\0') != std::string::npos)
        throw DbError("postgresql: text with a NUL character");
      values.push_back(p.kind() == Param::Kind::null ? nullptr : storage.back().c_str());
      lengths.push_back(static_cast<int>(storage.back().size()));
      formats.push_back(p.kind() == Param::Kind::blob ? 1 : 0);
    }
  }
  int count() const { return static_cast<int>(values.size()); }
  std::vector<std::string> storage;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) : url_(url) { connect(); }
  ~PgConnection() override { PQfinish(conn_); }

  Rows run_query(const Statement& st, ParamSpan params) override {
    return Rows(std::make_unique<PgRows>(run(st, params)));
  }

  std::int64_t run_execute(const Statement& st, ParamSpan params) override {
    PGresult* res = run(st, params);
    std::int64_t n = std::strtoll(PQcmdTuples(res), nullptr, 10);
    PQclear(res);
    return n;
  }

  void script(std::string_view sql) override {
    ensure_connected();
    // Held statements run first, one by one; the script runs even if one failed (a ROLLBACK
    // must), and then the first failure is thrown.
    std::exception_ptr held_failure;
    for (auto& [held, bound] : std::exchange(later_, {})) {
      try {
        PQclear(exec_prepared(*held, bound));
      } catch (...) {
        if (!held_failure) held_failure = std::current_exception();
      }
    }
    std::string s(sql);
    PGresult* res = PQexec(conn_, s.c_str());
    auto status = PQresultStatus(res);
    bool failed = status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
    if (failed && !held_failure) throw_result(conn_, res, "exec");
    PQclear(res);
    if (held_failure) std::rethrow_exception(held_failure);  // the cause of a later failure
  }

  std::string_view engine() const override { return "postgresql"; }
  // Held, so that it travels with the transaction's first query in one round trip.
  void begin_read() override {
    static const Statement begin{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"};
    ensure_connected();
    run_later(begin, {});
  }
  void end_read() override { script("COMMIT"); }

 private:
  void connect() {
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string err = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError("cannot connect to postgresql: " + err);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    prepared_.clear();
    later_.clear();
    // A prepared statement's generic plan is made once, from the statistics of that moment: on a
    // fresh database it chose sequential scans (the tables were empty) and kept them as the
    // tables grew, making a key lookup cost a millisecond at 6,000 rows. Planning each execution
    // with its values costs microseconds and follows the data.
    script("SET plan_cache_mode = force_custom_plan");
  }

  // A connection the server dropped (a restart, an idle timeout) is opened again; its prepared
  // statements are gone with it. A transaction in progress is not resumed: it fails.
  void ensure_connected() {
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
    spdlog::warn("postgresql connection lost; reconnecting");
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    connect();
  }

  PGresult* run(const Statement& st, ParamSpan params) {
    ensure_connected();
    BoundParams bound(params);
    if (!later_.empty()) return run_pipelined(st, bound);
    return exec_prepared(st, bound);
  }

  PGresult* exec_prepared(const Statement& st, const BoundParams& bound) {
    prepare(st);
    PGresult* res =
        PQexecPrepared(conn_, statement_name(st).c_str(), bound.count(), bound.values.data(),
                       bound.lengths.data(), bound.formats.data(), 0);
    auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
      throw_result(conn_, res, "execute");
    return res;
  }

  static std::string statement_name(const Statement& st) { return fmt::format("s{}", st.index()); }

  void prepare(const Statement& st) {
    if (st.index() >= prepared_.size()) prepared_.resize(st.index() + 1, false);
    if (prepared_[st.index()]) return;
    std::string sql = engine_sql(st.sql(), "postgresql");
    PGresult* res = PQprepare(conn_, statement_name(st).c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
      throw_result(conn_, res, fmt::format("prepare [{}]", st.sql()));
    PQclear(res);
    prepared_[st.index()] = true;
  }

  // Sends the held statements and then `st` in one pipeline, and reads every reply: one round
  // trip instead of one per statement. The first failure is thrown; the statements after it
  // were not run (the server skips the rest of an aborted pipeline).
  PGresult* run_pipelined(const Statement& st, const BoundParams& bound) {
    auto sent = std::exchange(later_, {});
    for (auto& [held, held_bound] : sent) prepare(*held);
    prepare(st);  // preparing is not part of a pipeline
    auto send = [this](const Statement& s, const BoundParams& b) {
      return PQsendQueryPrepared(conn_, statement_name(s).c_str(), b.count(), b.values.data(),
                                 b.lengths.data(), b.formats.data(), 0) == 1;
    };
    bool ok = PQenterPipelineMode(conn_) == 1;
    for (auto& [held, held_bound] : sent) ok = ok && send(*held, held_bound);
    ok = ok && send(st, bound);
    ok = ok && PQpipelineSync(conn_) == 1;
    PGresult* failure = nullptr;
    PGresult* result = nullptr;
    for (std::size_t i = 0; ok && i <= sent.size(); ++i) {
      PGresult* res = PQgetResult(conn_);
      if (!res) {
        ok = false;
        break;
      }
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);  // up to the query's end
      auto status = PQresultStatus(res);
      bool succeeded = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
      if (succeeded && i == sent.size())
        result = res;
      else if (!succeeded && !failure && status != PGRES_PIPELINE_ABORTED)
        failure = res;
      else
        PQclear(res);
    }
    PGresult* sync = ok ? PQgetResult(conn_) : nullptr;
    ok = ok && sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    ok = ok && PQexitPipelineMode(conn_) == 1;
    if (!ok) {
      // The connection is in an unknown state: drop it; the next statement reconnects.
      std::string err = PQerrorMessage(conn_);
      PQclear(failure);
      PQclear(result);
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError("postgresql pipeline: " + err);
    }
    if (failure) {
      PQclear(result);
      throw_result(conn_, failure, "execute");
    }
    return result;
  }

  void run_later(const Statement& st, ParamSpan params) override {
    later_.emplace_back(&st, BoundParams(params));
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  std::vector<std::pair<const Statement*, BoundParams>> later_;  // held, not sent yet
  std::vector<bool> prepared_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions&) {
  // Several instances may start together: one applies the migrations, the others wait.
  {
    PgConnection lock_conn(url);
    lock_conn.script("SELECT pg_advisory_lock(7265421)");
    try {
      migrate(lock_conn);
    } catch (...) {
      lock_conn.script("SELECT pg_advisory_unlock(7265421)");
      throw;
    }
    lock_conn.script("SELECT pg_advisory_unlock(7265421)");
  }
  return std::make_unique<PooledDatabase>(
      "postgresql", [url] { return std::make_unique<PgConnection>(url); }, "BEGIN");
}

}  // namespace certreg::store
