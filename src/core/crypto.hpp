// Random identifiers and hashes (OpenSSL): ids and tokens come from the system CSPRNG.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certreg::crypto {

// RFC 4122 version 4 UUID, lowercase: "1c8a06b6-45be-4e68-9e2d-5c1f075e6ca2".
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
