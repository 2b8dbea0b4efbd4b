"""IAF CertSearch authentication, roles and tenancy (docs/iaf.md, "Authentication and roles",
"Tenancy", "Errors")."""

from harness import main
from iaf_fixtures import (BASE, IafTest, cb_body, mncb_body, uid)

# (method, path after /api/client/v1/{role}/, body)
ENDPOINTS = [
    ("POST", "upload-cert", {}),
    ("POST", "bulk-upload-cert", {"certifications": []}),
    ("GET", "cert", None),
    ("GET", "cert?limit=5&offset=0", None),
    ("GET", "cert/some-id", None),
    ("DELETE", "cert/some-id", None),
    ("DELETE", "ce/some-id", None),
    ("PUT", "ce-name-by-guid", {}),
    ("PUT", "ce-by-guid", {}),
]


class Authentication(IafTest):
    def _each(self, headers, check):
        for role in ("cb", "mncb"):
            for method, rest, body in ENDPOINTS:
                with self.subTest(role=role, method=method, rest=rest):
                    r = self.req(method, f"{BASE}/{role}/{rest}", body=body, headers=headers)
                    check(r)

    def test_missing_key_is_401_everywhere(self):
        self._each({}, self.assert_unauthorized)

    def test_empty_key_is_401_everywhere(self):
        self._each({"x-http-authorization": ""}, self.assert_unauthorized)

    def test_unknown_key_is_401_everywhere(self):
        self._each({"x-http-authorization": "no-such-key"}, self.assert_unauthorized)

    def test_key_is_case_sensitive_and_not_a_bearer_token(self):
        for value in ("CB-BSI-KEY", "Bearer cb-bsi-key", "cb-bsi-key2", "cb-bsi-ke"):
            with self.subTest(value=value):
                r = self.req("GET", f"{BASE}/cb/cert", headers={"x-http-authorization": value})
                self.assert_unauthorized(r)

    def test_key_in_authorization_header_is_not_accepted(self):
        r = self.req("GET", f"{BASE}/cb/cert", headers={"Authorization": "cb-bsi-key"})
        self.assert_unauthorized(r)

    def test_header_name_is_case_insensitive(self):
        r = self.req("GET", f"{BASE}/cb/cert", headers={"X-HTTP-Authorization": "cb-bsi-key"})
        self.assertEqual(r.status, 200, r)

    def test_401_before_body_validation(self):
        r = self.req("POST", f"{BASE}/cb/upload-cert", raw=b"{not json",
                     headers={"Content-Type": "text/plain"})
        self.assert_unauthorized(r)

    def test_unknown_key_stores_nothing(self):
        body = cb_body()
        r = self.req("POST", f"{BASE}/cb/upload-cert", body=body,
                     headers={"x-http-authorization": "nope"})
        self.assert_unauthorized(r)
        self.assertNotIn(body["certificate_number"], self.numbers_of("bsi"))

    def test_cb_key_on_mncb_prefix_is_403(self):
        for method, rest, body in ENDPOINTS:
            with self.subTest(method=method, rest=rest):
                r = self.req(method, f"{BASE}/mncb/{rest}", body=body,
                             headers={"x-http-authorization": "cb-bsi-key"})
                errors = self.assert_envelope(r, 403, "forbidden")
                self.assertEqual(errors["message"],
                                 "This API key may not be used with the mncb API.")

    def test_mncb_key_on_cb_prefix_is_403(self):
        for method, rest, body in ENDPOINTS:
            with self.subTest(method=method, rest=rest):
                r = self.req(method, f"{BASE}/cb/{rest}", body=body,
                             headers={"x-http-authorization": "mncb-sgs-key"})
                errors = self.assert_envelope(r, 403, "forbidden")
                self.assertEqual(errors["message"],
                                 "This API key may not be used with the cb API.")

    def test_ab_key_on_cb_and_mncb_is_403(self):
        for key in ("ab-ukas-key", "ab-dakks-key"):
            for role in ("cb", "mncb"):
                with self.subTest(key=key, role=role):
                    r = self.req("POST", f"{BASE}/{role}/upload-cert", body=cb_body(),
                                 headers={"x-http-authorization": key})
                    self.assert_envelope(r, 403, "forbidden")
                    r = self.req("GET", f"{BASE}/{role}/cert",
                                 headers={"x-http-authorization": key})
                    self.assert_envelope(r, 403, "forbidden")

    def test_forbidden_upload_stores_nothing(self):
        body = mncb_body("bsi")
        r = self.req("POST", f"{BASE}/mncb/upload-cert", body=body,
                     headers={"x-http-authorization": "cb-bsi-key"})
        self.assert_envelope(r, 403, "forbidden")
        self.assertNotIn(body["certificate_number"], self.numbers_of("bsi"))
        self.assertNotIn(body["certificate_number"], self.numbers_of("sgs"))


