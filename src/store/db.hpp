// The engine-neutral database interface. Repositories (store/*_repo.cpp) hold the SQL, written once
// in the dialect SQLite and PostgreSQL share ($1, $2 placeholders; ON CONFLICT; RETURNING); an
// engine only knows how to prepare, bind, step, and commit writes in groups.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

namespace certreg::store {

// A bound parameter. Non-owning: the viewed data must outlive the call it is passed to.
class Param {
 public:
  enum class Kind { null, integer, real, text, blob };

  Param(std::nullptr_t) : kind_(Kind::null) {}
  Param(std::int64_t v) : kind_(Kind::integer), i_(v) {}
  Param(int v) : kind_(Kind::integer), i_(v) {}
  Param(bool v) : kind_(Kind::integer), i_(v ? 1 : 0) {}
  Param(double v) : kind_(Kind::real), d_(v) {}
  Param(std::string_view v) : kind_(Kind::text), s_(v) {}
  Param(const std::string& v) : kind_(Kind::text), s_(v) {}
  Param(const char* v) : kind_(Kind::text), s_(v) {}
  template <class T>
  Param(const std::optional<T>& v) : Param(nullptr) {
    if (v) *this = Param(*v);
  }
  static Param blob(std::string_view bytes) {
    Param p(bytes);
    p.kind_ = Kind::blob;
    return p;
  }

  Kind kind() const { return kind_; }
  std::int64_t integer() const { return i_; }
  double real() const { return d_; }
  std::string_view text() const { return s_; }

 private:
  Kind kind_;
  std::int64_t i_ = 0;
  double d_ = 0;
  std::string_view s_;
};

using Params = std::initializer_list<Param>;

// A SQL statement known at compile time. Each connection prepares it once, on first use, and
// finds it again by index rather than by hashing its text.
// PostgreSQL infers each parameter's type from its first use, so an optional filter is written
// "(col = $n OR $n IS NULL)", never "($n IS NULL OR ...)"; a parameter that is only ever tested
// for NULL needs CAST($n AS TEXT).
class Statement {
 public:
  explicit Statement(std::string_view sql) : sql_(sql), index_(next_index_++) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  std::string_view sql() const { return sql_; }
  std::size_t index() const { return index_; }

 private:
  std::string_view sql_;
  std::size_t index_;
  static inline std::atomic<std::size_t> next_index_{0};
};

class RowsImpl {
 public:
  virtual ~RowsImpl() = default;
  virtual bool next() = 0;
  // Result metadata, for generic copies (certreg copy).
  virtual int columns() const = 0;
  virtual std::string_view name(int col) const = 0;
  // The kind of the value in this row (Param::Kind::null when it is NULL).
  virtual Param::Kind kind(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  virtual std::int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual std::string_view text(int col) const = 0;
};

// A result set read forward, one row at a time. Views returned by text() last until next().
class Rows {
 public:
  explicit Rows(std::unique_ptr<RowsImpl> impl) : impl_(std::move(impl)) {}
  bool next() { return impl_->next(); }
  int columns() const { return impl_->columns(); }
  std::string_view name(int col) const { return impl_->name(col); }
  Param::Kind kind(int col) const { return impl_->kind(col); }
  bool is_null(int col) const { return impl_->is_null(col); }
  std::int64_t integer(int col) const { return impl_->integer(col); }
  double real(int col) const { return impl_->real(col); }
  std::string_view text(int col) const { return impl_->text(col); }
  std::string str(int col) const { return std::string(impl_->text(col)); }
  std::optional<std::string> opt_str(int col) const {
    if (is_null(col)) return std::nullopt;
    return str(col);
  }
  std::optional<std::int64_t> opt_integer(int col) const {
    if (is_null(col)) return std::nullopt;
    return integer(col);
  }

