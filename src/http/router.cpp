#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "json/writer.hpp"

namespace certreg::http {

int status_of(HttpError e) {
  switch (e) {
    case HttpError::bad_request:
      return 400;
    case HttpError::not_found:
      return 404;
    case HttpError::method_not_allowed:
      return 405;
    case HttpError::payload_too_large:
      return 413;
    case HttpError::header_too_large:
      return 431;
    case HttpError::too_many_requests:
      return 429;
    case HttpError::internal:
      return 500;
    case HttpError::unavailable:
      return 503;
  }
  return 500;
}

static std::string_view error_code(HttpError e) {
  switch (e) {
    case HttpError::bad_request:
      return "bad_request";
    case HttpError::not_found:
      return "not_found";
    case HttpError::method_not_allowed:
      return "method_not_allowed";
    case HttpError::payload_too_large:
      return "payload_too_large";
    case HttpError::header_too_large:
      return "header_too_large";
    case HttpError::too_many_requests:
      return "too_many_requests";
    case HttpError::internal:
      return "internal_error";
    case HttpError::unavailable:
      return "unavailable";
  }
  return "error";
}

Router::Router() {
  default_renderer_ = [](const Request&, HttpError e) {
    json::Writer w;
    w.begin_object().field("error", error_code(e)).end_object();
    return Response::json(status_of(e), w.take());
  };
}

void Router::add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  table_.push_back(RouteInfo{method, std::string(pattern)});
  Node* node = &root_;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '/') {
      ++i;
      continue;
    }
    auto j = pattern.find('/', i);
    if (j == std::string_view::npos) j = pattern.size();
    std::string_view seg = pattern.substr(i, j - i);
    i = j;
    bool capture = seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
    auto& next = capture ? node->capture : node->literal[std::string(seg)];
    if (!next) next = std::make_unique<Node>();
    node = next.get();
  }
  node->routes.push_back(Route{method, std::move(handler), options});
}

void Router::set_dialect(std::string prefix, DialectHooks hooks) {
  dialects_.emplace_back(std::move(prefix), std::move(hooks));
  std::sort(dialects_.begin(), dialects_.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void Router::set_rate_limit(RateLimit limit) {
  limiter_ = std::make_unique<RateLimiter>(limit);
}

const std::pair<std::string, DialectHooks>* Router::dialect_of(std::string_view path) const {
  for (const auto& d : dialects_)
    if (path.substr(0, d.first.size()) == d.first) return &d;
  return nullptr;
}

bool Router::admit(const Request& request, const Reply& reply) const {
  const auto* dialect = dialect_of(request.path());
  if (!dialect) return true;  // /healthz, /admin: not a tenant's API
  const auto& [prefix, hooks] = *dialect;
  std::string credential = hooks.credential ? hooks.credential(request) : std::string();
  std::string key = prefix;
  key += credential.empty() ? " address " : " credential ";
  key += credential.empty() ? request.remote : credential;
  auto wait = limiter_->admit(key);
  if (!wait) return true;
  Response res = hooks.render(request, HttpError::too_many_requests);
  res.headers.emplace_back("Retry-After", std::to_string(static_cast<long>(std::ceil(*wait))));
  reply.send(std::move(res));
  return false;
}

const Router::Node* Router::find(std::string_view path,
                                 std::vector<std::string_view>* params) const {
  const Node* node = &root_;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    i = j;
    if (auto it = node->literal.find(seg); it != node->literal.end()) {
      node = it->second.get();
    } else if (node->capture) {
      node = node->capture.get();
      if (params) params->push_back(seg);
    } else {
      return nullptr;
    }
  }
  return node->routes.empty() ? nullptr : node;
}

const Router::Route* Router::route_for(const Node& node, Method method) {
  for (const auto& r : node.routes)
    if (r.method == method) return &r;
  return nullptr;
}

std::size_t Router::body_limit(Method method, std::string_view path) const {
  const Node* node = find(path, nullptr);
  const Route* r = node ? route_for(*node, method) : nullptr;
  return r ? r->options.body_limit : limits::kDefaultBodyBytes;
}

Response Router::error(const Request& request, HttpError e) const {
  const auto* dialect = dialect_of(request.path());
  return dialect ? dialect->second.render(request, e) : default_renderer_(request, e);
}

void Router::dispatch(Request& request, Reply reply) const {
  if (limiter_ && !admit(request, reply)) return;
  request.params.clear();
  const Node* node = find(request.path(), &request.params);
  const Route* r = node ? route_for(*node, request.method) : nullptr;
  if (!r) {
    if (!node) {
      reply.send(error(request, HttpError::not_found));
      return;
    }
    std::string allowed;
    for (const auto& other : node->routes) {
      if (!allowed.empty()) allowed += ", ";
      allowed += method_name(other.method);
    }
    if (request.method == Method::options) {
      Response res;
      res.status = 204;
      res.content_type.clear();
      res.headers.emplace_back("Allow", allowed + ", OPTIONS");
      reply.send(std::move(res));
      return;
    }
    Response res = error(request, HttpError::method_not_allowed);
    res.headers.emplace_back("Allow", allowed);
    reply.send(std::move(res));
    return;
  }
  try {
    r->handler(request, reply);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: unhandled: {}", method_name(request.method), request.path(), e.what());
    reply.send(error(request, HttpError::internal));
  }
}

}  // namespace certreg::http
