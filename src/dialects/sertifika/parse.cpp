#include "dialects/sertifika/parse.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "core/text.hpp"
#include "core/validate.hpp"
#include "json/reader.hpp"

namespace certreg::dialects::sertifika {
namespace {

using certreg::sertifika::Field;
using certreg::sertifika::ItemProblem;
using certreg::sertifika::PropertyValue;

// The value of the first key equal to `name` ignoring case; nullopt when absent or null.
std::optional<json::Element> find_ci(const json::Object& obj, std::string_view name) {
  for (auto field : obj)
    if (text::iequals(field.key, name)) {
      if (json::type_of(field.value) == json::Type::null) return std::nullopt;
      return field.value;
    }
  return std::nullopt;
}

bool read_body(const std::string& body, json::Element& root, std::string& error) {
  switch (json::parse(body, root)) {
    case json::ParseStatus::ok:
      return true;
    case json::ParseStatus::empty:
      error = "The request body is empty.";
      return false;
    case json::ParseStatus::too_deep:
      error = "The request body is nested too deeply.";
      return false;
    case json::ParseStatus::malformed:
      break;
  }
  error = "The request body is not valid JSON.";
  return false;
}

// Reads one certificateItem; wrong types go to item.malformed.
class ItemReader {
 public:
  ItemReader(json::Object obj, IssueItem& item) : obj_(obj), item_(item) {}

  void text(std::string_view name, Field f, std::optional<std::string>& out) {
    auto e = find_ci(obj_, name);
    if (!e) return;
    if (auto s = json::as_string(*e))
      out = std::string(*s);
    else
      bad(f);
  }

  // A number, or a numeric string ("" is absent). `alias` is read when `name` is absent.
  void number(std::string_view name, std::string_view alias, Field f, std::optional<double>& out) {
    auto e = find_ci(obj_, name);
    if (!e) e = find_ci(obj_, alias);
    if (!e) return;
    if (auto d = json::as_double(*e)) {
      out = *d;
      return;
    }
    if (auto s = json::as_string(*e)) {
      std::string v(text::trim(*s));
      if (v.empty()) return;
      if (validate::is_decimal(v)) {
        double d = std::strtod(v.c_str(), nullptr);
        if (std::isfinite(d)) {
          out = d;
          return;
        }
      }
    }
    bad(f);
  }

  void properties() {
    auto e = find_ci(obj_, "Properties");
    if (!e) return;
    json::Array list;
    if (e->get(list) != simdjson::SUCCESS) return bad(Field::properties);
    for (json::Element p : list) {
      json::Object o;
      if (p.get(o) != simdjson::SUCCESS) return bad(Field::properties);
      auto key = find_ci(o, "key");
      auto key_text = key ? json::as_string(*key) : std::nullopt;
      if (!key_text) return bad(Field::properties);
      PropertyValue v{std::string(*key_text), std::nullopt};
      if (auto value = find_ci(o, "value")) {
        auto t = json::type_of(*value);
        if (t == json::Type::string)
          v.value = std::string(*json::as_string(*value));
        else if (t == json::Type::integer || t == json::Type::number)
          v.value = json::to_string(*value);
        else
          item_.malformed.push_back({Field::property, v.key});
      }
      item_.properties.push_back(std::move(v));
    }
  }

  // [{"value": "..."}]; a plain string element is taken as its value, null values are skipped.
  void meta_tags() {
    auto e = find_ci(obj_, "metaTag");
    if (!e) return;
    json::Array list;
    if (e->get(list) != simdjson::SUCCESS) return bad(Field::meta_tag);
    for (json::Element t : list) {
      json::Object o;
      std::optional<json::Element> value = t;
      if (t.get(o) == simdjson::SUCCESS) value = find_ci(o, "value");
      if (!value || json::type_of(*value) == json::Type::null) continue;
      auto s = json::as_string(*value);
      if (!s) return bad(Field::meta_tag);
      item_.meta_tags.emplace_back(*s);
    }
  }

  // true / false, also as strings.
  void is_private() {
    auto e = find_ci(obj_, "isPrivate");
    if (!e) return;
    if (auto b = json::as_bool(*e)) {
      item_.is_private = *b;
      return;
    }
    if (auto s = json::as_string(*e)) {
      std::string_view v = text::trim(*s);
      if (text::iequals(v, "true") || text::iequals(v, "false")) {
        item_.is_private = text::iequals(v, "true");
        return;
      }
    }
    bad(Field::is_private);
  }

 private:
  void bad(Field f) { item_.malformed.push_back(ItemProblem{f, {}}); }

  json::Object obj_;
  IssueItem& item_;
};

IssueItem read_item(const json::Element& e) {
  IssueItem item;
  json::Object obj;
  if (e.get(obj) != simdjson::SUCCESS) {
    item.malformed.push_back({Field::item, {}});
    return item;
  }
  ItemReader r(obj, item);
  r.text("id", Field::id, item.template_id);
  r.text("Name", Field::name, item.name);
  r.text("Surname", Field::surname, item.surname);
  r.text("Email", Field::email, item.email);
  r.text("Educator", Field::educator, item.educator);
  // The template detail calls them duration and grade; a client may send that shape back.
  r.number("Hour", "duration", Field::hour, item.hour);
  r.number("Point", "grade", Field::point, item.point);
  r.properties();
  r.meta_tags();
  r.is_private();
  return item;
}

}  // namespace

bool parse_issue(const std::string& body, std::size_t max_items, std::vector<IssueItem>& items,
                 std::string& error) {
  json::Element root;
  if (!read_body(body, root, error)) return false;
  json::Object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    error = "The request body must be a JSON object with a certificateItem list.";
    return false;
  }
  auto list_el = find_ci(obj, "certificateItem");
  json::Array list;
  if (!list_el || list_el->get(list) != simdjson::SUCCESS) {
    error = "certificateItem is required and must be a list.";
    return false;
  }
  if (list.size() > max_items) {
    error = fmt::format("certificateItem may hold at most {} items.", max_items);
    return false;
  }
  items.clear();
  items.reserve(list.size());
  for (json::Element e : list) items.push_back(read_item(e));
  return true;
}

bool parse_revoke(const std::string& body, std::size_t max_emails,
                  std::optional<std::vector<std::string>>& emails, std::string& error) {
  emails.reset();
  if (text::trim(body).empty()) return true;
  json::Element root;
  if (!read_body(body, root, error)) return false;
  constexpr std::string_view kShape =
      "The request body must be a JSON list of e-mail addresses, or {\"emails\": [...]}.";
  json::Array list;
  json::Object obj;
  if (root.get(obj) == simdjson::SUCCESS) {
    auto e = find_ci(obj, "emails");
    if (!e || e->get(list) != simdjson::SUCCESS) {
      error = kShape;
      return false;
    }
  } else if (root.get(list) != simdjson::SUCCESS) {
    error = kShape;
    return false;
  }
  if (list.size() > max_emails) {
    error = fmt::format("At most {} e-mail addresses may be sent.", max_emails);
    return false;
  }
  std::vector<std::string> out;
  for (json::Element e : list) {
    auto s = json::as_string(e);
    if (!s) {
      error = kShape;
      return false;
    }
    out.emplace_back(*s);
  }
  emails = std::move(out);
  return true;
}

}  // namespace certreg::dialects::sertifika
