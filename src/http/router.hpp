// Method + path pattern -> handler. Patterns are literal segments and {name} captures
// ("/api/client/v1/cb/cert/{id}"). Each dialect registers an error renderer for its path prefix,
// so that 404, 405, 413 and other errors raised before or around a handler use its envelope.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.hpp"
#include "http/message.hpp"

namespace certreg::http {

using Handler = std::function<void(Request&, Reply)>;

enum class HttpError {
  bad_request,         // malformed HTTP
  not_found,           // no route for the path
  method_not_allowed,  // the path exists with other methods
  payload_too_large,   // body over the route's limit
  header_too_large,
  internal,     // a handler threw something unexpected
  unavailable,  // shutting down
};

int status_of(HttpError e);

using ErrorRenderer = std::function<Response(const Request&, HttpError)>;

struct RouteOptions {
  std::size_t body_limit = limits::kDefaultBodyBytes;
};

class Router {
 public:
  Router();

  void add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  void set_error_renderer(std::string prefix, ErrorRenderer renderer);

  // The body limit for a request, known from its header alone.
  std::size_t body_limit(Method method, std::string_view path) const;
  // Runs the matching handler, or replies with the dialect's error. Never throws.
  void dispatch(Request& request, Reply reply) const;
  Response error(const Request& request, HttpError e) const;

 private:
  struct Route {
    Method method;
    std::vector<std::string> segments;  // "{}" marks a capture
    Handler handler;
    RouteOptions options;
  };
  const Route* match(Method method, std::string_view path, std::vector<std::string_view>* params,
                     std::string* allowed) const;

  std::vector<Route> routes_;
  std::vector<std::pair<std::string, ErrorRenderer>> renderers_;  // longest prefix first
  ErrorRenderer default_renderer_;
};

}  // namespace certreg::http
