"""IAF CertSearch upload-cert for CB and MNCB (docs/iaf.md, "Upload a certification")."""

import json
import threading
import time

from harness import main
from iaf_fixtures import (CB_REQUIRED, CBS, MNCB_REQUIRED, OMIT, SEED_CURL_BODY, SITE_FIELDS,
                          IafTest, cb_body, minimal_cb_body, mncb_body, uid)


class UploadSuccess(IafTest):
    def test_upload_reply_is_exactly_the_documented_shape(self):
        # docs/iaf.md, "Data priority": {"data": true, "company_certifications_id", "is_primary"}
        for who, body in (("bsi", cb_body("bsi")), ("sgs", mncb_body("tuv"))):
            with self.subTest(who=who):
                r = self.upload_raw(who, body)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(set(r.json), {"data", "company_certifications_id", "is_primary"})
                self.assertIs(r.json["data"], True)
                self.assertIs(r.json["is_primary"], True)

    def test_cb_upload_reply_and_stored_record(self):
        body = cb_body("bsi")
        r = self.upload_raw("bsi", body)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("application/json"))
        self.assertTrue({"data", "company_certifications_id"} <= set(r.json), r)
        self.assertIs(r.json["data"], True)
        cid = r.json["company_certifications_id"]
        self.assertIsInstance(cid, str)
        self.assertTrue(cid)

        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_certifications_id"], cid)
        self.assertEqual(c["certification_number"], body["certificate_number"])
        self.assertIsNone(c["certificate_identity_number"])
        self.assertEqual(c["status"], "active")
        self.assertEqual(c["type"], "Management System")
        self.assertEqual(c["scope_description"], body["certification_scope"])
        self.assertEqual(c["issue_date"], "20230101")
        self.assertEqual(c["expiry_date"], "20260101")
        self.assertEqual(c["original_issue_date"], "20170203")
        self.assertEqual(c["accreditation_status"], "Accredited")
        self.assertEqual(c["company_name"], body["certified_entity_name"])
        self.assertEqual(c["company_english_name"], body["certified_entity_english_name"])
        self.assertEqual(c["company_trading_name"], body["certified_entity_trading_name"])
        self.assertEqual(c["certified_entity_unique_id"], body["certified_entity_unique_id"])
        self.assertEqual(c["company_street"], "1 High Street")
        self.assertEqual(c["company_city"], "London")
        self.assertEqual(c["company_state"], "Greater London")
        self.assertEqual(c["company_postcode"], "EC1A 1AA")
        self.assertEqual(c["company_country"], "United Kingdom")
        self.assertEqual(c["company_website"], "https://widgets.example")
        self.assertIs(c["is_confidential"], False)
        self.assertEqual(c["company_former_names"], [])
        self.assertEqual(c["certification_bodies_id"], "bsi")
        self.assertEqual(c["certification_bodies_name"], CBS["bsi"]["name"])
        self.assertEqual(c["accreditation_bodies_id"], "ukas")
        self.assertEqual(c["accreditation_bodies_name"], "United Kingdom Accreditation Service")
        self.assertEqual(c["schemes"], body["schemes"])
        self.assertEqual(c["sites"], body["sites"])

    def test_mncb_upload_reply_and_issuer(self):
        body = mncb_body("tuv")
        r = self.upload_raw("sgs", body)
        self.assertEqual(r.status, 200, r)
        self.assertTrue({"data", "company_certifications_id"} <= set(r.json), r)
        self.assertIs(r.json["data"], True)
        c = self.get_cert("sgs", r.json["company_certifications_id"])
        self.assertEqual(c["certification_number"], body["certificate_number"])
        self.assertEqual(c["certification_bodies_id"], "tuv")
        self.assertEqual(c["accreditation_bodies_id"], "dakks")
        self.assertEqual(c["schemes"], body["schemes"])

    def test_only_required_fields(self):
        body = minimal_cb_body("bsi")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["certification_number"], body["certificate_number"])
        for f in ("company_english_name", "company_trading_name", "company_street",
                  "company_city", "company_state", "company_postcode", "company_website",
                  "certificate_identity_number", "original_issue_date", "scope_description"):
            self.assertIsNone(c[f], f)
        self.assertEqual(c["sites"], [])
        self.assertIs(c["is_confidential"], False)

    def test_confidential_true(self):
        c = self.get_cert("bsi", self.upload("bsi", cb_body(confidential_certified_entity=True)))
        self.assertIs(c["is_confidential"], True)

    def test_strings_are_trimmed(self):
        n = "T-" + uid()
        body = cb_body(certificate_number=f"  {n}\t", certified_entity_name="  Trim Co  ",
                       certification_status=" Active ", certification_issue_date=" 20230101 ")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["certification_number"], n)
        self.assertEqual(c["company_name"], "Trim Co")
        self.assertEqual(c["status"], "active")

    def test_optional_empty_whitespace_or_null_counts_as_absent(self):
        body = cb_body(certified_entity_website="", certified_entity_state="   ",
                       certified_entity_trading_name=None, certification_scope="",
                       certificate_identity_number="  ", certification_original_issue_date=None,
                       certificate_accreditation_status=None, sites=None)
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertIsNone(c["company_website"])
        self.assertIsNone(c["company_state"])
        self.assertIsNone(c["company_trading_name"])
        self.assertIsNone(c["scope_description"])
        self.assertIsNone(c["certificate_identity_number"])
        self.assertIsNone(c["original_issue_date"])
        self.assertEqual(c["sites"], [])

    def test_short_address_spellings_accepted(self):
        body = cb_body(certified_entity_street_address=OMIT, certified_entity_street_city=OMIT,
                       certified_entity_state=OMIT, certified_entity_post_code=OMIT,
                       certified_entity_country=OMIT, certified_entity_website=OMIT,
                       street_address="9 Short St", city="York", state="North Yorkshire",
                       post_code="YO1 7HH", country="England", website="https://short.example")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["company_street"], "9 Short St")
        self.assertEqual(c["company_city"], "York")
        self.assertEqual(c["company_state"], "North Yorkshire")
        self.assertEqual(c["company_postcode"], "YO1 7HH")
        self.assertEqual(c["company_country"], "England")
        self.assertEqual(c["company_website"], "https://short.example")

    def test_prefixed_spelling_wins_over_short(self):
        body = cb_body(street_address="short", city="short", country="short",
                       certified_entity_street_address="long street",
                       certified_entity_street_city="long city",
                       certified_entity_country="long country")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["company_street"], "long street")
        self.assertEqual(c["company_city"], "long city")
        self.assertEqual(c["company_country"], "long country")

    def test_certified_entity_city_spelling(self):
        body = cb_body(certified_entity_street_city=OMIT, certified_entity_city="Bristol")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["company_city"], "Bristol")

    def test_unknown_fields_are_ignored(self):
        body = cb_body(certification_body_identity_number="X-1", model_number="M1",
                       something_else={"a": [1, 2]}, certification_body_name="Ignored Name")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["certification_bodies_id"], "bsi")

    def test_missing_content_type_is_accepted(self):
        body = cb_body()
        r = self.req("POST", "/api/client/v1/cb/upload-cert", raw=json.dumps(body).encode(),
                     headers={"x-http-authorization": "cb-bsi-key"})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["data"], True)

    def test_json_content_type_variants_are_accepted(self):
        for ct in ("application/json; charset=utf-8", "APPLICATION/JSON",
                   "application/vnd.api+json"):
            with self.subTest(ct=ct):
                r = self.call("POST", "bsi", "upload-cert", raw=json.dumps(cb_body()).encode(),
                              headers={"Content-Type": ct})
                self.assertEqual(r.status, 200, r)
                self.assertIs(r.json["data"], True)


