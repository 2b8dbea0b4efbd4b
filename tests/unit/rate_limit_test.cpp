#include "http/rate_limit.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace certreg::http;
using namespace std::chrono_literals;

TEST(RateLimit, Parses) {
  auto r = RateLimit::parse("100/s");
  EXPECT_DOUBLE_EQ(r.per_second, 100);
  EXPECT_DOUBLE_EQ(r.burst, 100) << "a second's worth by default";
  r = RateLimit::parse("30/m", 5);
  EXPECT_DOUBLE_EQ(r.per_second, 0.5);
  EXPECT_DOUBLE_EQ(r.burst, 5);
  EXPECT_DOUBLE_EQ(RateLimit::parse("0.5").burst, 1) << "at least one request at once";
  for (const char* bad : {"", "0/s", "-1/s", "x/s", "10/h", "10/", "/s", "1e999/s", "10 /s"})
    EXPECT_THROW(RateLimit::parse(bad), std::invalid_argument) << bad;
  EXPECT_THROW(RateLimit::parse("1/s", -1), std::invalid_argument);
}

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  RateLimiter limiter(RateLimit{10, 3});
  auto t = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.admit("k", t)) << i;
  auto wait = limiter.admit("k", t);
  ASSERT_TRUE(wait);
  EXPECT_NEAR(*wait, 0.1, 1e-9);
  EXPECT_TRUE(limiter.admit("k", t + 50ms)) << "half a token is not a request";
  EXPECT_FALSE(limiter.admit("k", t + 101ms));
  EXPECT_FALSE(limiter.admit("other", t)) << "buckets are per key";
  // A long pause refills to the burst, not beyond.
  auto later = t + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.admit("k", later)) << i;
  EXPECT_TRUE(limiter.admit("k", later));
}

TEST(RateLimiter, ForgetsRefilledKeysSoMemoryStaysBounded) {
  constexpr std::size_t kPerShard = 64;
  RateLimiter limiter(RateLimit{1000, 1}, kPerShard);
  auto t = RateLimiter::Clock::time_point{} + 1h;
  // Keys a millisecond old have refilled: a full shard forgets them.
  for (int i = 0; i < 100'000; ++i) limiter.admit("key-" + std::to_string(i), t + i * 1ms);
  EXPECT_LE(limiter.tracked_keys(), 16 * kPerShard);
  // A flood at one instant leaves nothing refilled: the shard starts over rather than grow.
  for (int i = 0; i < 100'000; ++i) limiter.admit("flood-" + std::to_string(i), t);
  EXPECT_LE(limiter.tracked_keys(), 16 * kPerShard);
  // A limited key that is still tracked stays limited.
  RateLimiter small(RateLimit{1, 1}, kPerShard);
  EXPECT_FALSE(small.admit("k", t));
  for (int i = 0; i < 10; ++i) small.admit("other-" + std::to_string(i), t);
  EXPECT_TRUE(small.admit("k", t));
}
