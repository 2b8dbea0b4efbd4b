#include "admin/provisioning.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>

#include "core/crypto.hpp"
#include "core/password.hpp"
#include "store/db.hpp"
#include "store/iaf_repo.hpp"

using namespace certreg;
using admin::parse_provisioning;
using admin::ProvisionError;

namespace {

// The example of DESIGN.md, "Configuration and provisioning".
const std::string kDesignExample = R"({
  "accreditation_bodies": [
    {"id": "ukas", "name": "United Kingdom Accreditation Service", "acronym": "UKAS",
     "country": "United Kingdom", "api_keys": ["ab-ukas-key"]}],
  "certification_bodies": [
    {"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI", "country": "United Kingdom",
     "accreditation_body": "ukas", "identity_number": "CB-0001", "api_keys": ["cb-bsi-key"]}],
  "mncbs": [
    {"id": "sgs", "name": "SGS Group", "acronym": "SGS", "country": "Switzerland",
     "certification_bodies": ["bsi"], "api_keys": ["mncb-sgs-key"]}],
  "origin_companies": [
    {"id": "acme", "name": "ACME Inc.", "tokens": ["origin-acme-token"]}],
  "origin_reporting_bodies": [{"name": "Veritas"}],
  "origin_standards": [{"code": "ISO 9001", "name": "ISO 9001", "type": "STANDARD"}],
  "sertifika_companies": [
    {"id": "3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11", "name": "Advancity", "tokens": ["sm-advancity-token"],
     "templates": [
       {"id": "64c9f080-2314-4f02-a43c-923d83e8e444", "name": "Advancity Test Sertifikası",
        "properties": [{"key": "alias_1434977880189", "title": "title_1434977880189"}]}]}],
  "edin_users": [
    {"login": "supplier1", "password": "s3cret", "glns": ["9864066822454"]}],
  "edin_glns": [
    {"gln": "4829900023799", "name": "Retail network A", "retail_network": true}]
})";

// The path of the ProvisionError that parsing `doc` raises, or "<no error>".
std::string error_path(const std::string& doc) {
  try {
    parse_provisioning(doc);
  } catch (const ProvisionError& e) {
    return e.path;
  }
  return "<no error>";
}

