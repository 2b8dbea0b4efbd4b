#include "core/iaf_service.hpp"

#include <simdjson.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "json/writer.hpp"
#include "store/errors.hpp"
#include "store/history.hpp"
#include "store/iaf_repo.hpp"

namespace certreg::iaf {
namespace repo = store::iaf;
using store::history::Action;

namespace {

std::string actor_of(const Caller& c) {
  return "iaf:" + c.id;
}

bool names_body(const repo::Body& b, const std::optional<std::string>& name,
                const std::optional<std::string>& acronym) {
  return (name && text::iequals(text::trim(*name), b.name)) ||
         (acronym && b.acronym && text::iequals(text::trim(*acronym), *b.acronym));
}

// Picks the one body that the name or acronym names; prefers a body both name.
std::variant<repo::Body, IssuerProblem> pick(const std::vector<repo::Body>& candidates,
                                             const std::optional<std::string>& name,
                                             const std::optional<std::string>& acronym) {
  std::vector<const repo::Body*> matches, both;
  for (const auto& b : candidates) {
    if (!names_body(b, name, acronym)) continue;
    matches.push_back(&b);
    if (names_body(b, name, std::nullopt) && names_body(b, std::nullopt, acronym))
      both.push_back(&b);
  }
  if (matches.size() == 1) return *matches.front();
  if (both.size() == 1) return *both.front();
  if (matches.empty()) return IssuerProblem::unknown_certification_body;
  return IssuerProblem::ambiguous_certification_body;
}

}  // namespace

std::string add_former_name(std::string_view former_names_json, std::string_view old_name,
                            std::string_view new_name) {
  std::vector<std::string> names;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(former_names_json.data(), former_names_json.size()).get(array) ==
      simdjson::SUCCESS) {
    for (auto e : array) {
      std::string_view s;
      if (e.get(s) == simdjson::SUCCESS) names.emplace_back(s);
    }
  }
  if (old_name != new_name && std::find(names.begin(), names.end(), old_name) == names.end())
    names.emplace_back(old_name);
  json::Writer w;
  w.begin_array();
  for (const auto& n : names) w.value(n);
  w.end_array();
  return w.take();
}

std::optional<Caller> Service::authenticate(std::string_view api_key) {
  return callers_.resolve(api_key, [this](const std::string& hash) -> std::optional<Caller> {
    auto lease = db_.reader();
    auto body = repo::body_by_key_hash(*lease, hash);
    if (!body) return std::nullopt;
    Role role = body->kind == "ab" ? Role::ab : body->kind == "mncb" ? Role::mncb : Role::cb;
    return Caller{body->id, role, body->accreditation_status};
  });
}

std::variant<Issuer, IssuerProblem> Service::resolve_issuer(const Caller& caller,
                                                            const IssuerRef& ref) {
  auto lease = db_.reader();
  auto& c = *lease;
  // The CB behind the upload.
  repo::Body cb;
  switch (caller.role) {
    case Role::cb: {
      auto self = repo::find_body(c, caller.id);
      if (!self) return IssuerProblem::unknown_certification_body;
      cb = std::move(*self);
      break;
    }
    case Role::mncb: {
      auto picked = pick(repo::mncb_members(c, caller.id), ref.cb_name, ref.cb_acronym);
      if (auto* p = std::get_if<IssuerProblem>(&picked)) return *p;
      cb = std::get<repo::Body>(std::move(picked));
      if (cb.accreditation_status == "withdrawn")
        return IssuerProblem::withdrawn_certification_body;
      break;
    }
    case Role::ab: {
      auto found = ref.cb_identity_number
                       ? repo::find_cb_by_identity(c, caller.id, *ref.cb_identity_number)
                       : std::nullopt;
      if (!found) return IssuerProblem::unknown_certification_body;
      return Issuer{found->id, caller.id};
    }
  }
  // CB and MNCB uploads name the AB, which must be the one accrediting that CB.
  if (!cb.accreditation_body_id) return IssuerProblem::unknown_accreditation_body;
  auto ab = repo::find_body(c, *cb.accreditation_body_id);
  if (!ab || !names_body(*ab, ref.ab_name, ref.ab_acronym))
    return IssuerProblem::unknown_accreditation_body;
  return Issuer{cb.id, ab->id};
}

