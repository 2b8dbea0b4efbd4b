// Random identifiers and hashes (OpenSSL): ids and tokens come from the system CSPRNG.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certreg::crypto {

// A UUID, lowercase ("0190b6f2-45be-7e68-9e2d-5c1f075e6ca2"): version 7 (RFC 9562), the
// creation time in milliseconds followed by 74 random bits. Time order keeps new rows at the
// right edge of the indexes keyed by these ids, which is what makes writes cheap; the random
// part keeps them unguessable. (Secrets are not ids: see random_hex.)
std::string new_uuid();
// `bytes` random bytes as lowercase hex.
std::string random_hex(std::size_t bytes);
std::string sha256_hex(std::string_view data);
std::string md5_hex(std::string_view data);
std::string base64_encode(std::string_view bytes);
// nullopt if `text` is not valid base64 (whitespace and line breaks are ignored).
std::optional<std::string> base64_decode(std::string_view text);
// Compares two equal-purpose secrets without an early exit on the first difference.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace certreg::crypto
