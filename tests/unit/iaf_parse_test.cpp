#include "dialects/iaf/parse.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/limits.hpp"

using namespace certreg::dialects::iaf;
using certreg::dates::Date;
using certreg::iaf::CertificationInput;
using certreg::iaf::EntityPatch;
using certreg::iaf::Role;
using Json = nlohmann::json;

namespace {

// A complete, valid upload-cert record of a CB.
Json cb_record() {
  return Json::parse(R"({
    "certificate_number": " CERT-001 ",
    "certificate_identity_number": "ID-001",
    "certification_status": " Active ",
    "certificate_accreditation_status": "accredited",
    "certification_type": "Management system",
    "certification_scope": "Design and manufacture",
    "certification_original_issue_date": "20150101",
    "certification_issue_date": "20230115",
    "certification_expiry_date": "20260114",
    "certified_entity_name": "  ACME Ltd  ",
    "certified_entity_english_name": "ACME",
    "certified_entity_trading_name": "ACME Trading",
    "certified_entity_unique_id": "ACME-1",
    "certified_entity_street_address": "1 High Street",
    "certified_entity_street_city": "London",
    "certified_entity_state": "Greater London",
    "certified_entity_post_code": "N1 1AA",
    "certified_entity_country": "United Kingdom",
    "certified_entity_website": "https://acme.example",
    "confidential_certified_entity": false,
    "accreditation_body_name": "United Kingdom Accreditation Service",
    "accreditation_body_acronym_name": "UKAS",
    "schemes": [{"scheme_name": " ISO 9001 ", "extra": 1,
                 "standard_list": [{"standards_name": "ISO 9001:2015", "ignored": true}]}]
  })");
}

// The seed's sample body (iaf-certsearch.mncb-upload-cert): every value a type name.
const char* kSeedSample = R"({
	"certificate_number": "string",
	"certification_status": "string",
	"certificate_accreditation_status": "string",
	"certification_type": "string",
	"certification_scope": "string",
	"certification_original_issue_date": "string",
	"certification_issue_date": "string",
	"certification_expiry_date": "string",
	"certified_entity_name": "string",
	"certified_entity_english_name": "string",
	"certified_entity_trading_name": "string",
	"certified_entity_unique_id": "string",
	"certified_entity_street_address": "string",
	"certified_entity_street_city": "string",
	"certified_entity_state": "string",
	"certified_entity_post_code": "string",
	"certified_entity_country": "string",
	"certified_entity_website": "string",
	"confidential_certified_entity": "boolean",
	"accreditation_body_name": "string",
	"accreditation_body_acronym_name": "string",
	"certification_body_name": "string",
	"certification_body_acronym_name": "string",
	"schemes": [{"scheme_name": "string", "standard_list": [{"standards_name": "string"}]}],
	"sites": [{"street": "string", "city": "string", "state": "string", "country": "string",
	           "postcode": "string", "scope_description": "string"}]
})";

struct Parsed {
  CertificationInput in;
  Problems problems;
};

Parsed parse_cert(const std::string& body, Role role = Role::cb) {
  certreg::json::Element root;
  EXPECT_EQ(certreg::json::parse(body, root), certreg::json::ParseStatus::ok);
  Parsed p;
  parse_certification(root, role, p.in, p.problems);
  return p;
}

Parsed parse_cert(const Json& body, Role role = Role::cb) {
  return parse_cert(body.dump(), role);
}

std::set<std::string> fields_of(const Problems& problems) {
  std::set<std::string> out;
  for (const auto& p : problems) out.insert(p.field);
  return out;
}

