#include "core/sertifika.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <ctime>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "json/writer.hpp"

namespace certreg::sertifika {

std::string user_code(std::string_view email) {
  return crypto::md5_hex(text::to_lower_ascii(text::trim(email)));
}

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string format_created_date(std::int64_t epoch_seconds) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  return fmt::format("{} {:>2} {} {:>2}:{:02}{}", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
                     hour12, tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM");
}

std::string new_verification_code() {
  return crypto::random_hex(20);
}

namespace {

// Its own parser: the thread's request parser may still hold the request being handled.
simdjson::dom::parser& storage_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

template <class F>
void each_element(std::string_view json, F f) {
  simdjson::dom::array a;
  if (storage_parser().parse(json.data(), json.size()).get(a) != simdjson::SUCCESS) return;
  for (simdjson::dom::element e : a) f(e);
}

std::optional<std::string> string_at(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}

void write_properties(json::Writer& w, const std::vector<PropertyValue>& properties) {
  w.begin_array();
  for (const auto& p : properties)
    w.begin_object().field("key", p.key).field("value", p.value).end_object();
  w.end_array();
}

void write_tags(json::Writer& w, const std::vector<std::string>& tags) {
  w.begin_array();
  for (const auto& t : tags) w.value(t);
  w.end_array();
}

}  // namespace

std::string properties_to_storage(const std::vector<PropertyValue>& properties) {
  json::Writer w;
  write_properties(w, properties);
  return w.take();
}

std::vector<PropertyValue> properties_from_storage(std::string_view json) {
  std::vector<PropertyValue> out;
  each_element(json, [&](simdjson::dom::element e) {
    out.push_back({string_at(e, "key").value_or(""), string_at(e, "value")});
  });
  return out;
}

std::string meta_tags_to_storage(const std::vector<std::string>& tags) {
  json::Writer w;
  write_tags(w, tags);
  return w.take();
}

std::vector<std::string> meta_tags_from_storage(std::string_view json) {
  std::vector<std::string> out;
  each_element(json, [&](simdjson::dom::element e) {
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS) out.emplace_back(s);
  });
  return out;
}

std::vector<TemplateProperty> template_properties_from_storage(std::string_view json) {
  std::vector<TemplateProperty> out;
  each_element(json, [&](simdjson::dom::element e) {
    out.push_back({string_at(e, "key").value_or(""), string_at(e, "title").value_or("")});
  });
  return out;
}

std::string to_history_json(const Holding& h) {
  json::Writer w;
  w.begin_object()
      .field("connectionId", h.id)
      .field("templateId", h.template_id)
      .field("companyId", h.company_id)
      .field("userCode", h.user_code)
      .field("userId", h.user_id)
      .field("email", h.email)
      .field("name", h.name)
      .field("surname", h.surname);
  auto number = [&](std::string_view key, const std::optional<double>& v) {
    if (v)
      w.field(key, *v);
    else
      w.field_null(key);
  };
  number("hour", h.hour);
  number("point", h.point);
  w.field("educator", h.educator);
  w.key("properties");
  write_properties(w, h.properties);
  w.key("metaTags");
  write_tags(w, h.meta_tags);
  w.field("isPrivate", h.is_private)
      .field("verificationCode", h.verification_code)
      .field("createdAt", h.created_at)
      .field("updatedAt", h.updated_at)
      .end_object();
  return w.take();
}

}  // namespace certreg::sertifika