void Service::upload(const Caller& caller, std::vector<Upload> uploads,
                     std::function<void(std::exception_ptr, std::vector<UploadResult>)> done) {
  auto results = std::make_shared<std::vector<UploadResult>>();
  db_.submit(
      [caller, uploads = std::move(uploads), results](store::Connection& c) {
        results->clear();
        std::int64_t now = clock::unix_seconds();
        std::string actor = actor_of(caller);
        std::string role(role_name(caller.role));
        std::vector<std::int64_t> created;  // seqs of the rows inserted
        for (const auto& u : uploads) {
          const auto& in = u.input;
          // Certified entity: one per (uploader, CB, unique id); a new name keeps the old one.
          // New rows are written first, and looked up only when their key is taken: most
          // uploads bring new certifications, and each lookup saved is a statement (on
          // PostgreSQL a round trip) of the single writer.
          auto entity =
              repo::insert_entity(c, crypto::new_uuid(), caller.id, u.issuer.cb_id, in.entity, now);
          if (!entity) {
            auto key = repo::find_entity_key(c, caller.id, u.issuer.cb_id, in.entity.unique_id);
            if (!key) throw store::RetryableError("certified entity deleted during an upload");
            entity = repo::update_entity_from_upload(
                c, key->id, in.entity,
                add_former_name(key->former_names_json, key->name, in.entity.name), now);
          }
          // Certification: one per (CB, certificate key, uploader).
          auto cert_key = in.cert_key();
          auto inserted =
              repo::insert_certification(c, crypto::new_uuid(), caller.id, role, u.issuer.cb_id,
                                         u.issuer.ab_id, entity->id, cert_key, in, now);
          std::optional<repo::StoredCertification> stored;
          std::optional<repo::Primary> primary;
          Action action = Action::create;
          if (inserted) {
            stored = std::move(inserted->row);
            created.push_back(stored->seq);
            if (!inserted->other_versions) primary = repo::Primary{stored->id, role};
          } else {
            auto cert_id = repo::find_certification_id(c, u.issuer.cb_id, cert_key, caller.id);
            if (!cert_id) throw store::RetryableError("certification deleted during an upload");
            stored = repo::update_certification(c, *cert_id, u.issuer.ab_id, entity->id, in, now);
            action = Action::update;
          }
          if (!primary) primary = repo::refresh_primary(c, {u.issuer.cb_id, cert_key});
          store::history::record(c, "iaf_certification", stored->id, action, actor,
                                 repo::upload_state(*stored, *entity));
          bool is_primary = primary && primary->id == stored->id;
          results->push_back(
              UploadResult{stored->id, is_primary, primary ? primary->role : std::string(role)});
        }
        if (!created.empty()) repo::count_certifications(c, caller.id, created, +1);
      },
      [results, done = std::move(done)](std::exception_ptr e) {
        done(e, e ? std::vector<UploadResult>{} : std::move(*results));
      });
}

std::optional<CertificationView> Service::get(const Caller& caller, std::string_view id) {
  auto lease = db_.reader();
  return repo::get_certification(*lease, id, caller.id);
}

CertificationPage Service::list(const Caller& caller, int limit, std::int64_t page) {
  auto lease = db_.reader();
  return repo::list_certifications(*lease, caller.id, limit, page * limit);
}

void Service::delete_certification(const Caller& caller, std::string id,
                                   std::function<void(std::exception_ptr)> done) {
  db_.submit(
      [caller, id = std::move(id)](store::Connection& c) {
        auto group = repo::delete_certification(c, id, caller.id);
        if (!group) throw NotFound("certification");
        repo::refresh_primary(c, *group);
        store::history::record(c, "iaf_certification", id, Action::remove, actor_of(caller),
                               std::nullopt);
      },
      std::move(done));
}

void Service::delete_entity(const Caller& caller, std::string id,
                            std::function<void(std::exception_ptr)> done) {
  db_.submit(
      [caller, id = std::move(id)](store::Connection& c) {
        if (!repo::get_entity(c, id, caller.id)) throw NotFound("certified entity");
        std::string actor = actor_of(caller);
        for (const auto& d : repo::delete_entity(c, id)) {
          repo::refresh_primary(c, d.group);
          store::history::record(c, "iaf_certification", d.id, Action::remove, actor, std::nullopt);
        }
        store::history::record(c, "iaf_entity", id, Action::remove, actor, std::nullopt);
      },
      std::move(done));
}

