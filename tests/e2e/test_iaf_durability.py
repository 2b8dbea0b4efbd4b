"""IAF CertSearch durability: a 2xx reply means the write survives SIGKILL (docs/iaf.md,
"Durability and history"); re-applying the same provisioning file changes nothing."""

import shutil
import tempfile
import unittest

from harness import Server, main
from iaf_fixtures import PROVISION, auth, cb_body, mncb_body, path, role_of


class Durability(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="certreg-iaf-dur-")
        self.server = Server(provision=PROVISION, workdir=self.dir).start()

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def call(self, method, who, rest, body=None):
        return self.server.request(method, path(role_of(who), rest), body=body, headers=auth(who))

    def restart(self, kill=True):
        code = self.server.kill() if kill else self.server.stop()
        if not kill:
            self.assertEqual(code, 0, self.server.log()[-2000:])
        self.server = Server(provision=PROVISION, workdir=self.dir).start()
        # Wait for a first answer: a SIGTERM right after the ready line is test_sigterm_... below.
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)

    def upload(self, who, body):
        r = self.call("POST", who, "upload-cert", body=body)
        self.assertEqual(r.status, 200, r)
        return r.json["company_certifications_id"]

    def get(self, who, cid):
        r = self.call("GET", who, f"cert/{cid}")
        self.assertEqual(r.status, 200, r)
        return r.json["data"]

    def listing(self, who):
        r = self.call("GET", who, "cert?limit=100")
        self.assertEqual(r.status, 200, r)
        return r.json

    def test_single_upload_survives_sigkill(self):
        body = cb_body(certificate_identity_number="ID-dur-1",
                       confidential_certified_entity=True)
        cid = self.upload("bsi", body)
        mncb_id = self.upload("sgs", mncb_body("tuv"))
        before = self.get("bsi", cid)
        before_mncb = self.get("sgs", mncb_id)
        self.restart()
        after = self.get("bsi", cid)
        self.assertEqual(after, before)
        self.assertEqual(after["certification_number"], body["certificate_number"])
        self.assertEqual(after["company_name"], body["certified_entity_name"])
        self.assertEqual(after["schemes"], body["schemes"])
        self.assertEqual(after["sites"], body["sites"])
        self.assertIs(after["is_confidential"], True)
        self.assertEqual(self.get("sgs", mncb_id), before_mncb)

    def test_update_and_rename_survive_sigkill(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        self.assertEqual(self.upload("bsi", dict(body, certification_status="suspended",
                                                 sites=[])), cid)
        company = self.get("bsi", cid)["company_id"]
        r = self.call("PUT", "bsi", "ce-name-by-guid",
                      body={"company_guid": company, "company_name": "Durable Name"})
        self.assertEqual(r.status, 200, r)
        r = self.call("PUT", "bsi", "ce-by-guid",
                      body={"company_guid": company, "tax_id": "T-1",
                            "system_information": [{"company_name": "P", "company_guid": "g"}]})
        self.assertEqual(r.status, 200, r)
        entity = r.json["data"]
        before = self.get("bsi", cid)
        self.restart()
        after = self.get("bsi", cid)
        self.assertEqual(after, before)
        self.assertEqual(after["status"], "suspended")
        self.assertEqual(after["sites"], [])
        self.assertEqual(after["company_name"], "Durable Name")
        self.assertEqual(after["company_former_names"], [body["certified_entity_name"]])
        r = self.call("PUT", "bsi", "ce-by-guid", body={"company_guid": company})
        self.assertEqual(r.status, 200, r)
        for k in ("tax_id", "system_information", "company_name", "company_former_names"):
            self.assertEqual(r.json["data"][k], entity[k], k)

    def test_bulk_upload_survives_sigkill(self):
        records = [cb_body("lrqa") for _ in range(25)]
        r = self.call("POST", "lrqa", "bulk-upload-cert", body={"certifications": records})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": {"success": True}})
        before = self.listing("lrqa")
        self.assertEqual(before["meta"]["total_rows"], 25)
        self.restart()
        after = self.listing("lrqa")
        self.assertEqual(after, before)
        self.assertEqual({c["certification_number"] for c in after["data"]},
                         {rec["certificate_number"] for rec in records})

    def test_delete_stays_deleted_after_sigkill(self):
        body = cb_body()
        cid = self.upload("bsi", body)
        other = cb_body()
        other_id = self.upload("bsi", other)
        company = self.get("bsi", other_id)["company_id"]
        r = self.call("DELETE", "bsi", f"cert/{cid}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        r = self.call("DELETE", "bsi", f"ce/{company}")
        self.assertEqual((r.status, r.json), (200, {"data": 1}))
        self.restart()
        for gone in (cid, other_id):
            r = self.call("GET", "bsi", f"cert/{gone}")
            self.assertEqual(r.status, 404, r)
            self.assertEqual(r.json["errors"]["code"], "not_found")
        r = self.call("DELETE", "bsi", f"ce/{company}")
        self.assertEqual(r.status, 404, r)
        self.assertEqual(self.listing("bsi")["meta"]["total_rows"], 0)

    def test_failed_bulk_leaves_nothing_after_sigkill(self):
        records = [cb_body(), cb_body(), cb_body(certification_status="nope")]
        r = self.call("POST", "bsi", "bulk-upload-cert", body={"certifications": records})
        self.assertEqual(r.status, 400, r)
        self.restart()
        self.assertEqual(self.listing("bsi")["meta"]["total_rows"], 0)

    def test_restart_with_same_provisioning_changes_nothing(self):
        ids = {who: self.upload(who, body) for who, body in
               (("bsi", cb_body()), ("tuv", cb_body("tuv")), ("sgs", mncb_body("bsi-de")),
                ("bv", mncb_body("lrqa")))}
        before = {who: self.listing(who) for who in ids}
        self.restart(kill=False)
        self.restart(kill=False)
        for who, cid in ids.items():
            with self.subTest(who=who):
                self.assertEqual(self.listing(who), before[who])
                self.get(who, cid)
        # keys, roles, links and accreditations still work as provisioned
        self.upload("bsi", cb_body())
        self.upload("sgs", mncb_body("tuv"))
        r = self.call("POST", "sgs", "upload-cert", body=mncb_body("lrqa"))
        self.assertEqual(r.status, 400, r)
        self.assertIn("certification_body_name", r.json["errors"]["message"])
        r = self.server.request("GET", path("cb", "cert"), headers=auth("sgs"))
        self.assertEqual(r.status, 403, r)


class StopRightAfterStart(unittest.TestCase):
    # The "listening on" line is the readiness signal tests and scripts wait for; a SIGTERM sent
    # just after it must still stop the server gracefully (it once hit the default action).
    def test_sigterm_right_after_ready_line_exits_0(self):
        codes = []
        for _ in range(10):
            with Server(provision=PROVISION) as srv:
                codes.append(srv.stop())
        self.assertEqual(codes, [0] * 10)


if __name__ == "__main__":
    main()
