#include "dialects/iaf/render.hpp"

namespace certreg::dialects::iaf {

namespace {

// Stored dates are ISO (YYYY-MM-DD); IAF speaks YYYYMMDD.
std::string yyyymmdd(std::string_view iso) {
  std::string out;
  for (char c : iso)
    if (c != '-') out.push_back(c);
  return out;
}

std::optional<std::string> yyyymmdd_opt(const std::optional<std::string>& iso) {
  if (!iso) return std::nullopt;
  return yyyymmdd(std::string_view(*iso));
}

}  // namespace

void write_certification(json::Writer& w, const certreg::iaf::CertificationView& v) {
  const auto& e = v.entity;
  w.begin_object()
      .field("company_certifications_id", v.id)
      .field("company_id", e.id)
      .field("company_name", e.name)
      .field_raw("company_former_names", e.former_names_json)
      .field("company_english_name", e.english_name)
      .field("company_trading_name", e.trading_name)
      .field("certified_entity_unique_id", e.unique_id)
      .field("company_street", e.street)
      .field("company_city", e.city)
      .field("company_state", e.state)
      .field("company_postcode", e.postcode)
      .field("company_country", e.country)
      .field("company_website", e.website)
      .field("is_confidential", e.confidential)
      .field("certification_number", v.certificate_number)
      .field("certificate_identity_number", v.identity_number)
      .field("status", v.status)
      .field("type", v.type)
      .field("scope_description", v.scope)
      .field("issue_date", yyyymmdd(std::string_view(v.issue_date)))
      .field("expiry_date", yyyymmdd(std::string_view(v.expiry_date)))
      .field("original_issue_date", yyyymmdd_opt(v.original_issue_date))
      .field("accreditation_status", v.accreditation_status)
      .field("certification_bodies_id", v.cb_id)
      .field("certification_bodies_name", v.cb_name)
      .field("certification_bodies_accreditation_status", v.cb_accreditation_status)
      .key("withdrawn_at");
  if (v.cb_withdrawn_at)
    w.value(*v.cb_withdrawn_at);
  else
    w.null();
  w.field("accreditation_bodies_id", v.ab_id)
      .field("accreditation_bodies_name", v.ab_name)
      .field("contributor", v.uploader_role)
      .field("is_primary", v.is_primary)
      .field("primary_contributor", v.primary_role)
      .field_raw("schemes", v.schemes_json)
      .field_raw("sites", v.sites_json)
      .field("created_at", v.created_at)
      .field("updated_at", v.updated_at)
      .end_object();
}

void write_entity(json::Writer& w, const certreg::iaf::EntityView& e) {
  w.begin_object()
      .field("company_id", e.id)
      .field("company_guid", e.id)
      .field("company_name", e.name)
      .field("company_en_name", e.english_name)
      .field("company_trading_name", e.trading_name)
      .field_raw("company_former_names", e.former_names_json)
      .field("certified_entity_unique_id", e.unique_id)
      .field("company_street", e.street)
      .field("company_city", e.city)
      .field("company_state", e.state)
      .field("company_postcode", e.postcode)
      .field("company_country", e.country)
      .field("company_website", e.website)
      .field("company_id_number", e.company_id_number)
      .field("business_reg_number", e.business_registration_number)
      .field("tax_id", e.tax_id)
      .field("vat", e.vat)
      .field("duns_number", e.duns_number)
      .field("is_confidential", static_cast<std::int64_t>(e.confidential ? 1 : 0));
  if (e.system_information_json)
    w.field_raw("system_information", *e.system_information_json);
  else
    w.field_null("system_information");
  w.field("created_at", e.created_at).field("updated_at", e.updated_at).end_object();
}

void write_cb(json::Writer& w, const certreg::iaf::CbView& cb) {
  w.begin_object()
      .field("certification_bodies_id", cb.id)
      .field("certification_bodies_guid", cb.id)
      .field("certification_bodies_guid_in_ab", cb.identity_number)
      .field("certification_bodies_name", cb.name)
      .field("certification_bodies_name_from_ab", cb.name)
      .field("certification_bodies_acronym", cb.acronym)
      .field("certification_bodies_desc", cb.description)
      .field("certification_bodies_website", cb.website)
      .field("certification_bodies_email", cb.email)
      .field("certification_bodies_phone", cb.phone)
      .field("certification_bodies_fax", cb.fax)
      .field("country_name", cb.country)
      .field("certification_bodies_accreditation_status", cb.accreditation_status)
      .key("withdrawn_at");
  if (cb.withdrawn_at)
    w.value(*cb.withdrawn_at);
  else
    w.null();
  w.field_raw("office_directories", cb.offices_json)
      .field_raw("certification_body_countries", cb.countries_json)
      .field_raw("standard_and_schemes", cb.standards_json)
      .field_raw("technical_sectors", cb.sectors_json)
      .field("created_at", cb.created_at)
      .field("updated_at", cb.updated_at)
      .end_object();
}

}  // namespace certreg::dialects::iaf
