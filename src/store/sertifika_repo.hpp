// SQL for Sertifika Merkezi: companies by token, templates, the people a company issued
// certificates to, and issued certificates (holdings). Every query is scoped by company.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/sertifika.hpp"
#include "store/db.hpp"

namespace certreg::store::sertifika {

using certreg::sertifika::Company;
using certreg::sertifika::Holding;
using certreg::sertifika::Person;
using certreg::sertifika::Template;

// The company holding the token with this SHA-256 (realm 'sertifika').
std::optional<Company> company_by_token_hash(Connection& c, std::string_view token_hash);

// The company's templates, by name.
std::vector<Template> templates(Connection& c, std::string_view company_id);
// A template of the company; `id` is compared ignoring case.
std::optional<Template> find_template(Connection& c, std::string_view company_id,
                                      std::string_view id);
void mark_template_in_use(Connection& c, std::string_view template_id);

// The company's people, in the order they were first issued a certificate.
std::vector<Person> people(Connection& c, std::string_view company_id);
std::optional<Person> find_person(Connection& c, std::string_view company_id,
                                  std::string_view user_code);
// Creates the person or updates e-mail, name and surname; returns the person's id (kept).
std::string upsert_person(Connection& c, std::string_view company_id, const Person& p,
                          std::int64_t now);

// Holdings come with their template's name and their person's id.
std::optional<Holding> find_holding(Connection& c, std::string_view company_id,
                                    std::string_view template_id, std::string_view user_code);
std::vector<Holding> holdings_of_template(Connection& c, std::string_view company_id,
                                          std::string_view template_id);
std::vector<Holding> holdings_of_person(Connection& c, std::string_view company_id,
                                        std::string_view user_code);
// False when the person already holds the template (another instance issued it first).
bool insert_holding(Connection& c, const Holding& h);
// Updates everything but id, verification_code and created_at.
void update_holding(Connection& c, const Holding& h);
void delete_holding(Connection& c, std::string_view company_id, std::string_view id);

}  // namespace certreg::store::sertifika
