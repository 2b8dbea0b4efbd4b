#include "http/rate_limit.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <stdexcept>

namespace certreg::http {

RateLimit RateLimit::parse(std::string_view text, double burst) {
  std::string_view number = text;
  double per = 1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    number = text.substr(0, slash);
    auto unit = text.substr(slash + 1);
    if (unit == "s")
      per = 1;
    else if (unit == "m")
      per = 60;
    else
      throw std::invalid_argument("--rate-limit: the unit must be /s or /m");
  }
  double n = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec != std::errc{} || end != number.data() + number.size() || !(n > 0))
    throw std::invalid_argument("--rate-limit must be a positive number of requests, as N/s");
  if (burst < 0) throw std::invalid_argument("--rate-burst must not be negative");
  RateLimit r;
  r.per_second = n / per;
  // Without an explicit burst, a second's worth (at least one request) may come at once.
  r.burst = burst > 0 ? burst : std::max(1.0, r.per_second);
  return r;
}

RateLimiter::RateLimiter(RateLimit limit, std::size_t keys_per_shard)
    : limit_(limit), keys_per_shard_(keys_per_shard) {
  if (!(limit_.per_second > 0)) throw std::invalid_argument("a rate limit needs a positive rate");
  limit_.burst = std::max(1.0, limit_.burst);
}

std::optional<double> RateLimiter::admit(std::string_view key, Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= keys_per_shard_) prune(shard, now);
    it = shard.buckets.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(limit_.burst, b.tokens + std::max(0.0, elapsed) * limit_.per_second);
  b.updated = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return (1 - b.tokens) / limit_.per_second;
}

// Forgets buckets that have refilled: they behave exactly like a new key. If a flood of distinct
// keys leaves none refilled, the shard starts over: those keys get a fresh burst, which bounds
// memory at the price of briefly letting them through.
void RateLimiter::prune(Shard& shard, Clock::time_point now) {
  std::erase_if(shard.buckets, [&](const auto& entry) {
    const Bucket& b = entry.second;
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    return b.tokens + elapsed * limit_.per_second >= limit_.burst;
  });
  if (shard.buckets.size() >= keys_per_shard_) shard.buckets.clear();
}

std::size_t RateLimiter::tracked_keys() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace certreg::http