std::string error_message(const std::string& doc) {
  try {
    parse_provisioning(doc);
  } catch (const ProvisionError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

// ---- parse ----

TEST(ProvisioningParse, DesignExample) {
  auto p = parse_provisioning(kDesignExample);

  ASSERT_EQ(p.accreditation_bodies.size(), 1u);
  const auto& ab = p.accreditation_bodies[0];
  EXPECT_EQ(ab.id, "ukas");
  EXPECT_EQ(ab.name, "United Kingdom Accreditation Service");
  EXPECT_EQ(ab.acronym, "UKAS");
  EXPECT_EQ(ab.country, "United Kingdom");
  EXPECT_EQ(ab.api_keys, (std::vector<std::string>{"ab-ukas-key"}));

  ASSERT_EQ(p.certification_bodies.size(), 1u);
  const auto& cb = p.certification_bodies[0];
  EXPECT_EQ(cb.id, "bsi");
  EXPECT_EQ(cb.name, "BSI Assurance UK Ltd");
  EXPECT_EQ(cb.acronym, "BSI");
  EXPECT_EQ(cb.country, "United Kingdom");
  EXPECT_EQ(cb.accreditation_body, "ukas");
  EXPECT_EQ(cb.identity_number, "CB-0001");
  EXPECT_EQ(cb.api_keys, (std::vector<std::string>{"cb-bsi-key"}));

  ASSERT_EQ(p.mncbs.size(), 1u);
  EXPECT_EQ(p.mncbs[0].id, "sgs");
  EXPECT_EQ(p.mncbs[0].name, "SGS Group");
  EXPECT_EQ(p.mncbs[0].acronym, "SGS");
  EXPECT_EQ(p.mncbs[0].country, "Switzerland");
  EXPECT_EQ(p.mncbs[0].certification_bodies, (std::vector<std::string>{"bsi"}));
  EXPECT_EQ(p.mncbs[0].api_keys, (std::vector<std::string>{"mncb-sgs-key"}));

  ASSERT_EQ(p.origin_companies.size(), 1u);
  EXPECT_EQ(p.origin_companies[0].id, "acme");
  EXPECT_EQ(p.origin_companies[0].name, "ACME Inc.");
  EXPECT_EQ(p.origin_companies[0].tokens, (std::vector<std::string>{"origin-acme-token"}));
  EXPECT_EQ(p.origin_reporting_bodies, (std::vector<std::string>{"Veritas"}));
  ASSERT_EQ(p.origin_standards.size(), 1u);
  EXPECT_EQ(p.origin_standards[0].code, "ISO 9001");
  EXPECT_EQ(p.origin_standards[0].name, "ISO 9001");
  EXPECT_EQ(p.origin_standards[0].type, "STANDARD");

  ASSERT_EQ(p.sertifika_companies.size(), 1u);
  const auto& sc = p.sertifika_companies[0];
  EXPECT_EQ(sc.id, "3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11");
  EXPECT_EQ(sc.name, "Advancity");
  EXPECT_EQ(sc.tokens, (std::vector<std::string>{"sm-advancity-token"}));
  ASSERT_TRUE(sc.templates);
  ASSERT_EQ(sc.templates->size(), 1u);
  EXPECT_EQ((*sc.templates)[0].id, "64c9f080-2314-4f02-a43c-923d83e8e444");
  EXPECT_EQ((*sc.templates)[0].name, "Advancity Test Sertifikası");
  ASSERT_EQ((*sc.templates)[0].properties.size(), 1u);
  EXPECT_EQ((*sc.templates)[0].properties[0].key, "alias_1434977880189");
  EXPECT_EQ((*sc.templates)[0].properties[0].title, "title_1434977880189");

  ASSERT_EQ(p.edin_users.size(), 1u);
  EXPECT_EQ(p.edin_users[0].login, "supplier1");
  EXPECT_EQ(p.edin_users[0].password, "s3cret");
  EXPECT_EQ(p.edin_users[0].glns, (std::vector<std::string>{"9864066822454"}));
  ASSERT_EQ(p.edin_glns.size(), 1u);
  EXPECT_EQ(p.edin_glns[0].gln, "4829900023799");
  EXPECT_EQ(p.edin_glns[0].name, "Retail network A");
  EXPECT_EQ(p.edin_glns[0].retail_network, true);
}

TEST(ProvisioningParse, EverythingIsOptional) {
  auto p = parse_provisioning("{}");
  EXPECT_TRUE(p.accreditation_bodies.empty());
  EXPECT_TRUE(p.edin_glns.empty());
  p = parse_provisioning(
      R"({"accreditation_bodies":[{"id":"a","name":"A"}],"origin_standards":[{"code":"c","name":"n"}],
          "sertifika_companies":[{"id":"s","name":"S"}],"edin_glns":[{"gln":"4829900023799"}]})");
  EXPECT_EQ(p.accreditation_bodies[0].acronym, std::nullopt);
  EXPECT_EQ(p.accreditation_bodies[0].api_keys, std::nullopt);  // absent, not empty
  EXPECT_EQ(p.origin_standards[0].type, "STANDARD");
  EXPECT_EQ(p.sertifika_companies[0].templates, std::nullopt);
  EXPECT_EQ(p.edin_glns[0].name, std::nullopt);
  EXPECT_EQ(p.edin_glns[0].retail_network, std::nullopt);
  p = parse_provisioning(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":[]}]})");
  ASSERT_TRUE(p.accreditation_bodies[0].api_keys);
  EXPECT_TRUE(p.accreditation_bodies[0].api_keys->empty());
}

TEST(ProvisioningParse, CbNamedByIdentityNumber) {
  auto p = parse_provisioning(
      R"({"certification_bodies":[{"accreditation_body":"ukas","identity_number":"CB-1"}]})");
  ASSERT_EQ(p.certification_bodies.size(), 1u);
  EXPECT_EQ(p.certification_bodies[0].id, std::nullopt);
  EXPECT_EQ(p.certification_bodies[0].identity_number, "CB-1");
  EXPECT_EQ(p.certification_bodies[0].name, std::nullopt);
}

TEST(ProvisioningParse, UnknownKeys) {
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[],"extra":1})"), "extra");
  EXPECT_EQ(error_path(R"({"certification_bodies":[
      {"id":"a","accreditation_body":"ukas"},
      {"id":"b","accreditation_body":"ukas","acronymx":"B"}]})"),
            "certification_bodies[1].acronymx");
  EXPECT_EQ(error_path(R"({"sertifika_companies":[{"id":"s","name":"S","templates":[
      {"id":"t","name":"T","properties":[{"key":"k","title":"t","x":1}]}]}]})"),
            "sertifika_companies[0].templates[0].properties[0].x");
  EXPECT_NE(error_message(R"({"extra":1})").find("unknown key"), std::string::npos);
}

