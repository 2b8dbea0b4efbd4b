// Method + path pattern -> handler. Patterns are literal segments and {name} captures
// ("/api/client/v1/cb/cert/{id}"), kept in a tree by segment: a literal segment wins over a
// capture at the same place, without backtracking. Each dialect registers hooks for its path
// prefix: an error renderer, so that 404, 405, 413, 429 and other errors raised before or around a
// handler use its envelope, and how to find the caller's credential, for the rate limit.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.hpp"
#include "http/message.hpp"
#include "http/rate_limit.hpp"

namespace certreg::http {

using Handler = std::function<void(Request&, Reply)>;

enum class HttpError {
  bad_request,         // malformed HTTP
  not_found,           // no route for the path
  method_not_allowed,  // the path exists with other methods
  payload_too_large,   // body over the route's limit
  header_too_large,
  too_many_requests,  // over the caller's rate limit
  internal,           // a handler threw something unexpected
  unavailable,        // shutting down
};

int status_of(HttpError e);

using ErrorRenderer = std::function<Response(const Request&, HttpError)>;
// The caller's key or token as the dialect reads it; empty when the request carries none.
using CredentialOf = std::function<std::string(const Request&)>;

struct DialectHooks {
  ErrorRenderer render;
  CredentialOf credential;
};

struct RouteOptions {
  std::size_t body_limit = limits::kDefaultBodyBytes;
};

// A registered route as it was added ("/api/client/v1/cb/cert/{company_certifications_id}").
struct RouteInfo {
  Method method;
  std::string pattern;
};

class Router {
 public:
  Router();

  void add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  void set_dialect(std::string prefix, DialectHooks hooks);
  // Requests under a dialect's prefix then spend a token of their credential's bucket (of the
  // client address without one) before routing; an empty bucket answers 429 with Retry-After.
  void set_rate_limit(RateLimit limit);
  // Every route, in the order added: what the server serves, for GET /admin/v1/routes.
  const std::vector<RouteInfo>& routes() const { return table_; }

  // The body limit for a request, known from its header alone.
  std::size_t body_limit(Method method, std::string_view path) const;
  // Runs the matching handler, or replies with the dialect's error. Never throws.
  void dispatch(Request& request, Reply reply) const;
  Response error(const Request& request, HttpError e) const;

 private:
  struct Route {
    Method method;
    Handler handler;
    RouteOptions options;
  };
  // Routes by path segment: a literal child per segment text, one child for a {capture}.
  struct Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
    std::unique_ptr<Node> capture;
    std::vector<Route> routes;  // one per method
  };
  // The node of a path (captures appended to `params`), or nullptr. Allocates nothing.
  const Node* find(std::string_view path, std::vector<std::string_view>* params) const;
  static const Route* route_for(const Node& node, Method method);

  const std::pair<std::string, DialectHooks>* dialect_of(std::string_view path) const;
  // True when the request may go on; otherwise it has been answered with 429.
  bool admit(const Request& request, const Reply& reply) const;

  Node root_;
  std::vector<RouteInfo> table_;
  std::vector<std::pair<std::string, DialectHooks>> dialects_;  // longest prefix first
  ErrorRenderer default_renderer_;
  std::unique_ptr<RateLimiter> limiter_;
};

}  // namespace certreg::http
