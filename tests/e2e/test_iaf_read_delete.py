"""IAF CertSearch retrieve, list, delete and certified-entity endpoints (docs/iaf.md)."""

import time

from harness import main
from iaf_fixtures import (CERT_FIELDS, DATE_RE, ENTITY_FIELDS, SITE_FIELDS, IafTest, cb_body,
                          minimal_cb_body, mncb_body, uid)


class GetCertification(IafTest):
    def test_every_documented_field_with_its_type(self):
        t0 = int(time.time())
        body = cb_body(certificate_identity_number="ID-" + uid(),
                       confidential_certified_entity=True)
        cid = self.upload("bsi", body)
        c = self.get_cert("bsi", cid)
        self.assertTrue(CERT_FIELDS <= set(c), CERT_FIELDS - set(c))
        # documented as not returned
        for absent in ("model_number", "standards_id", "scheme_id"):
            self.assertNotIn(absent, c)
        strings = ["company_certifications_id", "company_id", "company_name",
                   "company_english_name", "company_trading_name", "certified_entity_unique_id",
                   "company_street", "company_city", "company_state", "company_postcode",
                   "company_country", "company_website", "certification_number",
                   "certificate_identity_number", "status", "type", "scope_description",
                   "issue_date", "expiry_date", "original_issue_date", "accreditation_status",
                   "certification_bodies_id", "certification_bodies_name",
                   "certification_bodies_accreditation_status", "accreditation_bodies_id",
                   "accreditation_bodies_name"]
        for f in strings:
            self.assertIsInstance(c[f], str, f)
        for f in ("issue_date", "expiry_date", "original_issue_date"):
            self.assertRegex(c[f], DATE_RE)
        self.assertEqual((c["issue_date"], c["expiry_date"], c["original_issue_date"]),
                         ("20230101", "20260101", "20170203"))
        self.assertIs(c["is_confidential"], True)
        self.assertIsInstance(c["company_former_names"], list)
        self.assertIsNone(c["withdrawn_at"])
        self.assertEqual(c["certification_bodies_accreditation_status"], "active")
        for f in ("created_at", "updated_at"):
            self.assertIsInstance(c[f], int, f)
            self.assertNotIsInstance(c[f], bool)
            self.assertGreaterEqual(c[f], t0 - 1)
            self.assertLessEqual(c[f], time.time() + 1)
        self.assertIsInstance(c["schemes"], list)
        for s in c["schemes"]:
            self.assertEqual(set(s), {"scheme_name", "standard_list"})
            for st in s["standard_list"]:
                self.assertEqual(set(st), {"standards_name"})
        self.assertIsInstance(c["sites"], list)
        for s in c["sites"]:
            self.assertEqual(set(s), SITE_FIELDS)
        self.assertEqual(c["company_certifications_id"], cid)
        self.assertEqual(c["certificate_identity_number"], body["certificate_identity_number"])
        self.assertEqual((c["contributor"], c["is_primary"], c["primary_contributor"]),
                         ("cb", True, "cb"))

    def test_minimal_record_nulls(self):
        c = self.get_cert("bsi", self.upload("bsi", minimal_cb_body()))
        self.assertTrue(CERT_FIELDS <= set(c))
        for f in ("company_english_name", "company_trading_name", "company_street",
                  "company_city", "company_state", "company_postcode", "company_website",
                  "certificate_identity_number", "scope_description", "original_issue_date"):
            self.assertIsNone(c[f], f)
        self.assertEqual(c["sites"], [])
        self.assertEqual(c["company_former_names"], [])

    def test_mncb_get(self):
        cid = self.upload("sgs", mncb_body("tuv"))
        c = self.get_cert("sgs", cid)
        self.assertTrue(CERT_FIELDS <= set(c))
        self.assertEqual(c["certification_bodies_name"], "TÜV SÜD Management Service GmbH")
        self.assertEqual(c["accreditation_bodies_name"], "Deutsche Akkreditierungsstelle GmbH")

    def test_update_does_not_reorder_the_list(self):
        bodies = [cb_body("tuv") for _ in range(3)]
        for b in bodies:
            self.upload("tuv", b)
        self.upload("tuv", dict(bodies[0], certification_status="expired"))
        r = self.list_page("tuv")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([c["certification_number"] for c in r.json["data"]],
                         [b["certificate_number"] for b in reversed(bodies)])
        self.assertEqual(r.json["data"][2]["status"], "expired")

    def test_unknown_id_is_404_with_documented_message(self):
        for cid in ("does-not-exist", "00000000-0000-0000-0000-000000000000", "%20", "1"):
            with self.subTest(cid=cid):
                self.assert_not_found(self.call("GET", "bsi", f"cert/{cid}"))
                self.assert_not_found(self.call("GET", "sgs", f"cert/{cid}"))


