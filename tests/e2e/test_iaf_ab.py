"""IAF CertSearch for accreditation bodies (issue #3): AB certification endpoints, certification-body
management, withdrawn CBs, data priority between contributors, and tenancy between two ABs."""

import copy
import time
import uuid

from harness import ServerTest, main

PROVISION = {
    "accreditation_bodies": [
        {"id": "ukas", "name": "United Kingdom Accreditation Service", "acronym": "UKAS",
         "country": "United Kingdom", "api_keys": ["ab-ukas-key"]},
        {"id": "dakks", "name": "Deutsche Akkreditierungsstelle", "acronym": "DAkkS",
         "country": "Germany", "api_keys": ["ab-dakks-key"]}],
    "certification_bodies": [
        {"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI", "country": "United Kingdom",
         "accreditation_body": "ukas", "identity_number": "CB-0001", "api_keys": ["cb-bsi-key"]},
        {"id": "lrqa", "name": "LRQA Limited", "acronym": "LRQA", "country": "United Kingdom",
         "accreditation_body": "ukas", "identity_number": "CB-0002", "api_keys": ["cb-lrqa-key"]},
        {"id": "tuv", "name": "TUV SUD", "acronym": "TUV", "country": "Germany",
         "accreditation_body": "dakks", "identity_number": "D-0001", "api_keys": ["cb-tuv-key"]}],
    "mncbs": [
        {"id": "sgs", "name": "SGS Group", "acronym": "SGS", "country": "Switzerland",
         "certification_bodies": ["bsi", "lrqa"], "api_keys": ["mncb-sgs-key"]}],
}

AB = {"x-http-authorization": "ab-ukas-key"}
AB2 = {"x-http-authorization": "ab-dakks-key"}
BSI = {"x-http-authorization": "cb-bsi-key"}
LRQA = {"x-http-authorization": "cb-lrqa-key"}
SGS = {"x-http-authorization": "mncb-sgs-key"}
V1 = "/api/client/v1"


def cert(number=None, **extra):
    body = {
        "certificate_number": number or f"N-{uuid.uuid4()}",
        "certification_status": "active",
        "certification_type": "Management System",
        "certification_issue_date": "20230101",
        "certification_expiry_date": "20260101",
        "certified_entity_name": "Acme Ltd",
        "certified_entity_unique_id": f"ce-{uuid.uuid4()}",
        "certified_entity_country": "United Kingdom",
        "schemes": [{"scheme_name": "ISO 9001", "standard_list": [{"standards_name": "ISO 9001:2015"}]}],
    }
    body.update(extra)
    return body


def ab_cert(number=None, identity="CB-0001", **extra):
    return cert(number, certification_body_identity_number=identity,
                certification_body_name="BSI Assurance UK Ltd", **extra)


def cb_cert(number=None, **extra):
    return cert(number, accreditation_body_name="United Kingdom Accreditation Service",
                accreditation_body_acronym_name="UKAS", **extra)


def mncb_cert(number=None, cb="BSI", **extra):
    names = {"BSI": "BSI Assurance UK Ltd", "LRQA": "LRQA Limited"}
    return cb_cert(number, certification_body_name=names[cb], certification_body_acronym_name=cb,
                   **extra)


def new_cb(identity=None, **extra):
    body = {"certification_body_identity_number": identity or f"ID-{uuid.uuid4().hex[:10]}",
            "certification_body_name": "Uploaded CB", "country": "United Kingdom",
            "accreditation_status": "Active (valid)"}
    body.update(extra)
    return body


