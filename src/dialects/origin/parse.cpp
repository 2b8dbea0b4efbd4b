#include "dialects/origin/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/text.hpp"
#include "core/validate.hpp"

namespace certreg::dialects::origin {
namespace co = certreg::origin;

namespace {

constexpr std::size_t kMaxText = 4000;      // any single text value
constexpr std::size_t kMaxElements = 1000;  // elements of one collection

std::string shown(const json::Element& e) {
  auto s = json::as_string(e);
  return s ? std::string(*s) : json::to_string(e);
}

std::string list(std::initializer_list<std::string_view> values) {
  std::string out;
  for (auto v : values) {
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

// Reads the fields of one object of certifications[i] (or of an element inside it); `path` is
// the field path inside the item ("voc.content.", "contact[2].").
class Item {
 public:
  Item(json::Object obj, std::string prefix, std::string path, Messages& out)
      : obj_(obj), prefix_(std::move(prefix)), path_(std::move(path)), out_(out) {}

  std::string field(std::string_view name) const { return path_ + std::string(name); }
  const std::string& prefix() const { return prefix_; }

  void require(std::string_view name) {
    out_.push_back(fmt::format("{} require one {}.", prefix_, field(name)));
  }
  void invalid(std::string_view name, const std::string& value, std::string_view expected) {
    out_.push_back(fmt::format("{} has invalid value ''{}'' for field {}. {}", prefix_, value,
                               field(name), expected));
  }
  void not_allowed(std::string_view name, const std::string& value,
                   std::initializer_list<std::string_view> allowed) {
    out_.push_back(fmt::format("{} has invalid value ''{}'' for field {}. Allowed value(s) : [{}]",
                               prefix_, value, field(name), list(allowed)));
  }
  void message(std::string text) { out_.push_back(std::move(text)); }

  std::optional<json::Element> get(std::string_view name) const {
    auto e = json::find(obj_, name);
    if (!e || json::type_of(*e) == json::Type::null) return std::nullopt;
    return e;
  }

  // A string (trimmed); "" counts as absent.
  std::optional<std::string> text(std::string_view name) {
    auto e = get(name);
    if (!e) return std::nullopt;
    auto s = json::as_string(*e);
    if (!s) {
      invalid(name, shown(*e), "Expected a string.");
      return std::nullopt;
    }
    auto v = text::trim(*s);
    if (v.empty()) return std::nullopt;
    if (text::utf8_length(v) > kMaxText) {
      invalid(name, std::string(v.substr(0, 40)) + "...",
              fmt::format("Expected at most {} characters.", kMaxText));
      return std::nullopt;
    }
    if (text::has_control_chars(v)) {
      invalid(name, std::string(v), "Expected text without control characters.");
      return std::nullopt;
    }
    return std::string(v);
  }

  std::optional<std::string> url(std::string_view name) {
    auto v = text(name);
    if (v && !validate::is_public_url(*v, true)) {
      invalid(name, *v, "Expected a public URL.");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> email(std::string_view name) {
    auto v = text(name);
    if (v && !validate::is_email(*v)) {
      invalid(name, *v, "Expected an e-mail address.");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> date(std::string_view name) {
    auto v = text(name);
    if (v && !validate::iso_datetime_ms(*v)) {
      invalid(name, *v, "Expected an ISO-8601 date.");
      return std::nullopt;
    }
    return v;
  }

  // A decimal sent as a number or as a numeric string; kept as text.
  std::optional<std::string> decimal(std::string_view name) {
    auto e = get(name);
    if (!e) return std::nullopt;
    std::string v;
    if (auto s = json::as_string(*e)) {
      v = std::string(text::trim(*s));
      if (v.empty()) return std::nullopt;
    } else if (json::type_of(*e) == json::Type::integer ||
               json::type_of(*e) == json::Type::number) {
      v = json::to_string(*e);
    }
    if (!validate::is_decimal(v)) {
      invalid(name, shown(*e), "Expected a decimal number.");
      return std::nullopt;
    }
    return v;
  }

  // true/false, as booleans or as strings.
  std::optional<bool> boolean(std::string_view name) {
    auto e = get(name);
    if (!e) return std::nullopt;
    if (auto b = json::as_bool(*e)) return b;
    if (auto s = json::as_string(*e)) {
      if (text::iequals(text::trim(*s), "true")) return true;
      if (text::iequals(text::trim(*s), "false")) return false;
    }
    invalid(name, shown(*e), "Expected true or false.");
    return std::nullopt;
  }

  // A value that must be one of `allowed` (exactly, as the docs spell them).
  std::optional<std::string> choice(std::string_view name,
                                    std::initializer_list<std::string_view> allowed) {
    auto v = text(name);
    if (v && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
      not_allowed(name, *v, allowed);
      return std::nullopt;
    }
    return v;
  }

  // A required field from a fixed set: absent or "" asks for it; another value names the set.
  std::optional<std::string> required_choice(std::string_view name,
                                             std::initializer_list<std::string_view> allowed) {
    std::size_t before = out_.size();
    auto v = choice(name, allowed);
    if (!v && out_.size() == before) require(name);
    return v;
  }

  // An object member; a problem if present with another type.
  std::optional<Item> object(std::string_view name) {
    auto e = get(name);
    if (!e) return std::nullopt;
    json::Object o;
    if (e->get(o) != simdjson::SUCCESS) {
      invalid(name, shown(*e), "Expected an object.");
      return std::nullopt;
    }
    return Item(o, prefix_, field(name) + ".", out_);
  }

  // Each element of the collection `name` (an array, or a single object as the seed's error sample
  // sends it), read by fn(element, behavior). `singular` names an element in messages
  // ("contact[1]"), as Origin does. A missing collectionBehavior means ADD.
  template <class F>
  void collection(std::string_view name, std::string_view singular, bool with_behavior, F fn) {
    auto e = get(name);
    if (!e) return;
    std::vector<json::Element> elements;
    json::Array a;
    json::Object single;
    if (e->get(a) == simdjson::SUCCESS) {
      for (auto x : a) elements.push_back(x);
    } else if (e->get(single) == simdjson::SUCCESS) {
      elements.push_back(*e);
    } else {
      invalid(name, shown(*e), "Expected an array.");
      return;
    }
    if (elements.size() > kMaxElements) {
      invalid(name, "...", fmt::format("Expected at most {} elements.", kMaxElements));
      return;
    }
    for (std::size_t i = 0; i < elements.size(); ++i) {
      std::string at = fmt::format("{}{}[{}]", path_, singular, i + 1);
      json::Object o;
      if (elements[i].get(o) != simdjson::SUCCESS) {
        out_.push_back(fmt::format("{} has invalid value ''{}'' for field {}. Expected an object.",
                                   prefix_, shown(elements[i]), at));
        continue;
      }
      Item element(o, prefix_, at + ".", out_);
      co::Behavior behavior = co::Behavior::add;
      if (with_behavior)
        if (auto b = element.choice("collectionBehavior", {"ADD", "REMOVE"}))
          behavior = *b == "REMOVE" ? co::Behavior::remove : co::Behavior::add;
      fn(element, behavior);
    }
  }

  std::size_t problems() const { return out_.size(); }

 private:
  json::Object obj_;  // a handle into the parsed document
  std::string prefix_, path_;
  Messages& out_;
};

double number(const std::string& decimal) {
  return std::strtod(decimal.c_str(), nullptr);
}

// {"standard": {"code": "..."}} elements of the VOC lists.
std::optional<std::string> standard_code(Item& element) {
  auto s = element.object("standard");
  std::optional<std::string> code;
  if (s) code = s->text("code");
  if (!code) element.require("standard.code");
  return code;
}

void parse_voc(Item& voc, co::CertificationPatch& p) {
  if (auto content = voc.object("content")) {
    co::VocContentPatch v;
    v.density_limit_gl = content->decimal("densityLimitGL");
    v.contains_added_mcpce = content->boolean("containsAddedMCPCE");
    content->collection(
        "regulatoryStandardCompliances", "regulatoryStandardCompliance", true,
        [&](Item& e, co::Behavior b) {
          auto code = standard_code(e);
          v.compliances.push_back({b, {code.value_or(""), e.text("productTypeCode")}});
        });
    content->collection("regulatoryStandardCustoms", "regulatoryStandardCustom", true,
                        [&](Item& e, co::Behavior b) {
                          v.customs.push_back({b, {standard_code(e).value_or("")}});
                        });
    content->collection("testMethods", "testMethod", true, [&](Item& e, co::Behavior b) {
      v.test_methods.push_back({b, {standard_code(e).value_or("")}});
    });
    content->collection("exemptCompounds", "exemptCompound", true, [&](Item& e, co::Behavior b) {
      co::ExemptCompound x;
      auto cas = e.text("CAS");
      if (!cas)
        e.require("CAS");
      else if (!validate::is_cas_number(*cas))
        e.invalid("CAS", *cas, "Expected a CAS registry number.");
      x.cas = cas.value_or("");
      x.name = e.text("name");
      x.percent_by_weight = e.decimal("percentByWeight");
      if (x.percent_by_weight) {
        double pct = number(*x.percent_by_weight);
        if (pct < 0 || pct > 100)
          e.invalid("percentByWeight", *x.percent_by_weight,
                    "Expected a percentage between 0 and 100.");
      }
      v.exempt_compounds.push_back({b, std::move(x)});
    });
    p.voc_content = std::move(v);
  }
  if (auto emission = voc.object("emission")) {
    co::VocEmissionPatch v;
    // Both spellings appear in the seed: densityMin/densityMax and densityMinGL/densityMaxGL.
    v.density_min = emission->decimal("densityMin");
    if (!v.density_min) v.density_min = emission->decimal("densityMinGL");
    v.density_max = emission->decimal("densityMax");
    if (!v.density_max) v.density_max = emission->decimal("densityMaxGL");
    if (v.density_min && v.density_max && number(*v.density_min) > number(*v.density_max))
      emission->message(emission->prefix() + " has a densityMin greater than its densityMax.");
    emission->collection("regulatoryStandardCompliances", "regulatoryStandardCompliance", true,
                         [&](Item& e, co::Behavior b) {
                           v.compliances.push_back({b, {standard_code(e).value_or("")}});
                         });
    p.voc_emission = std::move(v);
  }
}

void parse_item(const json::Element& element, std::size_t index, Action action, Messages& out,
                co::CertificationPatch& p) {
  std::string prefix = fmt::format("certifications[{}]", index + 1);
  json::Object obj;
  if (element.get(obj) != simdjson::SUCCESS) {
    out.push_back(fmt::format("{} must be an object.", prefix));
    return;
  }
  Item item(obj, prefix, "", out);

  // A locale is required except on delete, which only names the certification.
  if (action != Action::remove) {
    auto locale = item.required_choice("locale", {"de", "es_MX", "en", "fr", "zh_CN"});
    p.locale = locale.value_or("en");
  }

  // Identification: create takes an externalId; update and delete exactly one of the two ids.
  auto origin_id = item.text("originId");
  auto external_id = item.text("externalId");
  if (action == Action::create) {
    if (!external_id) out.push_back(prefix + " require one externalId");
    if (origin_id) out.push_back(prefix + " cannot set an originId: Origin assigns it.");
  } else if (!origin_id == !external_id) {
    out.push_back(prefix + " require one originId or externalId.");
  }
  p.origin_id = origin_id;
  p.external_id = external_id;
  if (action == Action::remove) return;  // a delete names the certification, nothing more

  p.certificate_number = item.text("certificateNumber");
  p.url = item.url("url");
  p.issue_date = item.date("issueDate");
  p.expiry_date = item.date("expiryDate");
  if (p.issue_date && p.expiry_date &&
      *validate::iso_datetime_ms(*p.expiry_date) < *validate::iso_datetime_ms(*p.issue_date))
    out.push_back(prefix + " has an expiryDate before its issueDate.");

  if (auto rb = item.object("reportingBody")) {
    p.reporting_body = rb->text("name");
    std::size_t before = out.size();
    auto self = rb->choice("selfReported", {"TRUE"});
    p.self_reported = self.has_value();
    if ((p.reporting_body && p.self_reported) ||
        (!p.reporting_body && !p.self_reported && out.size() == before))
      out.push_back(prefix + " require one reportingBody.name or reportingBody.selfReported.");
  } else if (action == Action::create) {
    out.push_back(prefix + " require one reportingBody.");
  }

  if (auto st = item.object("standard")) {
    p.standard_code = st->text("code");
    if (!p.standard_code) out.push_back(prefix + " require one standard.code.");
  } else if (action == Action::create) {
    out.push_back(prefix + " require one standard.");
  }

  bool with_behavior = action == Action::update;
  item.collection("additionalsDocuments", "additionalsDocument", with_behavior,
                  [&](Item& e, co::Behavior b) {
                    auto u = e.url("originalUrl");
                    if (!u && !e.get("originalUrl")) e.require("originalUrl");
                    p.documents.push_back({b, {u.value_or("")}});
                  });
  if (action == Action::create && !p.url && p.documents.empty())
    out.push_back(prefix + " require one url or additionalsDocuments.");

  item.collection("brands", "brand", with_behavior, [&](Item& e, co::Behavior b) {
    auto name = e.text("name");
    if (!name) e.require("name");
    p.brands.push_back({b, {name.value_or(""), e.url("website")}});
  });
  item.collection("contacts", "contact", with_behavior, [&](Item& e, co::Behavior b) {
    co::Contact k;
    auto ext = e.text("externalId");
    if (!ext) e.require("externalId");
    k.external_id = ext.value_or("");
    k.type = e.choice("type", {"MANUFACTURER", "AUDITOR", "VENDOR"});
    k.company_name = e.text("companyName");
    k.phone = e.text("phone");
    k.email = e.email("email");
    k.name = e.text("name");
    k.website = e.url("website");
    k.postal_address = e.text("postalAddress");
    p.contacts.push_back({b, std::move(k)});
  });
  item.collection("channels", "channel", with_behavior, [&](Item& e, co::Behavior b) {
    auto name = e.required_choice("name", {"ORIGIN"});
    p.channels.push_back({b, {name.value_or("")}});
  });
  item.collection("regulatoryStandardCompliances", "regulatoryStandardCompliance", with_behavior,
                  [&](Item& e, co::Behavior b) {
                    auto code = e.text("code");
                    if (!code) e.require("code");
                    p.compliances.push_back({b, {code.value_or("")}});
                  });
  item.collection("featuresCustoms", "featuresCustom", with_behavior, [&](Item& e, co::Behavior b) {
    co::CustomFeatureChange ch{b, e.text("name").value_or(""), e.text("code"), e.text("value")};
    if (ch.name.empty()) e.require("name");
    if (b == co::Behavior::add && !ch.value && !e.get("value")) e.require("value");
    p.customs.push_back(std::move(ch));
  });
  item.collection("featuresProperties", "featuresProperty", with_behavior,
                  [&](Item& e, co::Behavior b) {
                    co::PropertyChange ch{b, e.text("code").value_or(""), e.text("value")};
                    if (ch.code.empty()) e.require("code");
                    if (b == co::Behavior::add && !ch.value && !e.get("value")) e.require("value");
                    p.properties.push_back(std::move(ch));
                  });
  if (auto voc = item.object("voc")) parse_voc(*voc, p);
}

// pageNumber / pageSize as numbers or numeric strings.
std::optional<int> page_value(const std::optional<json::Element>& e, std::string_view name, int min,
                              int max, Messages& out) {
  if (!e) {
    out.push_back(fmt::format("require one {}.", name));
    return std::nullopt;
  }
  std::optional<std::int64_t> v;
  if (auto s = json::as_string(*e)) {
    auto t = text::trim(*s);
    if (!t.empty() && t.size() < 10 &&
        std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
      v = std::stoll(std::string(t));
  } else {
    v = json::as_int(*e);
  }
  if (!v || *v < min || *v > max) {
    out.push_back(fmt::format("{} has invalid value ''{}''. Expected an integer between {} and {}.",
                              name, shown(*e), min, max));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

// Removes commas that directly precede } or ] (outside strings). Returns false if none was found.
bool strip_trailing_commas(const std::string& in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  bool in_string = false, changed = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < in.size())
        out.push_back(in[++i]);
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    // A comma right after [ { or another comma is not trailing: leave it for the parser to refuse.
    std::size_t k = out.size();
    while (k > 0 &&
           (out[k - 1] == ' ' || out[k - 1] == '\n' || out[k - 1] == '\r' || out[k - 1] == '\t'))
      --k;
    bool after_value = k > 0 && out[k - 1] != '[' && out[k - 1] != '{' && out[k - 1] != ',';
    if (c == ',' && after_value) {
      std::size_t j = i + 1;
      while (j < in.size() && (in[j] == ' ' || in[j] == '\n' || in[j] == '\r' || in[j] == '\t'))
        ++j;
      if (j < in.size() && (in[j] == '}' || in[j] == ']')) {
        changed = true;
        continue;
      }
    }
    out.push_back(c);
  }
  return changed;
}

}  // namespace

bool parse_body(const std::string& body, json::Element& root, Messages& messages) {
  auto status = json::parse(body, root);
  if (status == json::ParseStatus::malformed) {
    thread_local std::string relaxed;
    if (strip_trailing_commas(body, relaxed)) status = json::parse(relaxed, root);
  }
  switch (status) {
    case json::ParseStatus::ok:
      if (json::type_of(root) == json::Type::object) return true;
      messages.push_back("The request body must be a JSON object.");
      return false;  // `root` holds the document all the same, for the echo
    case json::ParseStatus::empty:
      messages.push_back("The request body is empty.");
      return false;
    case json::ParseStatus::too_deep:
      messages.push_back("The request body is nested too deeply.");
      return false;
    case json::ParseStatus::malformed:
      break;
  }
  messages.push_back("The request body is not valid JSON.");
  return false;
}

std::optional<co::Command> parse_command(const json::Element& root, Action action, Version version,
                                         std::size_t max_items, Messages& messages) {
  json::Object obj;
  if (root.get(obj) != simdjson::SUCCESS) return std::nullopt;  // parse_body checked it
  auto list = json::find(obj, "certifications");
  json::Array items;
  if (!list || list->get(items) != simdjson::SUCCESS || items.size() == 0) {
    messages.push_back("certifications require at least one certification.");
    return std::nullopt;
  }
  if (items.size() > max_items) {
    messages.push_back(fmt::format("certifications must contain at most {} elements.", max_items));
    return std::nullopt;
  }
  co::Command cmd{action, version, {}};
  std::size_t i = 0;
  for (auto e : items) {
    co::CertificationPatch p;
    parse_item(e, i++, action, messages, p);
    cmd.items.push_back(std::move(p));
  }
  if (!messages.empty()) return std::nullopt;
  return cmd;
}

std::optional<SearchRequest> parse_search(const json::Element& root, Messages& messages) {
  json::Object obj;
  if (root.get(obj) != simdjson::SUCCESS) return std::nullopt;  // parse_body checked it
  SearchRequest r;
  auto locale = json::find(obj, "locale");
  auto ls = locale ? json::as_string(*locale) : std::nullopt;
  if (!ls)
    messages.push_back("require one locale.");
  else if (!co::is_locale(*ls))
    messages.push_back(fmt::format(
        "locale has invalid value ''{}''. Allowed value(s) : [de,es_MX,en,fr,zh_CN]", *ls));
  else
    r.locale = std::string(*ls);
  auto number = page_value(json::find(obj, "pageNumber"), "pageNumber", 1, 1'000'000, messages);
  auto size = page_value(json::find(obj, "pageSize"), "pageSize", 1, 100, messages);
  if (number) r.page_number = *number;
  if (size) r.page_size = *size;

  auto criteria = json::find(obj, "searchCriteria");
  json::Array list;
  if (!criteria || criteria->get(list) != simdjson::SUCCESS) {
    messages.push_back("require one searchCriteria.");
    return std::nullopt;
  }
  std::size_t i = 0;
  for (auto e : list) {
    std::string at = fmt::format("searchCriteria[{}]", ++i);
    json::Object c;
    if (e.get(c) != simdjson::SUCCESS) {
      messages.push_back(at + " must be an object.");
      continue;
    }
    auto name_e = json::find(c, "name");
    auto value_e = json::find(c, "value");
    auto name = name_e ? json::as_string(*name_e) : std::nullopt;
    auto value = value_e ? json::as_string(*value_e) : std::nullopt;
    if (!name) {
      messages.push_back(at + " require one name.");
      continue;
    }
    if (!value || text::trim(*value).empty()) {
      messages.push_back(at + " require one value.");
      continue;
    }
    std::string v(text::trim(*value));
    auto& k = r.criteria;
    // Criteria are ANDed: a criterion given twice must hold both ways.
    auto single = [&](std::optional<std::string>& slot) {
      if (slot && *slot != v) k.contradictory = true;
      slot = v;
    };
    if (*name == "ORIGINID")
      single(k.origin_id);
    else if (*name == "EXTERNALID")
      single(k.external_id);
    else if (*name == "STANDARDCODE")
      single(k.standard_code);
    else if (*name == "CHANNEL")
      single(k.channel);
    else if (*name == "KEYWORD") {
      if (k.keywords.size() == 3)
        messages.push_back(at + " is one KEYWORD too many: at most 3 are accepted.");
      else
        k.keywords.push_back(v);
    } else if (*name == "MODIFIEDSINCE") {
      auto ms = validate::iso_datetime_ms(v);
      if (!ms)
        messages.push_back(
            fmt::format("{} has invalid value ''{}'' for field value. Expected an "
                        "ISO-8601 date.",
                        at, v));
      else if (!k.modified_since_ms || *ms > *k.modified_since_ms)
        k.modified_since_ms = ms;
    } else {
      messages.push_back(
          fmt::format("{} has invalid value ''{}'' for field name. Allowed value(s) : "
                      "[ORIGINID,EXTERNALID,KEYWORD,MODIFIEDSINCE,CHANNEL,STANDARDCODE]",
                      at, *name));
    }
  }
  if (!messages.empty()) return std::nullopt;
  return r;
}

std::optional<LookupQuery> parse_lookup(const http::Request& req, bool paged,
                                        bool standard_type_required, Messages& messages) {
  LookupQuery q;
  auto locale = req.query_param("locale");
  if (!locale)
    messages.push_back("require one locale.");
  else if (!co::is_locale(*locale))
    messages.push_back(fmt::format(
        "locale has invalid value ''{}''. Allowed value(s) : [de,es_MX,en,fr,zh_CN]", *locale));
  else
    q.locale = *locale;
  if (paged) {
    auto number_of = [&](std::string_view name, int max) -> std::optional<int> {
      auto v = req.query_param(name);
      if (!v) {
        messages.push_back(fmt::format("require one {}.", name));
        return std::nullopt;
      }
      std::string t(text::trim(*v));
      bool digits = !t.empty() && t.size() < 10 &&
                    std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
      int n = digits ? std::stoi(t) : 0;
      if (n < 1 || n > max) {
        messages.push_back(fmt::format(
            "{} has invalid value ''{}''. Expected an integer between 1 and {}.", name, t, max));
        return std::nullopt;
      }
      return n;
    };
    auto number = number_of("pageNumber", 1'000'000);
    auto size = number_of("pageSize", 100);
    if (number) q.page_number = *number;
    if (size) q.page_size = *size;
  }
  if (auto k = req.query_param("keyword")) {
    std::string t(text::trim(*k));
    if (t != "*") q.keyword = text::to_lower_ascii(t);
  }
  auto type = req.query_param("standardType");
  if (type) {
    if (*type != "STANDARD" && *type != "LABEL" && *type != "TESTREPORT")
      messages.push_back(fmt::format(
          "standardType has invalid value ''{}''. Allowed value(s) : [STANDARD,LABEL,TESTREPORT]",
          *type));
    else
      q.standard_type = *type;
  } else if (standard_type_required) {
    messages.push_back("require one standardType.");
  }
  if (!messages.empty()) return std::nullopt;
  return q;
}

}  // namespace certreg::dialects::origin
