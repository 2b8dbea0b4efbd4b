// Token buckets per credential: each key may make `burst` requests at once and then `rate` per
// second. Used by the router before a request reaches its handler (docs/security.md).
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/limits.hpp"

namespace certreg::http {

struct RateLimit {
  double per_second = 0;  // 0: no limit
  double burst = 0;       // bucket size; at least 1

  // "N/s", "N/m" or "N" (per second); throws std::invalid_argument otherwise.
  static RateLimit parse(std::string_view text, double burst = 0);
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimit limit,
                       std::size_t keys_per_shard = limits::kRateLimitKeysPerShard);

  // Takes one token from the key's bucket. nullopt when the request may go ahead, otherwise the
  // seconds until a token is back (for Retry-After).
  std::optional<double> admit(std::string_view key, Clock::time_point now = Clock::now());

  std::size_t tracked_keys() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  // Sharded so that HTTP threads rarely wait on each other's lock.
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  void prune(Shard& shard, Clock::time_point now);

  RateLimit limit_;
  std::size_t keys_per_shard_;
  std::array<Shard, 16> shards_;
};

}  // namespace certreg::http