const Problem* problem_for(const Problems& problems, std::string_view field) {
  for (const auto& p : problems)
    if (p.field == field) return &p;
  return nullptr;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST(IafParse, ValidCbRecord) {
  auto [in, problems] = parse_cert(cb_record());
  ASSERT_TRUE(problems.empty()) << problems.front().field << ": " << problems.front().message;
  EXPECT_EQ(in.certificate_number, "CERT-001");
  EXPECT_EQ(in.identity_number, "ID-001");
  EXPECT_EQ(in.cert_key(), "i:ID-001");
  EXPECT_EQ(in.status, "active");
  EXPECT_EQ(in.accreditation_status, "Accredited");
  EXPECT_EQ(in.type, "Management system");
  EXPECT_EQ(in.scope, "Design and manufacture");
  EXPECT_EQ(in.original_issue_date, (Date{2015, 1, 1}));
  EXPECT_EQ(in.issue_date, (Date{2023, 1, 15}));
  EXPECT_EQ(in.expiry_date, (Date{2026, 1, 14}));
  EXPECT_EQ(in.entity.name, "ACME Ltd");
  EXPECT_EQ(in.entity.english_name, "ACME");
  EXPECT_EQ(in.entity.trading_name, "ACME Trading");
  EXPECT_EQ(in.entity.unique_id, "ACME-1");
  EXPECT_EQ(in.entity.street, "1 High Street");
  EXPECT_EQ(in.entity.city, "London");
  EXPECT_EQ(in.entity.state, "Greater London");
  EXPECT_EQ(in.entity.postcode, "N1 1AA");
  EXPECT_EQ(in.entity.country, "United Kingdom");
  EXPECT_EQ(in.entity.website, "https://acme.example");
  EXPECT_EQ(in.entity.confidential, false);
  EXPECT_EQ(in.issuer.ab_name, "United Kingdom Accreditation Service");
  EXPECT_EQ(in.issuer.ab_acronym, "UKAS");
  EXPECT_EQ(in.issuer.cb_name, std::nullopt);
  // Normalized: trimmed, unknown keys dropped, fixed key order.
  EXPECT_EQ(in.schemes_json,
            R"([{"scheme_name":"ISO 9001","standard_list":[{"standards_name":"ISO 9001:2015"}]}])");
  EXPECT_EQ(in.sites_json, std::nullopt);
}

TEST(IafParse, OptionalFieldsAbsent) {
  Json r = cb_record();
  for (auto k : {"certificate_identity_number", "certificate_accreditation_status",
                 "certification_scope", "certification_original_issue_date",
                 "certified_entity_english_name", "confidential_certified_entity"})
    r.erase(k);
  r["certified_entity_trading_name"] = "   ";  // blank optional strings count as absent
  r["certified_entity_website"] = nullptr;
  r["schemes"] = Json::parse(R"([{"scheme_name":"A"},{"scheme_name":"B","standard_list":[]}])");
  auto [in, problems] = parse_cert(r);
  ASSERT_TRUE(problems.empty()) << problems.front().field;
  EXPECT_EQ(in.identity_number, std::nullopt);
  EXPECT_EQ(in.cert_key(), "n:CERT-001");
  EXPECT_EQ(in.accreditation_status, std::nullopt);
  EXPECT_EQ(in.scope, std::nullopt);
  EXPECT_EQ(in.original_issue_date, std::nullopt);
  EXPECT_EQ(in.entity.english_name, std::nullopt);
  EXPECT_EQ(in.entity.trading_name, std::nullopt);
  EXPECT_EQ(in.entity.website, std::nullopt);
  EXPECT_EQ(in.entity.confidential, std::nullopt);
  EXPECT_EQ(in.schemes_json,
            R"([{"scheme_name":"A","standard_list":[]},{"scheme_name":"B","standard_list":[]}])");
}

TEST(IafParse, Sites) {
  Json r = cb_record();
  r["sites"] = nullptr;
  EXPECT_EQ(parse_cert(r).in.sites_json, std::nullopt);  // null: keep the stored sites
  r["sites"] = Json::array();
  EXPECT_EQ(parse_cert(r).in.sites_json, "[]");  // empty: remove them all
  r["sites"] = Json::parse(R"([{"city":" Leeds ","country":"UK","x":1},{}])");
  auto p = parse_cert(r);
  ASSERT_TRUE(p.problems.empty());
  EXPECT_EQ(p.in.sites_json,
            R"([{"street":null,"city":"Leeds","state":null,"country":"UK","postcode":null,)"
            R"("scope_description":null},{"street":null,"city":null,"state":null,"country":null,)"
            R"("postcode":null,"scope_description":null}])");
  r["sites"] = Json::parse(R"([{"city":"Leeds"}, 5])");
  p = parse_cert(r);
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"sites.1"});
  r["sites"] = "none";
  EXPECT_EQ(fields_of(parse_cert(r).problems), std::set<std::string>{"sites"});
}

