// The server's request handling without its sockets, for the fuzz targets that go through the
// router and the handlers: certreg::Application (every dialect, as `certreg serve` wires it) on a
// SQLite database in a temporary directory, provisioned with demo/provision.json.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "application.hpp"
#include "http/message.hpp"
#include "store/db.hpp"

namespace certreg::fuzz {

// Inputs name the demo EDIN user's session with this placeholder, of a real token's length; the
// harness puts the session it opened in its place (tokens are random, seeds are not).
inline constexpr std::string_view kEdinTokenPlaceholder = "EDIN-SESSION-TOKEN-26CHARS";
inline constexpr std::string_view kAdminToken = "fuzz-admin-token";

class App {
 public:
  // The process's one instance, set up on first use and left for the process exit.
  static App& instance();

  const http::Router& router() { return app_->router(); }
  // Dispatches the request and waits for its one reply (a handler that never replies hangs the
  // target, which libFuzzer reports as a timeout).
  http::Response handle(http::Request& request);
  // `text` with every placeholder replaced by the EDIN session.
  std::string with_edin_token(std::string_view text) const;

 private:
  App();
  std::string dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Application> app_;
  std::string edin_token_;
};

}  // namespace certreg::fuzz
