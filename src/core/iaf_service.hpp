// The IAF CertSearch rules every role shares: who may name which bodies, certified-entity matching,
// certification upserts, tenancy (a caller reaches only what it uploaded), and history.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/auth_cache.hpp"
#include "core/iaf.hpp"
#include "store/db.hpp"

namespace certreg::iaf {

// The bodies behind an upload once its IssuerRef is checked.
struct Issuer {
  std::string cb_id, ab_id;
};

// Which part of an IssuerRef failed the check.
enum class IssuerProblem {
  unknown_accreditation_body,  // not an AB of the CB
  unknown_certification_body,  // not a CB linked to the MNCB / accredited by the AB
  ambiguous_certification_body,
  withdrawn_certification_body,  // an MNCB naming a CB whose accreditation is withdrawn
};

struct Upload {
  CertificationInput input;
  Issuer issuer;
};

class Service {
 public:
  explicit Service(store::Database& db) : db_(db) {}

  std::optional<Caller> authenticate(std::string_view api_key);
  std::variant<Issuer, IssuerProblem> resolve_issuer(const Caller& caller, const IssuerRef& ref);

  // Upserts every upload in order in one transaction: all or none. `done` receives what happened
  // to each.
  void upload(const Caller& caller, std::vector<Upload> uploads,
              std::function<void(std::exception_ptr, std::vector<UploadResult>)> done);

  std::optional<CertificationView> get(const Caller& caller, std::string_view id);
  CertificationPage list(const Caller& caller, int limit, std::int64_t page);

  // NotFound when the id is unknown or not the caller's.
  void delete_certification(const Caller& caller, std::string id,
                            std::function<void(std::exception_ptr)> done);
  void delete_entity(const Caller& caller, std::string id,
                     std::function<void(std::exception_ptr)> done);
  // `guid` is the entity's company_id, or the caller's certified_entity_unique_id for it.
  void patch_entity(const Caller& caller, std::string guid, EntityPatch patch,
                    std::function<void(std::exception_ptr, EntityView)> done);

  // An accreditation body's certification bodies. upload_cb creates or updates the CB with the
  // input's identity number; update_cb changes the one `ref` names (NotFound if it is not this
  // AB's). Moving to "withdrawn" records withdrawn_at; moving away clears it.
  void upload_cb(const Caller& ab, CbInput input,
                 std::function<void(std::exception_ptr, std::string)> done);
  void update_cb(const Caller& ab, CbRef ref, CbInput patch,
                 std::function<void(std::exception_ptr, CbView)> done);
  std::optional<CbView> get_cb(const Caller& ab, std::string_view id);
  CbPage list_cbs(const Caller& ab, int limit, std::int64_t page);

 private:
  store::Database& db_;
  AuthCache<Caller> callers_;
};

// Appends `old_name` to a JSON array of former names unless it is already there or is the new name.
std::string add_former_name(std::string_view former_names_json, std::string_view old_name,
                            std::string_view new_name);

}  // namespace certreg::iaf