TEST(ProvisioningParse, WrongTypes) {
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":5}]})"),
            "accreditation_bodies[0].name");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":"k"}]})"),
            "accreditation_bodies[0].api_keys");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":[1]}]})"),
            "accreditation_bodies[0].api_keys[0]");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":["k",null]}]})"),
            "accreditation_bodies[0].api_keys[1]");
  EXPECT_EQ(error_path(R"({"edin_glns":[{"gln":"4829900023799","retail_network":"true"}]})"),
            "edin_glns[0].retail_network");
  EXPECT_EQ(error_path(R"({"mncbs":{}})"), "mncbs");
  EXPECT_EQ(error_path(R"({"mncbs":[1]})"), "mncbs[0]");
  EXPECT_EQ(error_path(R"({"origin_reporting_bodies":["Veritas"]})"), "origin_reporting_bodies[0]");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":null,"name":"A"}]})"),
            "accreditation_bodies[0].id");
  EXPECT_NE(error_message(R"({"accreditation_bodies":[{"id":"a","name":5}]})").find("string"),
            std::string::npos);
}

TEST(ProvisioningParse, MissingRequired) {
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"name":"A"}]})"), "accreditation_bodies[0].id");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a"}]})"), "accreditation_bodies[0].name");
  EXPECT_EQ(error_path(R"({"certification_bodies":[{"accreditation_body":"ukas","name":"C"}]})"),
            "certification_bodies[0].id");
  EXPECT_EQ(error_path(R"({"certification_bodies":[{"id":"c","name":"C"}]})"),
            "certification_bodies[0].accreditation_body");
  EXPECT_EQ(error_path(R"({"mncbs":[{"id":"m"}]})"), "mncbs[0].name");
  EXPECT_EQ(error_path(R"({"origin_companies":[{"name":"O"}]})"), "origin_companies[0].id");
  EXPECT_EQ(error_path(R"({"origin_standards":[{"code":"c"}]})"), "origin_standards[0].name");
  EXPECT_EQ(
      error_path(R"({"sertifika_companies":[{"id":"s","name":"S","templates":[{"id":"t"}]}]})"),
      "sertifika_companies[0].templates[0].name");
  EXPECT_EQ(error_path(R"({"edin_users":[{"login":"u"}]})"), "edin_users[0].password");
  EXPECT_EQ(error_path(R"({"edin_glns":[{"name":"n"}]})"), "edin_glns[0].gln");
  EXPECT_NE(error_message(R"({"mncbs":[{"id":"m"}]})").find("required"), std::string::npos);
}

