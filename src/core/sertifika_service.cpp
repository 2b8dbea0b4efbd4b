#include "core/sertifika_service.hpp"

#include <map>
#include <set>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "core/validate.hpp"
#include "store/history.hpp"
#include "store/sertifika_repo.hpp"

namespace certreg::sertifika {
namespace repo = store::sertifika;

namespace {

constexpr std::string_view kHistoryType = "sertifika_certificate";

std::string actor(const Company& caller) {
  return "sertifika:" + caller.id;
}

void require_own_company(const Company& caller, std::string_view company_id) {
  if (!text::iequals(company_id, caller.id))
    throw Undefined(Undefined::company, std::string(company_id));
}

Template require_template(store::Connection& c, const Company& caller,
                          std::string_view template_id) {
  auto t = repo::find_template(c, caller.id, template_id);
  if (!t) throw Undefined(Undefined::certificate, std::string(template_id));
  return std::move(*t);
}

// Trimmed single-line-ish text of at most `max` characters; nullopt when empty or not allowed.
std::optional<std::string> clean(const std::optional<std::string>& v, std::size_t max) {
  if (!v) return std::nullopt;
  std::string_view t = text::trim(*v);
  if (t.empty() || text::utf8_length(t) > max || text::has_control_chars(t)) return std::nullopt;
  return std::string(t);
}

std::optional<ItemProblem> malformed(const IssueItem& item, Field f) {
  for (const auto& m : item.malformed)
    if (m.field == f) return m;
  return std::nullopt;
}

ItemProblem problem(Field f, std::string key = {}) {
  return ItemProblem{f, std::move(key)};
}

// The company's templates by lowercased id, each looked up once per request.
class TemplateCache {
 public:
  TemplateCache(store::Connection& c, const Company& caller) : c_(c), caller_(caller) {}
  const std::optional<Template>& find(std::string_view id) {
    std::string key = text::to_lower_ascii(id);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, repo::find_template(c_, caller_.id, id)).first;
    return it->second;
  }

 private:
  store::Connection& c_;
  const Company& caller_;
  std::map<std::string, std::optional<Template>> cache_;
};

// Checks an item in the documented order. When it is valid, fills `tpl` and the parts of `h`
// the item gives (not ids, codes or times).
std::optional<ItemProblem> check(TemplateCache& templates, const Company& caller,
                                 const IssueItem& item, Template& tpl, Holding& h) {
  if (auto m = malformed(item, Field::item)) return m;

  if (malformed(item, Field::id) || !item.template_id) return problem(Field::id);
  std::string_view id = text::trim(*item.template_id);
  if (!is_guid(id)) return problem(Field::id);
  const auto& found = templates.find(id);
  if (!found) return problem(Field::id);
  tpl = *found;

  auto name = clean(item.name, limits::kSertifikaMaxText);
  if (malformed(item, Field::name) || !name) return problem(Field::name);
  auto surname = clean(item.surname, limits::kSertifikaMaxText);
  if (malformed(item, Field::surname) || !surname) return problem(Field::surname);
  if (malformed(item, Field::email) || !item.email) return problem(Field::email);
  std::string_view email = text::trim(*item.email);
  if (email.size() > limits::kSertifikaMaxEmail || text::has_control_chars(email) ||
      !validate::is_email(email))
    return problem(Field::email);

  if (auto m = malformed(item, Field::properties)) return m;
  if (auto m = malformed(item, Field::property)) return m;
  std::set<std::string_view> seen;
  for (const auto& p : item.properties) {
    bool known = false;
    for (const auto& tp : tpl.properties) known = known || tp.key == p.key;
    if (!known || !seen.insert(p.key).second) return problem(Field::property, p.key);
    if (p.value && text::utf8_length(*p.value) > limits::kSertifikaMaxPropertyValue)
      return problem(Field::property, p.key);
  }

  if (auto m = malformed(item, Field::hour)) return m;
  if (auto m = malformed(item, Field::point)) return m;

  if (auto m = malformed(item, Field::educator)) return m;
  std::optional<std::string> educator;
  if (item.educator && !text::trim(*item.educator).empty()) {
    educator = clean(item.educator, limits::kSertifikaMaxText);
    if (!educator) return problem(Field::educator);
  }

  if (auto m = malformed(item, Field::meta_tag)) return m;
  if (item.meta_tags.size() > limits::kSertifikaMaxMetaTags) return problem(Field::meta_tag);
  std::vector<std::string> tags;
  for (const auto& t : item.meta_tags) {
    if (text::trim(t).empty()) continue;
    auto tag = clean(t, limits::kSertifikaMaxText);
    if (!tag) return problem(Field::meta_tag);
    tags.push_back(std::move(*tag));
  }
  if (auto m = malformed(item, Field::is_private)) return m;

  h.template_id = tpl.id;
  h.template_name = tpl.name;
  h.company_id = caller.id;
  h.email = std::string(email);
  h.user_code = user_code(email);
  h.name = std::move(*name);
  h.surname = std::move(*surname);
  h.hour = item.hour;
  h.point = item.point;
  h.educator = std::move(educator);
  h.properties = item.properties;
  h.meta_tags = std::move(tags);
  h.is_private = item.is_private;
  return std::nullopt;
}

void remove(store::Connection& c, const Company& caller, const Holding& h) {
  repo::delete_holding(c, caller.id, h.id);
  store::history::record(c, kHistoryType, h.id, store::history::Action::remove, actor(caller),
                         std::nullopt);
}

}  // namespace

