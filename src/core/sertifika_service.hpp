// Sertifika Merkezi rules: tenancy (a token reaches only its own company; anything else is
// "undefined", exactly like something that does not exist), userCode, issuing and re-issuing
// item by item, revocation, and the history of every change.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/auth_cache.hpp"
#include "core/errors.hpp"
#include "core/sertifika.hpp"
#include "store/db.hpp"

namespace certreg::sertifika {

// Something the caller named does not exist for its company.
struct Undefined : NotFound {
  enum What { company, certificate, user_code };
  Undefined(What w, std::string v) : NotFound("undefined"), what(w), value(std::move(v)) {}
  What what;
  std::string value;  // as the caller sent it
};

// The checks of an item, in the order they run; an item reports its first problem.
enum class Field {
  item,        // the item is not an object
  id,          // template id: missing, not a GUID, or not a template of the company
  name,        // missing or empty, too long, control characters
  surname,     // same
  email,       // missing or not an e-mail address
  properties,  // not a list of {key, value}
  property,    // a key the template does not have, sent twice, or a value that is not text
  hour,        // not a number
  point,       // not a number
  educator,    // not text, too long
  meta_tag,    // not a list of {value}, or a value that is not short text
  is_private,  // not a boolean
};

struct ItemProblem {
  Field field;
  std::string key;  // Field::property: the property key
};

// One certificateItem as the dialect read it. Absent and null values are nullopt; text is as
// sent (the service trims it). A value of the wrong type is recorded in `malformed` instead.
struct IssueItem {
  std::optional<std::string> template_id, name, surname, email, educator;
  std::optional<double> hour, point;
  std::vector<PropertyValue> properties;
  std::vector<std::string> meta_tags;
  bool is_private = false;
  std::vector<ItemProblem> malformed;
};

// What happened to one item: issued (or re-issued) when `problem` is empty.
struct ItemResult {
  std::string email;  // trimmed, as sent
  std::optional<ItemProblem> problem;
};

// A revocation by e-mail: the e-mail as sent, and whether a certificate was revoked.
struct Revocation {
  std::string email;
  bool revoked = false;
};

class Service {
 public:
  explicit Service(store::Database& db) : db_(db) {}

  std::optional<Company> authenticate(std::string_view token);

  // Reads. `company_id`, `template_id` and `user_code` are as the caller sent them; each throws
  // Undefined when the thing named is unknown to the caller's company.
  std::vector<Template> templates(const Company& caller, std::string_view company_id);
  std::vector<Person> people(const Company& caller, std::string_view company_id);
  Person person(const Company& caller, std::string_view company_id, std::string_view user_code);
  std::vector<Holding> certificates_of(const Company& caller, std::string_view user_code);
  Template template_detail(const Company& caller, std::string_view template_id);
  std::vector<Holding> holders(const Company& caller, std::string_view template_id);
  Holding holding(const Company& caller, std::string_view template_id, std::string_view user_code);

  // Writes, each one transaction on the writer; `done` runs after the commit.
  // Issues every valid item (all together) and reports every invalid one, in order.
  static std::vector<ItemResult> issue(store::Connection& c, const Company& caller,
                                       const std::vector<IssueItem>& items, std::int64_t now);
  void issue(Company caller, std::vector<IssueItem> items,
             std::function<void(std::exception_ptr, std::vector<ItemResult>)> done);
  // Revokes one holding; false when the person does not hold the template.
  void revoke(Company caller, std::string template_id, std::string user_code,
              std::function<void(std::exception_ptr, bool)> done);
  // Revokes the template from the people with these e-mails, or from every holder (nullopt).
  void revoke_many(Company caller, std::string template_id,
                   std::optional<std::vector<std::string>> emails,
                   std::function<void(std::exception_ptr, std::vector<Revocation>)> done);

 private:
  store::Database& db_;
  AuthCache<Company> companies_;
};

}  // namespace certreg::sertifika