class RequiredFields(IafTest):
    def test_empty_object_cb_lists_every_required_field(self):
        r = self.upload_raw("bsi", {})
        msgs = self.assert_validation(r, *CB_REQUIRED, exact=True)
        self.assertEqual(msgs["certificate_number"], "The certificate_number field is required.")
        for f in CB_REQUIRED:
            self.assertIn(f, msgs[f])

    def test_empty_object_mncb_lists_every_required_field(self):
        r = self.upload_raw("sgs", {})
        msgs = self.assert_validation(r, *MNCB_REQUIRED, exact=True)
        for f in MNCB_REQUIRED:
            self.assertIn(f, msgs[f])

    def test_each_required_field_missing_cb(self):
        for f in CB_REQUIRED:
            with self.subTest(field=f):
                body = cb_body(**{f: OMIT})
                r = self.upload_raw("bsi", body)
                msgs = self.assert_validation(r, f, exact=True)
                self.assertIn(f, msgs[f])
                self.assertEqual(self.find_by_number("bsi", body.get("certificate_number")), [])

    def test_each_required_field_missing_mncb(self):
        for f in MNCB_REQUIRED:
            with self.subTest(field=f):
                r = self.upload_raw("sgs", mncb_body("bsi", **{f: OMIT}))
                msgs = self.assert_validation(r, f, exact=True)
                self.assertIn(f, msgs[f])

    def test_required_field_null_empty_or_blank(self):
        for value in (None, "", "   ", "\t\n"):
            for f in ("certificate_number", "certified_entity_name", "certified_entity_country",
                      "certification_type", "certified_entity_unique_id"):
                with self.subTest(field=f, value=value):
                    r = self.upload_raw("bsi", cb_body(**{f: value}))
                    msgs = self.assert_validation(r, f, exact=True)
                    self.assertIn("required", msgs[f])

    def test_required_date_empty_string(self):
        r = self.upload_raw("bsi", cb_body(certification_issue_date=""))
        self.assert_validation(r, "certification_issue_date")

    def test_several_failures_are_all_reported(self):
        r = self.upload_raw("bsi", cb_body(certificate_number=OMIT, certification_status="bogus",
                                           certification_issue_date="2023", schemes=[],
                                           confidential_certified_entity="yes"))
        self.assert_validation(r, "certificate_number", "certification_status",
                               "certification_issue_date", "schemes",
                               "confidential_certified_entity", exact=True)


class WrongTypes(IafTest):
    STRING_FIELDS = ["certificate_number", "certificate_identity_number", "certification_type",
                     "certification_scope", "certified_entity_name",
                     "certified_entity_english_name", "certified_entity_trading_name",
                     "certified_entity_unique_id", "certified_entity_street_address",
                     "certified_entity_street_city", "certified_entity_state",
                     "certified_entity_post_code", "certified_entity_country",
                     "certified_entity_website", "accreditation_body_name",
                     "accreditation_body_acronym_name", "certification_status",
                     "certificate_accreditation_status"]

    def test_number_for_string_names_the_field(self):
        r = self.upload_raw("bsi", cb_body(certificate_number=12345))
        msgs = self.assert_validation(r, "certificate_number", exact=True)
        self.assertEqual(msgs["certificate_number"], "The certificate_number must be a string.")

    def test_every_string_field_rejects_other_types(self):
        for f in self.STRING_FIELDS:
            for value in (42, 1.5, True, ["x"], {"x": "y"}):
                with self.subTest(field=f, value=value):
                    r = self.upload_raw("bsi", cb_body(**{f: value}))
                    msgs = self.assert_validation(r, f, exact=True)
                    self.assertIn(f, msgs[f])

    def test_mncb_body_names_must_be_strings(self):
        for f in ("certification_body_name", "certification_body_acronym_name"):
            with self.subTest(field=f):
                r = self.upload_raw("sgs", mncb_body("bsi", **{f: 7}))
                self.assert_validation(r, f, exact=True)

    def test_confidential_must_be_a_json_boolean(self):
        for value in ("boolean", "true", "false", 1, 0, "1", [], {}):
            with self.subTest(value=value):
                r = self.upload_raw("bsi", cb_body(confidential_certified_entity=value))
                msgs = self.assert_validation(r, "confidential_certified_entity", exact=True)
                self.assertIn("confidential_certified_entity",
                              msgs["confidential_certified_entity"])

    def test_dates_must_be_strings(self):
        for f in ("certification_issue_date", "certification_expiry_date",
                  "certification_original_issue_date"):
            with self.subTest(field=f):
                r = self.upload_raw("bsi", cb_body(**{f: 20230101}))
                self.assert_validation(r, f, exact=True)

    def test_schemes_wrong_types(self):
        for value in ({"scheme_name": "ISO 9001"}, "ISO 9001", 1, True):
            with self.subTest(value=value):
                r = self.upload_raw("bsi", cb_body(schemes=value))
                msgs = self.assert_validation(r, "schemes", exact=True)
                self.assertIn("schemes", msgs["schemes"])

    def test_standard_list_wrong_type(self):
        r = self.upload_raw("bsi", cb_body(schemes=[{"scheme_name": "ISO 9001",
                                                     "standard_list": {"standards_name": "x"}}]))
        self.assert_validation(r, "schemes.0.standard_list", exact=True)

    def test_scheme_name_wrong_type(self):
        r = self.upload_raw("bsi", cb_body(schemes=[{"scheme_name": 9001}]))
        self.assert_validation(r, "schemes.0.scheme_name", exact=True)

    def test_sites_wrong_types(self):
        for value in ({"city": "Leeds"}, "Leeds", 3):
            with self.subTest(value=value):
                r = self.upload_raw("bsi", cb_body(sites=value))
                self.assert_validation(r, "sites", exact=True)


