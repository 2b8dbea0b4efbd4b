#include "common/app.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <stdexcept>

#include "admin/provisioning.hpp"
#include "json/reader.hpp"

namespace certreg::fuzz {
namespace {

class PromiseSink final : public http::ReplySink {
 public:
  void send(http::Response&& response) override { promise_.set_value(std::move(response)); }
  std::future<http::Response> future() { return promise_.get_future(); }

 private:
  std::promise<http::Response> promise_;
};

}  // namespace

App& App::instance() {
  static App* app = new App();  // never destroyed: libFuzzer exits without unwinding
  return *app;
}

App::App() {
  spdlog::set_level(spdlog::level::off);  // handlers log rejected input; that is not news here
  std::string tmpl = (std::filesystem::temp_directory_path() / "certreg-fuzz-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  // libFuzzer ends a run with exit(); a crash keeps the database for a look.
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(instance().dir_, ignored);
  });
  store::DatabaseOptions dbo;
  dbo.readers = 1;
  dbo.sync_full = false;
  db_ = store::open_database("sqlite:" + dir_ + "/certreg.db", dbo);
  admin::apply_provisioning(
      *db_, admin::parse_provisioning_file(CERTREG_SOURCE_DIR "/demo/provision.json"));
  app_ = std::make_unique<Application>(*db_,
                                       ApplicationOptions{.admin_token = std::string(kAdminToken)});

  http::Request login;
  login.method = http::Method::post;
  login.target = "/Api/V1/User/Authorize";
  login.body = R"({"varLogin": "supplier1", "varPassword": "s3cret"})";
  auto reply = handle(login);
  json::Element root;
  std::string_view token;
  if (json::parse(reply.body, root) != json::ParseStatus::ok ||
      root["varToken"].get(token) != simdjson::SUCCESS ||
      token.size() != kEdinTokenPlaceholder.size())
    throw std::runtime_error("EDIN login failed: " + reply.body);
  edin_token_ = token;
}

http::Response App::handle(http::Request& request) {
  auto sink = std::make_shared<PromiseSink>();
  auto reply = sink->future();
  app_->router().dispatch(request, http::Reply(sink));
  return reply.get();
}

std::string App::with_edin_token(std::string_view text) const {
  std::string out(text);
  for (auto at = out.find(kEdinTokenPlaceholder); at != std::string::npos;
       at = out.find(kEdinTokenPlaceholder, at + edin_token_.size()))
    out.replace(at, kEdinTokenPlaceholder.size(), edin_token_);
  return out;
}

}  // namespace certreg::fuzz

// libFuzzer calls this once before the first input, if defined: the set-up (password hashes, the
// database) is then not timed as part of an input. Linked into the targets that use App.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  certreg::fuzz::App::instance();
  return 0;
}
