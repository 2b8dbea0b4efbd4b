// Splitting a fuzz input: its first byte chooses what the harness calls (modulo the number of
// choices), the rest is the request body or text, as a std::string like the server's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace certreg::fuzz {

struct Input {
  std::size_t choice = 0;
  std::string rest;
};

inline Input split(const std::uint8_t* data, std::size_t size, std::size_t choices) {
  if (size == 0) return {};
  return {data[0] % choices, std::string(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

}  // namespace certreg::fuzz