class Enums(IafTest):
    STATUSES = ["active", "inactive", "suspended", "cancelled", "hidden", "withdrawn", "expired"]
    SYNONYMS = {
        "Active (valid)": "active", "ACTIVE (VALID)": "active",
        "Cancelled (terminated)": "cancelled",
        "Hidden (uploaded but not yet live)": "hidden",
        "valid": "active", "Valid": "active",
        "canceled": "cancelled", "Canceled": "cancelled",
        "terminated": "cancelled", "TERMINATED": "cancelled",
        "draft": "hidden", "Draft": "hidden",
        "suspendud": "suspended", "Suspendud": "suspended",
        "retired": "withdrawn", "RETIRED": "withdrawn",
    }

    def _status_of(self, value):
        return self.get_cert("bsi", self.upload("bsi", cb_body(certification_status=value)))[
            "status"]

    def test_every_status_case_insensitively(self):
        for s in self.STATUSES:
            for variant in (s, s.upper(), s.capitalize(), s[0] + s[1:].upper()):
                with self.subTest(value=variant):
                    self.assertEqual(self._status_of(variant), s)

    def test_documented_synonyms_are_stored_canonically(self):
        for value, canonical in self.SYNONYMS.items():
            with self.subTest(value=value):
                self.assertEqual(self._status_of(value), canonical)

    def test_bad_status(self):
        for value in ("pending", "CB Withdrawn", "deleted", "activ", "string", "active active"):
            with self.subTest(value=value):
                r = self.upload_raw("bsi", cb_body(certification_status=value))
                msgs = self.assert_validation(r, "certification_status", exact=True)
                self.assertIn("certification_status", msgs["certification_status"])

    def test_accreditation_status_values(self):
        cases = {"Accredited": "Accredited", "accredited": "Accredited",
                 "ACCREDITED": "Accredited", "Unaccredited": "Unaccredited",
                 "unaccredited": "Unaccredited", "UNACCREDITED": "Unaccredited",
                 "NoneAccredited": "Unaccredited", "noneaccredited": "Unaccredited",
                 "NONEACCREDITED": "Unaccredited"}
        for value, stored in cases.items():
            with self.subTest(value=value):
                cid = self.upload("bsi", cb_body(certificate_accreditation_status=value))
                self.assertEqual(self.get_cert("bsi", cid)["accreditation_status"], stored)

    def test_bad_accreditation_status(self):
        for value in ("Yes", "accreditated", "string", "Suspended"):
            with self.subTest(value=value):
                r = self.upload_raw("bsi", cb_body(certificate_accreditation_status=value))
                msgs = self.assert_validation(r, "certificate_accreditation_status", exact=True)
                self.assertIn("certificate_accreditation_status",
                              msgs["certificate_accreditation_status"])

    def test_mncb_status_too(self):
        cid = self.upload("sgs", mncb_body("bsi", certification_status="Draft"))
        self.assertEqual(self.get_cert("sgs", cid)["status"], "hidden")
        r = self.upload_raw("sgs", mncb_body("bsi", certification_status="nope"))
        self.assert_validation(r, "certification_status", exact=True)


class Dates(IafTest):
    DATE_FIELDS = ("certification_issue_date", "certification_expiry_date",
                   "certification_original_issue_date")

    def test_not_eight_digits(self):
        for f in self.DATE_FIELDS:
            for value in ("2023011", "202301011", "2023-01-01", "01/01/2023", "abcdefgh",
                          "2023010a", "+2023010", "string", "２０２３０１０１"):
                with self.subTest(field=f, value=value):
                    body = cb_body(**{"certification_issue_date": "20200101",
                                      "certification_expiry_date": "20291231", f: value})
                    r = self.upload_raw("bsi", body)
                    msgs = self.assert_validation(r, f, exact=True)
                    self.assertIn(f, msgs[f])
                    self.assertIn("YYYYMMDD", msgs[f])

    def test_impossible_calendar_dates(self):
        for value in ("20230230", "20230001", "20231301", "20230132", "20230229", "20230431",
                      "00000000", "20230100"):
            with self.subTest(value=value):
                body = cb_body(certification_issue_date=value,
                               certification_expiry_date="20291231")
                r = self.upload_raw("bsi", body)
                self.assert_validation(r, "certification_issue_date", exact=True)

    def test_leap_day_is_valid(self):
        body = cb_body(certification_issue_date="20240229", certification_expiry_date="20270228",
                       certification_original_issue_date="20000229")
        c = self.get_cert("bsi", self.upload("bsi", body))
        self.assertEqual(c["issue_date"], "20240229")
        self.assertEqual(c["expiry_date"], "20270228")
        self.assertEqual(c["original_issue_date"], "20000229")

    def test_expiry_before_issue(self):
        r = self.upload_raw("bsi", cb_body(certification_issue_date="20230102",
                                           certification_expiry_date="20230101"))
        msgs = self.assert_validation(r, "certification_expiry_date", exact=True)
        self.assertIn("certification_expiry_date", msgs["certification_expiry_date"])

    def test_expiry_equal_to_issue_is_accepted(self):
        cid = self.upload("bsi", cb_body(certification_issue_date="20230101",
                                         certification_expiry_date="20230101"))
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["issue_date"], c["expiry_date"])

    def test_original_issue_date(self):
        c = self.get_cert("bsi", self.upload("bsi", cb_body(
            certification_original_issue_date="19991231")))
        self.assertEqual(c["original_issue_date"], "19991231")
        r = self.upload_raw("bsi", cb_body(certification_original_issue_date="19991232"))
        self.assert_validation(r, "certification_original_issue_date", exact=True)

    def test_invalid_expiry_date(self):
        r = self.upload_raw("bsi", cb_body(certification_expiry_date="20260230"))
        self.assert_validation(r, "certification_expiry_date", exact=True)


class Lengths(IafTest):
    # field -> limit in characters (docs/iaf.md table)
    LIMITS = {
        "certificate_number": 60,
        "certificate_identity_number": 60,
        "certified_entity_name": 300,
        "certified_entity_english_name": 300,
        "certified_entity_trading_name": 500,
        "certified_entity_unique_id": 45,
        "certification_type": 500,
        "certified_entity_street_address": 500,
        "certified_entity_street_city": 500,
        "certified_entity_country": 500,
    }
    STORED_AS = {
        "certificate_number": "certification_number",
        "certificate_identity_number": "certificate_identity_number",
        "certified_entity_name": "company_name",
        "certified_entity_english_name": "company_english_name",
        "certified_entity_trading_name": "company_trading_name",
        "certified_entity_unique_id": "certified_entity_unique_id",
        "certification_type": "type",
        "certified_entity_street_address": "company_street",
        "certified_entity_street_city": "company_city",
        "certified_entity_country": "company_country",
    }

    @staticmethod
    def text(n, ch):
        """A unique string of exactly n characters, padded with multi-byte `ch`."""
        prefix = uid()[:8]
        return prefix + ch * (n - len(prefix))

    def test_at_limit_ok_and_one_over_rejected_in_characters(self):
        for f, limit in self.LIMITS.items():
            for ch in ("é", "€", "😀"):  # 2, 3 and 4 bytes in UTF-8
                with self.subTest(field=f, ch=ch):
                    at = self.text(limit, ch)
                    self.assertGreater(len(at.encode()), limit)
                    cid = self.upload("bsi", cb_body(**{f: at}))
                    self.assertEqual(self.get_cert("bsi", cid)[self.STORED_AS[f]], at)
                    over = self.text(limit + 1, ch)
                    r = self.upload_raw("bsi", cb_body(**{f: over}))
                    msgs = self.assert_validation(r, f, exact=True)
                    self.assertIn(str(limit), msgs[f])

    def test_ascii_limits(self):
        for f, limit in self.LIMITS.items():
            with self.subTest(field=f):
                self.upload("bsi", cb_body(**{f: self.text(limit, "x")}))
                r = self.upload_raw("bsi", cb_body(**{f: self.text(limit + 1, "x")}))
                self.assert_validation(r, f, exact=True)

    def test_trimmed_before_counting(self):
        n = self.text(60, "x")
        cid = self.upload("bsi", cb_body(certificate_number="   " + n + "   "))
        self.assertEqual(self.get_cert("bsi", cid)["certification_number"], n)

    def test_scope_limit_20000(self):
        cid = self.upload("bsi", cb_body(certification_scope="ä" * 20000))
        self.assertEqual(len(self.get_cert("bsi", cid)["scope_description"]), 20000)
        r = self.upload_raw("bsi", cb_body(certification_scope="ä" * 20001))
        self.assert_validation(r, "certification_scope", exact=True)

    def test_mncb_limits(self):
        r = self.upload_raw("sgs", mncb_body("bsi", certificate_number="x" * 61))
        self.assert_validation(r, "certificate_number", exact=True)
        r = self.upload_raw("sgs", mncb_body("bsi", certified_entity_unique_id="ü" * 46))
        self.assert_validation(r, "certified_entity_unique_id", exact=True)


