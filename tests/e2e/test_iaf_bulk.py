"""IAF CertSearch bulk-upload-cert for CB and MNCB (docs/iaf.md, "Bulk upload")."""

import json

from harness import main
from iaf_fixtures import (OMIT, IafTest, cb_body, mncb_body, send_large, split_response, uid)

MIB = 1024 * 1024


class BulkSuccess(IafTest):
    def test_bulk_stores_every_record(self):
        records = [cb_body() for _ in range(5)]
        records[1]["certification_status"] = "Suspended"
        records[2]["sites"] = []
        records[3]["certificate_identity_number"] = "ID-" + uid()
        r = self.bulk_raw("bsi", records)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": {"success": True}})
        stored = {c["certification_number"]: c for c in self.all_certs("bsi")}
        for rec in records:
            c = stored[rec["certificate_number"]]
            self.assertEqual(c["company_name"], rec["certified_entity_name"])
            self.assertEqual(c["certified_entity_unique_id"], rec["certified_entity_unique_id"])
            self.assertEqual(c["schemes"], rec["schemes"])
            self.assertEqual(c["sites"], rec["sites"])
            self.assertEqual(c["certification_bodies_id"], "bsi")
            self.assertEqual(c["accreditation_bodies_id"], "ukas")
            # and the record is readable by its id
            self.assertEqual(self.get_cert("bsi", c["company_certifications_id"]), c)
        self.assertEqual(stored[records[1]["certificate_number"]]["status"], "suspended")
        self.assertEqual(stored[records[3]["certificate_number"]]["certificate_identity_number"],
                         records[3]["certificate_identity_number"])

    def test_mncb_bulk_for_several_cbs(self):
        records = [mncb_body("bsi"), mncb_body("tuv"), mncb_body("bsi-de")]
        self.bulk("sgs", records)
        stored = {c["certification_number"]: c for c in self.all_certs("sgs")}
        for rec, cb, ab in zip(records, ("bsi", "tuv", "bsi-de"), ("ukas", "dakks", "dakks")):
            self.assertEqual(stored[rec["certificate_number"]]["certification_bodies_id"], cb)
            self.assertEqual(stored[rec["certificate_number"]]["accreditation_bodies_id"], ab)

    def test_exactly_100_records(self):
        records = [cb_body("lrqa") for _ in range(100)]
        self.bulk("lrqa", records)
        numbers = self.numbers_of("lrqa")
        for rec in records:
            self.assertIn(rec["certificate_number"], numbers)

    def test_bulk_upserts_existing_records(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        self.bulk("bsi", [dict(body, certification_status="withdrawn"), cb_body()])
        self.assertEqual(self.get_cert("bsi", cid)["status"], "withdrawn")
        self.assertEqual(len(self.find_by_number("bsi", body["certificate_number"])), 1)

    def test_same_certificate_twice_in_one_batch_last_wins(self):
        body = cb_body()
        self.bulk("bsi", [body, dict(body, certification_status="expired",
                                     certification_type="Product")])
        found = self.find_by_number("bsi", body["certificate_number"])
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["status"], "expired")
        self.assertEqual(found[0]["type"], "Product")

    def test_same_unique_id_twice_with_different_names(self):
        first = cb_body(certified_entity_name="First Name " + uid())
        second = cb_body(certified_entity_unique_id=first["certified_entity_unique_id"],
                         certified_entity_name="Last Name " + uid())
        self.bulk("bsi", [first, second])
        a = self.find_by_number("bsi", first["certificate_number"])[0]
        b = self.find_by_number("bsi", second["certificate_number"])[0]
        self.assertEqual(a["company_id"], b["company_id"])
        for c in (a, b):
            self.assertEqual(c["company_name"], second["certified_entity_name"])
            self.assertEqual(c["company_former_names"], [first["certified_entity_name"]])


