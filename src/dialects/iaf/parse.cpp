#include "dialects/iaf/parse.hpp"

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {
using certreg::iaf::Role;

namespace {

std::string raw(const std::optional<json::Element>& e) {
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

  Problems& problems() { return problems_; }

 private:
  const json::Object& obj_;
  Problems& problems_;
  std::string prefix_;
};

bool as_object(const json::Element& e, json::Object& out) {
  return e.get(out) == simdjson::SUCCESS;
}

// schemes: [{"scheme_name": "...", "standard_list": [{"standards_name": "..."}]}], at least one.
std::string parse_schemes(Fields& f) {
  json::Writer w;
  auto schemes = f.array("schemes", true);
  if (!schemes) return {};
  if (schemes->size() == 0) {
    f.fail("schemes", "The schemes must have at least 1 items.", f.get("schemes"));
    return {};
  }
  if (schemes->size() > limits::kIafMaxSchemes) {
    f.fail("schemes",
           fmt::format("The schemes may not have more than {} items.", limits::kIafMaxSchemes),
           f.get("schemes"));
    return {};
  }
  w.begin_array();
  std::size_t i = 0;
  for (auto item : *schemes) {
    std::string at = fmt::format("{}{}.", f.name("schemes."), i++);
    json::Object obj;
    if (!as_object(item, obj)) {
      f.problems().push_back({at.substr(0, at.size() - 1),
                              fmt::format("The {} must be an object.", at.substr(0, at.size() - 1)),
                              json::to_string(item)});
      continue;
    }
    Fields s(obj, f.problems(), at);
    auto name = s.text("scheme_name", true, limits::kIafShortText);
    w.begin_object().field("scheme_name", name.value_or("")).key("standard_list").begin_array();
    if (auto standards = s.array("standard_list", false)) {
      if (standards->size() > limits::kIafMaxSchemes)
        s.fail("standard_list",
               fmt::format("The {} may not have more than {} items.", s.name("standard_list"),
                           limits::kIafMaxSchemes),
               s.get("standard_list"));
      std::size_t k = 0;
      for (auto std_item : *standards) {
        std::string sat = fmt::format("{}standard_list.{}.", at, k++);
        json::Object sobj;
        if (!as_object(std_item, sobj)) {
          f.problems().push_back(
              {sat.substr(0, sat.size() - 1),
               fmt::format("The {} must be an object.", sat.substr(0, sat.size() - 1)),
               json::to_string(std_item)});
          continue;
        }
        Fields st(sobj, f.problems(), sat);
        auto sname = st.text("standards_name", true, limits::kIafShortText);
        w.begin_object().field("standards_name", sname.value_or("")).end_object();
      }
    }
    w.end_array().end_object();
  }
  w.end_array();
  return w.take();
}

// sites: absent or null keeps the stored sites; [] removes them all; a list replaces them.
std::optional<std::string> parse_sites(Fields& f) {
  auto sites = f.array("sites", false);
  if (!sites) return std::nullopt;
  if (sites->size() > limits::kIafMaxSites) {
    f.fail("sites", fmt::format("The sites may not have more than {} items.", limits::kIafMaxSites),
           f.get("sites"));
    return std::nullopt;
  }
  json::Writer w;
  w.begin_array();
  std::size_t i = 0;
  for (auto item : *sites) {
    std::string at = fmt::format("{}{}.", f.name("sites."), i++);
    json::Object obj;
    if (!as_object(item, obj)) {
      f.problems().push_back({at.substr(0, at.size() - 1),
                              fmt::format("The {} must be an object.", at.substr(0, at.size() - 1)),
                              json::to_string(item)});
      continue;
    }
    Fields s(obj, f.problems(), at);
    w.begin_object();
    for (auto key : {"street", "city", "state", "country", "postcode"})
      w.field(key, s.text(key, false, limits::kIafShortText));
    w.field("scope_description", s.text("scope_description", false, limits::kIafLongText));
    w.end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace

std::optional<std::string> canonical_status(std::string_view s) {
  std::string v = text::to_lower_ascii(text::trim(s));
  // The documented values, the long forms of the English guide, and the spellings of the
  // French translation ("suspendud", "retired").
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"active", "active"},
      {"active (valid)", "active"},
      {"valid", "active"},
      {"inactive", "inactive"},
      {"suspended", "suspended"},
      {"suspendud", "suspended"},
      {"cancelled", "cancelled"},
      {"canceled", "cancelled"},
      {"cancelled (terminated)", "cancelled"},
      {"terminated", "cancelled"},
      {"hidden", "hidden"},
      {"draft", "hidden"},
      {"hidden (uploaded but not yet live)", "hidden"},
      {"withdrawn", "withdrawn"},
      {"retired", "withdrawn"},
      {"expired", "expired"},
  };
  for (const auto& [from, to] : kMap)
    if (v == from) return std::string(to);
  return std::nullopt;
}

std::optional<std::string> canonical_accreditation_status(std::string_view s) {
  std::string v = text::to_lower_ascii(text::trim(s));
  if (v == "accredited") return "Accredited";
  if (v == "unaccredited" || v == "noneaccredited" || v == "none accredited" ||
      v == "non-accredited" || v == "nonaccredited")
    return "Unaccredited";
  return std::nullopt;
}

void parse_certification(const json::Element& record, Role role,
                         certreg::iaf::CertificationInput& out, Problems& problems) {
  json::Object obj;
  if (!as_object(record, obj)) {
    problems.push_back(
        {"body", "The request body must be a JSON object.", json::to_string(record)});
    return;
  }
  Fields f(obj, problems);
  using namespace certreg::limits;

  out.certificate_number = f.text("certificate_number", true, kIafCertificateNumber).value_or("");
  out.identity_number = f.text("certificate_identity_number", false, kIafCertificateIdentityNumber);
  out.status = f.choice("certification_status", true, canonical_status,
                        "active, inactive, suspended, cancelled, hidden, withdrawn, expired")
                   .value_or("");
  out.accreditation_status =
      f.choice("certificate_accreditation_status", false, canonical_accreditation_status,
               role == Role::ab ? "Accredited, NoneAccredited" : "Accredited, Unaccredited");
  out.type = f.text("certification_type", true, kIafShortText).value_or("");
  out.scope = f.text("certification_scope", false, kIafLongText);
  out.original_issue_date = f.date("certification_original_issue_date", false);
  auto issue = f.date("certification_issue_date", true);
  auto expiry = f.date("certification_expiry_date", true);
  if (issue) out.issue_date = *issue;
  if (expiry) out.expiry_date = *expiry;
  if (issue && expiry && *expiry < *issue)
    f.fail("certification_expiry_date",
           "The certification_expiry_date must be a date after or equal to "
           "certification_issue_date.",
           f.get("certification_expiry_date"));

  auto& e = out.entity;
  e.name = f.text("certified_entity_name", true, kIafEntityName).value_or("");
  e.english_name = f.text("certified_entity_english_name", false, kIafEntityName);
  e.trading_name = f.text("certified_entity_trading_name", false, kIafEntityTradingName);
  e.unique_id = f.text("certified_entity_unique_id", true, kIafEntityUniqueId).value_or("");
  // Both the documented certified_entity_* names and the short spellings are accepted.
  e.street = f.text_any({"certified_entity_street_address", "street_address"}, kIafShortText);
  e.city =
      f.text_any({"certified_entity_street_city", "certified_entity_city", "city"}, kIafShortText);
  e.state = f.text_any({"certified_entity_state", "state"}, kIafShortText);
  e.postcode = f.text_any({"certified_entity_post_code", "post_code", "postcode"}, kIafShortText);
  if (f.get("certified_entity_country") || !f.get("country"))
    e.country = f.text("certified_entity_country", true, kIafShortText).value_or("");
  else
    e.country = f.text("country", true, kIafShortText).value_or("");
  e.website = f.text_any({"certified_entity_website", "website"}, kIafShortText);
  e.confidential = f.boolean("confidential_certified_entity");

  auto& is = out.issuer;
  bool names_ab = role != Role::ab;
  bool names_cb = role != Role::cb;
  is.ab_name = f.text("accreditation_body_name", names_ab, kIafShortText);
  is.ab_acronym = f.text("accreditation_body_acronym_name", names_ab, kIafShortText);
  is.cb_name = f.text("certification_body_name", names_cb, kIafShortText);
  is.cb_acronym = f.text("certification_body_acronym_name", role == Role::mncb, kIafShortText);
  is.cb_identity_number =
      f.text("certification_body_identity_number", role == Role::ab, kIafShortText);

  out.schemes_json = parse_schemes(f);
  out.sites_json = parse_sites(f);
}

namespace {

std::optional<std::string> parse_guid(const json::Element& body, json::Object& obj,
                                      Problems& problems) {
  if (!as_object(body, obj)) {
    problems.push_back({"body", "The request body must be a JSON object.", json::to_string(body)});
    return std::nullopt;
  }
  Fields f(obj, problems);
  return f.text("company_guid", true, limits::kIafShortText);
}

}  // namespace

void parse_entity_name(const json::Element& body, std::string& guid, certreg::iaf::EntityPatch& out,
                       Problems& problems) {
  json::Object obj;
  auto g = parse_guid(body, obj, problems);
  if (!problems.empty() && problems.front().field == "body") return;
  guid = g.value_or("");
  Fields f(obj, problems);
  out.name = f.text("company_name", true, limits::kIafEntityName);
}

void parse_entity_details(const json::Element& body, std::string& guid,
                          certreg::iaf::EntityPatch& out, Problems& problems) {
  json::Object obj;
  auto g = parse_guid(body, obj, problems);
  if (!problems.empty() && problems.front().field == "body") return;
  guid = g.value_or("");
  Fields f(obj, problems);
  using namespace certreg::limits;
  out.trading_name = f.text("company_trading_name", false, kIafEntityTradingName);
  out.english_name = f.text("company_en_name", false, kIafEntityName);
  // "Mandatory if present": a company_country that is sent must not be empty.
  out.country = f.text("company_country", f.get("company_country").has_value(), kIafShortText);
  out.street = f.text("company_street", false, kIafShortText);
  out.city = f.text("company_city", false, kIafShortText);
  out.state = f.text("company_state", false, kIafShortText);
  out.postcode = f.text("company_postcode", false, kIafShortText);
  out.website = f.text("company_website", false, kIafShortText);
  out.company_id_number = f.text("company_id_number", false, kIafShortText);
  out.business_registration_number = f.text("business_registration_number", false, kIafShortText);
  out.tax_id = f.text("tax_id", false, kIafShortText);
  out.vat = f.text("vat", false, kIafShortText);
  out.duns_number = f.text("duns_number", false, kIafShortText);

  // system_information: {"company_name", "company_guids": [...]} or [{"company_name",
  // "company_guid"}]; stored as sent (minified) once its shape is checked.
  if (auto si = f.get("system_information")) {
    auto string_fields_ok = [&](const json::Object& o, std::initializer_list<std::string_view> keys,
                                const std::string& at) {
      Fields sf(o, problems, at);
      for (auto k : keys) sf.text(k, false, kIafShortText);
    };
    std::size_t before = problems.size();
    json::Object o;
    json::Array a;
    if (si->get(o) == simdjson::SUCCESS) {
      string_fields_ok(o, {"company_name"}, "system_information.");
      if (auto guids = json::find(o, "company_guids");
          guids && json::type_of(*guids) != json::Type::null) {
        json::Array ga;
        bool ok = guids->get(ga) == simdjson::SUCCESS;
        if (ok)
          for (auto x : ga) ok = ok && json::type_of(x) == json::Type::string;
        if (!ok)
          problems.push_back({"system_information.company_guids",
                              "The system_information.company_guids must be an array of strings.",
                              json::to_string(*guids)});
      }
    } else if (si->get(a) == simdjson::SUCCESS) {
      std::size_t i = 0;
      for (auto item : a) {
        std::string at = fmt::format("system_information.{}.", i++);
        json::Object io;
        if (item.get(io) != simdjson::SUCCESS) {
          problems.push_back({at.substr(0, at.size() - 1),
                              fmt::format("The {} must be an object.", at.substr(0, at.size() - 1)),
                              json::to_string(item)});
          continue;
        }
        string_fields_ok(io, {"company_name", "company_guid"}, at);
      }
    } else {
      f.fail("system_information", "The system_information must be an object or an array.", si);
    }
    if (problems.size() == before) out.system_information_json = json::to_string(*si);
  }
}

}  // namespace certreg::dialects::iaf