class ControlCharacters(IafTest):
    def test_control_characters_rejected(self):
        for ch in ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"):
            for f in ("certificate_number", "certified_entity_name", "certified_entity_unique_id",
                      "certified_entity_website"):
                with self.subTest(field=f, ch=repr(ch)):
                    r = self.upload_raw("bsi", cb_body(**{f: "ab" + ch + uid()}))
                    msgs = self.assert_validation(r, f, exact=True)
                    self.assertIn(f, msgs[f])

    def test_control_characters_in_nested_fields(self):
        r = self.upload_raw("bsi", cb_body(schemes=[{"scheme_name": "ISO\x00 9001"}]))
        self.assert_validation(r, "schemes.0.scheme_name", exact=True)
        r = self.upload_raw("bsi", cb_body(sites=[{"city": "Le\x1beds"}]))
        self.assert_validation(r, "sites.0.city", exact=True)

    def test_tab_cr_lf_inside_are_allowed(self):
        scope = "Line one\r\nLine two\twith tab"
        cid = self.upload("bsi", cb_body(certification_scope=scope))
        self.assertEqual(self.get_cert("bsi", cid)["scope_description"], scope)


class Schemes(IafTest):
    def test_empty_schemes(self):
        r = self.upload_raw("bsi", cb_body(schemes=[]))
        msgs = self.assert_validation(r, "schemes", exact=True)
        self.assertIn("schemes", msgs["schemes"])

    def test_non_object_item(self):
        for item in ("ISO 9001", 1, None, ["ISO 9001"]):
            with self.subTest(item=item):
                r = self.upload_raw("bsi", cb_body(schemes=[item]))
                self.assert_validation(r, "schemes.0", exact=True)

    def test_missing_scheme_name(self):
        for item in ({}, {"standard_list": [{"standards_name": "ISO 9001:2015"}]},
                     {"scheme_name": ""}, {"scheme_name": None}):
            with self.subTest(item=item):
                r = self.upload_raw("bsi", cb_body(schemes=[item]))
                self.assert_validation(r, "schemes.0.scheme_name", exact=True)

    def test_second_scheme_reported_with_its_index(self):
        r = self.upload_raw("bsi", cb_body(schemes=[{"scheme_name": "ISO 9001"}, {}]))
        self.assert_validation(r, "schemes.1.scheme_name", exact=True)

    def test_standard_without_standards_name(self):
        schemes = [{"scheme_name": "ISO 9001",
                    "standard_list": [{"standards_name": "ISO 9001:2015"}, {"name": "x"}]}]
        r = self.upload_raw("bsi", cb_body(schemes=schemes))
        msgs = self.assert_validation(r, "schemes.0.standard_list.1.standards_name", exact=True)
        self.assertIn("schemes.0.standard_list.1.standards_name",
                      msgs["schemes.0.standard_list.1.standards_name"])

    def test_standard_list_non_object_item(self):
        schemes = [{"scheme_name": "ISO 9001", "standard_list": ["ISO 9001:2015"]}]
        r = self.upload_raw("bsi", cb_body(schemes=schemes))
        self.assert_validation(r, "schemes.0.standard_list.0", exact=True)

    def test_standard_list_optional(self):
        cid = self.upload("bsi", cb_body(schemes=[{"scheme_name": "ISO 14001"}]))
        self.assertEqual(self.get_cert("bsi", cid)["schemes"],
                         [{"scheme_name": "ISO 14001", "standard_list": []}])

    def test_several_schemes_and_standards_round_trip(self):
        schemes = [{"scheme_name": "ISO 9001", "standard_list": [
                       {"standards_name": "ISO 9001:2015"}, {"standards_name": "ISO 9001:2008"}]},
                   {"scheme_name": "ISO 27001", "standard_list": [
                       {"standards_name": "ISO/IEC 27001:2022"}]}]
        cid = self.upload("bsi", cb_body(schemes=schemes))
        self.assertEqual(self.get_cert("bsi", cid)["schemes"], schemes)

    def test_at_most_100_schemes(self):
        ok = [{"scheme_name": f"S{i}"} for i in range(100)]
        cid = self.upload("bsi", cb_body(schemes=ok))
        self.assertEqual(len(self.get_cert("bsi", cid)["schemes"]), 100)
        r = self.upload_raw("bsi", cb_body(schemes=ok + [{"scheme_name": "S100"}]))
        self.assert_validation(r, "schemes", exact=True)


class Sites(IafTest):
    def test_site_round_trip_shape(self):
        sites = [{"street": "1 A St", "city": "Leeds", "state": "WY", "country": "UK",
                  "postcode": "LS1", "scope_description": "All"},
                 {"city": "Hull"}]
        c = self.get_cert("bsi", self.upload("bsi", cb_body(sites=sites)))
        self.assertEqual(len(c["sites"]), 2)
        self.assertEqual(c["sites"][0], sites[0])
        self.assertEqual(set(c["sites"][1]), SITE_FIELDS)
        self.assertEqual(c["sites"][1]["city"], "Hull")
        for k in SITE_FIELDS - {"city"}:
            self.assertIsNone(c["sites"][1][k])

    def test_empty_site_object_and_empty_list(self):
        c = self.get_cert("bsi", self.upload("bsi", cb_body(sites=[{}])))
        self.assertEqual(c["sites"], [{k: None for k in SITE_FIELDS}])
        c = self.get_cert("bsi", self.upload("bsi", cb_body(sites=[])))
        self.assertEqual(c["sites"], [])

    def test_non_object_site(self):
        r = self.upload_raw("bsi", cb_body(sites=[{"city": "Leeds"}, "Hull"]))
        self.assert_validation(r, "sites.1", exact=True)

    def test_site_field_wrong_type_uses_dot_notation(self):
        r = self.upload_raw("bsi", cb_body(sites=[{}, {}, {"city": 5}]))
        msgs = self.assert_validation(r, "sites.2.city", exact=True)
        self.assertIn("sites.2.city", msgs["sites.2.city"])

    def test_site_field_too_long(self):
        r = self.upload_raw("bsi", cb_body(sites=[{"street": "é" * 501}]))
        self.assert_validation(r, "sites.0.street", exact=True)

    def test_at_most_1000_sites(self):
        cid = self.upload("bsi", cb_body(sites=[{"city": "C"}] * 1000))
        self.assertEqual(len(self.get_cert("bsi", cid)["sites"]), 1000)
        r = self.upload_raw("bsi", cb_body(sites=[{"city": "C"}] * 1001))
        self.assert_validation(r, "sites", exact=True)


