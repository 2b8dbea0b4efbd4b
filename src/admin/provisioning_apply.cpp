#include <fmt/format.h>

#include "admin/provisioning.hpp"
#include "core/auth_cache.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/password.hpp"
#include "json/writer.hpp"
#include "store/edin_repo.hpp"
#include "store/errors.hpp"
#include "store/iaf_repo.hpp"
#include "store/provision_repo.hpp"

namespace certreg::admin {
namespace repo = store::provision;

namespace {

std::string path_of(std::string_view section, std::size_t index, std::string_view key = {}) {
  return key.empty() ? fmt::format("{}[{}]", section, index)
                     : fmt::format("{}[{}].{}", section, index, key);
}

class Applier {
 public:
  Applier(store::Connection& c) : c_(c), now_(clock::unix_seconds()) {}

  int run(const Provisioning& p) {
    for (std::size_t i = 0; i < p.accreditation_bodies.size(); ++i)
      ab(p.accreditation_bodies[i], i);
    for (std::size_t i = 0; i < p.certification_bodies.size(); ++i)
      cb(p.certification_bodies[i], i);
    for (std::size_t i = 0; i < p.mncbs.size(); ++i) mncb(p.mncbs[i], i);
    for (std::size_t i = 0; i < p.origin_companies.size(); ++i) {
      const auto& o = p.origin_companies[i];
      changed_ += repo::upsert_origin_company(c_, o.id, o.name, now_);
      credentials("origin", o.id, o.tokens, path_of("origin_companies", i, "tokens"));
    }
    for (const auto& name : p.origin_reporting_bodies)
      changed_ += repo::add_origin_reporting_body(c_, name, crypto::new_uuid());
    for (const auto& s : p.origin_standards)
      changed_ += repo::upsert_origin_standard(c_, s.code, s.name, s.type);
    for (std::size_t i = 0; i < p.sertifika_companies.size(); ++i)
      sertifika(p.sertifika_companies[i], i);
    for (std::size_t i = 0; i < p.edin_users.size(); ++i) edin_user(p.edin_users[i]);
    for (const auto& g : p.edin_glns) changed_ += repo::upsert_edin_gln(c_, g);
    return changed_;
  }

 private:
  // The stored body `id` must be of `kind` if it exists.
  std::optional<store::iaf::Body> body_of_kind(const std::string& id, std::string_view kind,
                                               const std::string& path) {
    auto b = store::iaf::find_body(c_, id);
    if (b && b->kind != kind)
      throw ProvisionError(path, fmt::format("'{}' is already provisioned as {}", id,
                                             b->kind == "ab"   ? "an accreditation body"
                                             : b->kind == "cb" ? "a certification body"
                                                               : "an MNCB"));
    return b;
  }

  void ab(const AccreditationBody& a, std::size_t i) {
    body_of_kind(a.id, "ab", path_of("accreditation_bodies", i, "id"));
    changed_ += repo::upsert_iaf_body(
        c_, {a.id, "ab", a.name, a.acronym, a.country, std::nullopt, std::nullopt, {}, {}}, now_);
    credentials("iaf", a.id, a.api_keys, path_of("accreditation_bodies", i, "api_keys"));
  }

  void cb(const CertificationBody& b, std::size_t i) {
    if (!body_of_kind(b.accreditation_body, "ab",
                      path_of("certification_bodies", i, "accreditation_body")))
      throw ProvisionError(path_of("certification_bodies", i, "accreditation_body"),
                           fmt::format("no accreditation body '{}'", b.accreditation_body));
    std::optional<store::iaf::Body> existing;
    std::string id;
    if (b.id) {
      id = *b.id;
      existing = body_of_kind(id, "cb", path_of("certification_bodies", i, "id"));
    } else {
      existing = store::iaf::find_cb_by_identity(c_, b.accreditation_body, *b.identity_number);
      if (existing) id = existing->id;
    }
    if (!existing && !b.name)
      throw ProvisionError(path_of("certification_bodies", i, "name"),
                           "is required to create a certification body");
    if (id.empty()) id = crypto::new_uuid();
    try {
      changed_ += repo::upsert_iaf_body(c_,
                                        {id,
                                         "cb",
                                         b.name ? *b.name : existing->name,
                                         b.acronym,
                                         b.country,
                                         b.accreditation_body,
                                         b.identity_number,
                                         {},
                                         {}},
                                        now_);
    } catch (const store::UniqueViolation&) {
      throw ProvisionError(path_of("certification_bodies", i, "identity_number"),
                           "another certification body of this accreditation body has it");
    }
    credentials("iaf", id, b.api_keys, path_of("certification_bodies", i, "api_keys"));
  }

