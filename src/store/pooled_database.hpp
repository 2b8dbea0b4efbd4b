// The Database every engine shares: one writer connection on its own thread that commits queued
// jobs in groups (each job in a savepoint), and a pool of reader connections. An engine supplies
// only its Connection.
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

  // Opens the writer connection and applies pending migrations on it before anything else.
  // `begin_write` starts a write transaction ("BEGIN IMMEDIATE" for SQLite).
  PooledDatabase(std::string engine, Factory factory, std::string begin_write);
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
  void writer_loop();
  void run_group(std::vector<Job>& batch, std::vector<std::exception_ptr>& results);

  std::string engine_;
  Factory factory_;
  std::string begin_write_;
  std::unique_ptr<Connection> writer_conn_;
  std::thread writer_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> all_readers_;
  std::vector<Connection*> free_readers_;
};

}  // namespace certreg::store
