#include "dialects/origin/jobs.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/thread_name.hpp"
#include "dialects/origin/parse.hpp"
#include "dialects/origin/render.hpp"
#include "json/writer.hpp"
#include "store/origin_repo.hpp"

namespace certreg::dialects::origin {
namespace co = certreg::origin;
namespace repo = store::origin;

namespace {

std::string error_result(std::string_view batch_id, std::string_view code,
                         const std::vector<std::string>& messages) {
  json::Writer w;
  w.begin_object().field("executionStatus", "ERROR").field("batchId", batch_id).field("code", code);
  w.key("messages").begin_array();
  for (const auto& m : messages) w.value(m);
  w.end_array().end_object();
  return w.take();
}

Action action_of(std::string_view command) {
  if (command == "certifications_create") return Action::create;
  if (command == "certifications_delete") return Action::remove;
  return Action::update;
}

}  // namespace

void JobRunner::start(int workers) {
  for (int i = 0; i < workers; ++i)
    threads_.emplace_back([this] {
      name_this_thread("certreg-async");
      loop();
    });
}

void JobRunner::notify() {
  std::lock_guard lock(mu_);
  pending_ = true;
  cv_.notify_one();
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void JobRunner::loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || pending_; });
      if (stopping_) return;
      pending_ = false;
    }
    try {
      while (run_one()) {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
    } catch (const std::exception& e) {
      // The job stays pending and is tried again on the next round.
      spdlog::error("origin job runner: {}", e.what());
    }
  }
}

bool JobRunner::run_one() {
  bool found = false;
  service_.database().write([&](store::Connection& c) {
    auto job = repo::next_pending_job(c);
    if (!job) return;
    found = true;
    std::string state = "DONE", result;
    Messages messages;
    json::Element root;
    std::optional<co::Command> cmd;
    Version version = job->version == "v2" ? Version::v2 : Version::v1;
    if (parse_body(job->request, root, messages))
      cmd = parse_command(root, action_of(job->command), version, max_items_, messages);
    if (!cmd) {
      state = "ERROR";
      result = error_result(job->id, kCE00001, messages);
    } else {
      // The job's own changes roll back alone when it is rejected; its ERROR result still commits.
      c.script("SAVEPOINT origin_job");
      try {
        result = outcome_result(co::Service::execute(c, job->company_id, *cmd));
        c.script("RELEASE origin_job");
      } catch (const co::Rejected& r) {
        c.script("ROLLBACK TO origin_job");
        c.script("RELEASE origin_job");
        state = "ERROR";
        result = error_result(job->id, kCE00001, problem_messages(r.problems));
      }
    }
    repo::finish_job(c, job->id, state, result, clock::unix_seconds());
  });
  return found;
}

}  // namespace certreg::dialects::origin