void Service::patch_entity(const Caller& caller, std::string guid, EntityPatch patch,
                           std::function<void(std::exception_ptr, EntityView)> done) {
  auto result = std::make_shared<EntityView>();
  db_.submit(
      [caller, guid = std::move(guid), patch = std::move(patch), result](store::Connection& c) {
        auto entity = repo::get_entity(c, guid, caller.id);
        if (!entity) {
          auto matches = repo::entities_by_unique_id(c, caller.id, guid);
          if (matches.size() > 1)
            throw ValidationFailed("company_guid",
                                   "The company_guid matches several certified entities; use its "
                                   "company_id.");
          if (matches.size() == 1) entity = std::move(matches.front());
        }
        if (!entity) throw NotFound("certified entity");
        std::string former = entity->former_names_json;
        if (patch.name) former = add_former_name(former, entity->name, *patch.name);
        repo::patch_entity(c, entity->id, patch, former, clock::unix_seconds());
        store::history::record(c, "iaf_entity", entity->id, Action::update, actor_of(caller),
                               repo::entity_state(c, entity->id));
        *result = *repo::get_entity(c, entity->id, caller.id);
      },
      [result, done = std::move(done)](std::exception_ptr e) {
        done(e, e ? EntityView{} : std::move(*result));
      });
}

namespace {

// withdrawn_at after a change of accreditation status.
std::optional<std::int64_t> withdrawn_at_after(const std::optional<std::string>& new_status,
                                               const std::string& old_status,
                                               std::optional<std::int64_t> old_withdrawn_at,
                                               std::int64_t now) {
  if (!new_status || *new_status == old_status) return old_withdrawn_at;
  return *new_status == "withdrawn" ? std::optional<std::int64_t>(now) : std::nullopt;
}

void rethrow_identity_clash() {
  try {
    throw;
  } catch (const store::UniqueViolation&) {
    throw ValidationFailed("certification_body_identity_number",
                           "Another certification body of this accreditation body already has "
                           "this identity number.");
  }
}

}  // namespace

void Service::upload_cb(const Caller& ab, CbInput input,
                        std::function<void(std::exception_ptr, std::string)> done) {
  auto id = std::make_shared<std::string>();
  db_.submit(
      [ab, input = std::move(input), id](store::Connection& c) {
        std::int64_t now = clock::unix_seconds();
        auto existing = repo::get_cb(c, ab.id, CbRef{std::nullopt, input.identity_number});
        if (existing) {
          *id = existing->id;
          repo::update_cb(
              c, *id, input,
              withdrawn_at_after(input.accreditation_status, existing->accreditation_status,
                                 existing->withdrawn_at, now),
              now);
        } else {
          *id = crypto::new_uuid();
          repo::insert_cb(c, *id, ab.id, input,
                          input.accreditation_status == "withdrawn"
                              ? std::optional<std::int64_t>(now)
                              : std::nullopt,
                          now);
        }
        store::history::record(c, "iaf_body", *id, existing ? Action::update : Action::create,
                               actor_of(ab), repo::cb_state(c, *id));
      },
      [id, done = std::move(done)](std::exception_ptr e) {
        AuthCache<Caller>::invalidate_all();
        done(e, *id);
      });
}

void Service::update_cb(const Caller& ab, CbRef ref, CbInput patch,
                        std::function<void(std::exception_ptr, CbView)> done) {
  auto result = std::make_shared<CbView>();
  db_.submit(
      [ab, ref = std::move(ref), patch = std::move(patch), result](store::Connection& c) {
        auto existing = repo::get_cb(c, ab.id, ref);
        if (!existing) throw NotFound("certification body");
        std::int64_t now = clock::unix_seconds();
        try {
          repo::update_cb(
              c, existing->id, patch,
              withdrawn_at_after(patch.accreditation_status, existing->accreditation_status,
                                 existing->withdrawn_at, now),
              now);
        } catch (...) {
          rethrow_identity_clash();
        }
        store::history::record(c, "iaf_body", existing->id, Action::update, actor_of(ab),
                               repo::cb_state(c, existing->id));
        *result = *repo::get_cb(c, ab.id, CbRef{existing->id, std::nullopt});
      },
      [result, done = std::move(done)](std::exception_ptr e) {
        AuthCache<Caller>::invalidate_all();  // the CB's key may now do less (or more)
        done(e, e ? CbView{} : std::move(*result));
      });
}

std::optional<CbView> Service::get_cb(const Caller& ab, std::string_view id) {
  auto lease = db_.reader();
  return repo::get_cb(*lease, ab.id, CbRef{std::string(id), std::nullopt});
}

CbPage Service::list_cbs(const Caller& ab, int limit, std::int64_t page) {
  auto lease = db_.reader();
  return repo::list_cbs(*lease, ab.id, limit, page * limit);
}

}  // namespace certreg::iaf
