#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

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

static std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

void Router::add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  Route r{method, {}, std::move(handler), options};
  for (auto seg : split_path(pattern)) {
    bool capture = seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
    r.segments.emplace_back(capture ? "{}" : std::string(seg));
  }
  routes_.push_back(std::move(r));
}

void Router::set_error_renderer(std::string prefix, ErrorRenderer renderer) {
  renderers_.emplace_back(std::move(prefix), std::move(renderer));
  std::sort(renderers_.begin(), renderers_.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

const Router::Route* Router::match(Method method, std::string_view path,
                                   std::vector<std::string_view>* params,
                                   std::string* allowed) const {
  auto segs = split_path(path);
  const Route* found = nullptr;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i)
      ok = r.segments[i] == "{}" ? !segs[i].empty() : r.segments[i] == segs[i];
    if (!ok) continue;
    if (r.method == method) {
      if (!found) found = &r;
    } else if (allowed) {
      if (!allowed->empty()) *allowed += ", ";
      *allowed += method_name(r.method);
    }
  }
  if (found && params) {
    params->clear();
    for (std::size_t i = 0; i < segs.size(); ++i)
      if (found->segments[i] == "{}") params->push_back(segs[i]);
  }
  return found;
}

std::size_t Router::body_limit(Method method, std::string_view path) const {
  const Route* r = match(method, path, nullptr, nullptr);
  return r ? r->options.body_limit : limits::kDefaultBodyBytes;
}

Response Router::error(const Request& request, HttpError e) const {
  std::string_view path = request.path();
  for (const auto& [prefix, renderer] : renderers_)
    if (path.substr(0, prefix.size()) == prefix) return renderer(request, e);
  return default_renderer_(request, e);
}

void Router::dispatch(Request& request, Reply reply) const {
  std::string allowed;
  const Route* r = match(request.method, request.path(), &request.params, &allowed);
  if (!r) {
    if (allowed.empty()) {
      reply.send(error(request, HttpError::not_found));
      return;
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