class Routing(IafTest):
    def test_unknown_route_under_api_client_is_iaf_404(self):
        for p in (f"{BASE}/cb/nope", f"{BASE}/mncb/upload-certs", f"{BASE}/xx/upload-cert",
                  "/api/client/v9/cb/cert", "/api/client/", f"{BASE}/cb/cert/a/b",
                  f"{BASE}/cb/ce"):
            with self.subTest(path=p):
                self.assert_not_found(self.req("GET", p, headers={"x-http-authorization":
                                                                   "cb-bsi-key"}))

    def test_unknown_route_without_key_is_404_too(self):
        self.assert_not_found(self.req("POST", f"{BASE}/cb/nothing", body={}))

    def test_wrong_method_is_405_with_allow(self):
        cases = [("GET", "upload-cert", {"POST"}), ("PUT", "upload-cert", {"POST"}),
                 ("GET", "bulk-upload-cert", {"POST"}), ("POST", "cert", {"GET"}),
                 ("DELETE", "cert", {"GET"}), ("PUT", "cert/x", {"GET", "DELETE"}),
                 ("POST", "cert/x", {"GET", "DELETE"}), ("GET", "ce/x", {"DELETE"}),
                 ("POST", "ce-name-by-guid", {"PUT"}), ("GET", "ce-by-guid", {"PUT"})]
        for role, key in (("cb", "cb-bsi-key"), ("mncb", "mncb-sgs-key")):
            for method, rest, allowed in cases:
                with self.subTest(role=role, method=method, rest=rest):
                    r = self.req(method, f"{BASE}/{role}/{rest}",
                                 body={} if method in ("POST", "PUT") else None,
                                 headers={"x-http-authorization": key})
                    self.assert_envelope(r, 405, "method_not_allowed")
                    self.assertIn("allow", r.headers)
                    got = {m.strip() for m in r.headers["allow"].split(",")} - {"OPTIONS"}
                    self.assertEqual(got, allowed)

    def test_options_lists_methods(self):
        r = self.req("OPTIONS", f"{BASE}/cb/cert/x")
        self.assertEqual(r.status, 204, r)
        allowed = {m.strip() for m in r.headers["allow"].split(",")}
        self.assertTrue({"GET", "DELETE"} <= allowed, allowed)
        r = self.req("OPTIONS", f"{BASE}/mncb/upload-cert")
        self.assertEqual(r.status, 204, r)
        self.assertIn("POST", r.headers["allow"])


