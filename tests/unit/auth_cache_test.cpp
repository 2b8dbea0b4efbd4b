#include "core/auth_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/crypto.hpp"

namespace certreg {
namespace {

// A lookup that counts its calls and answers `value` for one stored hash.
struct Lookup {
  std::string stored_hash;
  std::optional<int> value;
  int calls = 0;
  std::optional<int> operator()(const std::string& hash) {
    ++calls;
    return hash == stored_hash ? value : std::nullopt;
  }
};

TEST(AuthCache, LooksUpByTheHashOnceThenAnswersFromTheCredential) {
  AuthCache<int> cache;
  Lookup lookup{crypto::sha256_hex("key-1"), 7};
  EXPECT_EQ(cache.resolve("key-1", std::ref(lookup)), 7);
  EXPECT_EQ(cache.resolve("key-1", std::ref(lookup)), 7);
  EXPECT_EQ(lookup.calls, 1);
}

TEST(AuthCache, TellsCredentialsApartByTheirWholeText) {
  AuthCache<int> cache;
  Lookup lookup{crypto::sha256_hex("key-1"), 7};
  EXPECT_EQ(cache.resolve("key-1", std::ref(lookup)), 7);
  EXPECT_EQ(cache.resolve("key-10", std::ref(lookup)), std::nullopt);
  EXPECT_EQ(cache.resolve("key-", std::ref(lookup)), std::nullopt);
  EXPECT_EQ(lookup.calls, 3);
}

TEST(AuthCache, DoesNotKeepUnknownOrEmptyCredentials) {
  AuthCache<int> cache;
  Lookup lookup{crypto::sha256_hex("granted-later"), std::nullopt};
  EXPECT_EQ(cache.resolve("granted-later", std::ref(lookup)), std::nullopt);
  lookup.value = 3;  // the credential is granted
  EXPECT_EQ(cache.resolve("granted-later", std::ref(lookup)), 3);
  EXPECT_EQ(cache.resolve("", std::ref(lookup)), std::nullopt);
  EXPECT_EQ(lookup.calls, 2);
}

TEST(AuthCache, InvalidationEmptiesEveryCache) {
  AuthCache<int> a;
  AuthCache<int> b;
  Lookup lookup{crypto::sha256_hex("key"), 1};
  a.resolve("key", std::ref(lookup));
  b.resolve("key", std::ref(lookup));
  AuthCache<int>::invalidate_all();
  lookup.value = 2;  // what the credential resolves to changed
  EXPECT_EQ(a.resolve("key", std::ref(lookup)), 2);
  EXPECT_EQ(b.resolve("key", std::ref(lookup)), 2);
  EXPECT_EQ(lookup.calls, 4);
}

TEST(AuthCache, AnAnswerOvertakenByAnInvalidationIsNotKept) {
  AuthCache<int> cache;
  int calls = 0;
  // The change lands while the lookup runs: its answer may be the old one, so it must not stay.
  auto racing = [&calls](const std::string&) -> std::optional<int> {
    ++calls;
    if (calls == 1) AuthCache<int>::invalidate_all();
    return calls;
  };
  EXPECT_EQ(cache.resolve("key", racing), 1);
  EXPECT_EQ(cache.resolve("key", racing), 2);
  EXPECT_EQ(cache.resolve("key", racing), 2);
  EXPECT_EQ(calls, 2);
}

TEST(AuthCache, EntriesExpire) {
  AuthCache<int> cache(std::chrono::milliseconds(20));
  Lookup lookup{crypto::sha256_hex("key"), 1};
  cache.resolve("key", std::ref(lookup));
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  cache.resolve("key", std::ref(lookup));
  EXPECT_EQ(lookup.calls, 2);
}

}  // namespace
}  // namespace certreg
