"""Shared by the Origin Connect end-to-end tests: provisioning, headers, request helpers and the
seed document's samples."""

import json
import os
import re
import time
import uuid

from harness import ServerTest

SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                    "origin-connect.certifications-update.en.txt")
SAMPLE_IDS = ["13949a9b-ee17-4760-93e9-7749ff2faa79", "f5a645f9-57dc-4ae1-9bc8-a0410e3a1f17",
              "fe61dc5b-4c5c-4331-8ca8-45ce264f68f3"]

PROVISION = {
    "origin_companies": [
        {"id": "acme", "name": "ACME Inc.", "tokens": ["origin-acme-token"]},
        {"id": "globex", "name": "Globex", "tokens": ["origin-globex-token"]}],
    "origin_reporting_bodies": [{"name": "Veritas"}, {"name": "UL Solutions"}],
    "origin_standards": [
        {"code": "ISO 9001", "name": "ISO 9001", "type": "STANDARD"},
        {"code": "EPD", "name": "Environmental Product Declaration", "type": "STANDARD"},
        {"code": "Living Product Challenge v1.1", "name": "Living Product Challenge", "type": "LABEL"},
        {"code": "GREENGUARD", "name": "GREENGUARD Gold", "type": "TESTREPORT"}],
}

ACME = {"authorization": "Bearer origin-acme-token"}
GLOBEX = {"authorization": "Bearer origin-globex-token"}

CE00001 = "CE00001 - Connect request failed validation. Refer to provided messages for details."
CE00002 = "CE00002 - Service access require authorization."


def seed_samples():
    """[(title, raw request text)] in the seed's order; the text is sent as it is."""
    with open(SEED, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in re.finditer(r"^- Sample Request \((.*?)\):\n(.*?)(?=^- |\Z)", text, re.S | re.M):
        out.append((m.group(1), m.group(2).strip()))
    return out


def new_certification(**extra):
    item = {"locale": "en", "externalId": f"EXT-{uuid.uuid4()}",
            "url": "https://certs.example.com/c.pdf", "reportingBody": {"name": "Veritas"},
            "standard": {"code": "ISO 9001"}}
    item.update(extra)
    return item


class OriginTest(ServerTest):
    PROVISION = PROVISION

    def call(self, path, body=None, headers=ACME, raw=None, version="v1", method="POST"):
        return self.req(method, f"/connect/{version}/{path}", body=body, headers=headers, raw=raw)

    def create(self, version="v1", headers=ACME, **extra):
        item = new_certification(**extra)
        r = self.call("certifications/create", {"certifications": [item]}, headers, version=version)
        self.assertEqual(r.status, 200, r)
        corr = r.json["result"]["correlations"][0]
        self.assertEqual(corr["externalId"], item["externalId"])
        return corr["originId"], item["externalId"]

    def search(self, criteria, locale="en", headers=ACME, version="v1", page=1, size=100):
        body = {"locale": locale, "pageNumber": str(page), "pageSize": str(size),
                "searchCriteria": [{"name": n, "value": v} for n, v in criteria]}
        r = self.call("certifications/search", body, headers, version=version)
        self.assertEqual(r.status, 200, r)
        return r.json["result"]

    def get(self, origin_id, locale="en", headers=ACME):
        data = self.search([("ORIGINID", origin_id)], locale, headers)["data"]
        self.assertEqual(len(data), 1)
        return data[0]

    def assert_error(self, r, status=400, code=CE00001, contains=None):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.json["status"]["state"], "ERROR")
        self.assertEqual(r.json["status"]["code"], code)
        self.assertIn("connectRequest", r.json)
        if contains:
            self.assertTrue(any(contains in m for m in r.json["status"]["messages"]),
                            f"{contains!r} not in {r.json['status']['messages']}")
        return r.json["status"]["messages"]

    def wait_result(self, callback, headers=ACME, timeout=10):
        path = callback.split("://", 1)[1].split("/", 1)[1]
        deadline = time.time() + timeout
        while True:
            r = self.req("GET", "/" + path, headers=headers)
            self.assertEqual(r.status, 200, r)
            result = r.json["result"]
            if result.get("executionStatus") != "PENDING" or time.time() > deadline:
                return result
            time.sleep(0.05)
