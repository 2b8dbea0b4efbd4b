#include "dialects/iaf/parse.hpp"

#include "dialects/iaf/fields.hpp"

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {
using certreg::iaf::Role;

namespace {

// schemes: [{"scheme_name": "...", "standard_list": [{"standards_name": "..."}]}], at least one.
std::string parse_schemes(Fields& f) {
  json::Writer w;
  w.begin_array();
  auto n = f.objects("schemes", true, limits::kIafMaxSchemes, [&](Fields& s) {
    w.begin_object().field("scheme_name",
                           s.text("scheme_name", true, limits::kIafShortText).value_or(""));
    w.key("standard_list").begin_array();
    s.objects("standard_list", false, limits::kIafMaxSchemes, [&](Fields& st) {
      w.begin_object()
          .field("standards_name",
                 st.text("standards_name", true, limits::kIafShortText).value_or(""))
          .end_object();
    });
    w.end_array().end_object();
  });
  w.end_array();
  if (n && *n == 0) f.fail("schemes", "The schemes must have at least 1 items.", f.get("schemes"));
  return w.take();
}

// sites: absent or null keeps the stored sites; [] removes them all; a list replaces them.
std::optional<std::string> parse_sites(Fields& f) {
  json::Writer w;
  w.begin_array();
  auto n = f.objects("sites", false, limits::kIafMaxSites, [&](Fields& s) {
    w.begin_object();
    for (auto key : {"street", "city", "state", "country", "postcode"})
      w.field(key, s.text(key, false, limits::kIafShortText));
    w.field("scope_description", s.text("scope_description", false, limits::kIafLongText));
    w.end_object();
  });
  w.end_array();
  if (!n) return std::nullopt;
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
    std::size_t before = problems.size();
    json::Object o;
    json::Array a;
    if (si->get(o) == simdjson::SUCCESS) {
      Fields(o, problems, "system_information.").text("company_name", false, kIafShortText);
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
      f.objects("system_information", false, limits::kIafMaxSites, [&](Fields& item) {
        item.text("company_name", false, kIafShortText);
        item.text("company_guid", false, kIafShortText);
      });
    } else {
      f.fail("system_information", "The system_information must be an object or an array.", si);
    }
    if (problems.size() == before) out.system_information_json = json::to_string(*si);
  }
}

}  // namespace certreg::dialects::iaf
