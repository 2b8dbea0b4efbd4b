#include "store/sqlite/sqlite_database.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "store/errors.hpp"
#include "store/migrations.hpp"
#include "store/pooled_database.hpp"

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
  int columns() const override { return sqlite3_column_count(st_); }
  std::string_view name(int col) const override { return sqlite3_column_name(st_, col); }
  Param::Kind kind(int col) const override {
    switch (sqlite3_column_type(st_, col)) {
      case SQLITE_INTEGER:
        return Param::Kind::integer;
      case SQLITE_FLOAT:
        return Param::Kind::real;
      case SQLITE_BLOB:
        return Param::Kind::blob;
      case SQLITE_NULL:
        return Param::Kind::null;
      default:
        return Param::Kind::text;
    }
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

// Copies the WAL back into the database file on a thread of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold, so the one writer stopped to copy
// pages and fsync the database file: 6% of its CPU in a bulk upload (perf), and the fsync's wait
// on top. A PASSIVE checkpoint on another connection runs beside the writer without blocking it.
class Checkpointer {
 public:
  // SQLite's own threshold for its automatic checkpoint.
  static constexpr int kWalPages = 1000;
  // The WAL starts over from its beginning only when a write transaction begins with every frame
  // copied back. Under a steady stream of commits the background checkpoint never catches up
  // with the writer, and the WAL grew to 485 MB in a 15 s upload run. Past this size the writer
  // checkpoints itself right after its commit: the copying left is what the background one has
  // not done yet, and its next transaction starts the WAL over.
  static constexpr int kWriterCheckpointPages = 4 * kWalPages;

  Checkpointer(std::string path, bool sync_full)
      : path_(std::move(path)), sync_full_(sync_full), thread_([this] { run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  // The WAL hook of every connection: after each commit, with the WAL's size in pages.
  static int on_commit(void* self, sqlite3* db, const char*, int wal_pages) {
    if (wal_pages >= kWriterCheckpointPages)
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    else if (wal_pages >= kWalPages)
      static_cast<Checkpointer*>(self)->request();
    return SQLITE_OK;
  }

 private:
  void request() {
    {
      std::lock_guard lock(mu_);
      requested_ = true;
    }
    wake_.notify_one();
  }

  void run() {
    sqlite3* db = nullptr;
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) break;
      requested_ = false;
      lock.unlock();
      checkpoint(db);
      lock.lock();
    }
    sqlite3_close(db);
  }

  void checkpoint(sqlite3*& db) {
    if (!db) {
      if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          nullptr) != SQLITE_OK) {
        spdlog::warn("sqlite checkpointer: cannot open {}: {}", path_, sqlite3_errmsg(db));
        sqlite3_close(db);
        db = nullptr;
        return;
      }
      // The checkpointing connection's setting decides whether the database file is fsynced.
      sqlite3_exec(db, sync_full_ ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                   nullptr, nullptr, nullptr);
    }
    int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      spdlog::warn("sqlite checkpoint failed: {}", sqlite3_errmsg(db));
  }

  std::string path_;
  bool sync_full_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Makes the writer's commits durable for PooledDatabase: an fdatasync of the WAL file, where a
// commit's pages are. With `--sync full` the connections commit with synchronous=NORMAL (the WAL
// is written, not synced) and this runs on PooledDatabase's durability thread before the
// commit's jobs are acknowledged, so the writer does not wait for the disk between groups. A
// crash after the sync replays the commit from the WAL; SQLite syncs the WAL itself before each
// checkpoint and the database file after it, so a checkpoint never undoes what this made durable.
class WalSync {
 public:
  explicit WalSync(std::string db_path) : path_(std::move(db_path) + "-wal") {}
  ~WalSync() {
    if (fd_ >= 0) ::close(fd_);
  }
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  void operator()() {
    if (fd_ < 0) open_wal();
    if (::fdatasync(fd_) != 0) throw DbError(fmt::format("fdatasync {}: {}", path_, errno_text()));
  }

