// The services and routes `certreg serve` runs over one database, without the HTTP server: what
// main.cpp serves and what the fuzz targets that go through handlers dispatch to.
#pragma once

#include <cstddef>
#include <string>

#include "core/edin_service.hpp"
#include "core/iaf_service.hpp"
#include "core/limits.hpp"
#include "core/origin_service.hpp"
#include "core/sertifika_service.hpp"
#include "core/work_pool.hpp"
#include "dialects/edin/routes.hpp"
#include "dialects/origin/jobs.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

namespace certreg {

struct ApplicationOptions {
  std::string admin_token;  // empty: POST /admin/v1/provision is off
  std::size_t iaf_bulk_max = limits::kIafDefaultBulkRecords;
  std::string public_url;  // Origin's poolingCallback base
  int async_workers = 1;   // Origin's asynchronous jobs
  dialects::edin::Options edin;
};

class Application {
 public:
  Application(store::Database& db, const ApplicationOptions& options);
  ~Application() { stop(); }
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  http::Router& router() { return router_; }
  // Stops the background workers (Origin's jobs, password hashing); idempotent.
  void stop();

 private:
  iaf::Service iaf_;
  origin::Service origin_;
  sertifika::Service sertifika_;
  dialects::origin::JobRunner origin_jobs_;
  WorkPool slow_work_{1};  // password hashing, off the HTTP threads
  edin::Service edin_;
  http::Router router_;
};

}  // namespace certreg
