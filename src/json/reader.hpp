// Request bodies are parsed with simdjson's DOM API, which validates the whole document
// (malformed input must get a 400). Each thread owns one parser; an Element stays valid until the
// next parse on the same thread, so handlers copy what they keep before returning.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certreg::json {

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;
using Array = simdjson::dom::array;

enum class ParseStatus { ok, empty, malformed, too_deep };

ParseStatus parse(const std::string& body, Element& root);

enum class Type { null, string, integer, number, boolean, object, array };
Type type_of(const Element& e);
// "string", "number", ... as used in validation messages.
const char* type_name(Type t);

// Looks up key in obj; returns nullopt when the key is absent.
std::optional<Element> find(const Object& obj, std::string_view key);

// Typed views; nullopt when the element has another type.
std::optional<std::string_view> as_string(const Element& e);
std::optional<bool> as_bool(const Element& e);
// Integers, and doubles that hold an integral value.
std::optional<std::int64_t> as_int(const Element& e);
std::optional<double> as_double(const Element& e);

// Serializes e back to compact JSON (for echoing requests and storing sub-documents).
std::string to_string(const Element& e);

}  // namespace certreg::json