 private:
  // The WAL exists once the writer has committed (the migrations). Its directory entry is synced
  // once: SQLite would do it at its first sync of a new WAL, which it no longer makes.
  void open_wal() {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw DbError(fmt::format("open {}: {}", path_, errno_text()));
    auto dir = std::filesystem::path(path_).parent_path();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || ::fsync(dfd) != 0) {
      std::string why = errno_text();
      if (dfd >= 0) ::close(dfd);
      throw DbError(fmt::format("fsync the directory of {}: {}", path_, why));
    }
    ::close(dfd);
  }
  static std::string errno_text() { return std::strerror(errno); }

  std::string path_;
  int fd_ = -1;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, std::shared_ptr<Checkpointer> checkpointer)
      : checkpointer_(std::move(checkpointer)) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw DbError(fmt::format("cannot open sqlite database {}: {}", path, msg));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // Plans must not depend on bound values: otherwise every execution of a statement with
    // `column LIKE $n` (Origin search) is compiled again once its value changes (a third of the
    // CPU of a search, measured with perf).
    sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_QPSG, 1, nullptr);
    // Per-connection settings (only journal_mode persists in the file).
    script("PRAGMA journal_mode=WAL");
    // A commit does not sync the WAL: WalSync does, when --sync full asks for it.
    script("PRAGMA synchronous=NORMAL");
    script("PRAGMA temp_store=MEMORY");
    script("PRAGMA foreign_keys=OFF");
    // Pages are read into SQLite's own cache (32 MiB per connection), not mapped: a mapping
    // counts in the server's RSS once per connection (450 MB at a million certifications), and
    // measured at 1M, no mapping cost GETs 5% and gave the 90/10 mix 20% (bench/README.md).
    script("PRAGMA mmap_size=0");
    script("PRAGMA cache_size=-32768");
    // Replaces SQLite's automatic checkpoint on this connection.
    sqlite3_wal_hook(db_, &Checkpointer::on_commit, checkpointer_.get());
  }
  ~SqliteConnection() override {
    for (auto* st : statements_)
      if (st) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  // SQLite reads bound text when the statement steps: for a query that is after the call, when
  // the caller's temporaries are gone (Param only outlives the call), so it keeps a copy.
  Rows run_query(const Statement& st, ParamSpan params) override {
    return Rows(std::make_unique<SqliteRows>(db_, bind(st, params, SQLITE_TRANSIENT)));
  }

  std::int64_t run_execute(const Statement& st, ParamSpan params) override {
    SqliteRows rows(db_, bind(st, params, SQLITE_STATIC));
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
  sqlite3_stmt* bind(const Statement& st, ParamSpan params, sqlite3_destructor_type lifetime) {
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
          rc = sqlite3_bind_text64(s, i, p.text().data(), p.text().size(), lifetime, SQLITE_UTF8);
          break;
        case Param::Kind::blob:
          rc = sqlite3_bind_blob64(s, i, p.text().data(), p.text().size(), lifetime);
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

  std::shared_ptr<Checkpointer> checkpointer_;  // outlives db_, whose hook points to it
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options) {
  // Before SQLite initialises: no memory statistics (each allocation would take a global
  // mutex), and no per-connection mutexes (a connection is used by one thread at a time).
  static const int configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    return sqlite3_initialize();
  }();
  if (configured != SQLITE_OK) throw DbError("sqlite3_initialize failed");
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  bool sync_full = options.sync_full;
  auto checkpointer = std::make_shared<Checkpointer>(path, sync_full);
  // --sync full: commits write the WAL without syncing it, and WalSync syncs it before the
  // commits are acknowledged. --sync normal: no sync before the acknowledgement at all.
  PooledDatabase::MakeDurable make_durable;
  if (sync_full) make_durable = [wal = std::make_shared<WalSync>(path)] { (*wal)(); };
  return std::make_unique<PooledDatabase>(
      "sqlite",
      [path, checkpointer] { return std::make_unique<SqliteConnection>(path, checkpointer); },
      "BEGIN IMMEDIATE", std::move(make_durable));
}

}  // namespace certreg::store