class AbCertifications(ServerTest):
    PROVISION = PROVISION

    def test_upload_reply_is_nested_and_the_certification_is_stored(self):
        r = self.req("POST", f"{V1}/ab/upload-cert",
                     ab_cert(certified_entity_city="Leeds",
                             certificate_accreditation_status="NoneAccredited"), AB)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"data"})
        cid = r.json["data"]["company_certifications_id"]
        self.assertTrue(r.json["data"]["is_primary"])
        g = self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB)
        self.assertEqual(g.status, 200)
        d = g.json["data"]
        self.assertEqual(d["certification_bodies_id"], "bsi")
        self.assertEqual(d["accreditation_bodies_id"], "ukas")
        self.assertEqual(d["accreditation_status"], "Unaccredited")
        self.assertEqual(d["company_city"], "Leeds")
        self.assertEqual(d["contributor"], "ab")

    def test_identity_number_is_required_and_must_name_one_of_its_cbs(self):
        body = ab_cert()
        del body["certification_body_identity_number"]
        del body["certification_body_name"]
        r = self.req("POST", f"{V1}/ab/upload-cert", body, AB)
        self.assertEqual(r.status, 400)
        msg = r.json["errors"]["message"]
        self.assertIn("certification_body_identity_number", msg)
        self.assertIn("certification_body_name", msg)
        for identity in ["NOPE", "D-0001"]:  # unknown, and another AB's CB
            r = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(identity=identity), AB)
            self.assertEqual(r.status, 400, identity)
            self.assertEqual(list(r.json["errors"]["message"]), ["certification_body_identity_number"])

    def test_same_validation_as_cbs(self):
        r = self.req("POST", f"{V1}/ab/upload-cert",
                     ab_cert(certification_issue_date="20230230", schemes=[]), AB)
        self.assertEqual(r.status, 400)
        self.assertEqual(set(r.json["errors"]["message"]), {"certification_issue_date", "schemes"})

    def test_upsert_list_delete(self):
        number = f"AB-{uuid.uuid4()}"
        a = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(number), AB).json["data"]
        b = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(number, certification_status="suspended"), AB)
        self.assertEqual(b.json["data"]["company_certifications_id"], a["company_certifications_id"])
        cid = a["company_certifications_id"]
        self.assertEqual(self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB).json["data"]["status"],
                         "suspended")
        listing = self.req("GET", f"{V1}/ab/cert?limit=100", headers=AB).json
        self.assertIn(cid, [c["company_certifications_id"] for c in listing["data"]])
        d = self.req("DELETE", f"{V1}/ab/cert/{cid}", headers=AB)
        self.assertEqual((d.status, d.json), (200, {"data": 1}))
        self.assertEqual(self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB).status, 404)

    def test_delete_certified_entity(self):
        r = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(), AB).json["data"]
        cid = r["company_certifications_id"]
        company = self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB).json["data"]["company_id"]
        self.assertEqual(self.req("DELETE", f"{V1}/ab/ce/{company}", headers=AB).json, {"data": 1})
        self.assertEqual(self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB).status, 404)
        self.assertEqual(self.req("DELETE", f"{V1}/ab/ce/{company}", headers=AB).status, 404)

    def test_bulk_is_all_or_nothing(self):
        good = [ab_cert() for _ in range(3)]
        bad = ab_cert(identity="NOPE")
        r = self.req("POST", f"{V1}/ab/bulk-upload-cert", {"certifications": good[:2] + [bad] + good[2:]}, AB)
        self.assertEqual(r.status, 400)
        e = r.json["data"]["errors"]
        self.assertEqual(e["record_index"], 2)
        self.assertEqual(e["errors"][0]["meta"], {"certification_body_identity_number": "NOPE"})
        numbers = {c["certification_number"]
                   for c in self.req("GET", f"{V1}/ab/cert?limit=100", headers=AB).json["data"]}
        self.assertFalse(numbers & {g["certificate_number"] for g in good})
        r = self.req("POST", f"{V1}/ab/bulk-upload-cert", {"certifications": good}, AB)
        self.assertEqual(r.json, {"data": {"success": True}})

    def test_ab_has_no_entity_rename_endpoints(self):
        r = self.req("PUT", f"{V1}/ab/ce-name-by-guid", {"company_guid": "x", "company_name": "y"}, AB)
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json["errors"]["code"], "not_found")


