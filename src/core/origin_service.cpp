#include "core/origin_service.hpp"

#include <cstdlib>
#include <set>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/origin_storage.hpp"
#include "core/validate.hpp"
#include "store/errors.hpp"
#include "store/history.hpp"
#include "store/origin_repo.hpp"

namespace certreg::origin {
namespace repo = store::origin;

namespace {

std::optional<Certification> target(store::Connection& c, std::string_view company,
                                    const CertificationPatch& p) {
  if (p.origin_id) return repo::find_by_origin_id(c, company, *p.origin_id);
  if (p.external_id) return repo::find_by_external_id(c, company, *p.external_id);
  return std::nullopt;
}

double number(const std::optional<std::string>& decimal) {
  return std::strtod(decimal->c_str(), nullptr);
}

void consistency(const Certification& c, std::size_t index, std::vector<Problem>& out) {
  if (c.issue_date && c.expiry_date &&
      validate::iso_datetime_ms(*c.expiry_date) < validate::iso_datetime_ms(*c.issue_date))
    out.push_back({Problem::expiry_before_issue, index, *c.expiry_date});
  if (c.voc_emission && c.voc_emission->density_min && c.voc_emission->density_max &&
      number(c.voc_emission->density_min) > number(c.voc_emission->density_max))
    out.push_back({Problem::density_min_above_max, index, *c.voc_emission->density_min});
}

std::vector<Problem> problems(store::Connection& c, std::string_view company, const Command& cmd) {
  std::vector<Problem> out;
  std::set<std::string> new_external_ids;
  for (std::size_t i = 0; i < cmd.items.size(); ++i) {
    const auto& p = cmd.items[i];
    if (cmd.action == Action::create) {
      const std::string& ext = p.external_id.value_or("");
      if (!new_external_ids.insert(ext).second || repo::find_by_external_id(c, company, ext))
        out.push_back({Problem::duplicate_external_id, i, ext});
    } else if (auto t = target(c, company, p); !t) {
      if (p.origin_id)
        out.push_back({Problem::unknown_origin_id, i, *p.origin_id});
      else
        out.push_back({Problem::unknown_external_id, i, p.external_id.value_or("")});
    } else if (cmd.action == Action::update) {
      // Rules between fields hold for the certification as it would be after the update.
      apply(*t, p);
      consistency(*t, i, out);
    }
    // v1 knows only the standards and reporting bodies of its lookups; v2 takes custom ones.
    if (cmd.version == Version::v1 && cmd.action != Action::remove) {
      if (p.standard_code && !repo::standard_exists(c, *p.standard_code))
        out.push_back({Problem::unknown_standard, i, *p.standard_code});
      if (p.reporting_body && !repo::reporting_body_exists(c, *p.reporting_body))
        out.push_back({Problem::unknown_reporting_body, i, *p.reporting_body});
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> Service::authenticate(std::string_view bearer_token) {
  return companies_.resolve(bearer_token, [this](const std::string& hash) {
    auto lease = db_.reader();
    return repo::company_by_token_hash(*lease, hash);
  });
}

std::vector<Problem> Service::check(std::string_view company_id, const Command& cmd) {
  auto lease = db_.reader();
  return problems(*lease, company_id, cmd);
}

Outcome Service::execute(store::Connection& c, std::string_view company_id, const Command& cmd) {
  // A writer on another instance changing the same certifications waits until this commit, and
  // then reads them as this one left them.
  if (cmd.action != Action::create)
    for (const auto& p : cmd.items) {
      if (p.origin_id)
        repo::lock_by_origin_id(c, company_id, *p.origin_id);
      else if (p.external_id)
        repo::lock_by_external_id(c, company_id, *p.external_id);
    }
  auto found = problems(c, company_id, cmd);
  if (!found.empty()) throw Rejected(std::move(found));
  Outcome out{cmd.action, {}};
  std::int64_t now = clock::unix_millis();
  std::string actor = "origin:" + std::string(company_id);
  for (std::size_t i = 0; i < cmd.items.size(); ++i) {
    const auto& p = cmd.items[i];
    switch (cmd.action) {
      case Action::create: {
        Certification cert;
        cert.origin_id = crypto::new_uuid();
        apply(cert, p);
        std::string doc = to_storage_json(cert);
        try {
          repo::insert(c, company_id, cert, doc, now);
        } catch (const store::UniqueViolation&) {
          // Another instance created the same externalId after problems() looked.
          throw Rejected({{Problem::duplicate_external_id, i, cert.external_id}});
        }
        store::history::record(c, "origin_certification", cert.origin_id,
                               store::history::Action::create, actor, doc);
        out.correlations.emplace_back(cert.external_id, cert.origin_id);
        break;
      }
      case Action::update: {
        auto cert = target(c, company_id, p);
        apply(*cert, p);
        std::string doc = to_storage_json(*cert);
        repo::update(c, company_id, *cert, doc, now);
        store::history::record(c, "origin_certification", cert->origin_id,
                               store::history::Action::update, actor, doc);
        break;
      }
      case Action::remove: {
        auto cert = target(c, company_id, p);
        repo::remove(c, company_id, cert->origin_id);
        store::history::record(c, "origin_certification", cert->origin_id,
                               store::history::Action::remove, actor, std::nullopt);
        break;
      }
    }
  }
  return out;
}

void Service::run(std::string company_id, Command cmd,
                  std::function<void(std::exception_ptr, Outcome)> done) {
  auto outcome = std::make_shared<Outcome>();
  db_.submit(
      [company_id = std::move(company_id), cmd = std::move(cmd), outcome](store::Connection& c) {
        *outcome = execute(c, company_id, cmd);
      },
      [outcome, done = std::move(done)](std::exception_ptr e) { done(e, std::move(*outcome)); });
}

SearchPage Service::search(std::string_view company_id, const SearchCriteria& criteria,
                           int page_number, int page_size) {
  auto lease = db_.reader();
  return repo::search(*lease, company_id, criteria, page_size,
                      static_cast<std::int64_t>(page_number - 1) * page_size);
}

}  // namespace certreg::origin