 private:
  std::unique_ptr<RowsImpl> impl_;
};

using ParamSpan = std::span<const Param>;

class Connection {
 public:
  virtual ~Connection() = default;
  Rows query(const Statement& st, Params params = {}) { return run_query(st, span(params)); }
  Rows query(const Statement& st, ParamSpan params) { return run_query(st, params); }
  // Runs a statement that returns no rows; returns the number of rows it changed.
  std::int64_t execute(const Statement& st, Params params = {}) {
    return run_execute(st, span(params));
  }
  std::int64_t execute(const Statement& st, ParamSpan params) { return run_execute(st, params); }
  // Runs a statement whose reply nobody waits for (a SAVEPOINT, a history row): an engine may
  // hold it and send it with the next statement in one round trip (PostgreSQL pipeline mode).
  // If it fails, the next statement on this connection reports the failure.
  void execute_later(const Statement& st, Params params = {}) { run_later(st, span(params)); }
  // Adds `delta` to the counter row that `upsert` keeps under (key_text, key_int); upsert's
  // parameters are those two, then the amount to add. In a write job this runs once per write
  // group, not once per job: PooledDatabase sums a group's additions per statement and key,
  // drops those of a job that fails with its savepoint, and runs the sums, in key order, just
  // before the group commits (flush_counters). Counters are for rows no job reads.
  void add_to_counter(const Statement& upsert, std::string_view key_text, std::int64_t key_int,
                      std::int64_t delta);
  // For the writer: the current job's additions join its group's (kept) or are dropped.
  void end_job_counters(bool kept);
  // For the writer, before the group's COMMIT: runs the group's sums; none is left after it,
  // also when it throws.
  void flush_counters();
  // For the writer, when the group does not commit.
  void drop_counters() {
    job_counters_.clear();
    group_counters_.clear();
  }
  // Runs unprepared SQL, possibly several statements (migrations, transaction control).
  virtual void script(std::string_view sql) = 0;
  virtual std::string_view engine() const = 0;
  // Starts and ends a read-only transaction that sees one consistent snapshot.
  virtual void begin_read() = 0;
  virtual void end_read() = 0;
  // A reader connection is handed to a request (lease_begin) and back (lease_end), on the thread
  // of that request. An engine may keep a read transaction open from one lease to the next, as
  // long as the lease still sees every commit made before it began; within a lease it may then
  // read that one snapshot throughout (SQLite does), so a read that must follow a write takes a
  // new lease.
  virtual void lease_begin() {}
  virtual void lease_end() {}

 protected:
  virtual Rows run_query(const Statement& st, ParamSpan params) = 0;
  virtual void run_later(const Statement& st, ParamSpan params) { run_execute(st, params); }
  virtual std::int64_t run_execute(const Statement& st, ParamSpan params) = 0;

 private:
  static ParamSpan span(Params p) { return ParamSpan(p.begin(), p.size()); }

  // Counter additions by (statement index, key_text, key_int): the current job's, its group's.
  using CounterKey = std::tuple<std::size_t, std::string, std::int64_t>;
  struct CounterSum {
    const Statement* upsert;
    std::int64_t delta;
  };
  using Counters = std::map<CounterKey, CounterSum, std::less<>>;
  Counters job_counters_, group_counters_;
};

// Runs a read-only unit of work against one consistent snapshot.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& c) : c_(c) { c_.begin_read(); }
  ~ReadSnapshot() { c_.end_read(); }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& c_;
};

// Work run inside a write transaction; `done` is called once, after the commit (with nullptr) or
// after a failure (with the exception). Jobs are committed in groups: a job that throws is rolled
// back alone (savepoint), the others in its group still commit.
using WriteWork = std::function<void(Connection&)>;
using WriteDone = std::function<void(std::exception_ptr)>;

class Database {
 public:
  class Lease;
  virtual ~Database() = default;
  virtual std::string_view engine() const = 0;
  // A connection for reads, held by the caller until the lease ends.
  virtual Lease reader() = 0;
  virtual void submit(WriteWork work, WriteDone done) = 0;
  // Finishes queued writes and stops the writer; later submits fail.
  virtual void stop() = 0;

  // Submits and waits: for the command line, provisioning and tests, never for request handlers.
  void write(WriteWork work);

 protected:
  virtual void release(Connection* c) = 0;
};

class Database::Lease {
 public:
  Lease(Database* db, Connection* c) : db_(db), c_(c) {}
  Lease(Lease&& o) noexcept : db_(o.db_), c_(o.c_) { o.c_ = nullptr; }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (c_) db_->release(c_);
  }
  Connection& operator*() const { return *c_; }
  Connection* operator->() const { return c_; }

 private:
  Database* db_;
  Connection* c_;
};

struct DatabaseOptions {
  int readers = 4;        // pooled read connections
  bool sync_full = true;  // fsync on every commit (SQLite synchronous=FULL)
};

// Opens "sqlite:PATH" (PATH may be relative) or a PostgreSQL URI ("postgresql://..." or
// "postgres://..."), and applies pending migrations.
std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options);

}  // namespace certreg::store