class CertificationBodies(ServerTest):
    PROVISION = PROVISION

    def test_upload_cb_creates_then_updates_by_identity_number(self):
        identity = f"ID-{uuid.uuid4().hex[:8]}"
        body = new_cb(identity, certification_body_acronym="UPL", description="A body.",
                      website="https://example.org", public_email_address="info@example.org",
                      public_phone_number="+44 1", public_fax_number="+44 2",
                      office_directories=[{"office_type": "HQ", "country": "United Kingdom",
                                           "street": "1 Road", "state": "", "city": "London",
                                           "zip_code": "E1"}],
                      certification_body_countries=[{"country": "United Kingdom"}, {"country": "France"}],
                      standard_and_schemes=[{"standard_code": "ISO 9001", "issue_date": "20200101",
                                             "first_issue_date": "20100101", "expiry_date": "20300101",
                                             "scheme_name": "QMS", "scope_type": "full",
                                             "standard_status": "active"}],
                      technical_sectors=[{"sector_title": "Construction", "scheme_name": "QMS",
                                          "sector_code": "28"}])
        r = self.req("POST", f"{V1}/ab/upload-cb", body, AB)
        self.assertEqual(r.status, 200, r)
        cb_id = r.json["data"]["certification_bodies_id"]
        g = self.req("GET", f"{V1}/ab/cb/{cb_id}", headers=AB).json["data"]
        self.assertEqual(g["certification_bodies_guid_in_ab"], identity)
        self.assertEqual(g["certification_bodies_name"], "Uploaded CB")
        self.assertEqual(g["certification_bodies_acronym"], "UPL")
        self.assertEqual(g["certification_bodies_website"], "https://example.org")
        self.assertEqual(g["certification_bodies_email"], "info@example.org")
        self.assertEqual(g["certification_bodies_accreditation_status"], "active")
        self.assertIsNone(g["withdrawn_at"])
        self.assertEqual(g["office_directories"][0]["city"], "London")
        self.assertIsNone(g["office_directories"][0]["state"])
        self.assertEqual([c["country"] for c in g["certification_body_countries"]],
                         ["United Kingdom", "France"])
        self.assertEqual(g["standard_and_schemes"][0]["first_issue_date"], "20100101")
        self.assertEqual(g["technical_sectors"][0]["sector_code"], "28")
        again = self.req("POST", f"{V1}/ab/upload-cb", new_cb(identity, certification_body_name="Renamed"), AB)
        self.assertEqual(again.json["data"]["certification_bodies_id"], cb_id)
        g2 = self.req("GET", f"{V1}/ab/cb/{cb_id}", headers=AB).json["data"]
        self.assertEqual(g2["certification_bodies_name"], "Renamed")
        self.assertEqual(g2["certification_bodies_acronym"], "UPL")  # not sent: unchanged

    def test_upload_cb_validation(self):
        r = self.req("POST", f"{V1}/ab/upload-cb", {}, AB)
        self.assertEqual(r.status, 400)
        self.assertEqual(set(r.json["errors"]["message"]),
                         {"certification_body_identity_number", "certification_body_name", "country",
                          "accreditation_status"})
        cases = {
            "accreditation_status": {"accreditation_status": "revoked"},
            "website": {"website": "example.org"},
            "public_email_address": {"public_email_address": "not-an-email"},
            "office_directories.0.country": {"office_directories": [{"city": "London"}]},
            "standard_and_schemes.0.issue_date": {"standard_and_schemes": [
                {"standard_code": "X", "issue_date": "2020-01-01"}]},
            "technical_sectors": {"technical_sectors": "Construction"},
            "description": {"description": "word " * 201},
        }
        for field, extra in cases.items():
            r = self.req("POST", f"{V1}/ab/upload-cb", new_cb(**extra), AB)
            self.assertEqual(r.status, 400, field)
            self.assertIn(field, r.json["errors"]["message"], field)

    def test_list_shows_only_this_abs_cbs(self):
        self.req("POST", f"{V1}/ab/upload-cb", new_cb(), AB)
        ukas = self.req("GET", f"{V1}/ab/cb?limit=100", headers=AB).json
        ids = [c["certification_bodies_id"] for c in ukas["data"]]
        self.assertIn("bsi", ids)
        self.assertIn("lrqa", ids)
        self.assertNotIn("tuv", ids)
        self.assertEqual(ukas["meta"]["total_rows"], len(ids))
        self.assertEqual(set(ukas["meta"]), {"total_pages", "total_rows", "order", "order_by",
                                             "limit", "offset", "next_key"})
        dakks = self.req("GET", f"{V1}/ab/cb", headers=AB2).json
        self.assertEqual([c["certification_bodies_id"] for c in dakks["data"]], ["tuv"])
        page = self.req("GET", f"{V1}/ab/cb?limit=1&offset=1", headers=AB).json
        self.assertEqual(page["data"][0]["certification_bodies_id"], ids[1])
        self.assertEqual(self.req("GET", f"{V1}/ab/cb?limit=101", headers=AB).status, 400)

    def test_another_abs_cb_is_not_found(self):
        for path in [f"{V1}/ab/cb/tuv", f"{V1}/ab/cb/no-such-cb"]:
            r = self.req("GET", path, headers=AB)
            self.assertEqual(r.status, 404)
            self.assertEqual(r.json["errors"]["code"], "not_found")
        r = self.req("PUT", f"{V1}/ab/cb", {"certification_bodies_id": "tuv", "country": "X"}, AB)
        self.assertEqual(r.status, 404)
        r = self.req("PUT", f"{V1}/ab/cb/update-accreditation-status",
                     {"certification_bodies_id": "tuv", "accreditation_status": "withdrawn"}, AB)
        self.assertEqual(r.status, 404)
        self.assertEqual(self.req("GET", f"{V1}/ab/cb/tuv", headers=AB2).json["data"]
                         ["certification_bodies_accreditation_status"], "active")

    def test_put_cb_is_a_partial_update(self):
        cb_id = self.req("POST", f"{V1}/ab/upload-cb",
                         new_cb(certification_body_acronym="ACR", country="France"), AB
                         ).json["data"]["certification_bodies_id"]
        r = self.req("PUT", f"{V1}/ab/cb", {"certification_bodies_id": cb_id,
                                            "certification_body_name": "New name"}, AB)
        self.assertEqual(r.status, 200, r)
        d = r.json["data"]
        self.assertEqual(d["certification_bodies_name"], "New name")
        self.assertEqual(d["certification_bodies_acronym"], "ACR")
        self.assertEqual(d["country_name"], "France")
        r = self.req("PUT", f"{V1}/ab/cb", {"certification_body_name": "x"}, AB)
        self.assertEqual(r.status, 400)
        self.assertIn("certification_bodies_id", r.json["errors"]["message"])
        r = self.req("PUT", f"{V1}/ab/cb", {"certification_bodies_id": cb_id,
                                            "certification_body_identity_number": "CB-0001"}, AB)
        self.assertEqual(r.status, 400)
        self.assertIn("certification_body_identity_number", r.json["errors"]["message"])

    def test_accreditation_status_values_and_withdrawn_at(self):
        identity = f"ID-{uuid.uuid4().hex[:8]}"
        cb_id = self.req("POST", f"{V1}/ab/upload-cb", new_cb(identity), AB).json["data"]["certification_bodies_id"]
        path = f"{V1}/ab/cb/update-accreditation-status"
        for value, expected in [("Suspended", "suspended"), ("SUSPENDED", "suspended"),
                                ("Active (valid)", "active"), ("valid", "active"),
                                ("Withdrawn (expired)", "withdrawn")]:
            r = self.req("PUT", path, {"certification_bodies_id": cb_id, "accreditation_status": value}, AB)
            self.assertEqual(r.status, 200, value)
            self.assertEqual(r.json["data"]["certification_bodies_accreditation_status"], expected)
        withdrawn_at = r.json["data"]["withdrawn_at"]
        self.assertAlmostEqual(withdrawn_at, time.time(), delta=30)
        # Withdrawing again keeps the first date; by identity number works too.
        r = self.req("PUT", path, {"certification_bodies_guid_in_ab": identity,
                                   "accreditation_status": "expired"}, AB)
        self.assertEqual(r.json["data"]["withdrawn_at"], withdrawn_at)
        r = self.req("PUT", path, {"certification_bodies_guid_in_ab": identity,
                                   "accreditation_status": "active"}, AB)
        self.assertIsNone(r.json["data"]["withdrawn_at"])
        r = self.req("PUT", path, {"certification_bodies_id": cb_id, "accreditation_status": "gone"}, AB)
        self.assertEqual(r.status, 400)
        self.assertIn("accreditation_status", r.json["errors"]["message"])
        r = self.req("PUT", path, {"accreditation_status": "active"}, AB)
        self.assertEqual(r.status, 400)
        self.assertIn("certification_bodies_id", r.json["errors"]["message"])

    def test_only_abs_manage_cbs(self):
        r = self.req("POST", f"{V1}/ab/upload-cb", new_cb(), BSI)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json["errors"]["code"], "forbidden")


