// Requests and responses as handlers see them: plain structs with no Beast types, so handlers,
// routers and fuzzers work without a socket.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certreg::http {

enum class Method { get, post, put, del, patch, head, options, other };

std::string_view method_name(Method m);
Method method_from(std::string_view name);

// Header lookup without copying the headers out of the parser (case-insensitive names).
class HeaderSource {
 public:
  virtual ~HeaderSource() = default;
  virtual std::string_view get(std::string_view name) const = 0;
};

struct Request {
  Method method = Method::get;
  std::string target;  // as sent: path and query
  std::string body;
  const HeaderSource* headers = nullptr;
  std::string_view remote;  // the client's address, owned by its connection
  std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now();
  std::vector<std::string_view> params;  // path captures, filled by the router

  std::string_view path() const;
  std::string_view query() const;
  std::string_view header(std::string_view name) const {
    return headers ? headers->get(name) : std::string_view{};
  }
  // First value of a query parameter, percent-decoded (left raw if its escapes are malformed).
  // nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  // Seconds since the request was read, for envelopes that report it.
  double elapsed_seconds() const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this response

  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

// Where a handler sends its one response. Safe to call from any thread (for example the database
// writer after a commit); the session writes it on its own strand.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  virtual void send(Response&& response) = 0;
};

class Reply {
 public:
  explicit Reply(std::shared_ptr<ReplySink> sink) : sink_(std::move(sink)) {}
  void send(Response response) const { sink_->send(std::move(response)); }

 private:
  std::shared_ptr<ReplySink> sink_;
};

}  // namespace certreg::http