TEST(IafParse, ShortFieldSpellings) {
  Json r = cb_record();
  for (auto k :
       {"certified_entity_street_address", "certified_entity_street_city", "certified_entity_state",
        "certified_entity_post_code", "certified_entity_country", "certified_entity_website"})
    r.erase(k);
  r["street_address"] = "2 Low Road";
  r["city"] = "York";
  r["state"] = "Yorkshire";
  r["postcode"] = "YO1";
  r["country"] = "UK";
  r["website"] = "http://w";
  auto [in, problems] = parse_cert(r);
  ASSERT_TRUE(problems.empty()) << problems.front().field;
  EXPECT_EQ(in.entity.street, "2 Low Road");
  EXPECT_EQ(in.entity.city, "York");
  EXPECT_EQ(in.entity.state, "Yorkshire");
  EXPECT_EQ(in.entity.postcode, "YO1");
  EXPECT_EQ(in.entity.country, "UK");
  EXPECT_EQ(in.entity.website, "http://w");
}

TEST(IafParse, RequiredIssuerFieldsDependOnRole) {
  Json r = cb_record();
  r.erase("accreditation_body_name");
  r.erase("accreditation_body_acronym_name");
  EXPECT_EQ(fields_of(parse_cert(r, Role::cb).problems),
            (std::set<std::string>{"accreditation_body_name", "accreditation_body_acronym_name"}));
  EXPECT_EQ(fields_of(parse_cert(r, Role::mncb).problems),
            (std::set<std::string>{"accreditation_body_name", "accreditation_body_acronym_name",
                                   "certification_body_name", "certification_body_acronym_name"}));
  EXPECT_EQ(
      fields_of(parse_cert(r, Role::ab).problems),
      (std::set<std::string>{"certification_body_name", "certification_body_identity_number"}));

  r["certification_body_name"] = "BSI Assurance UK Ltd";
  r["certification_body_identity_number"] = "CB-0001";
  auto ab = parse_cert(r, Role::ab);
  EXPECT_TRUE(ab.problems.empty());
  EXPECT_EQ(ab.in.issuer.cb_name, "BSI Assurance UK Ltd");
  EXPECT_EQ(ab.in.issuer.cb_identity_number, "CB-0001");
  EXPECT_EQ(ab.in.issuer.ab_name, std::nullopt);

  r["accreditation_body_name"] = "UKAS full";
  r["accreditation_body_acronym_name"] = "UKAS";
  r["certification_body_acronym_name"] = "BSI";
  auto mncb = parse_cert(r, Role::mncb);
  EXPECT_TRUE(mncb.problems.empty());
  EXPECT_EQ(mncb.in.issuer.cb_acronym, "BSI");
  EXPECT_EQ(mncb.in.issuer.ab_acronym, "UKAS");
}

