// The Sertifika Merkezi domain: a training company's certificate templates, the people it issues
// certificates to, and the certificates issued ("holdings", one per template and person). Types
// here are wire-neutral; dialects/sertifika maps them to and from JSON. Also the pure rules:
// userCode, template id format, the createdDate text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certreg::sertifika {

struct Company {
  std::string id, name;
};

struct TemplateProperty {
  std::string key, title;
};

struct Template {
  std::string id, company_id, name;
  std::vector<TemplateProperty> properties;
  bool in_use = false;  // a certificate was issued from it at least once
};

// A company's record of a person it issued a certificate to (kept after revocations).
struct Person {
  std::string id;  // user id (UUID), one per company and person
  std::string user_code, email, name, surname;
};

struct PropertyValue {
  std::string key;
  std::optional<std::string> value;
};

// An issued certificate: one template held by one person (userCode).
struct Holding {
  std::string id;  // connectionId
  std::string template_id, template_name, company_id, user_code, user_id;
  std::string email, name, surname;
  std::optional<double> hour, point;
  std::optional<std::string> educator;
  std::vector<PropertyValue> properties;
  std::vector<std::string> meta_tags;
  bool is_private = false;
  std::string verification_code;
  std::int64_t created_at = 0, updated_at = 0;  // epoch seconds
};

// The lowercase hex MD5 of the trimmed e-mail with ASCII letters lowercased.
std::string user_code(std::string_view email);
// 8-4-4-4-12 hex digits, either case ("64c9f080-2314-4f02-a43c-923d83e8e444").
bool is_guid(std::string_view s);
// SQL Server's style 100 in UTC: "Aug 31 2015 11:42AM", "Jan  5 2024  9:07PM".
std::string format_created_date(std::int64_t epoch_seconds);

// A new verification code: 20 random bytes as 40 lowercase hex digits, unrelated to any id.
std::string new_verification_code();

// How lists are kept in the database (not a wire format).
std::string properties_to_storage(const std::vector<PropertyValue>& properties);
std::vector<PropertyValue> properties_from_storage(std::string_view json);
std::string meta_tags_to_storage(const std::vector<std::string>& tags);
std::vector<std::string> meta_tags_from_storage(std::string_view json);
// Template properties as provisioning stores them: [{"key", "title"}].
std::vector<TemplateProperty> template_properties_from_storage(std::string_view json);
// The holding as the history table records it.
std::string to_history_json(const Holding& h);

}  // namespace certreg::sertifika