TEST(ProvisioningParse, EmptyAndControlStrings) {
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"","name":"A"}]})"),
            "accreditation_bodies[0].id");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":" \t "}]})"),
            "accreditation_bodies[0].name");
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":[""]}]})"),
            "accreditation_bodies[0].api_keys[0]");
  EXPECT_EQ(error_path(R"({"origin_companies":[{"id":"o","name":"O\u0001"}]})"),
            "origin_companies[0].name");
  EXPECT_NE(error_message(R"({"accreditation_bodies":[{"id":"","name":"A"}]})").find("empty"),
            std::string::npos);
}

TEST(ProvisioningParse, Glns) {
  EXPECT_EQ(error_path(R"({"edin_users":[{"login":"u","password":"p","glns":["123"]}]})"),
            "edin_users[0].glns[0]");
  EXPECT_EQ(
      error_path(
          R"({"edin_users":[{"login":"u","password":"p","glns":["4829900023799","48299000237x9"]}]})"),
      "edin_users[0].glns[1]");
  EXPECT_EQ(
      error_path(
          R"({"edin_users":[{"login":"u","password":"p","glns":["4829900023799","4829900023799"]}]})"),
      "edin_users[0].glns[1]");
  EXPECT_EQ(error_path(R"({"edin_glns":[{"gln":"48299000237a9"}]})"), "edin_glns[0].gln");
  EXPECT_EQ(error_path(R"({"edin_glns":[{"gln":"48299000237999"}]})"), "edin_glns[0].gln");
}

TEST(ProvisioningParse, OriginStandardTypes) {
  for (const char* t : {"STANDARD", "LABEL", "TESTREPORT"}) {
    auto p = parse_provisioning(
        std::string(R"({"origin_standards":[{"code":"c","name":"n","type":")") + t + "\"}]}");
    EXPECT_EQ(p.origin_standards[0].type, t);
  }
  for (const char* t : {"standard", "CERTIFICATE", "TEST REPORT"})
    EXPECT_EQ(error_path(std::string(R"({"origin_standards":[{"code":"c","name":"n","type":")") +
                         t + "\"}]}"),
              "origin_standards[0].type")
        << t;
}

TEST(ProvisioningParse, DuplicateIdsWithinASection) {
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"a","name":"A"},{"id":"b","name":"B"},
                                                   {"id":"a","name":"C"}]})"),
            "accreditation_bodies[2]");
  EXPECT_EQ(error_path(R"({"mncbs":[{"id":"m","name":"M"},{"id":"m","name":"M"}]})"), "mncbs[1]");
  EXPECT_EQ(error_path(R"({"origin_standards":[{"code":"c","name":"n"},{"code":"c","name":"n"}]})"),
            "origin_standards[1]");
  EXPECT_EQ(error_path(R"({"origin_reporting_bodies":[{"name":"V"},{"name":"V"}]})"),
            "origin_reporting_bodies[1]");
  EXPECT_EQ(
      error_path(R"({"edin_users":[{"login":"u","password":"p"},{"login":"u","password":"q"}]})"),
      "edin_users[1]");
  EXPECT_EQ(error_path(R"({"edin_glns":[{"gln":"4829900023799"},{"gln":"4829900023799"}]})"),
            "edin_glns[1]");
  // The same id in different sections is a matter for apply, not parse.
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[{"id":"x","name":"A"}],
                           "origin_companies":[{"id":"x","name":"O"}]})"),
            "<no error>");
}

