// Certification-body requests of accreditation bodies: upload-cb, PUT cb,
// update-accreditation-status.
#include <fmt/format.h>

#include "core/validate.hpp"
#include "dialects/iaf/fields.hpp"
#include "dialects/iaf/parse.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {
namespace {

using namespace certreg::limits;

// A JSON array of objects with the given string fields (the first `required` of them required).
std::optional<std::string> string_objects(Fields& f, std::string_view field,
                                          std::initializer_list<std::string_view> keys,
                                          std::size_t required,
                                          std::initializer_list<std::string_view> date_keys = {}) {
  json::Writer w;
  w.begin_array();
  auto n = f.objects(field, false, kIafMaxSites, [&](Fields& item) {
    w.begin_object();
    std::size_t i = 0;
    for (auto k : keys) w.field(k, item.text(k, i++ < required, kIafShortText));
    for (auto k : date_keys) {
      auto d = item.date(k, false);
      w.field(k, d ? std::optional<std::string>(dates::format_yyyymmdd(*d)) : std::nullopt);
    }
    w.end_object();
  });
  w.end_array();
  if (!n) return std::nullopt;
  return w.take();
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

}  // namespace

std::optional<std::string> canonical_cb_status(std::string_view s) {
  std::string v = text::to_lower_ascii(text::trim(s));
  if (v == "active" || v == "active (valid)" || v == "valid") return "active";
  if (v == "withdrawn" || v == "withdrawn (expired)" || v == "expired") return "withdrawn";
  if (v == "suspended") return "suspended";
  return std::nullopt;
}

void parse_cb(const json::Element& body, bool upload, certreg::iaf::CbInput& out,
              Problems& problems) {
  json::Object obj;
  if (!as_object(body, obj)) {
    problems.push_back({"body", "The request body must be a JSON object.", json::to_string(body)});
    return;
  }
  Fields f(obj, problems);
  out.identity_number = f.text("certification_body_identity_number", upload, kIafShortText);
  out.name = f.text("certification_body_name", upload, kIafShortText);
  out.acronym = f.text("certification_body_acronym", false, kIafShortText);
  out.country = f.text("country", upload, kIafShortText);
  out.description = f.text("description", false, kIafLongText);
  if (out.description && word_count(*out.description) > 200)
    f.fail("description", "The description may not be longer than 200 words.",
           f.get("description"));
  out.accreditation_status = f.choice("accreditation_status", upload, canonical_cb_status,
                                      "Active (valid), Withdrawn (expired), Suspended");
  out.website = f.text("website", false, kIafShortText);
  if (out.website && !validate::is_public_url(*out.website, false))
    f.fail("website", "The website must start with http:// or https://.", f.get("website"));
  out.email = f.text("public_email_address", false, kIafShortText);
  if (out.email && !validate::is_email(*out.email))
    f.fail("public_email_address", "The public_email_address must be a valid email address.",
           f.get("public_email_address"));
  out.phone = f.text("public_phone_number", false, kIafShortText);
  out.fax = f.text("public_fax_number", false, kIafShortText);
  out.offices_json =
      string_objects(f, "office_directories",
                     {"country", "office_type", "street", "state", "city", "zip_code"}, 1);
  out.countries_json = string_objects(f, "certification_body_countries", {"country"}, 1);
  out.standards_json = string_objects(
      f, "standard_and_schemes", {"standard_code", "scheme_name", "scope_type", "standard_status"},
      1, {"issue_date", "first_issue_date", "expiry_date"});
  out.sectors_json =
      string_objects(f, "technical_sectors", {"sector_title", "scheme_name", "sector_code"}, 1);
}

void parse_cb_ref(const json::Element& body, certreg::iaf::CbRef& out, Problems& problems) {
  json::Object obj;
  if (!as_object(body, obj)) return;  // parse_cb reports it
  Fields f(obj, problems);
  out.id = f.text("certification_bodies_id", false, kIafShortText);
  out.identity_number = f.text("certification_bodies_guid_in_ab", false, kIafShortText);
  if (!out.id && !out.identity_number) {
    f.fail("certification_bodies_id",
           "The certification_bodies_id field is required when certification_bodies_guid_in_ab is "
           "not present.",
           std::nullopt);
  }
}

}  // namespace certreg::dialects::iaf