class WithdrawnCb(ServerTest):
    PROVISION = PROVISION
    STATUS = f"{V1}/ab/cb/update-accreditation-status"

    def set_status(self, cb, status):
        r = self.req("PUT", self.STATUS, {"certification_bodies_id": cb, "accreditation_status": status}, AB)
        self.assertEqual(r.status, 200, r)

    def test_withdrawn_cb_cannot_write_suspended_can(self):
        before = self.req("POST", f"{V1}/cb/upload-cert", cb_cert(), LRQA)
        self.assertEqual(before.status, 200)
        cid = before.json["company_certifications_id"]
        try:
            self.set_status("lrqa", "suspended")
            self.assertEqual(self.req("POST", f"{V1}/cb/upload-cert", cb_cert(), LRQA).status, 200)
            self.set_status("lrqa", "withdrawn")
            for method, path, body in [("POST", f"{V1}/cb/upload-cert", cb_cert()),
                                       ("POST", f"{V1}/cb/bulk-upload-cert", {"certifications": [cb_cert()]}),
                                       ("DELETE", f"{V1}/cb/cert/{cid}", None),
                                       ("PUT", f"{V1}/cb/ce-name-by-guid", {"company_guid": "x", "company_name": "y"})]:
                r = self.req(method, path, body, LRQA)
                self.assertEqual(r.status, 403, path)
                self.assertEqual(r.json["errors"]["code"], "forbidden")
            # The data is kept and still readable by the CB.
            g = self.req("GET", f"{V1}/cb/cert/{cid}", headers=LRQA)
            self.assertEqual(g.status, 200)
            self.assertEqual(g.json["data"]["certification_bodies_accreditation_status"], "withdrawn")
            self.assertIsNotNone(g.json["data"]["withdrawn_at"])
            # An MNCB may not upload for it either; for another of its CBs it may.
            r = self.req("POST", f"{V1}/mncb/upload-cert", mncb_cert(cb="LRQA"), SGS)
            self.assertEqual(r.status, 400)
            self.assertIn("certification_body_name", r.json["errors"]["message"])
            self.assertEqual(self.req("POST", f"{V1}/mncb/upload-cert", mncb_cert(cb="BSI"), SGS).status, 200)
        finally:
            self.set_status("lrqa", "active")
        self.assertEqual(self.req("POST", f"{V1}/cb/upload-cert", cb_cert(), LRQA).status, 200)