class SeedCurlSample(IafTest):
    """The guide's curl sample (all values "string", confidential "boolean")."""

    EXPECTED = ["certification_status", "certificate_accreditation_status",
                "certification_original_issue_date", "certification_issue_date",
                "certification_expiry_date", "confidential_certified_entity"]

    def _send(self, who):
        before = self.all_certs(who)
        r = self.call("POST", who, "upload-cert", raw=SEED_CURL_BODY.encode(),
                      headers={"Content-Type": "application/json"})
        self.assertNotEqual(r.status, 500, r)
        msgs = self.assert_validation(r, *self.EXPECTED)
        for f in self.EXPECTED:
            self.assertIn(f, msgs[f])
        self.assertEqual(self.all_certs(who), before)  # never stored
        return msgs

    def test_mncb_rejects_seed_sample_with_field_map(self):
        self._send("sgs")

    def test_cb_rejects_seed_sample_with_field_map(self):
        self._send("bsi")

    def test_seed_sample_in_bulk_is_rejected(self):
        record = json.loads(SEED_CURL_BODY)
        r = self.bulk_raw("sgs", [record])
        self.assertEqual(r.status, 400, r)
        fields = set()
        for e in r.json["data"]["errors"]["errors"]:
            fields |= set(e["meta"])
        self.assertTrue(set(self.EXPECTED) <= fields, fields)


class BodyFormat(IafTest):
    def test_malformed_json(self):
        for raw in (b'{"certificate_number": ', b"{'a': 1}", b"{,}", b"nope", b'{"a":1}}',
                    b'{"a":1,}', b"\xff\xfe{}"):
            with self.subTest(raw=raw):
                r = self.call("POST", "bsi", "upload-cert", raw=raw)
                msgs = self.assert_validation(r, "body", exact=True)
                self.assertIn("JSON", msgs["body"])

    def test_invalid_utf8_inside_a_string(self):
        raw = json.dumps(cb_body()).encode().replace(b"Management System", b"Management \xc3(")
        r = self.call("POST", "bsi", "upload-cert", raw=raw)
        self.assertNotEqual(r.status, 500, r)
        self.assert_validation(r, "body")

    def test_empty_body(self):
        for raw in (b"", b"   ", b"\r\n"):
            with self.subTest(raw=raw):
                r = self.call("POST", "bsi", "upload-cert", raw=raw)
                self.assert_validation(r, "body", exact=True)

    def test_body_not_an_object(self):
        for value in ([], [cb_body()], "a string", 42, True, None):
            with self.subTest(value=value):
                r = self.call("POST", "bsi", "upload-cert", raw=json.dumps(value).encode())
                msgs = self.assert_validation(r, "body", exact=True)
                self.assertIn("object", msgs["body"])

    def test_non_json_content_type(self):
        for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                   "text/json-ish"):
            with self.subTest(ct=ct):
                body = cb_body()
                r = self.call("POST", "bsi", "upload-cert", raw=json.dumps(body).encode(),
                              headers={"Content-Type": ct})
                self.assert_validation(r, "content_type", exact=True)
                self.assertEqual(self.find_by_number("bsi", body["certificate_number"]), [])

    def test_form_encoded_curl_d(self):
        r = self.call("POST", "bsi", "upload-cert", raw=b"certificate_number=1&x=2",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assert_validation(r, "content_type", exact=True)

    def test_deeply_nested_json_is_400_not_500(self):
        raw = b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}"
        r = self.call("POST", "bsi", "upload-cert", raw=raw)
        self.assert_validation(r, "body", exact=True)

    def test_body_of_exactly_1_mib_is_accepted(self):
        body = cb_body(certification_scope="")
        raw = json.dumps(body).encode()
        pad = 1024 * 1024 - len(raw)
        raw = raw[:-1] + b', "pad": "' + b"p" * (pad - len(b', "pad": "') - 1) + b'"}'
        self.assertEqual(len(raw), 1024 * 1024)
        r = self.call("POST", "bsi", "upload-cert", raw=raw)
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["data"], True)

    def test_body_over_1_mib_is_413_in_iaf_envelope(self):
        body = cb_body(certification_scope="x" * (1024 * 1024 + 100))
        r = self.call("POST", "bsi", "upload-cert", raw=json.dumps(body).encode())
        errors = self.assert_envelope(r, 413, "payload_too_large")
        self.assertIsInstance(errors["message"], str)


