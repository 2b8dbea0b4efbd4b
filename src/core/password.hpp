// Slow salted password hashes (PBKDF2-HMAC-SHA256) for logins the server checks itself.
// Stored form: "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>", so the cost can change later.
#pragma once

#include <string>
#include <string_view>

namespace certreg::password {

inline constexpr int kDefaultIterations = 600000;  // OWASP 2023 figure for PBKDF2-HMAC-SHA256

std::string hash(std::string_view password, int iterations = kDefaultIterations);
// Constant-time comparison; false for a malformed stored value.
bool verify(std::string_view password, std::string_view stored);

}  // namespace certreg::password