  void mncb(const Mncb& m, std::size_t i) {
    body_of_kind(m.id, "mncb", path_of("mncbs", i, "id"));
    changed_ += repo::upsert_iaf_body(
        c_, {m.id, "mncb", m.name, m.acronym, m.country, std::nullopt, std::nullopt, {}, {}}, now_);
    if (m.certification_bodies) {
      for (std::size_t k = 0; k < m.certification_bodies->size(); ++k) {
        const auto& cb_id = (*m.certification_bodies)[k];
        std::string p = fmt::format("{}[{}]", path_of("mncbs", i, "certification_bodies"), k);
        if (!body_of_kind(cb_id, "cb", p))
          throw ProvisionError(p, fmt::format("no certification body '{}'", cb_id));
      }
      changed_ += repo::set_mncb_members(c_, m.id, *m.certification_bodies);
    }
    credentials("iaf", m.id, m.api_keys, path_of("mncbs", i, "api_keys"));
  }

  void sertifika(const SertifikaCompany& s, std::size_t i) {
    changed_ += repo::upsert_sertifika_company(c_, s.id, s.name, now_);
    credentials("sertifika", s.id, s.tokens, path_of("sertifika_companies", i, "tokens"));
    if (!s.templates) return;
    for (std::size_t k = 0; k < s.templates->size(); ++k) {
      const auto& t = (*s.templates)[k];
      // Clients name templates in any case, so two ids that differ only in case are one.
      auto path = fmt::format("{}[{}].id", path_of("sertifika_companies", i, "templates"), k);
      auto like = repo::sertifika_template_like(c_, t.id);
      if (like && like->company_id != s.id)
        throw ProvisionError(path, "belongs to another company");
      if (like && like->id != t.id)
        throw ProvisionError(path, fmt::format("differs only in case from {}", like->id));
      json::Writer w;
      w.begin_array();
      for (const auto& prop : t.properties)
        w.begin_object().field("key", prop.key).field("title", prop.title).end_object();
      w.end_array();
      changed_ += repo::upsert_sertifika_template(c_, t.id, s.id, t.name, w.str());
    }
  }

  void edin_user(const EdinUser& u) {
    auto stored = store::edin::password_hash(c_, u.login);
    // Re-hash only when the password changed, so a second apply leaves the row alone.
    if (!stored || !password::verify(u.password, *stored))
      changed_ += repo::upsert_edin_user(c_, u.login, password::hash(u.password), now_);
    if (u.glns) changed_ += repo::set_edin_user_glns(c_, u.login, *u.glns);
  }

  // Keys are stored as SHA-256; a listed set replaces the owner's set, an absent one keeps it.
  void credentials(std::string_view realm, const std::string& owner, const OptList& keys,
                   const std::string& path) {
    if (!keys) return;
    std::vector<std::string> hashes;
    for (std::size_t k = 0; k < keys->size(); ++k) {
      std::string h = crypto::sha256_hex((*keys)[k]);
      auto o = repo::credential_owner(c_, h);
      if (o && (o->realm != realm || o->owner_id != owner))
        throw ProvisionError(fmt::format("{}[{}]", path, k),
                             "this secret is already given to another organisation");
      hashes.push_back(std::move(h));
    }
    changed_ += repo::set_credentials(c_, realm, owner, hashes, now_);
  }

  store::Connection& c_;
  std::int64_t now_;
  int changed_ = 0;
};

}  // namespace

int apply_provisioning(store::Database& db, const Provisioning& p) {
  int changed = 0;
  db.write([&](store::Connection& c) { changed = Applier(c).run(p); });
  AuthCache<int>::invalidate_all();  // keys may have been revoked or moved
  return changed;
}

void submit_provisioning(store::Database& db, Provisioning p,
                         std::function<void(std::exception_ptr, int)> done) {
  auto doc = std::make_shared<Provisioning>(std::move(p));
  auto changed = std::make_shared<int>(0);
  db.submit([doc, changed](store::Connection& c) { *changed = Applier(c).run(*doc); },
            [changed, done = std::move(done)](std::exception_ptr e) {
              AuthCache<int>::invalidate_all();  // keys may have been revoked or moved
              done(e, *changed);
            });
}

}  // namespace certreg::admin
