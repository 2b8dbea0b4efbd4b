// Asynchronous Origin requests: accepted requests wait in origin_jobs until a worker of any
// instance runs them. A job's changes, and the result it records, commit in one transaction, so
// a job runs exactly once even if the process dies half-way.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/origin_service.hpp"

namespace certreg::dialects::origin {

class JobRunner {
 public:
  JobRunner(certreg::origin::Service& service, std::size_t max_items)
      : service_(service), max_items_(max_items) {}
  ~JobRunner() { stop(); }

  void start(int workers);
  // Wakes a worker now (a job was just accepted); workers also look every second.
  void notify();
  void stop();
  // Runs the oldest pending job, if any; returns whether there was one.
  bool run_one();

 private:
  void loop();

  certreg::origin::Service& service_;
  std::size_t max_items_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool pending_ = false;
};

}  // namespace certreg::dialects::origin
