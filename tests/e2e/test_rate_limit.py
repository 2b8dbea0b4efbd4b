"""--rate-limit: a bucket per credential (of the client address without one) under each dialect's
prefix, answered with 429 in that dialect's envelope and Retry-After (docs/security.md)."""

import json
import os

from harness import ROOT, ServerTest, main

with open(os.path.join(ROOT, "demo", "provision.json")) as f:
    DEMO_ALL = json.load(f)  # one tenant of every dialect

IAF_CB = {"x-http-authorization": "cb-bsi-key"}
IAF_AB = {"x-http-authorization": "ab-ukas-key"}
ORIGIN = {"authorization": "Bearer origin-acme-token"}
SERTIFIKA = {"Authorization": "sm-advancity-token"}
SERTIFIKA_COMPANY = "/api/v1.0/company/3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11/certificate"


class RateLimit(ServerTest):
    # Two requests at once, then one a minute: the third request of a test is refused.
    PROVISION = DEMO_ALL
    ARGS = ("--rate-limit", "1/m", "--rate-burst", "2")

    def exhaust(self, method, path, headers=None, body=None, ok=200):
        for _ in range(2):
            r = self.req(method, path, headers=headers, body=body)
            self.assertEqual(r.status, ok, r)
        r = self.req(method, path, headers=headers, body=body)
        self.assertEqual(r.status, 429, r)
        self.assertTrue(1 <= int(r.headers["retry-after"]) <= 60, r.headers)
        return r

    def test_iaf_envelope_and_other_keys_unaffected(self):
        r = self.exhaust("GET", "/api/client/v1/cb/cert", IAF_CB)
        self.assertEqual(r.json["error"], True)
        self.assertEqual(r.json["errors"]["code"], "too_many_requests")
        self.assertIn("timestamp", r.json)
        # Another credential has its own bucket, on any route of the dialect.
        self.assertEqual(self.req("GET", "/api/client/v1/ab/cert", headers=IAF_AB).status, 200)
        # The limited key stays limited on every route.
        self.assertEqual(self.req("GET", "/api/client/v1/cb/cert/x", headers=IAF_CB).status, 429)

    def test_origin_envelope(self):
        r = self.exhaust("GET", "/connect/v1/standards?locale=en&pageNumber=1&pageSize=10", ORIGIN)
        self.assertEqual(r.json["status"]["state"], "ERROR")
        self.assertTrue(r.json["status"]["code"].startswith("CE00000"), r.json)

    def test_sertifika_envelope(self):
        r = self.exhaust("GET", SERTIFIKA_COMPANY, SERTIFIKA)
        self.assertIn("Too many requests", r.body)

    def test_edin_limits_logins_per_login_and_calls_per_token(self):
        login = {"varLogin": "supplier1", "varPassword": "wrong"}
        r = self.exhaust("POST", "/Api/V1/User/Authorize", body=login)
        self.assertEqual(r.json, {"varMessage": "Слишком много запросов", "intCode": 429})
        # The login is limited, even with the right password: guessing one account is slowed.
        r = self.req("POST", "/Api/V1/User/Authorize",
                     body={"varLogin": "supplier1", "varPassword": "s3cret"})
        self.assertEqual(r.status, 429)

    def test_requests_without_credentials_are_limited_by_address(self):
        self.exhaust("GET", "/api/v1.0/certificate/none", ok=401)

    def test_health_and_unknown_prefixes_are_never_limited(self):
        for _ in range(5):
            self.assertEqual(self.req("GET", "/healthz").status, 200)


class NoLimitByDefault(ServerTest):
    def test_many_requests_pass(self):
        for _ in range(20):
            self.assertEqual(self.req("GET", "/api/client/v1/cb/cert", headers=IAF_CB).status, 200)


if __name__ == "__main__":
    main()
