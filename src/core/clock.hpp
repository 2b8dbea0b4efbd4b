// Wall-clock time as the wire formats want it (epoch seconds / milliseconds).
#pragma once

#include <chrono>
#include <cstdint>

namespace certreg::clock {

inline std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t unix_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace certreg::clock