std::optional<Company> Service::authenticate(std::string_view token) {
  return companies_.resolve(token, [this](const std::string& hash) {
    auto lease = db_.reader();
    return repo::company_by_token_hash(*lease, hash);
  });
}

std::vector<Template> Service::templates(const Company& caller, std::string_view company_id) {
  require_own_company(caller, company_id);
  auto lease = db_.reader();
  return repo::templates(*lease, caller.id);
}

std::vector<Person> Service::people(const Company& caller, std::string_view company_id) {
  require_own_company(caller, company_id);
  auto lease = db_.reader();
  return repo::people(*lease, caller.id);
}

Person Service::person(const Company& caller, std::string_view company_id,
                       std::string_view user_code) {
  require_own_company(caller, company_id);
  auto lease = db_.reader();
  auto p = repo::find_person(*lease, caller.id, text::to_lower_ascii(user_code));
  if (!p) throw Undefined(Undefined::user_code, std::string(user_code));
  return std::move(*p);
}

std::vector<Holding> Service::certificates_of(const Company& caller, std::string_view user_code) {
  std::string code = text::to_lower_ascii(user_code);
  auto lease = db_.reader();
  store::ReadSnapshot snapshot(*lease);
  if (!repo::find_person(*lease, caller.id, code))
    throw Undefined(Undefined::user_code, std::string(user_code));
  return repo::holdings_of_person(*lease, caller.id, code);
}

Template Service::template_detail(const Company& caller, std::string_view template_id) {
  auto lease = db_.reader();
  return require_template(*lease, caller, template_id);
}

std::vector<Holding> Service::holders(const Company& caller, std::string_view template_id) {
  auto lease = db_.reader();
  store::ReadSnapshot snapshot(*lease);
  auto t = require_template(*lease, caller, template_id);
  return repo::holdings_of_template(*lease, caller.id, t.id);
}

Holding Service::holding(const Company& caller, std::string_view template_id,
                         std::string_view user_code) {
  auto lease = db_.reader();
  store::ReadSnapshot snapshot(*lease);
  auto t = require_template(*lease, caller, template_id);
  auto h = repo::find_holding(*lease, caller.id, t.id, text::to_lower_ascii(user_code));
  if (!h) throw Undefined(Undefined::user_code, std::string(user_code));
  return std::move(*h);
}

