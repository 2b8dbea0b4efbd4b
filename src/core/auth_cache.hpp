// A short-lived cache of who a credential is (API key or token -> caller), so that a request does
// not need a database query to authenticate. Entries live `ttl`; any change to credentials or
// to what they resolve to, made by this process, empties every cache at once (invalidate_all).
// Another instance's change is seen within the TTL (docs/operations.md).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/crypto.hpp"

namespace certreg {

inline std::atomic<std::uint64_t> g_auth_epoch{0};

template <class V>
class AuthCache {
 public:
  explicit AuthCache(std::chrono::milliseconds ttl = std::chrono::seconds(2),
                     std::size_t max_entries = 10000)
      : ttl_(ttl), max_(max_entries) {}

  // Empties every AuthCache of the process.
  static void invalidate_all() { g_auth_epoch.fetch_add(1); }

  // Who `credential` is: from the cache, or else `lookup(sha256_hex(credential))` (the database
  // stores credentials by their hash), whose answer is kept. The cache is keyed by the credential
  // itself, so that a request it answers hashes nothing: SHA-256 was 4% of a GET's CPU (perf).
  // Unknown credentials are not kept, so a later grant is seen at once.
  template <class Lookup>
  std::optional<V> resolve(std::string_view credential, Lookup&& lookup) {
    if (credential.empty()) return std::nullopt;
    if (auto cached = get(credential)) return cached;
    // A change made while the lookup ran may have invalidated what it found: keep the answer
    // only if no invalidation came between.
    auto epoch = g_auth_epoch.load();
    std::optional<V> found = lookup(crypto::sha256_hex(credential));
    if (found) put(credential, *found, epoch);
    return found;
  }

 private:
  struct Entry {
    V value;
    std::chrono::steady_clock::time_point expires;
  };
  // Lets find() take a string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // A guess that lands in a cached credential's bucket must not learn, from how long the
  // comparison took, how much of it was right.
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const {
      return crypto::constant_time_equals(a, b);
    }
  };

  std::optional<V> get(std::string_view credential) {
    std::lock_guard lock(mu_);
    drop_if_stale();
    auto it = map_.find(credential);
    if (it == map_.end() || it->second.expires < std::chrono::steady_clock::now())
      return std::nullopt;
    return it->second.value;
  }

  void put(std::string_view credential, const V& value, std::uint64_t looked_up_at) {
    std::lock_guard lock(mu_);
    drop_if_stale();
    if (looked_up_at != epoch_) return;
    if (map_.size() >= max_) map_.clear();
    map_.insert_or_assign(std::string(credential),
                          Entry{value, std::chrono::steady_clock::now() + ttl_});
  }

  void drop_if_stale() {
    auto epoch = g_auth_epoch.load();
    if (epoch != epoch_) {
      map_.clear();
      epoch_ = epoch;
    }
  }

  std::chrono::milliseconds ttl_;
  std::size_t max_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, Equal> map_;
  std::uint64_t epoch_ = g_auth_epoch.load();
};

}  // namespace certreg
