#include "json/reader.hpp"

#include <cmath>

#include "core/limits.hpp"

namespace certreg::json {

static simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    if (p.allocate(64 * 1024, limits::kJsonMaxDepth) != simdjson::SUCCESS) throw std::bad_alloc();
    return p;
  }();
  return parser;
}

ParseStatus parse(const std::string& body, Element& root) {
  std::string_view trimmed(body);
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n' ||
                              trimmed.front() == '\r' || trimmed.front() == '\t'))
    trimmed.remove_prefix(1);
  if (trimmed.empty()) return ParseStatus::empty;
  // parse(std::string) copies into a padded buffer only when the string lacks spare capacity.
  auto result = thread_parser().parse(body);
  if (result.error() == simdjson::DEPTH_ERROR) return ParseStatus::too_deep;
  if (result.error()) return ParseStatus::malformed;
  root = result.value_unsafe();
  return ParseStatus::ok;
}

Type type_of(const Element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return Type::array;
    case simdjson::dom::element_type::OBJECT:
      return Type::object;
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return Type::integer;
    case simdjson::dom::element_type::DOUBLE:
      return Type::number;
    case simdjson::dom::element_type::STRING:
      return Type::string;
    case simdjson::dom::element_type::BOOL:
      return Type::boolean;
    case simdjson::dom::element_type::NULL_VALUE:
      return Type::null;
  }
  return Type::null;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::null:
      return "null";
    case Type::string:
      return "string";
    case Type::integer:
    case Type::number:
      return "number";
    case Type::boolean:
      return "boolean";
    case Type::object:
      return "object";
    case Type::array:
      return "array";
  }
  return "value";
}

std::optional<Element> find(const Object& obj, std::string_view key) {
  Element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

std::optional<std::string_view> as_string(const Element& e) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

std::optional<bool> as_bool(const Element& e) {
  bool b;
  if (e.get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

std::optional<std::int64_t> as_int(const Element& e) {
  std::int64_t i;
  if (e.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (e.get(d) == simdjson::SUCCESS && std::isfinite(d) && std::floor(d) == d &&
      std::fabs(d) < 9.0e15)
    return static_cast<std::int64_t>(d);
  return std::nullopt;
}

std::optional<double> as_double(const Element& e) {
  double d;
  if (e.get(d) != simdjson::SUCCESS) return std::nullopt;
  return d;
}

std::string to_string(const Element& e) {
  return simdjson::minify(e);
}

}  // namespace certreg::json