std::vector<ItemResult> Service::issue(store::Connection& c, const Company& caller,
                                       const std::vector<IssueItem>& items, std::int64_t now) {
  std::vector<ItemResult> out;
  out.reserve(items.size());
  TemplateCache templates(c, caller);
  for (const auto& item : items) {
    ItemResult result;
    result.email = item.email ? std::string(text::trim(*item.email)) : std::string();
    Template tpl;
    Holding h;
    result.problem = check(templates, caller, item, tpl, h);
    if (result.problem) {
      out.push_back(std::move(result));
      continue;
    }
    h.user_id = repo::upsert_person(
        c, caller.id, Person{crypto::new_uuid(), h.user_code, h.email, h.name, h.surname}, now);
    h.updated_at = now;
    auto existing = repo::find_holding(c, caller.id, tpl.id, h.user_code);
    if (!existing) {
      h.id = crypto::new_uuid();
      h.verification_code = new_verification_code();
      h.created_at = now;
      if (repo::insert_holding(c, h)) {
        repo::mark_template_in_use(c, tpl.id);
        store::history::record(c, kHistoryType, h.id, store::history::Action::create, actor(caller),
                               to_history_json(h));
        out.push_back(std::move(result));
        continue;
      }
      // Another instance issued it meanwhile: this item re-issues it.
      existing = repo::find_holding(c, caller.id, tpl.id, h.user_code);
    }
    // Re-issued: the same certificate, with what this item says; its ids and code stay.
    h.id = existing->id;
    h.verification_code = existing->verification_code;
    h.created_at = existing->created_at;
    repo::update_holding(c, h);
    store::history::record(c, kHistoryType, h.id, store::history::Action::update, actor(caller),
                           to_history_json(h));
    out.push_back(std::move(result));
  }
  return out;
}

void Service::issue(Company caller, std::vector<IssueItem> items,
                    std::function<void(std::exception_ptr, std::vector<ItemResult>)> done) {
  auto results = std::make_shared<std::vector<ItemResult>>();
  db_.submit(
      [caller = std::move(caller), items = std::move(items), results](store::Connection& c) {
        *results = issue(c, caller, items, clock::unix_seconds());
      },
      [results, done = std::move(done)](std::exception_ptr e) { done(e, std::move(*results)); });
}

void Service::revoke(Company caller, std::string template_id, std::string user_code,
                     std::function<void(std::exception_ptr, bool)> done) {
  auto revoked = std::make_shared<bool>(false);
  db_.submit(
      [caller = std::move(caller), template_id = std::move(template_id),
       user_code = std::move(user_code), revoked](store::Connection& c) {
        auto t = require_template(c, caller, template_id);
        auto h = repo::find_holding(c, caller.id, t.id, text::to_lower_ascii(user_code));
        if (!h) return;
        remove(c, caller, *h);
        *revoked = true;
      },
      [revoked, done = std::move(done)](std::exception_ptr e) { done(e, *revoked); });
}

void Service::revoke_many(Company caller, std::string template_id,
                          std::optional<std::vector<std::string>> emails,
                          std::function<void(std::exception_ptr, std::vector<Revocation>)> done) {
  auto results = std::make_shared<std::vector<Revocation>>();
  db_.submit(
      [caller = std::move(caller), template_id = std::move(template_id), emails = std::move(emails),
       results](store::Connection& c) {
        auto t = require_template(c, caller, template_id);
        results->clear();
        if (!emails) {
          for (const auto& h : repo::holdings_of_template(c, caller.id, t.id)) {
            remove(c, caller, h);
            results->push_back({h.email, true});
          }
          return;
        }
        for (const auto& sent : *emails) {
          std::string email(text::trim(sent));
          auto h = repo::find_holding(c, caller.id, t.id, user_code(email));
          if (h) remove(c, caller, *h);
          results->push_back({std::move(email), h.has_value()});
        }
      },
      [results, done = std::move(done)](std::exception_ptr e) { done(e, std::move(*results)); });
}

}  // namespace certreg::sertifika
