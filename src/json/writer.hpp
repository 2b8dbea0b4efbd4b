// A small streaming JSON writer: keeps field order, escapes strings, never builds a tree.
// Invalid UTF-8 in a string is written as U+FFFD so a reply is always valid JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certreg::json {

class Writer {
 public:
  Writer() { out_.reserve(256); }

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view k);

  Writer& value(std::string_view s);
  Writer& value(const char* s) { return value(std::string_view(s)); }
  Writer& value(const std::string& s) { return value(std::string_view(s)); }
  Writer& value(std::int64_t n);
  Writer& value(int n) { return value(static_cast<std::int64_t>(n)); }
  Writer& value(double d);
  Writer& value(bool b);
  Writer& null();
  // A string, or null when absent.
  Writer& value(const std::optional<std::string>& s) { return s ? value(*s) : null(); }
  // Already-serialized JSON (for example a stored array); the caller vouches for its validity.
  Writer& raw(std::string_view json);

  template <class T>
  Writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }
  Writer& field_raw(std::string_view k, std::string_view json) {
    key(k);
    return raw(json);
  }
  Writer& field_null(std::string_view k) {
    key(k);
    return null();
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  std::vector<bool> has_items_;  // one per open container
  bool after_key_ = false;
};

// Appends s to out as a quoted JSON string.
void append_quoted(std::string& out, std::string_view s);

}  // namespace certreg::json