TEST(ProvisioningParse, NotJsonOrNotAnObject) {
  EXPECT_EQ(error_path("not json"), "");
  EXPECT_NE(error_message("not json").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(error_path(R"({"accreditation_bodies":[)"), "");
  EXPECT_EQ(error_path(""), "");
  EXPECT_NE(error_message("  ").find("empty"), std::string::npos);
  EXPECT_EQ(error_path("[]"), "");
  EXPECT_NE(error_message("[]").find("must be an object"), std::string::npos);
  EXPECT_EQ(error_path("\"s\""), "");
  EXPECT_EQ(error_path(std::string(100, '[') + std::string(100, ']')), "");
}

// ---- apply ----

namespace {

class ProvisioningApply : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("certreg-prov-" + crypto::random_hex(8));
    db_ = store::open_database("sqlite:" + (dir_ / "x.db").string(), {});
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  int apply(const std::string& doc) {
    return admin::apply_provisioning(*db_, parse_provisioning(doc));
  }

  // The path of the ProvisionError that applying `doc` raises, or "<no error>".
  std::string apply_error(const std::string& doc) {
    auto p = parse_provisioning(doc);
    try {
      admin::apply_provisioning(*db_, p);
    } catch (const ProvisionError& e) {
      return e.path;
    }
    return "<no error>";
  }

  // The path of the ProvisionError that parsing or applying `doc` raises; any other exception
  // is reported as "<other: what>".
  std::string any_error(const std::string& doc) {
    try {
      admin::apply_provisioning(*db_, parse_provisioning(doc));
    } catch (const ProvisionError& e) {
      return e.path;
    } catch (const std::exception& e) {
      return std::string("<other: ") + e.what() + ">";
    }
    return "<no error>";
  }

  std::optional<store::iaf::Body> body(const std::string& id) {
    auto lease = db_->reader();
    return store::iaf::find_body(*lease, id);
  }

  std::optional<std::string> key_owner(const std::string& key) {
    auto lease = db_->reader();
    auto b = store::iaf::body_by_key_hash(*lease, crypto::sha256_hex(key));
    if (!b) return std::nullopt;
    return b->id;
  }

  std::int64_t count(const store::Statement& st) {
    auto lease = db_->reader();
    auto rows = lease->query(st);
    return rows.next() ? rows.integer(0) : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

const std::string kUkas =
    R"({"accreditation_bodies":[{"id":"ukas","name":"United Kingdom Accreditation Service",
                                 "acronym":"UKAS","api_keys":["ab-ukas-key"]}]})";

}  // namespace

TEST_F(ProvisioningApply, DesignExampleIsIdempotent) {
  int first = apply(kDesignExample);
  EXPECT_GT(first, 0);
  EXPECT_EQ(apply(kDesignExample), 0);

  auto bsi = body("bsi");
  ASSERT_TRUE(bsi);
  EXPECT_EQ(bsi->kind, "cb");
  EXPECT_EQ(bsi->name, "BSI Assurance UK Ltd");
  EXPECT_EQ(bsi->accreditation_body_id, "ukas");
  EXPECT_EQ(bsi->identity_number, "CB-0001");
  EXPECT_EQ(body("ukas")->kind, "ab");
  EXPECT_EQ(body("sgs")->kind, "mncb");
  EXPECT_EQ(key_owner("ab-ukas-key"), "ukas");
  EXPECT_EQ(key_owner("cb-bsi-key"), "bsi");
  EXPECT_EQ(key_owner("mncb-sgs-key"), "sgs");
  EXPECT_EQ(key_owner("origin-acme-token"), std::nullopt);  // another realm
  {
    auto lease = db_->reader();
    auto members = store::iaf::mncb_members(*lease, "sgs");
    ASSERT_EQ(members.size(), 1u);
    EXPECT_EQ(members[0].id, "bsi");
  }
  static const store::Statement kCredentials{"SELECT COUNT(*) FROM credentials"};
  EXPECT_EQ(count(kCredentials), 5);
  static const store::Statement kKeyColumn{
      "SELECT COUNT(*) FROM credentials WHERE key_hash = 'ab-ukas-key'"};
  EXPECT_EQ(count(kKeyColumn), 0) << "secrets are stored only as hashes";
  static const store::Statement kEdin{
      "SELECT COUNT(*) FROM edin_users u JOIN edin_user_glns g ON g.login = u.login"
      " WHERE u.login = 'supplier1' AND g.gln = '9864066822454'"
      " AND u.password_hash NOT LIKE '%s3cret%'"};
  EXPECT_EQ(count(kEdin), 1);
  static const store::Statement kGln{
      "SELECT COUNT(*) FROM edin_glns WHERE gln = '4829900023799' AND retail_network = 1"};
  EXPECT_EQ(count(kGln), 1);
  static const store::Statement kTemplates{
      "SELECT COUNT(*) FROM sertifika_templates WHERE company_id = "
      "'3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11'"};
  EXPECT_EQ(count(kTemplates), 1);
}