class Issuer(IafTest):
    def test_cb_naming_another_ab(self):
        r = self.upload_raw("bsi", cb_body("bsi", accreditation_body_name=
                                           "Deutsche Akkreditierungsstelle GmbH",
                                           accreditation_body_acronym_name="DAkkS"))
        msgs = self.assert_validation(r, "accreditation_body_name", exact=True)
        self.assertIn("accreditation_body_name", msgs["accreditation_body_name"])

    def test_cb_naming_unknown_ab(self):
        r = self.upload_raw("bsi", cb_body(accreditation_body_name="Nobody",
                                           accreditation_body_acronym_name="NOPE"))
        self.assert_validation(r, "accreditation_body_name", exact=True)

    def test_second_ab(self):
        cid = self.upload("tuv", cb_body("tuv"))
        c = self.get_cert("tuv", cid)
        self.assertEqual(c["accreditation_bodies_id"], "dakks")
        self.assertEqual(c["certification_bodies_id"], "tuv")
        r = self.upload_raw("tuv", cb_body("tuv", accreditation_body_name=
                                           "United Kingdom Accreditation Service",
                                           accreditation_body_acronym_name="UKAS"))
        self.assert_validation(r, "accreditation_body_name", exact=True)

    def test_match_by_acronym_only(self):
        cid = self.upload("bsi", cb_body(accreditation_body_name="Some Other Name",
                                         accreditation_body_acronym_name="UKAS"))
        self.assertEqual(self.get_cert("bsi", cid)["accreditation_bodies_id"], "ukas")

    def test_match_by_name_only(self):
        cid = self.upload("bsi", cb_body(accreditation_body_name=
                                         "United Kingdom Accreditation Service",
                                         accreditation_body_acronym_name="XYZ"))
        self.assertEqual(self.get_cert("bsi", cid)["accreditation_bodies_id"], "ukas")

    def test_match_ignores_case_and_surrounding_spaces(self):
        for name, acronym in (("  united kingdom ACCREDITATION service ", "zzz"),
                              ("zzz", "  ukas  "), ("UNITED KINGDOM ACCREDITATION SERVICE",
                                                    "Ukas")):
            with self.subTest(name=name, acronym=acronym):
                self.upload("bsi", cb_body(accreditation_body_name=name,
                                           accreditation_body_acronym_name=acronym))
        cid = self.upload("tuv", cb_body("tuv", accreditation_body_name="x",
                                         accreditation_body_acronym_name="dakks"))
        self.assertEqual(self.get_cert("tuv", cid)["accreditation_bodies_id"], "dakks")

    def test_mncb_naming_unlinked_cb(self):
        # lrqa exists and is accredited by ukas, but is not linked to sgs.
        r = self.upload_raw("sgs", mncb_body("lrqa"))
        msgs = self.assert_validation(r, "certification_body_name", exact=True)
        self.assertIn("certification_body_name", msgs["certification_body_name"])
        r = self.upload_raw("bv", mncb_body("bsi"))
        self.assert_validation(r, "certification_body_name", exact=True)

    def test_mncb_naming_unknown_cb(self):
        r = self.upload_raw("sgs", mncb_body("bsi", certification_body_name="Nobody Ltd",
                                             certification_body_acronym_name="NOBODY"))
        self.assert_validation(r, "certification_body_name", exact=True)

    def test_mncb_naming_linked_cbs(self):
        for who, cb, ab in (("sgs", "bsi", "ukas"), ("sgs", "tuv", "dakks"),
                            ("sgs", "bsi-de", "dakks"), ("bv", "lrqa", "ukas")):
            with self.subTest(who=who, cb=cb):
                cid = self.upload(who, mncb_body(cb))
                c = self.get_cert(who, cid)
                self.assertEqual(c["certification_bodies_id"], cb)
                self.assertEqual(c["accreditation_bodies_id"], ab)

    def test_mncb_linked_cb_with_wrong_ab(self):
        r = self.upload_raw("sgs", mncb_body("tuv", accreditation_body_name=
                                             "United Kingdom Accreditation Service",
                                             accreditation_body_acronym_name="UKAS"))
        msgs = self.assert_validation(r, "accreditation_body_name", exact=True)
        self.assertIn("accreditation_body_name", msgs["accreditation_body_name"])

    def test_mncb_cb_by_acronym_or_name_only_case_insensitive(self):
        cid = self.upload("sgs", mncb_body("tuv", certification_body_name="Wrong Name",
                                           certification_body_acronym_name=" tuv "))
        self.assertEqual(self.get_cert("sgs", cid)["certification_bodies_id"], "tuv")
        cid = self.upload("sgs", mncb_body("tuv", certification_body_name=
                                           "  tÜv sÜd MANAGEMENT service gmbh ",
                                           certification_body_acronym_name="nope"))
        self.assertEqual(self.get_cert("sgs", cid)["certification_bodies_id"], "tuv")
        cid = self.upload("sgs", mncb_body("bsi", certification_body_name="bsi assurance uk ltd",
                                           certification_body_acronym_name="nope"))
        self.assertEqual(self.get_cert("sgs", cid)["certification_bodies_id"], "bsi")

    def test_mncb_shared_acronym_resolved_by_name_and_acronym(self):
        # bsi and bsi-de share the acronym BSI; the one matched by both fields wins.
        cid = self.upload("sgs", mncb_body("bsi"))
        self.assertEqual(self.get_cert("sgs", cid)["certification_bodies_id"], "bsi")
        cid = self.upload("sgs", mncb_body("bsi-de"))
        self.assertEqual(self.get_cert("sgs", cid)["certification_bodies_id"], "bsi-de")

    def test_mncb_ambiguous_acronym_only(self):
        r = self.upload_raw("sgs", mncb_body("bsi", certification_body_name="Unknown",
                                             certification_body_acronym_name="BSI"))
        self.assert_validation(r, "certification_body_name", exact=True)

    def test_mncb_name_and_acronym_naming_two_different_cbs(self):
        r = self.upload_raw("sgs", mncb_body("bsi", certification_body_acronym_name="TUV"))
        self.assert_validation(r, "certification_body_name", exact=True)

    def test_issuer_error_not_reported_when_issuer_fields_invalid(self):
        r = self.upload_raw("bsi", cb_body(accreditation_body_name=5))
        self.assert_validation(r, "accreditation_body_name", exact=True)


