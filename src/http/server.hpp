// HTTP/1.1 server on Boost.Beast: keep-alive, per-route body limits, timeouts, graceful stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/limits.hpp"
#include "http/router.hpp"

namespace certreg::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port; port() tells which
  int threads = 1;
  std::chrono::seconds idle_timeout = limits::kIdleTimeout;
  std::chrono::seconds request_timeout = limits::kRequestTimeout;
  std::chrono::seconds write_timeout = limits::kWriteTimeout;
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // SIGINT and SIGTERM are caught from construction on. Serves until one comes or stop(): then
  // stops accepting, lets in-flight requests finish
  // (up to limits::kShutdownGrace), closes idle connections and returns.
  void run();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace certreg::http
