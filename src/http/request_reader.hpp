// Reading one request off a connection, without the connection: Beast's parser as every session
// configures it, and what a session does once the header and then the body are in. The server
// feeds it from a socket; the HTTP fuzz target from a byte string (fuzz/http.cpp).
#pragma once

#include <optional>

#include "http/beast.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace certreg::http {

// Header lookup in the parser's fields, without copying them.
class BeastHeaders final : public HeaderSource {
 public:
  explicit BeastHeaders(const beast::http::fields* f) : fields_(f) {}
  std::string_view get(std::string_view name) const override;

 private:
  const beast::http::fields* fields_;
};

class RequestReader {
 public:
  using Parser = beast::http::request_parser<beast::http::string_body>;

  // Whether a read ended because the connection did (closed, reset or timed out): nothing to
  // answer, the session just closes.
  static bool connection_ended(beast::error_code ec);

  // A fresh parser for the next request: the header limit, and the largest body limit until the
  // header names the route, whose own limit then applies.
  Parser& start();
  Parser& parser() { return *parser_; }

  // The header has been read, `ec` being how the read ended (the caller has already dealt with
  // a closed connection). Fills the method, target and headers of `request` and applies the
  // route's body limit. Returns the error to answer with, or nullopt: read the body.
  std::optional<HttpError> header_read(beast::error_code ec, const Router& router,
                                       Request& request);
  // The body has been read: moves it into `request`, or returns the error to answer with.
  std::optional<HttpError> body_read(beast::error_code ec, Request& request);

 private:
  std::optional<Parser> parser_;
  BeastHeaders headers_{nullptr};
};

}  // namespace certreg::http
