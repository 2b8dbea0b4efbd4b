"""Shared by the Sertifika Merkezi end-to-end tests: three companies with their templates and
tokens, request helpers and the exact messages of docs/sertifika.md.

Tests sharing one server never depend on each other: each issues to fresh e-mail addresses, and
a test that needs an exact list uses a template (or company) no other test touches.
"""

import hashlib
import json
import uuid

from harness import DEMO, ServerTest

BASE = "/api/v1.0/"

A_ID = "3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11"
B_ID = "9e0c2f4a-1b7d-4c3e-8f21-5d6a7b8c9d0e"
G_ID = "gamma-academy"  # provisioning does not require company ids to be GUIDs

# Templates of company A (Advancity), as in the seed.
T1 = "64c9f080-2314-4f02-a43c-923d83e8e444"
T2 = "64c9f080-2314-4f02-a43c-923d83e8e555"
# Stored in uppercase: ids are compared ignoring case.
T_UPPER = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D"
# Templates for tests that need an exact list of holders, one test each.
T_LIST = "0f2d6a1e-0000-4000-8000-000000000001"
T_DEL_ALL = "0f2d6a1e-0000-4000-8000-000000000002"
T_IN_USE = "0f2d6a1e-0000-4000-8000-000000000003"
T_DEL_EMAILS = "0f2d6a1e-0000-4000-8000-000000000004"
T_BULK = "0f2d6a1e-0000-4000-8000-000000000005"
T_TENANCY = "0f2d6a1e-0000-4000-8000-000000000006"
# Company B's template.
TB = "7c1e2d3f-4a5b-4c6d-8e7f-901a2b3c4d5e"
# Company G's templates.
TG1 = "5a5a5a5a-1111-4222-8333-444455556666"
TG2 = "5a5a5a5a-1111-4222-8333-444455557777"
# A GUID no company has.
UNKNOWN_T = "deadbeef-dead-4eef-8eef-deadbeefdead"

PROPS = [{"key": "alias_1434977880189", "title": "title_1434977880189"},
         {"key": "alias_1434977884195", "title": "title_1434977884195"}]


def template(tid, name, properties=()):
    return {"id": tid, "name": name, "properties": list(properties)}


PROVISION = {
    **DEMO,
    "origin_companies": [{"id": "acme", "name": "ACME Inc.", "tokens": ["origin-acme-token"]}],
    "sertifika_companies": [
        {"id": A_ID, "name": "Advancity", "tokens": ["sm-advancity-token", "sm-advancity-2"],
         "templates": [
             template(T1, "Advancity Test Sertifikası", PROPS),
             template(T2, "Advancity Test Sertifikası 1"),
             template(T_UPPER, "Büyük Harf Sertifikası"),
             template(T_LIST, "Liste Sertifikası", PROPS[:1]),
             template(T_DEL_ALL, "Toplu Silme Sertifikası"),
             template(T_IN_USE, "Kullanım Sertifikası", PROPS),
             template(T_DEL_EMAILS, "E-posta Silme Sertifikası"),
             template(T_BULK, "Toplu Sertifika"),
             template(T_TENANCY, "Kiracı Sertifikası")]},
        {"id": B_ID, "name": "Beta Eğitim", "tokens": ["sm-beta-token"],
         "templates": [template(TB, "Beta Sertifikası", PROPS[:1])]},
        {"id": G_ID, "name": "Gamma Academy", "tokens": ["sm-gamma-token"],
         "templates": [template(TG1, "Gamma One"), template(TG2, "Gamma Two")]},
    ],
}

A = {"Authorization": "sm-advancity-token"}
B = {"Authorization": "sm-beta-token"}
G = {"Authorization": "sm-gamma-token"}

DENIED = {"status": "ERROR", "messageList": ["Authorization has been denied for this request."]}


def user_code(email):
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def new_email(tag="user"):
    return f"{tag}.{uuid.uuid4().hex[:12]}@example.com"


def item(tid, email=None, **extra):
    out = {"id": tid, "Name": "Jhon", "Surname": "Doe", "Email": email or new_email(),
           "Hour": 12, "Point": 85.5, "Educator": "Ayşe Öğretmen",
           "Properties": [], "metaTag": [{"value": "tag"}]}
    out.update(extra)
    return out


def undefined(what, value):
    return {"status": "ERROR", "messageList": [f"{what} : '{value}' is undefined"]}


def counts(k, m):
    return [f"Success count :{k}", f"Error count :{m}"]


class SertifikaTest(ServerTest):
    PROVISION = PROVISION

    def call(self, method, path, body=None, headers=A, raw=None):
        return self.req(method, BASE + path, body=body, headers=headers, raw=raw)

    def get(self, path, headers=A, status=200):
        r = self.call("GET", path, headers=headers)
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers["content-type"], "application/json")
        return r.json

    def issue(self, items, headers=A, status=200):
        r = self.call("POST", "certificate/", body={"certificateItem": items}, headers=headers)
        self.assertEqual(r.status, status, r)
        return r.json

    def issue_ok(self, items, headers=A):
        out = self.issue(items, headers)
        self.assertEqual(out["status"], "OK")
        self.assertEqual(out["messageList"][-2:], counts(len(items), 0), out)
        return out

    def holder(self, tid, email, headers=A):
        return self.get(f"certificate/{tid}/user/{user_code(email)}", headers)

    def assert_envelope(self, r, status, messages):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers["content-type"], "application/json")
        self.assertEqual(r.json, {"status": "ERROR", "messageList": messages})

    def assert_json_string(self, r, status, text):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.body, json.dumps(text))