TEST_F(ProvisioningApply, ChangingOneNameChangesOneRow) {
  ASSERT_GT(apply(kUkas), 0);
  EXPECT_EQ(apply(R"({"accreditation_bodies":[{"id":"ukas","name":"UKAS renamed"}]})"), 1);
  EXPECT_EQ(body("ukas")->name, "UKAS renamed");
  EXPECT_EQ(body("ukas")->acronym, "UKAS");     // absent: kept
  EXPECT_EQ(key_owner("ab-ukas-key"), "ukas");  // absent api_keys: kept
  EXPECT_EQ(apply(R"({"accreditation_bodies":[{"id":"ukas","name":"UKAS renamed"}]})"), 0);
}

TEST_F(ProvisioningApply, UnknownAccreditationBodyAppliesNothing) {
  std::string doc = R"({
    "accreditation_bodies":[{"id":"newab","name":"New AB"}],
    "certification_bodies":[{"id":"c1","name":"C1","accreditation_body":"nope"}]})";
  EXPECT_EQ(apply_error(doc), "certification_bodies[0].accreditation_body");
  EXPECT_FALSE(body("newab")) << "the AB of the same document must not be created";
  EXPECT_FALSE(body("c1"));
}

TEST_F(ProvisioningApply, AccreditationBodyMustBeAnAb) {
  ASSERT_GT(apply(kDesignExample), 0);
  EXPECT_EQ(apply_error(
                R"({"certification_bodies":[{"id":"c2","name":"C2","accreditation_body":"bsi"}]})"),
            "certification_bodies[0].accreditation_body");
  EXPECT_EQ(apply_error(R"({"mncbs":[{"id":"ukas","name":"M"}]})"), "mncbs[0].id");
  EXPECT_EQ(apply_error(R"({"mncbs":[{"id":"m2","name":"M","certification_bodies":["ukas"]}]})"),
            "mncbs[0].certification_bodies[0]");
  EXPECT_EQ(
      apply_error(R"({"mncbs":[{"id":"m2","name":"M","certification_bodies":["bsi","zz"]}]})"),
      "mncbs[0].certification_bodies[1]");
  EXPECT_FALSE(body("m2"));
}

TEST_F(ProvisioningApply, SameKeyForTwoOrganisations) {
  EXPECT_EQ(apply_error(R"({"accreditation_bodies":[
      {"id":"a1","name":"A1","api_keys":["shared"]},
      {"id":"a2","name":"A2","api_keys":["other","shared"]}]})"),
            "accreditation_bodies[1].api_keys[1]");
  EXPECT_FALSE(body("a1"));
  EXPECT_EQ(key_owner("shared"), std::nullopt);

  // Across documents and realms too.
  ASSERT_GT(apply(kUkas), 0);
  EXPECT_EQ(apply_error(R"({"origin_companies":[{"id":"o","name":"O","tokens":["ab-ukas-key"]}]})"),
            "origin_companies[0].tokens[0]");
  EXPECT_EQ(key_owner("ab-ukas-key"), "ukas");
}