class Tenancy(IafTest):
    def test_cb_cannot_read_or_delete_another_cbs_certification(self):
        body = cb_body("bsi")
        cid = self.upload("bsi", body)
        before = self.get_cert("bsi", cid)
        self.assert_not_found(self.call("GET", "lrqa", f"cert/{cid}"))
        self.assert_not_found(self.call("GET", "tuv", f"cert/{cid}"))
        self.assert_not_found(self.call("DELETE", "lrqa", f"cert/{cid}"))
        self.assertNotIn(body["certificate_number"], self.numbers_of("lrqa"))
        self.assertEqual(self.get_cert("bsi", cid), before)

    def test_cb_cannot_touch_another_cbs_entity(self):
        body = cb_body("bsi")
        cid = self.upload("bsi", body)
        before = self.get_cert("bsi", cid)
        company_id = before["company_id"]
        uid_ = body["certified_entity_unique_id"]
        self.assert_not_found(self.call("DELETE", "lrqa", f"ce/{company_id}"))
        for guid in (company_id, uid_):
            with self.subTest(guid=guid):
                self.assert_not_found(self.call("PUT", "lrqa", "ce-name-by-guid",
                                                body={"company_guid": guid,
                                                      "company_name": "Hijacked"}))
                self.assert_not_found(self.call("PUT", "lrqa", "ce-by-guid",
                                                body={"company_guid": guid,
                                                      "company_city": "Hijacked",
                                                      "company_country": "Hijacked"}))
        after = self.get_cert("bsi", cid)
        self.assertEqual(after, before)
        self.assertEqual(after["company_name"], body["certified_entity_name"])
        self.assertEqual(after["company_former_names"], [])

    def test_same_number_and_unique_id_in_two_tenants_stay_apart(self):
        a_body = cb_body("bsi")
        a = self.upload("bsi", a_body)
        b_body = cb_body("lrqa", certificate_number=a_body["certificate_number"],
                         certified_entity_unique_id=a_body["certified_entity_unique_id"],
                         certified_entity_name="Other Tenant's Name",
                         certification_status="withdrawn")
        b = self.upload("lrqa", b_body)
        self.assertNotEqual(a, b)
        ca, cb_ = self.get_cert("bsi", a), self.get_cert("lrqa", b)
        self.assertNotEqual(ca["company_id"], cb_["company_id"])
        self.assertEqual(ca["company_name"], a_body["certified_entity_name"])
        self.assertEqual(ca["company_former_names"], [])
        self.assertEqual(ca["status"], "active")
        # lrqa renaming "its" unique id does not rename bsi's entity
        r = self.call("PUT", "lrqa", "ce-name-by-guid",
                      body={"company_guid": a_body["certified_entity_unique_id"],
                            "company_name": "Renamed by LRQA"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["data"]["company_id"], cb_["company_id"])
        self.assertEqual(self.get_cert("bsi", a)["company_name"], a_body["certified_entity_name"])

    def test_list_only_shows_own_certifications(self):
        mine = {self.upload("tuv", cb_body("tuv")) for _ in range(3)}
        self.upload("bsi", cb_body("bsi"))
        self.upload("sgs", mncb_body("tuv"))
        ids = {c["company_certifications_id"] for c in self.all_certs("tuv")}
        self.assertTrue(mine <= ids)
        for c in self.all_certs("tuv"):
            self.assertEqual(c["certification_bodies_id"], "tuv")
        r = self.list_page("tuv", limit=100)
        self.assertEqual(r.json["meta"]["total_rows"], len(ids))

    def test_mncb_and_cb_do_not_see_each_others_uploads(self):
        cb_id = self.upload("bsi", cb_body("bsi"))
        mncb_id = self.upload("sgs", mncb_body("bsi"))
        self.assert_not_found(self.call("GET", "sgs", f"cert/{cb_id}"))
        self.assert_not_found(self.call("GET", "bsi", f"cert/{mncb_id}"))
        self.assert_not_found(self.call("DELETE", "sgs", f"cert/{cb_id}"))
        self.assert_not_found(self.call("DELETE", "bsi", f"cert/{mncb_id}"))
        sgs_ids = {c["company_certifications_id"] for c in self.all_certs("sgs")}
        bsi_ids = {c["company_certifications_id"] for c in self.all_certs("bsi")}
        self.assertIn(mncb_id, sgs_ids)
        self.assertNotIn(cb_id, sgs_ids)
        self.assertIn(cb_id, bsi_ids)
        self.assertNotIn(mncb_id, bsi_ids)
        self.get_cert("bsi", cb_id)
        self.get_cert("sgs", mncb_id)

    def test_mncb_uploading_same_certificate_as_cb_is_a_separate_record(self):
        body = cb_body("bsi")
        a = self.upload("bsi", body)
        b = self.upload("sgs", dict(body, certification_body_name="BSI Assurance UK Ltd",
                                    certification_body_acronym_name="BSI",
                                    certification_status="suspended"))
        self.assertNotEqual(a, b)
        self.assertEqual(self.get_cert("bsi", a)["status"], "active")
        self.assertEqual(self.get_cert("sgs", b)["status"], "suspended")

    def test_mncbs_are_isolated_from_each_other(self):
        sgs_id = self.upload("sgs", mncb_body("bsi"))
        bv_id = self.upload("bv", mncb_body("lrqa"))
        company = self.get_cert("sgs", sgs_id)["company_id"]
        self.assert_not_found(self.call("GET", "bv", f"cert/{sgs_id}"))
        self.assert_not_found(self.call("DELETE", "bv", f"cert/{sgs_id}"))
        self.assert_not_found(self.call("DELETE", "bv", f"ce/{company}"))
        self.assert_not_found(self.call("PUT", "bv", "ce-by-guid",
                                        body={"company_guid": company, "company_city": "X"}))
        self.assert_not_found(self.call("GET", "sgs", f"cert/{bv_id}"))
        self.assertNotIn(sgs_id, {c["company_certifications_id"] for c in self.all_certs("bv")})
        self.get_cert("sgs", sgs_id)

    def test_cb_cannot_see_what_an_mncb_uploaded_for_it_and_cannot_delete_it(self):
        mncb_id = self.upload("sgs", mncb_body("tuv"))
        company = self.get_cert("sgs", mncb_id)["company_id"]
        self.assert_not_found(self.call("GET", "tuv", f"cert/{mncb_id}"))
        self.assert_not_found(self.call("DELETE", "tuv", f"ce/{company}"))
        self.assert_not_found(self.call("PUT", "tuv", "ce-name-by-guid",
                                        body={"company_guid": company, "company_name": "X"}))
        c = self.get_cert("sgs", mncb_id)
        self.assertNotEqual(c["company_name"], "X")

    def test_other_tenant_id_answers_like_unknown_id(self):
        cid = self.upload("bsi", cb_body())
        r1 = self.call("GET", "lrqa", f"cert/{cid}")
        r2 = self.call("GET", "lrqa", f"cert/unknown-{uid()}")
        self.assertEqual(r1.status, r2.status)
        self.assertEqual(r1.json["errors"], r2.json["errors"])


if __name__ == "__main__":
    main()
