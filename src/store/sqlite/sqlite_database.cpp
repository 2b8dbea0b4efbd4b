#include "store/sqlite/sqlite_database.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/thread_name.hpp"
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

class SqliteConnection;

// Copies the WAL back into the database file on a thread of its own. SQLite's automatic
// checkpoint runs inside the commit that crosses its threshold, so the one writer stopped to copy
// pages and fsync the database file: 6% of its CPU in a bulk upload (perf), and the fsync's wait
// on top. A PASSIVE checkpoint on another connection runs beside the writer without blocking it.
// The same thread ends the read transactions that idle readers keep (SqliteConnection::
// lease_begin) once a commit has made them stale: a reader's snapshot keeps the frames committed
// after it from being copied back, so an idle one would let the WAL grow without end.
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

  // How long an idle reader may keep a stale snapshot when no checkpoint is due (another
  // process's commits do not wake this thread).
  static constexpr std::chrono::milliseconds kSnapshotSweep{100};
  // Readers keep snapshots only once this process has committed nothing for this long: under
  // a stream of commits there is nearly always a reader between two leases, and snapshots kept
  // there stop the WAL from ever starting over (it reached 341 MB in a 10 s upload run, where
  // it stays at 17 MB without them, and the uploads' p99 doubled: bench/README.md).
  static constexpr std::chrono::milliseconds kQuietBeforeKeeping{100};
  bool quiet() const {
    return now_ns() - last_commit_.load(std::memory_order_relaxed) >=
           std::chrono::nanoseconds(kQuietBeforeKeeping).count();
  }

  void add_reader(SqliteConnection* c) {
    std::lock_guard lock(readers_mu_);
    readers_.push_back(c);
  }
  void remove_reader(SqliteConnection* c) {
    std::lock_guard lock(readers_mu_);
    std::erase(readers_, c);
  }

  // The WAL hook of every connection: after each commit, with the WAL's size in pages.
  static int on_commit(void* self, sqlite3* db, const char*, int wal_pages) {
    auto* c = static_cast<Checkpointer*>(self);
    c->last_commit_.store(now_ns(), std::memory_order_relaxed);
    if (wal_pages >= kWriterCheckpointPages) {
      // Here too, not only on the checkpoint thread, which may lag behind a busy writer: an
      // idle reader's stale snapshot would keep this checkpoint from finishing.
      c->end_stale_snapshots();
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (wal_pages >= kWalPages) {
      c->request();
    }
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
    name_this_thread("certreg-ckpt");
    sqlite3* db = nullptr;
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait_for(lock, kSnapshotSweep, [this] { return requested_ || stopping_; });
      if (stopping_) break;
      bool due = requested_;
      requested_ = false;
      lock.unlock();
      end_stale_snapshots();  // first, so that the checkpoint can copy every frame
      if (due) checkpoint(db);
      lock.lock();
    }
    sqlite3_close(db);
  }

  void end_stale_snapshots();

  static std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
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
  std::atomic<std::int64_t> last_commit_{0};  // steady_clock, of this process's last commit
  std::mutex readers_mu_;
  std::vector<SqliteConnection*> readers_;  // reader connections that may keep a snapshot
  std::thread thread_;                      // last: starts once the members above exist
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
    if (registered_) checkpointer_->remove_reader(this);
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

  // Transaction control and migrations: run outside the transaction a lease kept.
  void script(std::string_view sql) override {
    end_kept();
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
  // Within a transaction kept from lease_begin the snapshot is already one.
  void begin_read() override {
    own_read_ = !kept_open();
    if (own_read_) script("BEGIN");
  }
  void end_read() override {
    if (!own_read_) return;
    own_read_ = false;
    script("COMMIT");
  }

  // While the database is quiet a reader keeps its read transaction from one lease to the next,
  // as long as the WAL-index header says that no commit, of this process or another, came since
  // it began: starting and ending a read transaction (fcntl locks on the -shm file, an fstat) was
  // 12% of a GET's CPU (perf), and a reused snapshot is as fresh as a new one. A commit changes
  // the header (its change counter and last frame; a WAL restart its salts), so the next lease
  // starts a new transaction, which sees every commit acknowledged before that lease began.
  // Under writes a kept snapshot would go stale before its next use and, held between leases,
  // keep the WAL from being copied back and started over: so a transaction is kept only when
  // nothing was committed since the previous lease nor, by this process, for the last
  // Checkpointer::kQuietBeforeKeeping, and one found stale at the end of a lease is ended there.
  // An idle reader's snapshot that a later commit made stale is ended by the checkpointer's
  // thread.
  void lease_begin() override {
    // Waits out the checkpointer's sweep of this connection, which takes microseconds.
    for (int idle = kIdle; !state_.compare_exchange_weak(idle, kLeased, std::memory_order_acquire);
         idle = kIdle)
      std::this_thread::yield();
    if (!registered_) {
      checkpointer_->add_reader(this);
      registered_ = true;
    }
    auto header = wal_header();
    if (kept_open() && header && *header == held_header_) return;
    end_kept();
    bool quiet = header && *header == last_header_ && checkpointer_->quiet();
    if (header) last_header_ = *header;
    if (!quiet) return;  // statements run in autocommit
    // The header is read before the snapshot begins (at the first statement): a commit between
    // the two only makes the next lease start again.
    script("BEGIN");
    kept_ = true;
    held_header_ = *header;
  }
  void lease_end() override {
    end_kept_if_stale();
    state_.store(kIdle, std::memory_order_release);
  }

  // On the checkpointer's thread: ends the kept transaction of an idle reader that a commit has
  // made stale. A leased reader is left alone; its next lease_begin will see the change.
  void end_snapshot_if_stale() {
    int idle = kIdle;
    if (!state_.compare_exchange_strong(idle, kSweeping, std::memory_order_acquire)) return;
    end_kept_if_stale();
    state_.store(kIdle, std::memory_order_release);
  }

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

  // The first copy of the WAL-index header (https://sqlite.org/walformat.html): 48 bytes at the
  // start of the -shm file, which SQLite maps into every connection. Its layout is fixed so that
  // processes built with different SQLite versions can share a database. Mapped once this
  // connection has opened the WAL (SQLite then keeps the mapping until the connection closes);
  // nullopt before, or if the VFS has no shared memory.
  using WalHeader = std::array<std::uint32_t, 12>;
  std::optional<WalHeader> wal_header() {
    if (!wal_index_) {
      sqlite3_file* wal = nullptr;
      sqlite3_file* file = nullptr;
      if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
          !wal || !wal->pMethods)
        return std::nullopt;  // the WAL is not open yet
      if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
          !file || !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap)
        return std::nullopt;
      void volatile* region = nullptr;
      if (file->pMethods->xShmMap(file, 0, kWalIndexPageSize, 0, &region) != SQLITE_OK || !region)
        return std::nullopt;
      wal_index_ = static_cast<const volatile std::uint32_t*>(region);
    }
    WalHeader h;
    for (std::size_t i = 0; i < h.size(); ++i) h[i] = wal_index_[i];
    return h;
  }
  static constexpr int kWalIndexPageSize = 32768;  // SQLite's WALINDEX_PGSZ

  // Whether the transaction lease_begin started is still open (an error may have rolled it back).
  bool kept_open() const { return kept_ && sqlite3_get_autocommit(db_) == 0; }
  void end_kept() {
    if (!kept_) return;
    kept_ = false;
    if (sqlite3_get_autocommit(db_) == 0) script("COMMIT");
  }
  // Ends the kept transaction if a commit came since it began. Where no caller could do anything
  // with an error (a lease ending, the sweep), so it is logged; the next lease_begin ends or
  // starts a transaction again.
  void end_kept_if_stale() noexcept {
    if (!kept_open()) return;
    auto header = wal_header();
    if (header && *header == held_header_) return;
    try {
      end_kept();
    } catch (const std::exception& e) {
      spdlog::warn("sqlite: ending a reader's kept snapshot: {}", e.what());
    }
  }

  // Who uses the connection: a lease, the checkpointer's sweep, or nobody.
  enum : int { kIdle, kLeased, kSweeping };

  std::shared_ptr<Checkpointer> checkpointer_;  // outlives db_, whose hook points to it
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
  std::atomic<int> state_{kIdle};
  bool registered_ = false;  // with the checkpointer, at the first lease
  bool kept_ = false;        // lease_begin started a transaction (see kept_open)
  bool own_read_ = false;    // begin_read started a transaction that end_read must end
  const volatile std::uint32_t* wal_index_ = nullptr;
  WalHeader held_header_{};  // as it was when the kept transaction began
  WalHeader last_header_{};  // as the previous lease found it
};

void Checkpointer::end_stale_snapshots() {
  std::lock_guard lock(readers_mu_);
  for (auto* c : readers_) c->end_snapshot_if_stale();
}

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