TEST_F(ProvisioningApply, ListedKeysReplaceTheSet) {
  ASSERT_GT(apply(R"({"accreditation_bodies":[{"id":"ukas","name":"U","api_keys":["k1","k2"]}]})"),
            0);
  EXPECT_EQ(key_owner("k1"), "ukas");
  EXPECT_EQ(key_owner("k2"), "ukas");
  EXPECT_EQ(apply(R"({"accreditation_bodies":[{"id":"ukas","name":"U","api_keys":["k2","k3"]}]})"),
            2);  // k1 removed, k3 added
  EXPECT_EQ(key_owner("k1"), std::nullopt);
  EXPECT_EQ(key_owner("k2"), "ukas");
  EXPECT_EQ(key_owner("k3"), "ukas");
  EXPECT_EQ(apply(R"({"accreditation_bodies":[{"id":"ukas","name":"U","api_keys":[]}]})"), 2);
  EXPECT_EQ(key_owner("k2"), std::nullopt);
  EXPECT_EQ(key_owner("k3"), std::nullopt);
  // A key given up by one organisation may go to another.
  EXPECT_GT(apply(R"({"accreditation_bodies":[{"id":"other","name":"O","api_keys":["k1"]}]})"), 0);
  EXPECT_EQ(key_owner("k1"), "other");
}

TEST_F(ProvisioningApply, CbNamedByIdentityNumber) {
  ASSERT_GT(apply(kDesignExample), 0);
  // Creating a CB without an id gives it a generated one.
  EXPECT_GT(
      apply(R"({"certification_bodies":[{"accreditation_body":"ukas","identity_number":"CB-0002",
                                                 "name":"Second CB"}]})"),
      0);
  {
    auto lease = db_->reader();
    auto cb = store::iaf::find_cb_by_identity(*lease, "ukas", "CB-0002");
    ASSERT_TRUE(cb);
    EXPECT_EQ(cb->name, "Second CB");
    EXPECT_EQ(cb->id.size(), 36u);
  }
  // A new CB needs a name.
  EXPECT_EQ(
      apply_error(
          R"({"certification_bodies":[{"accreditation_body":"ukas","identity_number":"CB-0003"}]})"),
      "certification_bodies[0].name");
  // Another CB of the same AB may not take an identity number in use.
  EXPECT_EQ(
      apply_error(R"({"certification_bodies":[{"id":"c9","name":"C9","accreditation_body":"ukas",
                                                      "identity_number":"CB-0001"}]})"),
      "certification_bodies[0].identity_number");
  EXPECT_FALSE(body("c9"));
}

// Naming an existing CB by accreditation body and identity number, without a name.
TEST_F(ProvisioningApply, ExistingCbUpdatedByIdentityNumberWithoutName) {
  ASSERT_GT(apply(kDesignExample), 0);
  EXPECT_EQ(
      apply(R"({"certification_bodies":[{"accreditation_body":"ukas","identity_number":"CB-0001",
                                               "acronym":"BSI-2"}]})"),
      1);
  EXPECT_EQ(body("bsi")->acronym, "BSI-2");
  EXPECT_EQ(body("bsi")->name, "BSI Assurance UK Ltd");
  // And by id.
  EXPECT_EQ(
      apply(
          R"({"certification_bodies":[{"id":"bsi","accreditation_body":"ukas","country":"UK"}]})"),
      1);
  EXPECT_EQ(body("bsi")->country, "UK");
  EXPECT_EQ(body("bsi")->name, "BSI Assurance UK Ltd");
}

TEST_F(ProvisioningApply, EdinPassword) {
  const std::string user = R"({"edin_users":[{"login":"supplier1","password":"s3cret"}]})";
  EXPECT_EQ(apply(user), 1);
  EXPECT_EQ(apply(user), 0);  // unchanged password: no re-hash, no write
  EXPECT_EQ(apply(R"({"edin_users":[{"login":"supplier1","password":"n3w"}]})"), 1);
  static const store::Statement kHash{"SELECT password_hash FROM edin_users WHERE login = $1"};
  auto lease = db_->reader();
  auto rows = lease->query(kHash, {"supplier1"});
  ASSERT_TRUE(rows.next());
  EXPECT_TRUE(password::verify("n3w", rows.text(0)));
  EXPECT_FALSE(password::verify("s3cret", rows.text(0)));
}