class UploadedCbCredentials(ServerTest):
    PROVISION = PROVISION

    @classmethod
    def setUpClass(cls):
        from harness import Server
        cls.server = Server(provision=cls.PROVISION, env={"CERTREG_ADMIN_TOKEN": "adm"}).start()

    def test_provisioning_attaches_keys_to_a_cb_by_identity_number(self):
        identity = f"ID-{uuid.uuid4().hex[:8]}"
        cb_id = self.req("POST", f"{V1}/ab/upload-cb",
                         new_cb(identity, certification_body_name="Fresh CB"), AB
                         ).json["data"]["certification_bodies_id"]
        doc = {"certification_bodies": [{"accreditation_body": "ukas", "identity_number": identity,
                                         "api_keys": ["cb-fresh-key"]}]}
        r = self.req("POST", "/admin/v1/provision", doc, {"Authorization": "Bearer adm"})
        self.assertEqual(r.status, 200, r)
        key = {"x-http-authorization": "cb-fresh-key"}
        up = self.req("POST", f"{V1}/cb/upload-cert", cb_cert(), key)
        self.assertEqual(up.status, 200, up)
        g = self.req("GET", f"{V1}/cb/cert/{up.json['company_certifications_id']}", headers=key)
        self.assertEqual(g.json["data"]["certification_bodies_id"], cb_id)
        self.assertEqual(g.json["data"]["certification_bodies_name"], "Fresh CB")
        # The AB's name for it survives provisioning that only attaches keys.
        self.assertEqual(self.req("GET", f"{V1}/ab/cb/{cb_id}", headers=AB).json["data"]
                         ["certification_bodies_name"], "Fresh CB")


