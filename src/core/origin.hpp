// The Origin Connect domain: product certifications of a company, with collections (documents,
// brands, contacts, channels, compliances, features, VOC data) changed element by element with
// ADD / REMOVE. Types here are wire-neutral; dialects/origin maps them to and from JSON.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certreg::origin {

inline constexpr std::array<std::string_view, 5> kLocales = {"de", "es_MX", "en", "fr", "zh_CN"};
bool is_locale(std::string_view s);

// Text kept per locale; reads fall back to English, then to any locale.
using Localized = std::vector<std::pair<std::string, std::string>>;
std::optional<std::string> localized(const Localized& text, std::string_view locale);
// Sets the text of one locale (translatable values).
void set_localized(Localized& text, std::string_view locale, std::string value);
// Sets the one value every locale shares (values that are not translatable).
void set_shared(Localized& text, std::string value);

// Property features whose value is translated; every other property value is shared.
bool property_value_translatable(std::string_view code);
// Custom features with this code have a translated value (all custom feature names are).
inline constexpr std::string_view kCustomTextAttribute = "CUSTOM_TEXT_ATTRIBUTE";

struct Document {
  std::string original_url;
};
struct Brand {
  std::string name;  // key (case-insensitive)
  std::optional<std::string> website;
};
struct Contact {
  std::string external_id;  // key
  std::optional<std::string> type, company_name, phone, email, name, website, postal_address;
};
struct Channel {
  std::string name;  // key; ORIGIN
};
struct Compliance {
  std::string code;  // key
};
struct CustomFeature {
  Localized names;  // key: the name in the request's locale (English as fallback)
  std::optional<std::string> code;
  Localized values;
};
struct PropertyFeature {
  std::string code;  // key
  Localized values;
};
struct VocCompliance {
  std::string standard_code;  // key, with the product type
  std::optional<std::string> product_type;
};
struct StandardRef {
  std::string code;  // key
};
struct ExemptCompound {
  std::string cas;  // key
  std::optional<std::string> name, percent_by_weight;
};
struct VocContent {
  std::optional<std::string> density_limit_gl;
  std::optional<bool> contains_added_mcpce;
  std::vector<VocCompliance> compliances;
  std::vector<StandardRef> customs, test_methods;
  std::vector<ExemptCompound> exempt_compounds;
};
struct VocEmission {
  std::optional<std::string> density_min, density_max;
  std::vector<StandardRef> compliances;
};

// A stored certification. Decimals keep the text they were sent as ("1.5").
struct Certification {
  std::string origin_id, external_id;
  std::optional<std::string> certificate_number, url, reporting_body, standard_code, issue_date,
      expiry_date;
  bool self_reported = false;
  std::vector<Document> documents;
  std::vector<Brand> brands;
  std::vector<Contact> contacts;
  std::vector<Channel> channels;
  std::vector<Compliance> compliances;
  std::vector<CustomFeature> customs;
  std::vector<PropertyFeature> properties;
  std::optional<VocContent> voc_content;
  std::optional<VocEmission> voc_emission;

  bool published_on(std::string_view channel) const;
};

// ---------------------------------------------------------------------------------------------
// Requests: create, update and delete items.

enum class Behavior { add, remove };

template <class T>
struct Change {
  Behavior behavior = Behavior::add;
  T item;  // the key, and the attributes that were sent
};

struct CustomFeatureChange {
  Behavior behavior = Behavior::add;
  std::string name;
  std::optional<std::string> code, value;
};

struct PropertyChange {
  Behavior behavior = Behavior::add;
  std::string code;
  std::optional<std::string> value;
};

struct VocContentPatch {
  std::optional<std::string> density_limit_gl;
  std::optional<bool> contains_added_mcpce;
  std::vector<Change<VocCompliance>> compliances;
  std::vector<Change<StandardRef>> customs, test_methods;
  std::vector<Change<ExemptCompound>> exempt_compounds;
};

struct VocEmissionPatch {
  std::optional<std::string> density_min, density_max;
  std::vector<Change<StandardRef>> compliances;
};

// One element of certifications[] in create, update or delete. Scalars present replace the
// stored ones; collections change element by element; what is absent stays as it is.
struct CertificationPatch {
  std::string locale = "en";
  std::optional<std::string> origin_id, external_id;
  std::optional<std::string> certificate_number, url, standard_code, issue_date, expiry_date;
  std::optional<std::string> reporting_body;  // a reporting body name ...
  bool self_reported = false;                 // ... or self-reported (one of the two, if any)
  std::vector<Change<Document>> documents;
  std::vector<Change<Brand>> brands;
  std::vector<Change<Contact>> contacts;
  std::vector<Change<Channel>> channels;
  std::vector<Change<Compliance>> compliances;
  std::vector<CustomFeatureChange> customs;
  std::vector<PropertyChange> properties;
  std::optional<VocContentPatch> voc_content;
  std::optional<VocEmissionPatch> voc_emission;
};

void apply(Certification& c, const CertificationPatch& p);

// Lowercased words a KEYWORD search matches against.
std::string search_text(const Certification& c);

}  // namespace certreg::origin

namespace certreg::origin {

// CertificationsSearch criteria, ANDed; absent ones do not filter.
struct SearchCriteria {
  std::optional<std::string> origin_id, external_id, standard_code, channel;
  std::vector<std::string> keywords;  // each must match (at most 3)
  std::optional<std::int64_t> modified_since_ms;
  bool contradictory = false;  // the same criterion twice with different values: nothing matches
};

struct SearchPage {
  std::vector<Certification> items;
  std::int64_t total = 0;
};

}  // namespace certreg::origin
