// The Database every engine shares: one writer connection on its own thread that commits queued
// jobs in groups (each job in a savepoint), and a pool of reader connections. An engine supplies
// its Connection and, if its commits do not wait for the disk themselves, a way to make them
// durable.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/db.hpp"

namespace certreg::store {

class PooledDatabase final : public Database {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  // Makes every commit made so far durable; throws if it cannot.
  using MakeDurable = std::function<void()>;

  // Opens the writer connection and applies pending migrations on it before anything else.
  // `begin_write` starts a write transaction ("BEGIN IMMEDIATE" for SQLite).
  // With `make_durable`, a commit returns before it is on disk and a second thread acknowledges
  // each group of jobs only after a make_durable() that began after its commit, while the writer
  // runs the next group: the disk's wait overlaps the next group's work instead of following it,
  // and one sync covers every group committed while the previous one ran.
  PooledDatabase(std::string engine, Factory factory, std::string begin_write,
                 MakeDurable make_durable = {});
  ~PooledDatabase() override;

  std::string_view engine() const override { return engine_; }
  Lease reader() override;
  void submit(WriteWork work, WriteDone done) override;
  void stop() override;

 protected:
  void release(Connection* c) override;

 private:
  struct Job {
    WriteWork work;
    WriteDone done;
  };
  // A group the writer committed, waiting for make_durable() before its jobs hear of it.
  struct Committed {
    std::vector<Job> jobs;
    std::vector<std::exception_ptr> results;
  };
  void writer_loop();
  void run_group(std::vector<Job>& batch, std::vector<std::exception_ptr>& results);
  static void acknowledge(std::vector<Job>& batch, const std::vector<std::exception_ptr>& results,
                          const std::exception_ptr& failure);
  void durability_loop();

  std::string engine_;
  Factory factory_;
  std::string begin_write_;
  std::unique_ptr<Connection> writer_conn_;
  std::thread writer_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  MakeDurable make_durable_;
  std::thread durability_;
  std::mutex committed_mu_;
  std::condition_variable committed_cv_;
  std::vector<Committed> committed_;
  bool writer_done_ = false;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> all_readers_;
  std::vector<Connection*> free_readers_;
};

}  // namespace certreg::store
