#include "http/request_reader.hpp"

#include "core/limits.hpp"

namespace certreg::http {

namespace bhttp = beast::http;

std::string_view BeastHeaders::get(std::string_view name) const {
  auto it = fields_->find(beast::string_view(name.data(), name.size()));
  if (it == fields_->end()) return {};
  auto v = it->value();
  return {v.data(), v.size()};
}

bool RequestReader::connection_ended(beast::error_code ec) {
  return ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
         ec == net::error::operation_aborted || ec == net::error::connection_reset ||
         ec == net::error::eof;
}

RequestReader::Parser& RequestReader::start() {
  parser_.emplace();
  parser_->header_limit(limits::kHeaderBytes);
  parser_->body_limit(limits::kLargestBodyBytes);
  return *parser_;
}

std::optional<HttpError> RequestReader::header_read(beast::error_code ec, const Router& router,
                                                    Request& request) {
  auto& msg = parser_->get();
  request.target = std::string(msg.target());
  request.method = method_from(std::string_view(msg.method_string()));
  headers_ = BeastHeaders(&msg.base());
  request.headers = &headers_;
  if (ec == bhttp::error::header_limit) return HttpError::header_too_large;
  if (ec == bhttp::error::body_limit) return HttpError::payload_too_large;
  if (ec) return HttpError::bad_request;

  std::size_t limit = router.body_limit(request.method, request.path());
  auto length = parser_->content_length();
  if (length && *length > limit) return HttpError::payload_too_large;
  parser_->body_limit(limit);
  return std::nullopt;
}

std::optional<HttpError> RequestReader::body_read(beast::error_code ec, Request& request) {
  if (ec == bhttp::error::body_limit) return HttpError::payload_too_large;
  if (ec) return HttpError::bad_request;
  request.body = std::move(parser_->get().body());
  return std::nullopt;
}

}  // namespace certreg::http