TEST(IafParse, CollectsEveryProblem) {
  Json r = cb_record();
  r.erase("certificate_number");
  r["certification_status"] = "bogus";
  r["certification_issue_date"] = "2023-01-15";
  r["confidential_certified_entity"] = "yes";
  r["certified_entity_name"] = 5;
  r["schemes"] = Json::parse(R"([{"standard_list":[{"standards_name":""}]}, "x"])");
  auto [in, problems] = parse_cert(r);
  EXPECT_EQ(fields_of(problems),
            (std::set<std::string>{"certificate_number", "certification_status",
                                   "certification_issue_date", "confidential_certified_entity",
                                   "certified_entity_name", "schemes.0.scheme_name",
                                   "schemes.0.standard_list.0.standards_name", "schemes.1"}));
  EXPECT_EQ(problems.size(), 8u) << "one problem per failing field";

  const Problem* p = problem_for(problems, "certificate_number");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "The certificate_number field is required.");
  EXPECT_EQ(p->input_json, "null");
  p = problem_for(problems, "certification_status");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->input_json, "\"bogus\"");
  EXPECT_NE(p->message.find("active, inactive, suspended"), std::string::npos);
  p = problem_for(problems, "certification_issue_date");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->input_json, "\"2023-01-15\"");
  EXPECT_NE(p->message.find("YYYYMMDD"), std::string::npos);
  EXPECT_EQ(problem_for(problems, "confidential_certified_entity")->input_json, "\"yes\"");
  p = problem_for(problems, "certified_entity_name");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->input_json, "5");
  EXPECT_EQ(p->message, "The certified_entity_name must be a string.");
  EXPECT_EQ(problem_for(problems, "schemes.1")->input_json, "\"x\"");
}

TEST(IafParse, InputJsonIsTheValueAsSent) {
  Json r = cb_record();
  r["certificate_number"] = Json::parse(R"({"a":[1, 2]})");
  r["certified_entity_unique_id"] = "  ";
  auto [in, problems] = parse_cert(r);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problem_for(problems, "certificate_number")->input_json, R"({"a":[1,2]})");
  EXPECT_EQ(problem_for(problems, "certified_entity_unique_id")->input_json, R"("  ")");
}

TEST(IafParse, Dates) {
  Json r = cb_record();
  r["certification_issue_date"] = "20230229";
  r["certification_expiry_date"] = 20260101;
  EXPECT_EQ(fields_of(parse_cert(r).problems),
            (std::set<std::string>{"certification_issue_date", "certification_expiry_date"}));
  r["certification_issue_date"] = "20230102";
  r["certification_expiry_date"] = "20230101";
  auto p = parse_cert(r);
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"certification_expiry_date"});
  r["certification_expiry_date"] = " 20230102 ";  // same day is fine; blanks are trimmed
  EXPECT_TRUE(parse_cert(r).problems.empty());
}

TEST(IafParse, SchemesRequiredAndBounded) {
  Json r = cb_record();
  r.erase("schemes");
  EXPECT_EQ(fields_of(parse_cert(r).problems), std::set<std::string>{"schemes"});
  r["schemes"] = Json::array();
  auto p = parse_cert(r);
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"schemes"});
  EXPECT_EQ(p.problems[0].message, "The schemes must have at least 1 items.");
  r["schemes"] = Json::object();
  EXPECT_EQ(fields_of(parse_cert(r).problems), std::set<std::string>{"schemes"});
  Json many = Json::array();
  for (std::size_t i = 0; i <= certreg::limits::kIafMaxSchemes; ++i)
    many.push_back(Json{{"scheme_name", "s"}});
  r["schemes"] = many;
  EXPECT_EQ(fields_of(parse_cert(r).problems), std::set<std::string>{"schemes"});
  many.erase(many.size() - 1);
  r["schemes"] = many;
  EXPECT_TRUE(parse_cert(r).problems.empty());
}

TEST(IafParse, NotAnObject) {
  for (const char* body : {"[]", "\"s\"", "42", "null"}) {
    auto p = parse_cert(std::string(body));
    ASSERT_EQ(p.problems.size(), 1u) << body;
    EXPECT_EQ(p.problems[0].field, "body");
    EXPECT_EQ(p.problems[0].input_json, body);
  }
}

