#include "dialects/iaf/envelope.hpp"

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/limits.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {

namespace {

json::Writer& open(json::Writer& w, const http::Request& req) {
  return w.begin_object()
      .field("error", true)
      .field("timestamp", clock::unix_seconds())
      .field("elapse", req.elapsed_seconds());
}

}  // namespace

http::Response error(const http::Request& req, int status, std::string_view code,
                     std::string_view message) {
  json::Writer w;
  open(w, req).key("errors").begin_object().field("message", message).field("code", code);
  w.end_object().end_object();
  return http::Response::json(status, w.take());
}

http::Response validation_error(const http::Request& req, const Problems& problems) {
  json::Writer w;
  open(w, req).key("errors").begin_object().field("code", "validation_error");
  w.key("message").begin_object();
  std::vector<std::string_view> seen;
  for (const auto& p : problems) {
    if (std::find(seen.begin(), seen.end(), p.field) != seen.end()) continue;
    seen.push_back(p.field);
    w.field(p.field, p.message);
  }
  w.end_object().end_object().end_object();
  return http::Response::json(400, w.take());
}

http::Response validation_error(const http::Request& req, std::string_view field,
                                std::string_view message) {
  return validation_error(req, Problems{{std::string(field), std::string(message), "null"}});
}

http::Response bulk_record_error(const http::Request& req, std::size_t record_index,
                                 const Problems& problems) {
  json::Writer w;
  w.begin_object().key("data").begin_object().key("errors").begin_object();
  w.field("record_index", static_cast<std::int64_t>(record_index)).key("errors").begin_array();
  for (const auto& p : problems) {
    w.begin_object().field("message", p.message).field("code", "validation_error");
    w.key("meta").begin_object().field_raw(p.field, p.input_json).end_object();
    w.end_object();
  }
  w.end_array().end_object().end_object().end_object();
  (void)req;
  return http::Response::json(400, w.take());
}

http::Response unauthorized(const http::Request& req) {
  return error(req, 401, "invalid_session_token", kInvalidTokenMessage);
}

http::Response not_found(const http::Request& req) {
  return error(req, 404, "not_found", kNotFoundMessage);
}

http::Response http_error(const http::Request& req, http::HttpError e) {
  switch (e) {
    case http::HttpError::not_found:
      return not_found(req);
    case http::HttpError::method_not_allowed:
      return error(req, 405, "method_not_allowed",
                   fmt::format("The {} method is not supported for this route.",
                               http::method_name(req.method)));
    case http::HttpError::payload_too_large:
      return error(req, 413, "payload_too_large",
                   "The request body is larger than this endpoint accepts.");
    case http::HttpError::header_too_large:
      return error(req, 431, "header_too_large", "The request headers are too large.");
    case http::HttpError::too_many_requests:
      return error(req, 429, "too_many_requests",
                   "Too many requests for this API key; retry after Retry-After.");
    case http::HttpError::bad_request:
      return error(req, 400, "bad_request", "The request is not valid HTTP.");
    case http::HttpError::unavailable:
      return error(req, 503, "unavailable", "The server is shutting down; retry shortly.");
    case http::HttpError::internal:
      break;
  }
  return error(req, 500, "internal_error", "An unexpected error occurred.");
}

}  // namespace certreg::dialects::iaf
