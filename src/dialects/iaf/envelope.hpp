// The IAF CertSearch reply envelopes: {"error": true, "timestamp", "elapse", "errors": {...}} for
// errors, the validation_error field map, and the bulk upload's per-record shape.
#pragma once

#include <string_view>

#include "dialects/iaf/parse.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace certreg::dialects::iaf {

inline constexpr std::string_view kNotFoundMessage =
    "The requested resource could not be found but may be available again in the future. "
    "Subsequent requests by the client are permissible.";
inline constexpr std::string_view kInvalidTokenMessage = "Invalid Session token has been used.";

http::Response error(const http::Request& req, int status, std::string_view code,
                     std::string_view message);
http::Response validation_error(const http::Request& req, const Problems& problems);
// One field and message, for rules checked against stored data.
http::Response validation_error(const http::Request& req, std::string_view field,
                                std::string_view message);
http::Response bulk_record_error(const http::Request& req, std::size_t record_index,
                                 const Problems& problems);
http::Response unauthorized(const http::Request& req);
http::Response not_found(const http::Request& req);
// Errors raised by the HTTP layer for paths under /api/client/.
http::Response http_error(const http::Request& req, http::HttpError e);

}  // namespace certreg::dialects::iaf
