// The IAF CertSearch domain: accreditation bodies (AB) accredit certification bodies (CB), which
// issue certifications to certified entities (CE); a multi-national CB (MNCB) uploads for the CBs
// linked to it. Types here are wire-neutral; dialects/iaf maps them to and from JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dates.hpp"
#include "core/errors.hpp"

namespace certreg::iaf {

enum class Role { ab, cb, mncb };
std::string_view role_name(Role r);

// The organisation behind an API key.
struct Caller {
  std::string id;
  Role role = Role::cb;
  std::string accreditation_status;  // of a CB: active | suspended | withdrawn
};

// How an upload names the bodies behind a certification; which fields count depends on the role.
struct IssuerRef {
  std::optional<std::string> ab_name, ab_acronym;  // CB and MNCB uploads
  std::optional<std::string> cb_name, cb_acronym;  // MNCB and AB uploads
  std::optional<std::string> cb_identity_number;   // AB uploads
};

// Certified-entity fields of an upload. Absent optional values leave stored ones unchanged.
struct EntityInput {
  std::string unique_id, name, country;
  std::optional<std::string> english_name, trading_name, street, city, state, postcode, website;
  std::optional<bool> confidential;
};

struct CertificationInput {
  IssuerRef issuer;
  std::string certificate_number;
  std::optional<std::string> identity_number;
  std::string status;                               // canonical: active, inactive, ...
  std::optional<std::string> accreditation_status;  // Accredited | Unaccredited
  std::string type;
  std::optional<std::string> scope;
  std::optional<dates::Date> original_issue_date;
  dates::Date issue_date, expiry_date;
  EntityInput entity;
  std::string schemes_json;               // normalized upload shape
  std::optional<std::string> sites_json;  // absent: keep the stored sites

  // The upsert key: the identity number when given, else the certificate number.
  std::string cert_key() const;
};

// Changes to a certified entity through ce-name-by-guid / ce-by-guid.
struct EntityPatch {
  std::optional<std::string> name, english_name, trading_name, street, city, state, postcode,
      country, website, company_id_number, business_registration_number, tax_id, vat, duns_number,
      system_information_json;
};

struct EntityView {
  std::string id, uploader_id, cb_id, unique_id, name, former_names_json, country;
  std::optional<std::string> english_name, trading_name, street, city, state, postcode, website,
      company_id_number, business_registration_number, tax_id, vat, duns_number,
      system_information_json;
  bool confidential = false;
  std::int64_t created_at = 0, updated_at = 0;
};

struct CertificationView {
  std::string id, uploader_id, uploader_role, cb_id, ab_id, certificate_number, status, type,
      issue_date, expiry_date, schemes_json, sites_json;
  // Data priority: when several parties uploaded this certification, whether this version is the
  // one the registry shows, and the role of whoever uploaded that one.
  bool is_primary = true;
  std::string primary_role;
  std::optional<std::string> identity_number, accreditation_status, scope, original_issue_date;
  std::string cb_name, ab_name, cb_accreditation_status;
  std::optional<std::int64_t> cb_withdrawn_at;
  EntityView entity;
  std::int64_t created_at = 0, updated_at = 0;
};

struct CertificationPage {
  std::vector<CertificationView> items;
  std::int64_t total = 0;
};

// What an upload did: the certification's id and whether this version is the primary one.
struct UploadResult {
  std::string id;
  bool is_primary = true;
  std::string primary_role;
};

// A certification body as its accreditation body manages it (upload-cb, PUT cb). As a patch,
// absent fields leave stored values unchanged. Lists are normalized JSON arrays.
struct CbInput {
  std::optional<std::string> identity_number, name, acronym, country, description, website, email,
      phone, fax, accreditation_status;
  std::optional<std::string> offices_json, countries_json, standards_json, sectors_json;
};

// Names one of an accreditation body's CBs: by certreg id, or by the AB's identity number.
struct CbRef {
  std::optional<std::string> id, identity_number;
};

struct CbView {
  std::string id, name, accreditation_status, offices_json, countries_json, standards_json,
      sectors_json;
  std::optional<std::string> identity_number, acronym, country, description, website, email, phone,
      fax;
  std::optional<std::int64_t> withdrawn_at;
  std::int64_t created_at = 0, updated_at = 0;
};

struct CbPage {
  std::vector<CbView> items;
  std::int64_t total = 0;
};

// A bulk upload failed on one record; nothing of the batch was written.
struct BulkRecordFailed : std::runtime_error {
  BulkRecordFailed(std::size_t i, FieldErrors e)
      : std::runtime_error("bulk record failed"), index(i), errors(std::move(e)) {}
  std::size_t index;
  FieldErrors errors;
};

}  // namespace certreg::iaf