class Upsert(IafTest):
    def test_same_number_same_id_updated_fields(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        first = self.get_cert("bsi", cid)
        time.sleep(1.05)
        body2 = dict(body, certification_status="Suspended", certification_type="Product",
                     certification_scope="New scope", certification_expiry_date="20290101",
                     certificate_accreditation_status="Unaccredited",
                     certified_entity_street_city="Manchester")
        self.assertEqual(self.upload("bsi", body2), cid)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["status"], "suspended")
        self.assertEqual(c["type"], "Product")
        self.assertEqual(c["scope_description"], "New scope")
        self.assertEqual(c["expiry_date"], "20290101")
        self.assertEqual(c["accreditation_status"], "Unaccredited")
        self.assertEqual(c["company_city"], "Manchester")
        self.assertEqual(c["created_at"], first["created_at"])
        self.assertGreater(c["updated_at"], first["updated_at"])
        self.assertEqual(len(self.find_by_number("bsi", body["certificate_number"])), 1)

    def test_identity_number_keys_the_record(self):
        ident = "ID-" + uid()
        body = cb_body(certificate_identity_number=ident)
        cid = self.upload("bsi", body)
        new_number = "NEW-" + uid()
        self.assertEqual(self.upload("bsi", dict(body, certificate_number=new_number)), cid)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["certification_number"], new_number)
        self.assertEqual(c["certificate_identity_number"], ident)
        # Another identity number with the same certificate number is another record.
        other = self.upload("bsi", dict(body, certificate_number=new_number,
                                        certificate_identity_number="ID-" + uid()))
        self.assertNotEqual(other, cid)

    def test_number_keyed_record_does_not_become_identity_keyed(self):
        body = cb_body(certificate_identity_number=OMIT)
        by_number = self.upload("bsi", body)
        by_identity = self.upload("bsi", dict(body, certificate_identity_number="ID-" + uid()))
        self.assertNotEqual(by_number, by_identity)
        self.assertEqual(self.upload("bsi", body), by_number)
        self.assertIsNone(self.get_cert("bsi", by_number)["certificate_identity_number"])
        self.assertEqual(len(self.find_by_number("bsi", body["certificate_number"])), 2)

    def test_absent_optional_fields_keep_stored_values(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        slim = dict(body, certification_status="expired")
        for k in ("certification_scope", "certified_entity_website", "certified_entity_state",
                  "certificate_accreditation_status", "certification_original_issue_date",
                  "certified_entity_trading_name"):
            slim.pop(k)
        self.assertEqual(self.upload("bsi", slim), cid)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["status"], "expired")
        self.assertEqual(c["scope_description"], body["certification_scope"])
        self.assertEqual(c["company_website"], body["certified_entity_website"])
        self.assertEqual(c["company_state"], body["certified_entity_state"])
        self.assertEqual(c["accreditation_status"], "Accredited")
        self.assertEqual(c["original_issue_date"], "20170203")
        self.assertEqual(c["company_trading_name"], body["certified_entity_trading_name"])

    def test_schemes_are_replaced(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        schemes = [{"scheme_name": "ISO 45001", "standard_list": []}]
        self.upload("bsi", dict(body, schemes=schemes))
        self.assertEqual(self.get_cert("bsi", cid)["schemes"], schemes)

    def test_sites_omitted_keeps_empty_clears_list_replaces(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        self.assertEqual(self.get_cert("bsi", cid)["sites"], body["sites"])
        no_sites = {k: v for k, v in body.items() if k != "sites"}
        self.assertEqual(self.upload("bsi", no_sites), cid)
        self.assertEqual(self.get_cert("bsi", cid)["sites"], body["sites"])
        self.upload("bsi", dict(body, sites=None))
        self.assertEqual(self.get_cert("bsi", cid)["sites"], body["sites"])
        new_sites = [{"street": None, "city": "Hull", "state": None, "country": "UK",
                      "postcode": None, "scope_description": None},
                     {"street": "3 Quay", "city": "Cardiff", "state": None, "country": "UK",
                      "postcode": "CF1", "scope_description": "Port"}]
        self.upload("bsi", dict(body, sites=new_sites))
        self.assertEqual(self.get_cert("bsi", cid)["sites"], new_sites)
        self.upload("bsi", dict(body, sites=[]))
        self.assertEqual(self.get_cert("bsi", cid)["sites"], [])
        self.upload("bsi", no_sites)
        self.assertEqual(self.get_cert("bsi", cid)["sites"], [])

    def test_mncb_upsert_and_per_cb_key(self):
        body = mncb_body("bsi")
        cid = self.upload("sgs", body)
        self.assertEqual(self.upload("sgs", dict(body, certification_status="inactive")), cid)
        self.assertEqual(self.get_cert("sgs", cid)["status"], "inactive")
        # The same number for another CB of the MNCB is another certificate.
        tuv = mncb_body("tuv", certificate_number=body["certificate_number"])
        self.assertNotEqual(self.upload("sgs", tuv), cid)

    def test_confidential_kept_when_absent_and_changed_when_sent(self):
        body = cb_body(confidential_certified_entity=True)
        cid = self.upload("bsi", body)
        self.upload("bsi", {k: v for k, v in body.items() if k != "confidential_certified_entity"})
        self.assertIs(self.get_cert("bsi", cid)["is_confidential"], True)
        self.upload("bsi", dict(body, confidential_certified_entity=False))
        self.assertIs(self.get_cert("bsi", cid)["is_confidential"], False)

    def test_concurrent_identical_uploads_make_one_record(self):
        body = cb_body()
        replies = []

        def go():
            replies.append(self.upload_raw("bsi", body))

        threads = [threading.Thread(target=go) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in replies], [200] * 12, replies)
        self.assertEqual(len({r.json["company_certifications_id"] for r in replies}), 1)
        found = self.find_by_number("bsi", body["certificate_number"])
        self.assertEqual(len(found), 1)

    def test_same_number_from_another_cb_is_another_record(self):
        body = cb_body("bsi")
        a = self.upload("bsi", body)
        b = self.upload("lrqa", cb_body("lrqa", certificate_number=body["certificate_number"]))
        self.assertNotEqual(a, b)
        self.assertEqual(self.get_cert("bsi", a)["certification_bodies_id"], "bsi")


class EntityMatching(IafTest):
    def test_same_unique_id_new_name_keeps_former_name(self):
        first = cb_body()
        a = self.upload("bsi", first)
        old_name = first["certified_entity_name"]
        second = cb_body(certified_entity_unique_id=first["certified_entity_unique_id"],
                         certified_entity_name="Renamed Holdings plc")
        b = self.upload("bsi", second)
        self.assertNotEqual(a, b)
        ca, cb_ = self.get_cert("bsi", a), self.get_cert("bsi", b)
        self.assertEqual(ca["company_id"], cb_["company_id"])
        for c in (ca, cb_):
            self.assertEqual(c["company_name"], "Renamed Holdings plc")
            self.assertEqual(c["company_former_names"], [old_name])

    def test_former_names_oldest_first_no_duplicates(self):
        body = cb_body(certified_entity_name="Name A")
        cid = self.upload("bsi", body)
        self.upload("bsi", dict(body, certified_entity_name="Name B"))
        self.upload("bsi", dict(body, certified_entity_name="Name C"))
        self.upload("bsi", dict(body, certified_entity_name="Name C"))
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_name"], "Name C")
        self.assertEqual(c["company_former_names"], ["Name A", "Name B"])

    def test_different_unique_ids_same_name_are_two_entities(self):
        name = "ABC Corporation " + uid()
        a = self.upload("bsi", cb_body(certified_entity_name=name))
        b = self.upload("bsi", cb_body(certified_entity_name=name))
        ca, cb_ = self.get_cert("bsi", a), self.get_cert("bsi", b)
        self.assertNotEqual(ca["company_id"], cb_["company_id"])
        self.assertEqual(ca["company_name"], name)
        self.assertEqual(cb_["company_name"], name)
        self.assertEqual(ca["company_former_names"], [])
        self.assertEqual(cb_["company_former_names"], [])

    def test_reupload_with_other_unique_id_moves_certification(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        e1 = self.get_cert("bsi", cid)["company_id"]
        other = cb_body()  # another entity with its own certification
        e2 = self.get_cert("bsi", self.upload("bsi", other))["company_id"]
        moved = dict(body, certified_entity_unique_id=other["certified_entity_unique_id"],
                     certified_entity_name=other["certified_entity_name"])
        self.assertEqual(self.upload("bsi", moved), cid)
        c = self.get_cert("bsi", cid)
        self.assertNotEqual(e1, e2)
        self.assertEqual(c["company_id"], e2)
        self.assertEqual(c["certified_entity_unique_id"], other["certified_entity_unique_id"])
        self.assertEqual(c["company_name"], other["certified_entity_name"])

    def test_name_differing_only_by_surrounding_spaces_is_not_a_rename(self):
        body = cb_body(certified_entity_name="Spaced Ltd")
        cid = self.upload("bsi", body)
        self.upload("bsi", dict(body, certified_entity_name="  Spaced Ltd  "))
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_name"], "Spaced Ltd")
        self.assertEqual(c["company_former_names"], [])

    def test_concurrent_uploads_for_one_new_entity_make_one_entity(self):
        ce = "CE-" + uid()
        replies = []

        def go(i):
            replies.append(self.upload_raw("bsi", cb_body(certified_entity_unique_id=ce,
                                                          certified_entity_name=f"Name {i}")))

        threads = [threading.Thread(target=go, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in replies], [200] * 10, replies)
        certs = [self.get_cert("bsi", r.json["company_certifications_id"]) for r in replies]
        self.assertEqual(len({c["company_id"] for c in certs}), 1)
        last = certs[-1]
        self.assertEqual(sorted(last["company_former_names"] + [last["company_name"]]),
                         sorted(f"Name {i}" for i in range(10)))

    def test_deleting_the_entity_a_certification_moved_away_from_keeps_it(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        old_entity = self.get_cert("bsi", cid)["company_id"]
        self.upload("bsi", dict(body, certified_entity_unique_id="MOVED-" + uid()))
        r = self.call("DELETE", "bsi", f"ce/{old_entity}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        c = self.get_cert("bsi", cid)
        self.assertNotEqual(c["company_id"], old_entity)

    def test_same_unique_id_under_two_cbs_of_an_mncb_are_two_entities(self):
        ce = "CE-" + uid()
        a = self.upload("sgs", mncb_body("bsi", certified_entity_unique_id=ce))
        b = self.upload("sgs", mncb_body("tuv", certified_entity_unique_id=ce))
        self.assertNotEqual(self.get_cert("sgs", a)["company_id"],
                            self.get_cert("sgs", b)["company_id"])

    def test_entity_fields_updated_by_later_upload(self):
        body = cb_body()
        a = self.upload("bsi", body)
        b = self.upload("bsi", cb_body(
            certified_entity_unique_id=body["certified_entity_unique_id"],
            certified_entity_name=body["certified_entity_name"],
            certified_entity_street_city="Glasgow",
            certified_entity_country="Scotland"))
        for cid in (a, b):
            c = self.get_cert("bsi", cid)
            self.assertEqual(c["company_city"], "Glasgow")
            self.assertEqual(c["company_country"], "Scotland")
            self.assertEqual(c["company_former_names"], [])


class DataPriority(IafTest):
    """docs/iaf.md, "Data priority between contributors", for CBs and MNCBs."""

    def _reply(self, who, body):
        r = self.upload_raw(who, body)
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["data"], True)
        return r.json

    def _mncb_copy(self, body, cb="bsi"):
        return dict(body, certification_body_name=CBS[cb]["name"],
                    certification_body_acronym_name=CBS[cb]["acronym"])

    def test_cb_first_then_mncb(self):
        body = cb_body("bsi")
        a = self._reply("bsi", body)
        self.assertEqual(set(a), {"data", "company_certifications_id", "is_primary"})
        self.assertIs(a["is_primary"], True)
        b = self._reply("sgs", self._mncb_copy(body, "bsi"))
        self.assertEqual(set(b), {"data", "company_certifications_id", "is_primary",
                                  "primary_contributor"})
        self.assertIs(b["is_primary"], False)
        self.assertEqual(b["primary_contributor"], "cb")
        self.assertNotEqual(a["company_certifications_id"], b["company_certifications_id"])
        ca = self.get_cert("bsi", a["company_certifications_id"])
        cb_ = self.get_cert("sgs", b["company_certifications_id"])
        self.assertEqual((ca["contributor"], ca["is_primary"], ca["primary_contributor"]),
                         ("cb", True, "cb"))
        self.assertEqual((cb_["contributor"], cb_["is_primary"], cb_["primary_contributor"]),
                         ("mncb", False, "cb"))
        # each keeps its own version
        self.assert_not_found(self.call("GET", "bsi", f"cert/{b['company_certifications_id']}"))
        self.assert_not_found(self.call("GET", "sgs", f"cert/{a['company_certifications_id']}"))

    def test_mncb_first_then_cb(self):
        body = cb_body("bsi")
        a = self._reply("sgs", self._mncb_copy(body, "bsi"))
        self.assertIs(a["is_primary"], True)
        self.assertNotIn("primary_contributor", a)
        b = self._reply("bsi", body)
        self.assertIs(b["is_primary"], False)
        self.assertEqual(b["primary_contributor"], "mncb")
        c = self.get_cert("bsi", b["company_certifications_id"])
        self.assertEqual((c["contributor"], c["is_primary"], c["primary_contributor"]),
                         ("cb", False, "mncb"))

    def test_updating_the_second_version_does_not_make_it_primary(self):
        body = cb_body("bsi")
        self._reply("bsi", body)
        copy = self._mncb_copy(body, "bsi")
        self._reply("sgs", copy)
        again = self._reply("sgs", dict(copy, certification_status="suspended"))
        self.assertIs(again["is_primary"], False)
        self.assertEqual(again["primary_contributor"], "cb")

    def test_deleting_the_primary_promotes_the_other_version(self):
        body = cb_body("bsi")
        a = self._reply("bsi", body)
        b = self._reply("sgs", self._mncb_copy(body, "bsi"))
        r = self.call("DELETE", "bsi", f"cert/{a['company_certifications_id']}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        c = self.get_cert("sgs", b["company_certifications_id"])
        self.assertEqual((c["contributor"], c["is_primary"], c["primary_contributor"]),
                         ("mncb", True, "mncb"))

    def test_another_cbs_certificate_with_the_same_number_is_unrelated(self):
        body = cb_body("bsi")
        self._reply("bsi", body)
        other = self._reply("sgs", mncb_body("tuv", certificate_number=body["certificate_number"]))
        self.assertIs(other["is_primary"], True)
        other_cb = self._reply("lrqa", cb_body("lrqa",
                                               certificate_number=body["certificate_number"]))
        self.assertIs(other_cb["is_primary"], True)


class ErrorEnvelope(IafTest):
    def test_validation_envelope(self):
        t0 = time.time()
        r = self.upload_raw("bsi", cb_body(certificate_number=OMIT))
        j = r.json
        self.assertEqual(r.status, 400)
        self.assertEqual(set(j), {"error", "timestamp", "elapse", "errors"})
        self.assertIs(j["error"], True)
        self.assertIsInstance(j["timestamp"], int)
        self.assertLessEqual(abs(j["timestamp"] - t0), 5)
        self.assertIsInstance(j["elapse"], (int, float))
        self.assertNotIsInstance(j["elapse"], bool)
        self.assertGreaterEqual(j["elapse"], 0)
        self.assertLess(j["elapse"], time.time() - t0 + 1)
        self.assertEqual(j["errors"]["code"], "validation_error")
        self.assertEqual(set(j["errors"]), {"code", "message"})
        self.assertEqual(list(j["errors"]["message"]), ["certificate_number"])

    def test_envelope_on_other_errors(self):
        self.assert_not_found(self.call("GET", "bsi", "cert/does-not-exist"))
        self.assert_unauthorized(self.req("GET", "/api/client/v1/cb/cert"))
        self.assert_envelope(self.call("GET", "sgs", "cert", role="cb"), 403, "forbidden")


if __name__ == "__main__":
    main()
