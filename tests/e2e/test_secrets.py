"""Secrets (docs/security.md): with the most verbose logging, no API key, token or password that a
client sent, right or wrong, appears in the server's log; and none is stored in the clear."""

import json
import os
import urllib.parse

from harness import ENGINE, ROOT, Server, main
import unittest

with open(os.path.join(ROOT, "demo", "provision.json")) as f:
    DEMO_ALL = json.load(f)

ADMIN_TOKEN = "admin-secret-7f3a9c"
WRONG = ["wrong-iaf-key-5d1e", "wrong-origin-token-8b2c", "wrong-sm-token-3e4f",
         "wrong-password-9a0b", "wrong-edin-token-1c2d", "wrong-admin-token-6e7f"]
PROVISIONED = ["cb-bsi-key", "mncb-sgs-key", "ab-ukas-key", "origin-acme-token",
               "sm-advancity-token", "s3cret"]


class Secrets(unittest.TestCase):
    def test_no_secret_in_logs_or_in_the_database(self):
        with Server(provision=DEMO_ALL, args=["--log-level", "trace"],
                    env={"CERTREG_ADMIN_TOKEN": ADMIN_TOKEN}) as s:
            def req(method, path, headers=None, body=None):
                return s.request(method, path, headers=headers, body=body)

            self.assertEqual(req("GET", "/api/client/v1/cb/cert",
                                 {"x-http-authorization": "cb-bsi-key"}).status, 200)
            self.assertEqual(req("GET", "/api/client/v1/cb/cert",
                                 {"x-http-authorization": WRONG[0]}).status, 401)
            self.assertEqual(req("GET", "/connect/v1/check",
                                 {"authorization": "Bearer " + WRONG[1]}).status, 401)
            self.assertIn(req("GET", "/connect/v1/check",
                              {"authorization": "Bearer origin-acme-token"}).status, (200, 400))
            company = DEMO_ALL["sertifika_companies"][0]["id"]
            for token in ("sm-advancity-token", WRONG[2]):
                req("GET", f"/api/v1.0/company/{company}/certificate", {"Authorization": token})
            r = req("POST", "/Api/V1/User/Authorize",
                    body={"varLogin": "supplier1", "varPassword": "s3cret"})
            token = r.json["varToken"]
            req("POST", "/Api/V1/User/Authorize",
                body={"varLogin": "supplier1", "varPassword": WRONG[3]})
            # Tokens in the body and in the query string (EDIN takes both).
            req("POST", "/Api/V1/Certificate/ShowTypes", body={"varToken": token})
            req("GET", "/Api/V1/Certificate/ShowTypes?" + urllib.parse.urlencode({"varToken": token}))
            req("GET", "/Api/V1/Certificate/ShowTypes?" + urllib.parse.urlencode({"varToken": WRONG[4]}))
            for admin in (ADMIN_TOKEN, WRONG[5]):
                req("POST", "/admin/v1/provision", {"Authorization": "Bearer " + admin}, DEMO_ALL)
            # A provisioning document with an error echoes paths, never values.
            bad = json.loads(json.dumps(DEMO_ALL))
            bad["edin_users"][0]["password"] = 12345
            req("POST", "/admin/v1/provision", {"Authorization": "Bearer " + ADMIN_TOKEN}, bad)
            dump = self.database_text(s)
            self.assertEqual(s.stop(), 0)
            log = s.log()
        self.assertIn("/Api/V1/Certificate/ShowTypes", log, "trace logging should log requests")
        for secret in PROVISIONED + WRONG + [ADMIN_TOKEN, token]:
            self.assertNotIn(secret, log, f"{secret!r} is in the log")
            self.assertNotIn(secret, dump, f"{secret!r} is stored in the clear")

    def database_text(self, server):
        if ENGINE == "postgresql":
            tables = [r[0] for r in server.sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        else:
            tables = [r[0] for r in server.sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(server.sql(f"SELECT * FROM {t}")) for t in tables)


if __name__ == "__main__":
    main()
