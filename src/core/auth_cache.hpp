// A short-lived cache of who a credential is (API key hash -> caller), so that a request does
// not need a database query to authenticate. Entries live `ttl`; any change to credentials or
// to what they resolve to, made by this process, empties every cache at once (invalidate_all).
// Another instance's change is seen within the TTL (docs/operations.md).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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

  std::optional<V> get(const std::string& key) {
    std::lock_guard lock(mu_);
    drop_if_stale();
    auto it = map_.find(key);
    if (it == map_.end() || it->second.expires < std::chrono::steady_clock::now())
      return std::nullopt;
    return it->second.value;
  }

  void put(const std::string& key, V value) {
    std::lock_guard lock(mu_);
    drop_if_stale();
    if (map_.size() >= max_) map_.clear();
    map_[key] = Entry{std::move(value), std::chrono::steady_clock::now() + ttl_};
  }

 private:
  struct Entry {
    V value;
    std::chrono::steady_clock::time_point expires;
  };
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
  std::unordered_map<std::string, Entry> map_;
  std::uint64_t epoch_ = g_auth_epoch.load();
};

}  // namespace certreg