TEST_F(ProvisioningApply, EdinGlnsAndReferenceData) {
  EXPECT_EQ(apply(R"({"edin_glns":[{"gln":"4829900023799","name":"A","retail_network":true}],
                      "origin_standards":[{"code":"ISO 9001","name":"ISO 9001"}],
                      "origin_reporting_bodies":[{"name":"Veritas"}]})"),
            3);
  EXPECT_EQ(apply(R"({"edin_glns":[{"gln":"4829900023799"}]})"), 0);  // absent values kept
  EXPECT_EQ(apply(R"({"edin_glns":[{"gln":"4829900023799","retail_network":false}]})"), 1);
  EXPECT_EQ(apply(R"({"origin_standards":[{"code":"ISO 9001","name":"ISO 9001","type":"LABEL"}]})"),
            1);
  EXPECT_EQ(apply(R"({"origin_reporting_bodies":[{"name":"Veritas"}]})"), 0);
}

TEST_F(ProvisioningApply, SubmitReportsTheCount) {
  std::promise<std::pair<bool, int>> result;
  admin::submit_provisioning(*db_, parse_provisioning(kUkas), [&](std::exception_ptr e, int n) {
    result.set_value({e == nullptr, n});
  });
  auto [ok, n] = result.get_future().get();
  EXPECT_TRUE(ok);
  EXPECT_EQ(n, 2);  // the body and its key
}

// Every list of the document is a set: a repeat is an error naming it, not a database error
// (which the admin endpoint would answer with 500).
TEST_F(ProvisioningApply, KeyListedTwiceNamesItsPath) {
  EXPECT_EQ(any_error(R"({"accreditation_bodies":[{"id":"a","name":"A","api_keys":["k","k"]}]})"),
            "accreditation_bodies[0].api_keys[1]");
}

TEST_F(ProvisioningApply, MncbMemberListedTwiceNamesItsPath) {
  EXPECT_EQ(any_error(R"({"accreditation_bodies":[{"id":"a","name":"A"}],
                          "certification_bodies":[{"id":"c","name":"C","accreditation_body":"a"}],
                          "mncbs":[{"id":"m","name":"M","certification_bodies":["c","c"]}]})"),
            "mncbs[0].certification_bodies[1]");
}

// Sertifika clients name templates in any case: ids that differ only in case are one template,
// which belongs to one company.
TEST_F(ProvisioningApply, SertifikaTemplateIdsDifferingOnlyInCase) {
  const std::string upper = "64C9F080-2314-4F02-A43C-923D83E8E444";
  const std::string lower = "64c9f080-2314-4f02-a43c-923d83e8e444";
  auto company = [](const std::string& id, const std::string& tmpl) {
    return R"({"id":")" + id + R"(","name":"N","templates":[{"id":")" + tmpl +
           R"(","name":"T","properties":[]}]})";
  };
  apply(R"({"sertifika_companies":[)" + company("a", upper) + "]}");
  EXPECT_EQ(any_error(R"({"sertifika_companies":[)" + company("b", lower) + "]}"),
            "sertifika_companies[0].templates[0].id");
  EXPECT_EQ(any_error(R"({"sertifika_companies":[)" + company("a", lower) + "]}"),
            "sertifika_companies[0].templates[0].id");
  EXPECT_EQ(apply(R"({"sertifika_companies":[)" + company("a", upper) + "]}"), 0);
}

TEST_F(ProvisioningApply, DuplicateCbIdInOneDocument) {
  EXPECT_EQ(any_error(R"({"accreditation_bodies":[{"id":"a","name":"A"}],
                          "certification_bodies":[{"id":"c","name":"C1","accreditation_body":"a"},
                                                  {"id":"c","name":"C2","accreditation_body":"a"}]})"),
            "certification_bodies[1].id");
}