class ListCertifications(IafTest):
    """A fresh server: lrqa uploads exactly 45 certifications, newest last."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uploaded = []  # in upload order
        records = [cb_body("lrqa") for _ in range(43)]
        r = cls.server.request("POST", "/api/client/v1/cb/bulk-upload-cert",
                               body={"certifications": records},
                               headers={"x-http-authorization": "cb-lrqa-key"})
        assert r.status == 200, r
        cls.uploaded += [x["certificate_number"] for x in records]
        for _ in range(2):
            b = cb_body("lrqa")
            r = cls.server.request("POST", "/api/client/v1/cb/upload-cert", body=b,
                                   headers={"x-http-authorization": "cb-lrqa-key"})
            assert r.status == 200, r
            cls.uploaded.append(b["certificate_number"])
        cls.newest_first = list(reversed(cls.uploaded))

    def meta(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"data", "meta"})
        return r.json["meta"]

    def test_default_page(self):
        r = self.list_page("lrqa")
        self.assertEqual(self.meta(r), {"total_pages": 3, "total_rows": 45, "order": "DESC",
                                        "order_by": "created_at", "limit": 20, "offset": 0,
                                        "next_key": ""})
        data = r.json["data"]
        self.assertEqual(len(data), 20)
        self.assertEqual([c["certification_number"] for c in data], self.newest_first[:20])
        for c in data:
            self.assertTrue(CERT_FIELDS <= set(c))

    def test_offset_is_a_page_index(self):
        r = self.list_page("lrqa", offset=1)
        self.assertEqual(self.meta(r)["offset"], 1)
        self.assertEqual([c["certification_number"] for c in r.json["data"]],
                         self.newest_first[20:40])
        r = self.list_page("lrqa", limit=20, offset=2)
        self.assertEqual([c["certification_number"] for c in r.json["data"]],
                         self.newest_first[40:45])
        r = self.list_page("lrqa", limit=7, offset=3)
        m = self.meta(r)
        self.assertEqual((m["limit"], m["offset"], m["total_pages"], m["total_rows"]),
                         (7, 3, 7, 45))
        self.assertEqual([c["certification_number"] for c in r.json["data"]],
                         self.newest_first[21:28])

    def test_past_the_end(self):
        r = self.list_page("lrqa", offset=3)
        self.assertEqual(self.meta(r)["total_rows"], 45)
        self.assertEqual(r.json["data"], [])

    def test_limit_one_last_page_is_oldest(self):
        r = self.list_page("lrqa", limit=1, offset=44)
        self.assertEqual(self.meta(r)["total_pages"], 45)
        self.assertEqual([c["certification_number"] for c in r.json["data"]],
                         [self.uploaded[0]])

    def test_limit_100(self):
        r = self.list_page("lrqa", limit=100)
        m = self.meta(r)
        self.assertEqual((m["limit"], m["total_pages"], m["total_rows"]), (100, 1, 45))
        self.assertEqual([c["certification_number"] for c in r.json["data"]], self.newest_first)

    def test_bad_limit(self):
        for v in ("101", "0", "-1", "abc", "", "1.5", "20abc", "99999999999999999999"):
            with self.subTest(limit=v):
                r = self.call("GET", "lrqa", f"cert?limit={v}")
                msgs = self.assert_validation(r, "limit", exact=True)
                self.assertIn("limit", msgs["limit"])

    def test_bad_offset(self):
        for v in ("-1", "abc", "1.0", ""):
            with self.subTest(offset=v):
                r = self.call("GET", "lrqa", f"cert?offset={v}")
                msgs = self.assert_validation(r, "offset", exact=True)
                self.assertIn("offset", msgs["offset"])

    def test_bad_limit_and_offset_together(self):
        r = self.call("GET", "lrqa", "cert?limit=0&offset=-1")
        self.assert_validation(r, "limit", "offset", exact=True)

    def test_empty_list_for_an_uploader_without_records(self):
        r = self.list_page("bv")
        self.assertEqual(self.meta(r), {"total_pages": 0, "total_rows": 0, "order": "DESC",
                                        "order_by": "created_at", "limit": 20, "offset": 0,
                                        "next_key": ""})
        self.assertEqual(r.json["data"], [])


class ListAcrossBuckets(IafTest):
    """A fresh server: lrqa uploads 3,030 certifications interleaved with another CB's, and deletes
    10 of them, so that its rows spread over many ranges of the sequence (the list's buckets of
    1,024, store/iaf_repo.cpp) with gaps; every page must still be the right slice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        uploaded, deleted = [], set()

        def post(who, rest, body):
            r = cls.server.request("POST", f"/api/client/v1/cb/{rest}", body=body,
                                   headers={"x-http-authorization": f"cb-{who}-key"})
            assert r.status == 200, r
            return r.json

        for k in range(30):
            records = [cb_body("lrqa") for _ in range(100)]
            post("lrqa", "bulk-upload-cert", {"certifications": records})
            uploaded += [x["certificate_number"] for x in records]
            post("bsi", "bulk-upload-cert", {"certifications": [cb_body("bsi") for _ in range(37)]})
            single = cb_body("lrqa")
            cid = post("lrqa", "upload-cert", single)["company_certifications_id"]
            uploaded.append(single["certificate_number"])
            if k % 3 == 0:
                r = cls.server.request("DELETE", f"/api/client/v1/cb/cert/{cid}",
                                       headers={"x-http-authorization": "cb-lrqa-key"})
                assert r.status == 200, r
                deleted.add(single["certificate_number"])
        cls.newest_first = [n for n in reversed(uploaded) if n not in deleted]

    def numbers(self, limit, offset):
        r = self.list_page("lrqa", limit=limit, offset=offset)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["meta"]["total_rows"], 3020)
        return [c["certification_number"] for c in r.json["data"]]

    def test_every_page_of_100(self):
        for page in range(31):
            with self.subTest(page=page):
                self.assertEqual(self.numbers(100, page),
                                 self.newest_first[page * 100:(page + 1) * 100])

    def test_odd_page_sizes_and_the_ends(self):
        for limit, offset in ((7, 146), (13, 78), (99, 10), (1, 0), (1, 1023), (1, 1024),
                              (1, 3019), (1, 3020), (20, 151)):
            with self.subTest(limit=limit, offset=offset):
                self.assertEqual(self.numbers(limit, offset),
                                 self.newest_first[limit * offset:limit * (offset + 1)])


