#include "store/pooled_database.hpp"

#include <spdlog/spdlog.h>

#include "core/limits.hpp"
#include "core/thread_name.hpp"
#include "store/errors.hpp"
#include "store/migrations.hpp"

namespace certreg::store {

namespace {
constexpr int kJobAttempts = 3;  // a job that hits a deadlock is run again, this many times in all
}

PooledDatabase::PooledDatabase(std::string engine, Factory factory, std::string begin_write,
                               MakeDurable make_durable)
    : engine_(std::move(engine)),
      factory_(std::move(factory)),
      begin_write_(std::move(begin_write)),
      make_durable_(std::move(make_durable)) {
  writer_conn_ = factory_();
  migrate(*writer_conn_);
  if (make_durable_) {
    make_durable_();  // the migrations' commits
    durability_ = std::thread([this] {
      name_this_thread("certreg-sync");
      durability_loop();
    });
  }
  writer_ = std::thread([this] {
    name_this_thread("certreg-writer");
    writer_loop();
  });
}

PooledDatabase::~PooledDatabase() {
  stop();
}

Database::Lease PooledDatabase::reader() {
  Connection* c = nullptr;
  {
    std::lock_guard lock(readers_mu_);
    if (!free_readers_.empty()) {
      c = free_readers_.back();
      free_readers_.pop_back();
    }
  }
  if (!c) {
    auto conn = factory_();
    c = conn.get();
    std::lock_guard lock(readers_mu_);
    all_readers_.push_back(std::move(conn));
  }
  Lease lease(this, c);  // first: if lease_begin throws, the connection still goes back
  c->lease_begin();
  return lease;
}

void PooledDatabase::release(Connection* c) {
  c->lease_end();
  std::lock_guard lock(readers_mu_);
  free_readers_.push_back(c);
}

void PooledDatabase::submit(WriteWork work, WriteDone done) {
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

void PooledDatabase::stop() {
  {
    std::lock_guard lock(queue_mu_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
    queue_cv_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(committed_mu_);
    writer_done_ = true;
    committed_cv_.notify_one();
  }
  if (durability_.joinable()) durability_.join();
}

void PooledDatabase::run_group(std::vector<Job>& batch, std::vector<std::exception_ptr>& results) {
  static const Statement kCommit{"COMMIT"};
  static const Statement kSavepoint{"SAVEPOINT job"};
  static const Statement kRelease{"RELEASE SAVEPOINT job"};
  static const Statement kRollbackTo{"ROLLBACK TO SAVEPOINT job"};
  Connection& c = *writer_conn_;
  results.assign(batch.size(), nullptr);
  try {
    c.script(begin_write_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      for (int attempt = 1;; ++attempt) {
        c.execute_later(kSavepoint);
        try {
          batch[i].work(c);
          c.execute(kRelease);  // now, so that what the job held has succeeded or failed
          c.end_job_counters(true);
          break;
        } catch (const RetryableError&) {
          c.end_job_counters(false);
          c.execute(kRollbackTo);
          c.execute(kRelease);
          if (attempt < kJobAttempts) continue;
          results[i] = std::current_exception();
          break;
        } catch (...) {
          results[i] = std::current_exception();
          c.end_job_counters(false);
          c.execute(kRollbackTo);
          c.execute(kRelease);
          break;
        }
      }
    }
    c.flush_counters();
    c.execute(kCommit);
  } catch (...) {
    c.drop_counters();
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
}

void PooledDatabase::writer_loop() {
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
    run_group(batch, results);
    if (make_durable_) {
      std::lock_guard lock(committed_mu_);
      committed_.push_back(Committed{std::move(batch), std::move(results)});
      committed_cv_.notify_one();
    } else {
      acknowledge(batch, results, nullptr);
    }
    batch.clear();
  }
}

void PooledDatabase::acknowledge(std::vector<Job>& batch,
                                 const std::vector<std::exception_ptr>& results,
                                 const std::exception_ptr& failure) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      batch[i].done(results[i] ? results[i] : failure);
    } catch (const std::exception& e) {
      spdlog::error("write completion threw: {}", e.what());
    }
  }
}

void PooledDatabase::durability_loop() {
  std::vector<Committed> groups;
  for (;;) {
    {
      std::unique_lock lock(committed_mu_);
      committed_cv_.wait(lock, [this] { return writer_done_ || !committed_.empty(); });
      if (committed_.empty()) return;  // the writer has stopped and everything is acknowledged
      groups.swap(committed_);
    }
    // A job told of success must find its write after a power failure. If the sync fails, what
    // was committed may or may not be on disk: its jobs are told they failed.
    std::exception_ptr failure;
    try {
      make_durable_();
    } catch (const std::exception& e) {
      spdlog::critical("committed writes could not be made durable: {}", e.what());
      failure = std::make_exception_ptr(DbError(std::string("durable commit failed: ") + e.what()));
    }
    for (auto& g : groups) acknowledge(g.jobs, g.results, failure);
    groups.clear();
  }
}

}  // namespace certreg::store