TEST(IafParse, SeedSampleBody) {
  auto p = parse_cert(std::string(kSeedSample), Role::mncb);
  // "string" is no status, date, or accreditation status, and "boolean" is no boolean; the
  // optional original issue date is present, so it is checked too.
  EXPECT_EQ(fields_of(p.problems),
            (std::set<std::string>{"certification_status", "certificate_accreditation_status",
                                   "certification_original_issue_date", "certification_issue_date",
                                   "certification_expiry_date", "confidential_certified_entity"}));
  EXPECT_EQ(p.problems.size(), 6u);
  EXPECT_EQ(p.in.certificate_number, "string");
  EXPECT_EQ(p.in.issuer.cb_acronym, "string");
  ASSERT_TRUE(p.in.sites_json);
  EXPECT_NE(p.in.sites_json->find("\"scope_description\":\"string\""), std::string::npos);
}

TEST(IafParse, LengthLimitsAreInCharacters) {
  Json r = cb_record();
  r["certificate_number"] = repeat("é", 60);  // 120 bytes, 60 characters
  r["certified_entity_unique_id"] = repeat("인", 45);
  r["certified_entity_name"] = repeat("Ж", 300);
  auto p = parse_cert(r);
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.in.certificate_number, repeat("é", 60));

  r["certificate_number"] = repeat("é", 61);
  r["certified_entity_unique_id"] = repeat("인", 46);
  r["certified_entity_name"] = repeat("Ж", 301);
  r["certification_status"] = repeat("a", 46);
  p = parse_cert(r);
  EXPECT_EQ(fields_of(p.problems),
            (std::set<std::string>{"certificate_number", "certified_entity_unique_id",
                                   "certified_entity_name", "certification_status"}));
  EXPECT_EQ(problem_for(p.problems, "certificate_number")->message,
            "The certificate_number may not be greater than 60 characters.");
}

TEST(IafParse, ControlCharacters) {
  Json r = cb_record();
  r["certified_entity_name"] =
      "ACME\x01"
      "Ltd";
  r["certification_scope"] = "line 1\nline 2\ttabbed";  // tab, CR and LF are text
  auto p = parse_cert(r);
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"certified_entity_name"});
}

TEST(IafParse, CanonicalStatus) {
  const std::pair<const char*, const char*> accepted[] = {
      {"active", "active"},
      {"Active (valid)", "active"},
      {"VALID", "active"},
      {"inactive", "inactive"},
      {"suspended", "suspended"},
      {"suspendud", "suspended"},
      {"cancelled", "cancelled"},
      {"Canceled", "cancelled"},
      {"cancelled (terminated)", "cancelled"},
      {"terminated", "cancelled"},
      {"hidden", "hidden"},
      {"draft", "hidden"},
      {"Hidden (uploaded but not yet live)", "hidden"},
      {"withdrawn", "withdrawn"},
      {"retired", "withdrawn"},
      {"expired", "expired"},
      {"  Expired\t", "expired"},
  };
  for (const auto& [in, out] : accepted) EXPECT_EQ(canonical_status(in), out) << in;
  for (const char* bad : {"", " ", "string", "activ", "actived", "suspendu", "cancel", "live",
                          "active valid", "ACTIVE!"})
    EXPECT_EQ(canonical_status(bad), std::nullopt) << bad;
}

TEST(IafParse, CanonicalAccreditationStatus) {
  EXPECT_EQ(canonical_accreditation_status("Accredited"), "Accredited");
  EXPECT_EQ(canonical_accreditation_status(" accredited "), "Accredited");
  for (const char* s :
       {"Unaccredited", "NoneAccredited", "none accredited", "Non-Accredited", "nonaccredited"})
    EXPECT_EQ(canonical_accreditation_status(s), "Unaccredited") << s;
  for (const char* bad : {"", "string", "accreditated", "not accredited", "yes"})
    EXPECT_EQ(canonical_accreditation_status(bad), std::nullopt) << bad;
}

