// The provisioning document (DESIGN.md, "Configuration and provisioning"): organisations and
// credentials that the real services hand out through their web consoles. Parsing is strict:
// an unknown key or a wrong type is an error naming its path ("certification_bodies[1].acronym",
// indexes from 0) and nothing is applied. Applying is one transaction and idempotent.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace certreg::admin {

struct ProvisionError : std::runtime_error {
  ProvisionError(std::string p, std::string message)
      : std::runtime_error(p.empty() ? message : p + ": " + message), path(std::move(p)) {}
  std::string path;
};

// A list that may be absent; absent and empty differ (absent leaves stored values alone).
using OptList = std::optional<std::vector<std::string>>;

struct AccreditationBody {
  std::string id, name;
  std::optional<std::string> acronym, country;
  OptList api_keys;
};

// Names an existing CB by id, or by its accreditation body and identity number.
struct CertificationBody {
  std::optional<std::string> id;
  std::string accreditation_body;
  std::optional<std::string> identity_number, name, acronym, country;
  OptList api_keys;
};

struct Mncb {
  std::string id, name;
  std::optional<std::string> acronym, country;
  OptList certification_bodies, api_keys;
};

struct OriginCompany {
  std::string id, name;
  OptList tokens;
};

struct OriginStandard {
  std::string code, name, type;
};

struct SertifikaProperty {
  std::string key, title;
};

struct SertifikaTemplate {
  std::string id, name;
  std::vector<SertifikaProperty> properties;
};

struct SertifikaCompany {
  std::string id, name;
  OptList tokens;
  std::optional<std::vector<SertifikaTemplate>> templates;
};

struct EdinUser {
  std::string login, password;
  OptList glns;
};

struct EdinGln {
  std::string gln;
  std::optional<std::string> name;
  std::optional<bool> retail_network;
  std::optional<std::string> network;  // the GLN of the retail network it belongs to
  std::optional<std::string> inn, edrpou;
};

struct Provisioning {
  std::vector<AccreditationBody> accreditation_bodies;
  std::vector<CertificationBody> certification_bodies;
  std::vector<Mncb> mncbs;
  std::vector<OriginCompany> origin_companies;
  std::vector<std::string> origin_reporting_bodies;
  std::vector<OriginStandard> origin_standards;
  std::vector<SertifikaCompany> sertifika_companies;
  std::vector<EdinUser> edin_users;
  std::vector<EdinGln> edin_glns;
};

Provisioning parse_provisioning(const std::string& document);
// The same, from a file; a file that cannot be read is a std::runtime_error naming it.
Provisioning parse_provisioning_file(const std::string& path);

// Applies the document in one transaction; returns how many rows it created or changed (0 when
// the same document is applied again). Throws ProvisionError for a dangling reference or a
// credential that belongs to someone else.
int apply_provisioning(store::Database& db, const Provisioning& p);
// The same, queued on the writer; `done` gets the change count or the error.
void submit_provisioning(store::Database& db, Provisioning p,
                         std::function<void(std::exception_ptr, int)> done);

}  // namespace certreg::admin