class BulkShape(IafTest):
    def test_more_than_100_records(self):
        records = [cb_body("tuv") for _ in range(101)]
        r = self.bulk_raw("tuv", records)
        msgs = self.assert_validation(r, "certifications", exact=True)
        self.assertIn("100", msgs["certifications"])
        numbers = self.numbers_of("tuv")
        self.assertFalse(any(rec["certificate_number"] in numbers for rec in records))

    def test_empty_list(self):
        r = self.bulk_raw("bsi", [])
        msgs = self.assert_validation(r, "certifications", exact=True)
        self.assertIn("certifications", msgs["certifications"])

    def test_missing_key(self):
        for body in ({}, {"certification": [cb_body()]}, {"certifications": None}):
            with self.subTest(body=body):
                r = self.call("POST", "bsi", "bulk-upload-cert", body=body)
                self.assert_validation(r, "certifications", exact=True)

    def test_not_an_array(self):
        for value in (cb_body(), "x", 1, True):
            with self.subTest(value=value):
                r = self.call("POST", "bsi", "bulk-upload-cert", body={"certifications": value})
                msgs = self.assert_validation(r, "certifications", exact=True)
                self.assertIn("certifications", msgs["certifications"])

    def test_body_not_an_object_or_not_json(self):
        for raw in (b"[]", b'"x"', b"", b"{bad", json.dumps([cb_body()]).encode()):
            with self.subTest(raw=raw[:20]):
                r = self.call("POST", "bsi", "bulk-upload-cert", raw=raw)
                self.assert_validation(r, "body", exact=True)

    def test_non_json_content_type(self):
        r = self.call("POST", "bsi", "bulk-upload-cert",
                      raw=json.dumps({"certifications": [cb_body()]}).encode(),
                      headers={"Content-Type": "text/plain"})
        self.assert_validation(r, "content_type", exact=True)

    def test_unauthenticated(self):
        r = self.req("POST", "/api/client/v1/cb/bulk-upload-cert",
                     body={"certifications": [cb_body()]})
        self.assert_unauthorized(r)


class BulkAllOrNothing(IafTest):
    def _assert_record_error(self, r, index):
        """The documented per-record shape; returns {field: (message, meta value)}."""
        self.assertEqual(r.status, 400, r)
        j = r.json
        self.assertEqual(set(j), {"data"}, j)
        self.assertEqual(set(j["data"]), {"errors"}, j)
        errs = j["data"]["errors"]
        self.assertIsInstance(errs, dict)
        self.assertEqual(set(errs), {"record_index", "errors"}, errs)
        self.assertEqual(errs["record_index"], index)
        self.assertIsInstance(errs["errors"], list)
        self.assertTrue(errs["errors"])
        out = {}
        for e in errs["errors"]:
            self.assertEqual(set(e), {"message", "code", "meta"}, e)
            self.assertEqual(e["code"], "validation_error")
            self.assertIsInstance(e["message"], str)
            self.assertIsInstance(e["meta"], dict)
            self.assertEqual(len(e["meta"]), 1, e)
            (field, value), = e["meta"].items()
            self.assertIn(field, e["message"])
            out[field] = (e["message"], value)
        return out

    def test_bad_record_in_the_middle_writes_nothing(self):
        existing = cb_body()
        cid = self.upload("bsi", existing)
        records = [cb_body(), dict(existing, certification_status="cancelled"), cb_body(),
                   cb_body(certification_status="nope", certification_issue_date="20231301",
                           certificate_number=OMIT),
                   cb_body(),
                   cb_body(certification_type=OMIT)]  # a second bad record: not reported
        before = self.all_certs("bsi")
        r = self.bulk_raw("bsi", records)
        errors = self._assert_record_error(r, 3)
        self.assertEqual(set(errors), {"certification_status", "certification_issue_date",
                                       "certificate_number"})
        self.assertEqual(errors["certification_status"][1], "nope")
        self.assertEqual(errors["certification_issue_date"][1], "20231301")
        self.assertIsNone(errors["certificate_number"][1])
        # Nothing written: no new record, and the update in the batch did not happen.
        self.assertEqual(self.all_certs("bsi"), before)
        self.assertEqual(self.get_cert("bsi", cid)["status"], "active")

    def test_first_record_failing(self):
        records = [cb_body(confidential_certified_entity="boolean"), cb_body()]
        errors = self._assert_record_error(self.bulk_raw("bsi", records), 0)
        self.assertEqual(errors["confidential_certified_entity"][1], "boolean")
        self.assertNotIn(records[1]["certificate_number"], self.numbers_of("bsi"))

    def test_meta_holds_the_value_as_sent(self):
        records = [cb_body(),
                   cb_body(certificate_number=12345, schemes=[],
                           certified_entity_unique_id="x" * 46,
                           certificate_accreditation_status="Maybe")]
        errors = self._assert_record_error(self.bulk_raw("bsi", records), 1)
        self.assertEqual(errors["certificate_number"][1], 12345)
        self.assertEqual(errors["schemes"][1], [])
        self.assertEqual(errors["certified_entity_unique_id"][1], "x" * 46)
        self.assertEqual(errors["certificate_accreditation_status"][1], "Maybe")

    def test_nested_field_errors(self):
        records = [cb_body(), cb_body(),
                   cb_body(schemes=[{"scheme_name": "A"}, {}], sites=[{"city": 7}])]
        errors = self._assert_record_error(self.bulk_raw("bsi", records), 2)
        self.assertEqual(set(errors), {"schemes.1.scheme_name", "sites.0.city"})
        self.assertIsNone(errors["schemes.1.scheme_name"][1])
        self.assertEqual(errors["sites.0.city"][1], 7)

    def test_record_failing_issuer_check(self):
        bad = cb_body(accreditation_body_name="Deutsche Akkreditierungsstelle GmbH",
                      accreditation_body_acronym_name="DAkkS")
        records = [cb_body(), bad, cb_body()]
        errors = self._assert_record_error(self.bulk_raw("bsi", records), 1)
        self.assertEqual(set(errors), {"accreditation_body_name"})
        self.assertEqual(errors["accreditation_body_name"][1],
                         "Deutsche Akkreditierungsstelle GmbH")
        numbers = self.numbers_of("bsi")
        self.assertFalse(any(rec["certificate_number"] in numbers for rec in records))

    def test_mncb_record_naming_unlinked_cb(self):
        records = [mncb_body("bsi"), mncb_body("tuv"), mncb_body("lrqa")]
        errors = self._assert_record_error(self.bulk_raw("sgs", records), 2)
        self.assertEqual(set(errors), {"certification_body_name"})
        self.assertEqual(errors["certification_body_name"][1], "LRQA Limited")
        numbers = self.numbers_of("sgs")
        self.assertFalse(any(rec["certificate_number"] in numbers for rec in records))

    def test_record_not_an_object(self):
        records = [cb_body(), "not a record"]
        r = self.bulk_raw("bsi", records)
        self._assert_record_error(r, 1)
        self.assertNotIn(records[0]["certificate_number"], self.numbers_of("bsi"))