TEST(IafParse, CanonicalCbStatus) {
  EXPECT_EQ(canonical_cb_status("Active (valid)"), "active");
  EXPECT_EQ(canonical_cb_status("Withdrawn (expired)"), "withdrawn");
  EXPECT_EQ(canonical_cb_status("SUSPENDED"), "suspended");
  EXPECT_EQ(canonical_cb_status("inactive"), std::nullopt);
}

namespace {

struct EntityParsed {
  std::string guid;
  EntityPatch patch;
  Problems problems;
};

EntityParsed parse_name(const std::string& body) {
  certreg::json::Element root;
  EXPECT_EQ(certreg::json::parse(body, root), certreg::json::ParseStatus::ok);
  EntityParsed p;
  parse_entity_name(root, p.guid, p.patch, p.problems);
  return p;
}

EntityParsed parse_details(const std::string& body) {
  certreg::json::Element root;
  EXPECT_EQ(certreg::json::parse(body, root), certreg::json::ParseStatus::ok);
  EntityParsed p;
  parse_entity_details(root, p.guid, p.patch, p.problems);
  return p;
}

}  // namespace

TEST(IafParseEntity, Name) {
  auto p = parse_name(R"({"company_guid":" g-1 ","company_name":" New Name "})");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.guid, "g-1");
  EXPECT_EQ(p.patch.name, "New Name");

  p = parse_name(R"({"company_guid":"g-1"})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"company_name"});
  p = parse_name(R"({"company_name":7})");
  EXPECT_EQ(fields_of(p.problems), (std::set<std::string>{"company_guid", "company_name"}));
  p = parse_name(R"({"company_guid":"g","company_name":")" + repeat("Ж", 301) + "\"}");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"company_name"});
  p = parse_name("[1]");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].field, "body");
}

TEST(IafParseEntity, Details) {
  auto p = parse_details(R"({"company_guid":"g","company_trading_name":"T","company_en_name":"E",
      "company_country":"FR","company_street":"S","company_city":"C","company_state":"St",
      "company_postcode":"P","company_website":"W","company_id_number":"I",
      "business_registration_number":"B","tax_id":"X","vat":"V","duns_number":"D"})");
  ASSERT_TRUE(p.problems.empty());
  EXPECT_EQ(p.guid, "g");
  EXPECT_EQ(p.patch.name, std::nullopt);
  EXPECT_EQ(p.patch.trading_name, "T");
  EXPECT_EQ(p.patch.english_name, "E");
  EXPECT_EQ(p.patch.country, "FR");
  EXPECT_EQ(p.patch.street, "S");
  EXPECT_EQ(p.patch.city, "C");
  EXPECT_EQ(p.patch.state, "St");
  EXPECT_EQ(p.patch.postcode, "P");
  EXPECT_EQ(p.patch.website, "W");
  EXPECT_EQ(p.patch.company_id_number, "I");
  EXPECT_EQ(p.patch.business_registration_number, "B");
  EXPECT_EQ(p.patch.tax_id, "X");
  EXPECT_EQ(p.patch.vat, "V");
  EXPECT_EQ(p.patch.duns_number, "D");
  EXPECT_EQ(p.patch.system_information_json, std::nullopt);

  p = parse_details(R"({"company_guid":"g"})");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.patch.country, std::nullopt);
  // A country that is sent must not be blank.
  p = parse_details(R"({"company_guid":"g","company_country":" "})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"company_country"});
  p = parse_details(R"({"company_guid":"g","vat":1,"tax_id":true})");
  EXPECT_EQ(fields_of(p.problems), (std::set<std::string>{"vat", "tax_id"}));
}

