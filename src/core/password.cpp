#include "core/password.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

#include "core/crypto.hpp"

namespace certreg::password {

static std::string derive_hex(std::string_view password, std::string_view salt, int iterations) {
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out,
                        out) != 1)
    throw std::runtime_error("PBKDF2 failed");
  std::string hex;
  hex.reserve(64);
  for (unsigned char c : out) hex += fmt::format("{:02x}", c);
  return hex;
}

std::string hash(std::string_view password, int iterations) {
  std::string salt = crypto::random_hex(16);
  return fmt::format("pbkdf2-sha256${}${}${}", iterations, salt,
                     derive_hex(password, salt, iterations));
}

bool verify(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= stored.size(); ++i) {
    if (i == stored.size() || stored[i] == '$') {
      parts.push_back(stored.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
  int iterations = 0;
  for (char c : parts[1]) {
    if (c < '0' || c > '9' || iterations > 100000000) return false;
    iterations = iterations * 10 + (c - '0');
  }
  if (iterations <= 0) return false;
  return crypto::constant_time_equals(derive_hex(password, parts[2], iterations), parts[3]);
}

}  // namespace certreg::password