class DataPriority(ServerTest):
    PROVISION = PROVISION

    def upload(self, role, number, **extra):
        path, key, body = {
            "cb": (f"{V1}/cb/upload-cert", BSI, cb_cert),
            "ab": (f"{V1}/ab/upload-cert", AB, ab_cert),
            "mncb": (f"{V1}/mncb/upload-cert", SGS, mncb_cert),
        }[role]
        r = self.req("POST", path, body(number, **extra), key)
        self.assertEqual(r.status, 200, r)
        data = r.json["data"] if role == "ab" else r.json
        return data

    def get(self, role, cid):
        key = {"cb": BSI, "ab": AB, "mncb": SGS}[role]
        r = self.req("GET", f"{V1}/{role}/cert/{cid}", headers=key)
        self.assertEqual(r.status, 200)
        return r.json["data"]

    def test_cb_version_is_primary_over_the_abs_either_order(self):
        n = f"P-{uuid.uuid4()}"
        cb = self.upload("cb", n)
        self.assertTrue(cb["is_primary"])
        ab = self.upload("ab", n, certification_scope="AB's scope")
        self.assertFalse(ab["is_primary"])
        self.assertEqual(ab["primary_contributor"], "cb")
        self.assertNotEqual(ab["company_certifications_id"], cb["company_certifications_id"])
        self.assertTrue(self.get("cb", cb["company_certifications_id"])["is_primary"])
        other = self.get("ab", ab["company_certifications_id"])
        self.assertFalse(other["is_primary"])
        self.assertEqual(other["primary_contributor"], "cb")
        self.assertEqual(other["scope_description"], "AB's scope")

        m = f"P-{uuid.uuid4()}"
        ab = self.upload("ab", m)
        self.assertTrue(ab["is_primary"])
        cb = self.upload("cb", m)
        self.assertTrue(cb["is_primary"])
        self.assertFalse(self.get("ab", ab["company_certifications_id"])["is_primary"])

    def test_between_cb_and_mncb_the_first_upload_wins(self):
        n = f"P-{uuid.uuid4()}"
        mncb = self.upload("mncb", n)
        self.assertTrue(mncb["is_primary"])
        cb = self.upload("cb", n)
        self.assertFalse(cb["is_primary"])
        self.assertEqual(cb["primary_contributor"], "mncb")
        m = f"P-{uuid.uuid4()}"
        self.assertTrue(self.upload("cb", m)["is_primary"])
        mncb = self.upload("mncb", m)
        self.assertFalse(mncb["is_primary"])
        self.assertEqual(mncb["primary_contributor"], "cb")

    def test_same_identity_number_is_the_same_certification(self):
        identity = f"IDN-{uuid.uuid4()}"
        cb = self.upload("cb", "NUM-1", certificate_identity_number=identity)
        ab = self.upload("ab", "NUM-1-different", certificate_identity_number=identity)
        self.assertTrue(cb["is_primary"])
        self.assertFalse(ab["is_primary"])

    def test_others_cannot_change_the_primary_version(self):
        n = f"P-{uuid.uuid4()}"
        cb = self.upload("cb", n, certification_status="active")
        self.upload("ab", n, certification_status="withdrawn")
        self.upload("mncb", n, certification_status="suspended")
        primary = self.get("cb", cb["company_certifications_id"])
        self.assertEqual(primary["status"], "active")
        self.assertTrue(primary["is_primary"])
        # Nor delete it: another contributor's id is not found for them.
        r = self.req("DELETE", f"{V1}/ab/cert/{cb['company_certifications_id']}", headers=AB)
        self.assertEqual(r.status, 404)
        self.assertEqual(self.get("cb", cb["company_certifications_id"])["status"], "active")

    def test_when_the_primary_is_deleted_the_next_version_becomes_primary(self):
        n = f"P-{uuid.uuid4()}"
        cb = self.upload("cb", n)
        ab = self.upload("ab", n)
        mncb = self.upload("mncb", n)
        self.assertEqual(self.req("DELETE", f"{V1}/cb/cert/{cb['company_certifications_id']}",
                                  headers=BSI).status, 200)
        self.assertTrue(self.get("mncb", mncb["company_certifications_id"])["is_primary"])
        self.assertFalse(self.get("ab", ab["company_certifications_id"])["is_primary"])
        # Deleting the entity of the MNCB's version hands priority to the AB's.
        company = self.get("mncb", mncb["company_certifications_id"])["company_id"]
        self.assertEqual(self.req("DELETE", f"{V1}/mncb/ce/{company}", headers=SGS).status, 200)
        self.assertTrue(self.get("ab", ab["company_certifications_id"])["is_primary"])