TEST(IafParseEntity, SystemInformationShapes) {
  auto p = parse_details(
      R"({"company_guid":"g","system_information": { "company_name" : "N", "company_guids" : ["a","b"] }})");
  ASSERT_TRUE(p.problems.empty());
  EXPECT_EQ(p.patch.system_information_json, R"({"company_name":"N","company_guids":["a","b"]})");

  p = parse_details(
      R"({"company_guid":"g","system_information":[{"company_name":"N","company_guid":"a"},{}]})");
  ASSERT_TRUE(p.problems.empty());
  EXPECT_EQ(p.patch.system_information_json, R"([{"company_name":"N","company_guid":"a"},{}])");

  p = parse_details(R"({"company_guid":"g","system_information":null})");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.patch.system_information_json, std::nullopt);

  p = parse_details(R"({"company_guid":"g","system_information":"text"})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"system_information"});
  EXPECT_EQ(p.patch.system_information_json, std::nullopt);

  p = parse_details(R"({"company_guid":"g","system_information":{"company_guids":["a",1]}})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"system_information.company_guids"});
  EXPECT_EQ(p.problems[0].input_json, R"(["a",1])");
  EXPECT_EQ(p.patch.system_information_json, std::nullopt);

  p = parse_details(R"({"company_guid":"g","system_information":{"company_guids":"a"}})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"system_information.company_guids"});

  p = parse_details(R"({"company_guid":"g","system_information":{"company_name":5}})");
  EXPECT_EQ(fields_of(p.problems), std::set<std::string>{"system_information.company_name"});

  p = parse_details(R"({"company_guid":"g","system_information":[{"company_guid":2},"x"]})");
  EXPECT_EQ(fields_of(p.problems),
            (std::set<std::string>{"system_information.0.company_guid", "system_information.1"}));
  EXPECT_EQ(p.patch.system_information_json, std::nullopt);
}

TEST(IafParseCb, UploadRequiresIdentityNameCountryStatus) {
  certreg::json::Element root;
  ASSERT_EQ(certreg::json::parse("{}", root), certreg::json::ParseStatus::ok);
  certreg::iaf::CbInput cb;
  Problems problems;
  parse_cb(root, true, cb, problems);
  EXPECT_EQ(fields_of(problems),
            (std::set<std::string>{"certification_body_identity_number", "certification_body_name",
                                   "country", "accreditation_status"}));
  problems.clear();
  parse_cb(root, false, cb, problems);  // a patch requires nothing
  EXPECT_TRUE(problems.empty());
}

TEST(IafParseCb, Fields) {
  certreg::json::Element root;
  const std::string body = R"j({"certification_body_identity_number":"CB-9",
      "certification_body_name":"N","country":"UK","accreditation_status":"Withdrawn (expired)",
      "website":"ftp://x","public_email_address":"not-an-email",
      "certification_body_countries":[{"country":"FR"}],
      "standard_and_schemes":[{"standard_code":"ISO 9001","issue_date":"20230101"}]})j";
  ASSERT_EQ(certreg::json::parse(body, root), certreg::json::ParseStatus::ok);
  certreg::iaf::CbInput cb;
  Problems problems;
  parse_cb(root, true, cb, problems);
  EXPECT_EQ(fields_of(problems), (std::set<std::string>{"website", "public_email_address"}));
  EXPECT_EQ(cb.accreditation_status, "withdrawn");
  EXPECT_EQ(cb.countries_json, R"([{"country":"FR"}])");
  ASSERT_TRUE(cb.standards_json);
  EXPECT_NE(cb.standards_json->find(R"("issue_date":"20230101")"), std::string::npos);
  EXPECT_EQ(cb.offices_json, std::nullopt);
}

TEST(IafParseCb, Ref) {
  certreg::json::Element root;
  ASSERT_EQ(certreg::json::parse(R"({"certification_bodies_guid_in_ab":"CB-1"})", root),
            certreg::json::ParseStatus::ok);
  certreg::iaf::CbRef ref;
  Problems problems;
  parse_cb_ref(root, ref, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(ref.identity_number, "CB-1");
  EXPECT_EQ(ref.id, std::nullopt);
  ASSERT_EQ(certreg::json::parse("{}", root), certreg::json::ParseStatus::ok);
  parse_cb_ref(root, ref, problems);
  EXPECT_EQ(fields_of(problems), std::set<std::string>{"certification_bodies_id"});
}
