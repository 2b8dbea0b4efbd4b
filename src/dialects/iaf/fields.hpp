// Reading the fields of an IAF request object while collecting every problem (field name in dot
// notation, message in the guide's validation_error style, and the value as sent).
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "core/dates.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "dialects/iaf/parse.hpp"
#include "json/reader.hpp"

namespace certreg::dialects::iaf {

inline std::string raw(const std::optional<json::Element>& e) {
  return e ? json::to_string(*e) : "null";
}

// Reads the fields of one JSON object, recording problems under `prefix` + field name.
class Fields {
 public:
  Fields(const json::Object& obj, Problems& problems, std::string prefix = {})
      : obj_(obj), problems_(problems), prefix_(std::move(prefix)) {}

  std::string name(std::string_view field) const { return prefix_ + std::string(field); }

  void fail(std::string_view field, std::string message, const std::optional<json::Element>& e) {
    problems_.push_back({name(field), std::move(message), raw(e)});
  }

  // Present and not null.
  std::optional<json::Element> get(std::string_view field) const {
    auto e = json::find(obj_, field);
    if (!e || json::type_of(*e) == json::Type::null) return std::nullopt;
    return e;
  }

  // A trimmed string; empty optional strings count as absent.
  std::optional<std::string> text(std::string_view field, bool required, std::size_t max_chars) {
    auto e = get(field);
    if (!e) {
      if (required) fail(field, fmt::format("The {} field is required.", name(field)), e);
      return std::nullopt;
    }
    auto s = json::as_string(*e);
    if (!s) {
      fail(field, fmt::format("The {} must be a string.", name(field)), e);
      return std::nullopt;
    }
    std::string_view v = text::trim(*s);
    if (v.empty()) {
      if (required) fail(field, fmt::format("The {} field is required.", name(field)), e);
      return std::nullopt;
    }
    if (text::utf8_length(v) > max_chars) {
      fail(field,
           fmt::format("The {} may not be greater than {} characters.", name(field), max_chars), e);
      return std::nullopt;
    }
    if (text::has_control_chars(v)) {
      fail(field, fmt::format("The {} must not contain control characters.", name(field)), e);
      return std::nullopt;
    }
    return std::string(v);
  }

  // The first of several accepted spellings of one field that is present.
  std::optional<std::string> text_any(std::initializer_list<std::string_view> fields,
                                      std::size_t max_chars) {
    for (auto f : fields)
      if (get(f)) return text(f, false, max_chars);
    return std::nullopt;
  }

  std::optional<bool> boolean(std::string_view field) {
    auto e = get(field);
    if (!e) return std::nullopt;
    auto b = json::as_bool(*e);
    if (!b) fail(field, fmt::format("The {} field must be true or false.", name(field)), e);
    return b;
  }

  std::optional<dates::Date> date(std::string_view field, bool required) {
    auto e = get(field);
    if (!e) {
      if (required) fail(field, fmt::format("The {} field is required.", name(field)), e);
      return std::nullopt;
    }
    auto s = json::as_string(*e);
    auto d = s ? dates::parse_yyyymmdd(text::trim(*s)) : std::nullopt;
    if (!d)
      fail(field, fmt::format("The {} is not a valid date in the format YYYYMMDD.", name(field)),
           e);
    return d;
  }

  // An enum field: the canonical value, or a problem naming the accepted values.
  std::optional<std::string> choice(std::string_view field, bool required,
                                    std::optional<std::string> (*canonical)(std::string_view),
                                    std::string_view accepted) {
    auto s = text(field, required, limits::kIafStatus);
    if (!s) return std::nullopt;
    auto c = canonical(*s);
    if (!c)
      fail(field,
           fmt::format("The selected {} is invalid. Accepted values: {}.", name(field), accepted),
           get(field));
    return c;
  }

  // An array field; nullopt (with a problem) when present with another type.
  std::optional<json::Array> array(std::string_view field, bool required) {
    auto e = get(field);
    if (!e) {
      if (required) fail(field, fmt::format("The {} field is required.", name(field)), e);
      return std::nullopt;
    }
    json::Array a;
    if (e->get(a) != simdjson::SUCCESS) {
      fail(field, fmt::format("The {} must be an array.", name(field)), e);
      return std::nullopt;
    }
    return a;
  }

  // Calls fn(Fields&) for each element of the array `field`, with the prefix "field.i."; an element
  // that is not an object is a problem. Returns the array's length, or nullopt when the field is
  // absent or invalid (too long: a problem).
  template <class F>
  std::optional<std::size_t> objects(std::string_view field, bool required, std::size_t max_items,
                                     F fn) {
    auto a = array(field, required);
    if (!a) return std::nullopt;
    if (a->size() > max_items) {
      fail(field, fmt::format("The {} may not have more than {} items.", name(field), max_items),
           get(field));
      return std::nullopt;
    }
    std::size_t i = 0;
    for (auto item : *a) {
      std::string at = fmt::format("{}.{}", name(field), i++);
      json::Object obj;
      if (item.get(obj) != simdjson::SUCCESS) {
        problems_.push_back(
            {at, fmt::format("The {} must be an object.", at), json::to_string(item)});
        continue;
      }
      Fields sub(obj, problems_, at + ".");
      fn(sub);
    }
    return a->size();
  }

  Problems& problems() { return problems_; }

 private:
  const json::Object& obj_;
  Problems& problems_;
  std::string prefix_;
};

inline bool as_object(const json::Element& e, json::Object& out) {
  return e.get(out) == simdjson::SUCCESS;
}

}  // namespace certreg::dialects::iaf