class TwoAbTenancy(ServerTest):
    PROVISION = PROVISION

    def test_an_ab_reaches_nothing_of_another_ab(self):
        cid = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(), AB).json["data"]["company_certifications_id"]
        self.assertEqual(self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB2).status, 404)
        self.assertEqual(self.req("DELETE", f"{V1}/ab/cert/{cid}", headers=AB2).status, 404)
        listing = self.req("GET", f"{V1}/ab/cert?limit=100", headers=AB2).json["data"]
        self.assertNotIn(cid, [c["company_certifications_id"] for c in listing])
        # DAkkS cannot upload for a UKAS CB, by its identity number.
        r = self.req("POST", f"{V1}/ab/upload-cert", ab_cert(identity="CB-0001"), AB2)
        self.assertEqual(r.status, 400)
        # ... and UKAS's data is untouched.
        self.assertEqual(self.req("GET", f"{V1}/ab/cert/{cid}", headers=AB).status, 200)

    def test_upload_cb_with_an_identity_number_another_ab_uses_makes_its_own_cb(self):
        r = self.req("POST", f"{V1}/ab/upload-cb", new_cb("CB-0001", certification_body_name="DAkkS's own"), AB2)
        self.assertEqual(r.status, 200)
        self.assertNotEqual(r.json["data"]["certification_bodies_id"], "bsi")
        bsi = self.req("GET", f"{V1}/ab/cb/bsi", headers=AB).json["data"]
        self.assertEqual(bsi["certification_bodies_name"], "BSI Assurance UK Ltd")


if __name__ == "__main__":
    main()