class DeleteCertification(IafTest):
    def test_delete_then_404(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        r = self.call("DELETE", "bsi", f"cert/{cid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": 1})
        self.assert_not_found(self.call("GET", "bsi", f"cert/{cid}"))
        self.assert_not_found(self.call("DELETE", "bsi", f"cert/{cid}"))
        self.assertNotIn(body["certificate_number"], self.numbers_of("bsi"))

    def test_delete_unknown(self):
        self.assert_not_found(self.call("DELETE", "bsi", "cert/nope-" + uid()))

    def test_delete_keeps_the_entity_and_its_other_certifications(self):
        first = cb_body()
        a = self.upload("bsi", first)
        b = self.upload("bsi", cb_body(
            certified_entity_unique_id=first["certified_entity_unique_id"],
            certified_entity_name=first["certified_entity_name"]))
        self.assertEqual(self.call("DELETE", "bsi", f"cert/{a}").json, {"data": 1})
        c = self.get_cert("bsi", b)
        self.assertEqual(c["company_name"], first["certified_entity_name"])

    def test_reupload_after_delete_creates_a_new_record(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        self.assertEqual(self.call("DELETE", "bsi", f"cert/{cid}").status, 200)
        again = self.upload("bsi", body)
        self.assertNotEqual(again, cid)
        self.assertEqual(self.get_cert("bsi", again)["certification_number"],
                         body["certificate_number"])

    def test_mncb_delete(self):
        cid = self.upload("sgs", mncb_body("tuv"))
        r = self.call("DELETE", "sgs", f"cert/{cid}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        self.assert_not_found(self.call("GET", "sgs", f"cert/{cid}"))


class DeleteEntity(IafTest):
    def test_delete_entity_and_all_its_certifications(self):
        first = cb_body()
        a = self.upload("bsi", first)
        b = self.upload("bsi", cb_body(
            certified_entity_unique_id=first["certified_entity_unique_id"],
            certified_entity_name=first["certified_entity_name"]))
        other = self.upload("bsi", cb_body())
        company_id = self.get_cert("bsi", a)["company_id"]
        self.assertEqual(self.get_cert("bsi", b)["company_id"], company_id)

        r = self.call("DELETE", "bsi", f"ce/{company_id}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": 1})
        self.assert_not_found(self.call("GET", "bsi", f"cert/{a}"))
        self.assert_not_found(self.call("GET", "bsi", f"cert/{b}"))
        self.get_cert("bsi", other)
        self.assert_not_found(self.call("DELETE", "bsi", f"ce/{company_id}"))
        self.assert_not_found(self.call("PUT", "bsi", "ce-name-by-guid",
                                        body={"company_guid": company_id, "company_name": "X"}))

    def test_reupload_after_entity_delete_makes_a_new_entity(self):
        body = cb_body()
        company_id = self.get_cert("bsi", self.upload("bsi", body))["company_id"]
        self.assertEqual(self.call("DELETE", "bsi", f"ce/{company_id}").status, 200)
        c = self.get_cert("bsi", self.upload("bsi", dict(body, certified_entity_name="New Co")))
        self.assertNotEqual(c["company_id"], company_id)
        self.assertEqual(c["company_name"], "New Co")
        self.assertEqual(c["company_former_names"], [])

    def test_delete_unknown_entity(self):
        self.assert_not_found(self.call("DELETE", "bsi", "ce/unknown-" + uid()))

    def test_a_certification_id_is_not_an_entity_id(self):
        cid = self.upload("bsi", cb_body())
        self.assert_not_found(self.call("DELETE", "bsi", f"ce/{cid}"))
        self.get_cert("bsi", cid)

    def test_mncb_delete_entity(self):
        cid = self.upload("sgs", mncb_body("bsi"))
        company_id = self.get_cert("sgs", cid)["company_id"]
        r = self.call("DELETE", "sgs", f"ce/{company_id}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        self.assert_not_found(self.call("GET", "sgs", f"cert/{cid}"))


class EntityName(IafTest):
    def _entity(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"data"})
        e = r.json["data"]
        self.assertTrue(ENTITY_FIELDS <= set(e), ENTITY_FIELDS - set(e))
        return e

    def test_rename_by_company_id(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        company_id = self.get_cert("bsi", cid)["company_id"]
        e = self._entity(self.call("PUT", "bsi", "ce-name-by-guid",
                                   body={"company_guid": company_id, "company_name": "Renamed"}))
        self.assertEqual(e["company_id"], company_id)
        self.assertEqual(e["company_guid"], company_id)
        self.assertEqual(e["company_name"], "Renamed")
        self.assertEqual(e["company_former_names"], [body["certified_entity_name"]])
        self.assertEqual(e["certified_entity_unique_id"], body["certified_entity_unique_id"])
        self.assertEqual(e["company_country"], body["certified_entity_country"])
        self.assertEqual(e["company_en_name"], body["certified_entity_english_name"])
        self.assertEqual(e["is_confidential"], 0)
        self.assertIsInstance(e["created_at"], int)
        self.assertIsInstance(e["updated_at"], int)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_name"], "Renamed")
        self.assertEqual(c["company_former_names"], [body["certified_entity_name"]])

    def test_rename_by_certified_entity_unique_id(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        e = self._entity(self.call("PUT", "bsi", "ce-name-by-guid",
                                   body={"company_guid": body["certified_entity_unique_id"],
                                         "company_name": "  By Unique Id  "}))
        self.assertEqual(e["company_name"], "By Unique Id")
        self.assertEqual(e["company_id"], self.get_cert("bsi", cid)["company_id"])
        self.assertEqual(self.get_cert("bsi", cid)["company_name"], "By Unique Id")

    def test_rename_twice_and_same_name(self):
        body = cb_body(certified_entity_name="Alpha")
        cid = self.upload("bsi", body)
        guid = self.get_cert("bsi", cid)["company_id"]
        for name in ("Beta", "Gamma", "Gamma"):
            e = self._entity(self.call("PUT", "bsi", "ce-name-by-guid",
                                       body={"company_guid": guid, "company_name": name}))
        self.assertEqual(e["company_name"], "Gamma")
        self.assertEqual(e["company_former_names"], ["Alpha", "Beta"])

    def test_missing_fields(self):
        cases = [({}, {"company_guid", "company_name"}),
                 ({"company_name": "X"}, {"company_guid"}),
                 ({"company_guid": "abc"}, {"company_name"}),
                 ({"company_guid": "", "company_name": "  "}, {"company_guid", "company_name"}),
                 ({"company_guid": 5, "company_name": "X"}, {"company_guid"})]
        for body, fields in cases:
            with self.subTest(body=body):
                r = self.call("PUT", "bsi", "ce-name-by-guid", body=body)
                msgs = self.assert_validation(r, *fields, exact=True)
                for f in fields:
                    self.assertIn(f, msgs[f])

    def test_name_too_long(self):
        body = cb_body()
        self.upload("bsi", body)
        guid = body["certified_entity_unique_id"]
        ok = self.call("PUT", "bsi", "ce-name-by-guid",
                       body={"company_guid": guid, "company_name": "ñ" * 300})
        self.assertEqual(self._entity(ok)["company_name"], "ñ" * 300)
        r = self.call("PUT", "bsi", "ce-name-by-guid",
                      body={"company_guid": guid, "company_name": "ñ" * 301})
        self.assert_validation(r, "company_name", exact=True)

    def test_unknown_guid_is_404(self):
        r = self.call("PUT", "bsi", "ce-name-by-guid",
                      body={"company_guid": "unknown-" + uid(), "company_name": "X"})
        self.assert_not_found(r)

    def test_body_errors(self):
        r = self.call("PUT", "bsi", "ce-name-by-guid", raw=b"{nope")
        self.assert_validation(r, "body", exact=True)
        r = self.call("PUT", "bsi", "ce-name-by-guid", raw=b"[]")
        self.assert_validation(r, "body", exact=True)

    def test_unique_id_naming_several_entities_needs_company_id(self):
        ce = "CE-" + uid()
        a = self.upload("sgs", mncb_body("bsi", certified_entity_unique_id=ce))
        self.upload("sgs", mncb_body("tuv", certified_entity_unique_id=ce))
        r = self.call("PUT", "sgs", "ce-name-by-guid", body={"company_guid": ce,
                                                             "company_name": "X"})
        msgs = self.assert_validation(r, "company_guid", exact=True)
        self.assertIn("company_id", msgs["company_guid"])
        company_id = self.get_cert("sgs", a)["company_id"]
        e = self._entity(self.call("PUT", "sgs", "ce-name-by-guid",
                                   body={"company_guid": company_id, "company_name": "X"}))
        self.assertEqual(e["company_name"], "X")

    def test_later_upload_with_old_name(self):
        # A rename through the API, then an upload with the old name: the upload's name wins.
        body = cb_body(certified_entity_name="Old")
        cid = self.upload("bsi", body)
        guid = self.get_cert("bsi", cid)["company_id"]
        self._entity(self.call("PUT", "bsi", "ce-name-by-guid",
                               body={"company_guid": guid, "company_name": "New"}))
        self.upload("bsi", body)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_name"], "Old")
        self.assertIn("New", c["company_former_names"])
        self.assertEqual(c["company_former_names"][0], "Old")


class EntityDetails(IafTest):
    def _put(self, who, body):
        return self.call("PUT", who, "ce-by-guid", body=body)

    def _entity(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"data"})
        e = r.json["data"]
        self.assertTrue(ENTITY_FIELDS <= set(e), ENTITY_FIELDS - set(e))
        return e

    def _new(self, who="bsi", **kw):
        body = cb_body(**kw) if who == "bsi" else mncb_body("bsi", **kw)
        cid = self.upload(who, body)
        return body, cid, self.get_cert(who, cid)["company_id"]

    def test_partial_update_leaves_other_fields(self):
        body, cid, guid = self._new()
        e = self._entity(self._put("bsi", {"company_guid": guid,
                                           "company_trading_name": "New Trading",
                                           "company_city": "Edinburgh"}))
        self.assertEqual(e["company_trading_name"], "New Trading")
        self.assertEqual(e["company_city"], "Edinburgh")
        self.assertEqual(e["company_name"], body["certified_entity_name"])
        self.assertEqual(e["company_country"], body["certified_entity_country"])
        self.assertEqual(e["company_street"], body["certified_entity_street_address"])
        self.assertEqual(e["company_state"], body["certified_entity_state"])
        self.assertEqual(e["company_postcode"], body["certified_entity_post_code"])
        self.assertEqual(e["company_website"], body["certified_entity_website"])
        self.assertEqual(e["company_en_name"], body["certified_entity_english_name"])
        self.assertEqual(e["company_former_names"], [])
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_trading_name"], "New Trading")
        self.assertEqual(c["company_city"], "Edinburgh")
        self.assertEqual(c["company_country"], body["certified_entity_country"])

    def test_every_field(self):
        _, cid, guid = self._new()
        sent = {"company_trading_name": "T", "company_en_name": "English Co",
                "company_country": "Ireland", "company_street": "5 Main St",
                "company_city": "Dublin", "company_state": "Leinster", "company_postcode": "D01",
                "company_website": "https://ie.example", "company_id_number": "U12345ABCDE",
                "business_registration_number": "1234567890A", "tax_id": "000123456001",
                "vat": "IE123456789", "duns_number": "987654321"}
        e = self._entity(self._put("bsi", dict(sent, company_guid=guid)))
        returned_as = {"business_registration_number": "business_reg_number"}
        for k, v in sent.items():
            self.assertEqual(e[returned_as.get(k, k)], v, k)
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_english_name"], "English Co")
        self.assertEqual(c["company_country"], "Ireland")
        self.assertEqual(c["company_postcode"], "D01")

    def test_company_name_not_changed(self):
        body, _, guid = self._new()
        e = self._entity(self._put("bsi", {"company_guid": guid, "company_name": "Ignored"}))
        self.assertEqual(e["company_name"], body["certified_entity_name"])
        self.assertEqual(e["company_former_names"], [])

    def test_company_country_empty_is_rejected(self):
        body, cid, guid = self._new()
        for value in ("", "   ", "\t"):
            with self.subTest(value=value):
                r = self._put("bsi", {"company_guid": guid, "company_country": value,
                                      "company_city": "Changed"})
                msgs = self.assert_validation(r, "company_country", exact=True)
                self.assertIn("company_country", msgs["company_country"])
        c = self.get_cert("bsi", cid)
        self.assertEqual(c["company_country"], body["certified_entity_country"])
        self.assertEqual(c["company_city"], body["certified_entity_street_city"])

    def test_missing_guid(self):
        r = self._put("bsi", {"company_city": "X"})
        self.assert_validation(r, "company_guid", exact=True)

    def test_unknown_guid(self):
        self.assert_not_found(self._put("bsi", {"company_guid": "nope-" + uid(),
                                                "company_city": "X"}))

    def test_wrong_types(self):
        _, _, guid = self._new()
        for f in ("company_trading_name", "company_city", "tax_id", "company_country"):
            with self.subTest(field=f):
                r = self._put("bsi", {"company_guid": guid, f: 12})
                self.assert_validation(r, f, exact=True)

    def test_system_information_object_shape(self):
        _, _, guid = self._new()
        si = {"company_name": "Parent Co", "company_guids": ["g-1", "g-2"]}
        e = self._entity(self._put("bsi", {"company_guid": guid, "system_information": si}))
        self.assertEqual(e["system_information"], si)
        # unchanged by a later update that does not send it
        e = self._entity(self._put("bsi", {"company_guid": guid, "company_city": "Cork"}))
        self.assertEqual(e["system_information"], si)

    def test_system_information_array_shape(self):
        _, _, guid = self._new()
        si = [{"company_name": "A", "company_guid": "g-a"},
              {"company_name": "B", "company_guid": "g-b"}]
        e = self._entity(self._put("bsi", {"company_guid": guid, "system_information": si}))
        self.assertEqual(e["system_information"], si)

    def test_system_information_default_null(self):
        _, _, guid = self._new()
        e = self._entity(self._put("bsi", {"company_guid": guid}))
        self.assertIsNone(e["system_information"])

    def test_system_information_wrong_shape(self):
        _, _, guid = self._new()
        for si in ("text", 5, True, {"company_name": 5}, {"company_guids": "g-1"},
                   {"company_guids": [1, 2]}, [1], ["x"], [{"company_guid": 5}],
                   [{"company_name": ["A"]}]):
            with self.subTest(si=si):
                r = self._put("bsi", {"company_guid": guid, "system_information": si})
                msgs = self.assert_validation(r)
                self.assertTrue(msgs and all(k.startswith("system_information") for k in msgs),
                                msgs)
        e = self._entity(self._put("bsi", {"company_guid": guid}))
        self.assertIsNone(e["system_information"])

    def test_by_unique_id_and_mncb(self):
        body, cid, guid = self._new("sgs")
        e = self._entity(self._put("sgs", {"company_guid": body["certified_entity_unique_id"],
                                           "company_state": "Fife"}))
        self.assertEqual(e["company_id"], guid)
        self.assertEqual(self.get_cert("sgs", cid)["company_state"], "Fife")

    def test_length_limits(self):
        _, _, guid = self._new()
        r = self._put("bsi", {"company_guid": guid, "company_trading_name": "é" * 501})
        self.assert_validation(r, "company_trading_name", exact=True)
        e = self._entity(self._put("bsi", {"company_guid": guid,
                                           "company_trading_name": "é" * 500}))
        self.assertEqual(e["company_trading_name"], "é" * 500)


if __name__ == "__main__":
    main()