class BulkMaxOption(IafTest):
    ARGS = ("--iaf-bulk-max", "3")

    def test_configured_maximum(self):
        self.bulk("bsi", [cb_body() for _ in range(3)])
        records = [cb_body() for _ in range(4)]
        r = self.bulk_raw("bsi", records)
        msgs = self.assert_validation(r, "certifications", exact=True)
        self.assertIn("3", msgs["certifications"])
        numbers = self.numbers_of("bsi")
        self.assertFalse(any(rec["certificate_number"] in numbers for rec in records))


class BulkBodyLimit(IafTest):
    def _head(self, length, who_key="cb-bsi-key", route="bulk-upload-cert"):
        return (f"POST /api/client/v1/cb/{route} HTTP/1.1\r\nHost: x\r\n"
                f"Content-Type: application/json\r\nx-http-authorization: {who_key}\r\n"
                f"Content-Length: {length}\r\nConnection: close\r\n\r\n").encode()

    def test_body_just_over_16_mib_is_413_in_iaf_envelope(self):
        record = json.dumps({"certifications": [cb_body()]}).encode()
        start, end = record[:-1] + b', "pad": "', b'"}'
        body = start + b"a" * (16 * MIB + 1 - len(start) - len(end)) + end  # valid JSON
        self.assertEqual(len(body), 16 * MIB + 1)
        raw = send_large(self.server.port, self._head(len(body)), body)
        status, headers, payload = split_response(raw)
        self.assertEqual(status, 413, raw[:300])
        j = json.loads(payload)
        self.assertIs(j["error"], True)
        self.assertEqual(j["errors"]["code"], "payload_too_large")
        self.assertIsInstance(j["timestamp"], int)
        self.assertIsInstance(j["elapse"], (int, float))
        self.assertNotIn(json.loads(record)["certifications"][0]["certificate_number"],
                         self.numbers_of("bsi"))

    def test_chunked_body_over_16_mib_is_413(self):
        head = (b"POST /api/client/v1/cb/bulk-upload-cert HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nx-http-authorization: cb-bsi-key\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        chunk = b"a" * MIB
        body = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(17)) + \
            b"0\r\n\r\n"
        status, _, payload = split_response(send_large(self.server.port, head, body))
        self.assertEqual(status, 413)
        j = json.loads(payload)
        self.assertIs(j["error"], True)
        self.assertEqual(j["errors"]["code"], "payload_too_large")

    def test_body_exactly_16_mib_is_accepted(self):
        rec = cb_body()
        start = json.dumps({"certifications": [rec]}).encode()[:-1] + b', "pad": "'
        end = b'"}'
        body = start + b"a" * (16 * MIB - len(start) - len(end)) + end
        self.assertEqual(len(body), 16 * MIB)
        raw = send_large(self.server.port, self._head(len(body)), body)
        status, _, payload = split_response(raw)
        self.assertEqual(status, 200, raw[:300])
        self.assertEqual(json.loads(payload), {"data": {"success": True}})
        self.assertIn(rec["certificate_number"], self.numbers_of("bsi"))

    def test_two_mib_bulk_is_accepted_although_upload_cert_is_1_mib(self):
        rec = cb_body(certification_scope="s" * 15000)
        records = [dict(rec, certificate_number="BIG-" + uid()) for _ in range(100)]
        body = json.dumps({"certifications": records}).encode()
        self.assertGreater(len(body), 1 * MIB)
        r = self.call("POST", "bsi", "bulk-upload-cert", raw=body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": {"success": True}})


if __name__ == "__main__":
    main()
