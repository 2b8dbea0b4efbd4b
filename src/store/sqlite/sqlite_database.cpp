#include "store/sqlite/sqlite_database.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "core/limits.hpp"
#include "store/errors.hpp"
#include "store/migrations.hpp"

namespace certreg::store {
namespace {

[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg =
      fmt::format("sqlite {}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (rc == SQLITE_CONSTRAINT || (rc & 0xFF) == SQLITE_CONSTRAINT) {
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
      throw UniqueViolation(msg);
  }
  throw DbError(msg);
}

// The shared SQL writes $N placeholders; SQLite reads ?N as the same numbered parameter.
std::string to_sqlite(std::string_view sql) {
  std::string out = engine_sql(sql, "sqlite");
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  return out;
}

class SqliteRows final : public RowsImpl {
 public:
  SqliteRows(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~SqliteRows() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  bool next() override {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_error(db_, rc, "step");
  }
  bool is_null(int col) const override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  std::int64_t integer(int col) const override { return sqlite3_column_int64(st_, col); }
  double real(int col) const override { return sqlite3_column_double(st_, col); }
  std::string_view text(int col) const override {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    if (!p) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(st_, col))};
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, bool sync_full) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw DbError(fmt::format("cannot open sqlite database {}: {}", path, msg));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // Per-connection settings (only journal_mode persists in the file).
    script("PRAGMA journal_mode=WAL");
    script(sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    script("PRAGMA temp_store=MEMORY");
    script("PRAGMA foreign_keys=OFF");
  }
  ~SqliteConnection() override {
    for (auto* st : statements_)
      if (st) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  Rows query(const Statement& st, Params params) override {
    return Rows(std::make_unique<SqliteRows>(db_, bind(st, params)));
  }

  std::int64_t execute(const Statement& st, Params params) override {
    SqliteRows rows(db_, bind(st, params));
    while (rows.next()) {
    }
    return sqlite3_changes64(db_);
  }

  void script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xFF) == SQLITE_CONSTRAINT) throw_error(db_, rc, "exec");
      throw DbError("sqlite exec: " + msg);
    }
  }

  std::string_view engine() const override { return "sqlite"; }
  void begin_read() override { script("BEGIN"); }
  void end_read() override { script("COMMIT"); }

 private:
  sqlite3_stmt* bind(const Statement& st, Params params) {
    if (st.index() >= statements_.size()) statements_.resize(st.index() + 1, nullptr);
    sqlite3_stmt*& s = statements_[st.index()];
    if (!s) {
      std::string sql = to_sqlite(st.sql());
      int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &s, nullptr);
      if (rc != SQLITE_OK) throw_error(db_, rc, fmt::format("prepare [{}]", st.sql()));
    }
    int i = 1;
    for (const Param& p : params) {
      int rc = SQLITE_OK;
      switch (p.kind()) {
        case Param::Kind::null:
          rc = sqlite3_bind_null(s, i);
          break;
        case Param::Kind::integer:
          rc = sqlite3_bind_int64(s, i, p.integer());
          break;
        case Param::Kind::real:
          rc = sqlite3_bind_double(s, i, p.real());
          break;
        case Param::Kind::text:
          rc = sqlite3_bind_text64(s, i, p.text().data(), p.text().size(), SQLITE_STATIC,
                                   SQLITE_UTF8);
          break;
        case Param::Kind::blob:
          rc = sqlite3_bind_blob64(s, i, p.text().data(), p.text().size(), SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(s);
        throw_error(db_, rc, "bind");
      }
      ++i;
    }
    return s;
  }

  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

struct Job {
  WriteWork work;
  WriteDone done;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const DatabaseOptions& options)
      : path_(std::move(path)), sync_full_(options.sync_full) {
    writer_conn_ = std::make_unique<SqliteConnection>(path_, sync_full_);
    migrate(*writer_conn_);
    writer_ = std::thread([this] { writer_loop(); });
  }

  ~SqliteDatabase() override { stop(); }

  std::string_view engine() const override { return "sqlite"; }

  Lease reader() override {
    {
      std::lock_guard lock(readers_mu_);
      if (!free_readers_.empty()) {
        Connection* c = free_readers_.back();
        free_readers_.pop_back();
        return Lease(this, c);
      }
    }
    auto conn = std::make_unique<SqliteConnection>(path_, sync_full_);
    Connection* c = conn.get();
    std::lock_guard lock(readers_mu_);
    all_readers_.push_back(std::move(conn));
    return Lease(this, c);
  }

  void submit(WriteWork work, WriteDone done) override {
    {
      std::lock_guard lock(queue_mu_);
      if (!stopping_) {
        queue_.push_back(Job{std::move(work), std::move(done)});
        queue_cv_.notify_one();
        return;
      }
    }
    done(std::make_exception_ptr(DbError("database is shutting down")));
  }

  void stop() override {
    {
      std::lock_guard lock(queue_mu_);
      if (stopping_) return;
      stopping_ = true;
      queue_cv_.notify_one();
    }
    if (writer_.joinable()) writer_.join();
  }

 protected:
  void release(Connection* c) override {
    std::lock_guard lock(readers_mu_);
    free_readers_.push_back(c);
  }

 private:
  void writer_loop() {
    static const Statement kBegin{"BEGIN IMMEDIATE"};
    static const Statement kCommit{"COMMIT"};
    static const Statement kSavepoint{"SAVEPOINT job"};
    static const Statement kRelease{"RELEASE job"};
    static const Statement kRollbackTo{"ROLLBACK TO job"};
    Connection& c = *writer_conn_;
    std::vector<Job> batch;
    std::vector<std::exception_ptr> results;
    for (;;) {
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && batch.size() < limits::kWriteBatchJobs) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      results.assign(batch.size(), nullptr);
      try {
        c.execute(kBegin);
        for (std::size_t i = 0; i < batch.size(); ++i) {
          c.execute(kSavepoint);
          try {
            batch[i].work(c);
            c.execute(kRelease);
          } catch (...) {
            results[i] = std::current_exception();
            c.execute(kRollbackTo);
            c.execute(kRelease);
          }
        }
        c.execute(kCommit);
      } catch (...) {
        // The group could not commit: no job in it is durable.
        auto failure = std::current_exception();
        try {
          c.script("ROLLBACK");
        } catch (...) {
        }
        for (auto& r : results)
          if (!r) r = failure;
        spdlog::error("write group of {} failed to commit", batch.size());
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
          batch[i].done(results[i]);
        } catch (const std::exception& e) {
          spdlog::error("write completion threw: {}", e.what());
        }
      }
      batch.clear();
    }
  }

  std::string path_;
  bool sync_full_;
  std::unique_ptr<SqliteConnection> writer_conn_;
  std::thread writer_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> all_readers_;
  std::vector<Connection*> free_readers_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace certreg::store
