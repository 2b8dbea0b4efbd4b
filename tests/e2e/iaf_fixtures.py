"""Shared fixtures and helpers for the IAF CertSearch (CB / MNCB) end-to-end tests.

The contract is docs/iaf.md. Every helper builds fresh data with unique certificate numbers and
certified-entity unique ids, so tests sharing one server never depend on each other.
"""

import json
import re
import socket
import time
import uuid

from harness import ServerTest

BASE = "/api/client/v1"

# --- Provisioning: two accreditation bodies, four CBs, two MNCBs ------------------------------

UKAS = {"id": "ukas", "name": "United Kingdom Accreditation Service", "acronym": "UKAS",
        "country": "United Kingdom", "api_keys": ["ab-ukas-key"]}
DAKKS = {"id": "dakks", "name": "Deutsche Akkreditierungsstelle GmbH", "acronym": "DAkkS",
         "country": "Germany", "api_keys": ["ab-dakks-key"]}

BSI = {"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI", "country": "United Kingdom",
       "accreditation_body": "ukas", "identity_number": "CB-0001", "api_keys": ["cb-bsi-key"]}
LRQA = {"id": "lrqa", "name": "LRQA Limited", "acronym": "LRQA", "country": "United Kingdom",
        "accreditation_body": "ukas", "identity_number": "CB-0002", "api_keys": ["cb-lrqa-key"]}
TUV = {"id": "tuv", "name": "TÜV SÜD Management Service GmbH", "acronym": "TUV",
       "country": "Germany", "accreditation_body": "dakks", "identity_number": "D-ZM-0001",
       "api_keys": ["cb-tuv-key"]}
# Shares the acronym "BSI" with bsi: an MNCB linked to both must name it by name and acronym.
BSI_DE = {"id": "bsi-de", "name": "BSI Group Deutschland GmbH", "acronym": "BSI",
          "country": "Germany", "accreditation_body": "dakks", "identity_number": "D-ZM-0002",
          "api_keys": ["cb-bsi-de-key"]}

SGS = {"id": "sgs", "name": "SGS Group", "acronym": "SGS", "country": "Switzerland",
       "certification_bodies": ["bsi", "tuv", "bsi-de"], "api_keys": ["mncb-sgs-key"]}
BV = {"id": "bv", "name": "Bureau Veritas", "acronym": "BV", "country": "France",
      "certification_bodies": ["lrqa"], "api_keys": ["mncb-bv-key"]}

PROVISION = {
    "accreditation_bodies": [UKAS, DAKKS],
    "certification_bodies": [BSI, LRQA, TUV, BSI_DE],
    "mncbs": [SGS, BV],
}

ABS = {b["id"]: b for b in PROVISION["accreditation_bodies"]}
CBS = {b["id"]: b for b in PROVISION["certification_bodies"]}
MNCBS = {b["id"]: b for b in PROVISION["mncbs"]}

# Who -> (role prefix, API key). "ukas"/"dakks" are AB keys.
KEYS = {
    "bsi": ("cb", "cb-bsi-key"), "lrqa": ("cb", "cb-lrqa-key"), "tuv": ("cb", "cb-tuv-key"),
    "bsi-de": ("cb", "cb-bsi-de-key"),
    "sgs": ("mncb", "mncb-sgs-key"), "bv": ("mncb", "mncb-bv-key"),
    "ukas": ("ab", "ab-ukas-key"), "dakks": ("ab", "ab-dakks-key"),
}


def auth(who):
    """Header dict carrying the API key of `who` (an organisation id of PROVISION)."""
    return {"x-http-authorization": KEYS[who][1]}


H_BSI = auth("bsi")
H_LRQA = auth("lrqa")
H_TUV = auth("tuv")
H_SGS = auth("sgs")
H_BV = auth("bv")
H_UKAS = auth("ukas")


def role_of(who):
    return KEYS[who][0]


def path(role, rest):
    return f"{BASE}/{role}/{rest}"


# --- Documented constants -----------------------------------------------------------------------

INVALID_TOKEN_MESSAGE = "Invalid Session token has been used."
NOT_FOUND_MESSAGE = ("The requested resource could not be found but may be available again in the "
                     "future. Subsequent requests by the client are permissible.")

CB_REQUIRED = ["certificate_number", "certification_status", "certification_type",
               "certification_issue_date", "certification_expiry_date", "certified_entity_name",
               "certified_entity_unique_id", "certified_entity_country",
               "accreditation_body_name", "accreditation_body_acronym_name", "schemes"]
MNCB_REQUIRED = CB_REQUIRED + ["certification_body_name", "certification_body_acronym_name"]

CERT_FIELDS = {
    "company_certifications_id", "company_id", "company_name", "company_former_names",
    "company_english_name", "company_trading_name", "certified_entity_unique_id",
    "company_street", "company_city", "company_state", "company_postcode", "company_country",
    "company_website", "is_confidential", "certification_number", "certificate_identity_number",
    "status", "type", "scope_description", "issue_date", "expiry_date", "original_issue_date",
    "accreditation_status", "certification_bodies_id", "certification_bodies_name",
    "certification_bodies_accreditation_status", "withdrawn_at", "accreditation_bodies_id",
    "accreditation_bodies_name", "schemes", "sites", "created_at", "updated_at",
    "contributor", "is_primary", "primary_contributor"}

ENTITY_FIELDS = {
    "company_id", "company_guid", "company_name", "company_en_name", "company_trading_name",
    "company_former_names", "certified_entity_unique_id", "company_street", "company_city",
    "company_state", "company_postcode", "company_country", "company_website",
    "company_id_number", "business_reg_number", "tax_id", "vat", "duns_number",
    "is_confidential", "system_information", "created_at", "updated_at"}

SITE_FIELDS = {"street", "city", "state", "country", "postcode", "scope_description"}

# The guide's own curl sample body (seeds/iaf-certsearch.mncb-upload-cert.fr.txt), verbatim.
SEED_CURL_BODY = (
    '{\n'
    '\t"certificate_number": "string",\n'
    '\t"certification_status": "string",\n'
    '\t"certificate_accreditation_status": "string",\n'
    '\t"certification_type": "string",\n'
    '\t"certification_scope": "string",\n'
    '\t"certification_original_issue_date": "string",\n'
    '\t"certification_issue_date": "string",\n'
    '\t"certification_expiry_date": "string",\n'
    '\t"certified_entity_name": "string",\n'
    '\t"certified_entity_english_name": "string",\n'
    '\t"certified_entity_trading_name": "string",\n'
    '\t"certified_entity_unique_id": "string",\n'
    '\t"certified_entity_street_address": "string",\n'
    '\t"certified_entity_street_city": "string",\n'
    '\t"certified_entity_state": "string",\n'
    '\t"certified_entity_post_code": "string",\n'
    '\t"certified_entity_country": "string",\n'
    '\t"certified_entity_website": "string",\n'
    '\t"confidential_certified_entity": "boolean",\n'
    '\t"accreditation_body_name": "string",\n'
    '\t"accreditation_body_acronym_name": "string",\n'
    '\t"certification_body_name": "string",\n'
    '\t"certification_body_acronym_name": "string",\n'
    '\t"schemes": [\n'
    '\t\t{\n'
    '\t\t\t"scheme_name": "string",\n'
    '\t\t\t"standard_list": [\n'
    '\t\t\t\t{\n'
    '\t\t\t\t\t"standards_name": "string"\n'
    '\t\t\t\t}\n'
    '\t\t\t]\n'
    '\t\t}\n'
    '\t],\n'
    '\t"sites": [\n'
    '\t\t{\n'
    '\t\t\t"street": "string",\n'
    '\t\t\t"city": "string",\n'
    '\t\t\t"state": "string",\n'
    '\t\t\t"country": "string",\n'
    '\t\t\t"postcode": "string",\n'
    '\t\t\t"scope_description": "string"\n'
    '\t\t}\n'
    '\t]\n'
    '}')

# --- Body builders -------------------------------------------------------------------------

OMIT = object()  # pass as an override value to remove a field from a built body


def uid():
    return uuid.uuid4().hex[:12]


def _apply(body, overrides):
    for k, v in overrides.items():
        if v is OMIT:
            body.pop(k, None)
        else:
            body[k] = v
    return body


def cb_body(cb="bsi", **overrides):
    """A fresh, valid upload-cert record for certification body `cb` (naming its own AB)."""
    n = uid()
    ab = ABS[CBS[cb]["accreditation_body"]]
    body = {
        "certificate_number": f"CERT-{n}",
        "certification_status": "active",
        "certificate_accreditation_status": "Accredited",
        "certification_type": "Management System",
        "certification_scope": "Design and manufacture of widgets",
        "certification_original_issue_date": "20170203",
        "certification_issue_date": "20230101",
        "certification_expiry_date": "20260101",
        "certified_entity_name": f"Widget Works {n} Ltd",
        "certified_entity_english_name": f"Widget Works {n} Limited",
        "certified_entity_trading_name": f"Widgets {n}",
        "certified_entity_unique_id": f"CE-{n}",
        "certified_entity_street_address": "1 High Street",
        "certified_entity_street_city": "London",
        "certified_entity_state": "Greater London",
        "certified_entity_post_code": "EC1A 1AA",
        "certified_entity_country": "United Kingdom",
        "certified_entity_website": "https://widgets.example",
        "confidential_certified_entity": False,
        "accreditation_body_name": ab["name"],
        "accreditation_body_acronym_name": ab["acronym"],
        "schemes": [{"scheme_name": "ISO 9001",
                     "standard_list": [{"standards_name": "ISO 9001:2015"}]}],
        "sites": [{"street": "2 Low Road", "city": "Leeds", "state": "West Yorkshire",
                   "country": "United Kingdom", "postcode": "LS1 1AA",
                   "scope_description": "Warehouse"}],
    }
    return _apply(body, overrides)


def mncb_body(cb="bsi", **overrides):
    """A fresh, valid upload-cert record for an MNCB uploading for `cb` (naming CB and its AB)."""
    body = cb_body(cb)
    body["certification_body_name"] = CBS[cb]["name"]
    body["certification_body_acronym_name"] = CBS[cb]["acronym"]
    return _apply(body, overrides)


def ab_body(cb="bsi", **overrides):
    """A fresh, valid upload-cert record for the AB accrediting `cb`, naming that CB."""
    body = cb_body(cb)
    body["certification_body_name"] = CBS[cb]["name"]
    body["certification_body_identity_number"] = CBS[cb]["identity_number"]
    return _apply(body, overrides)


def minimal_cb_body(cb="bsi", **overrides):
    """Only the fields a CB must send."""
    full = cb_body(cb)
    body = {k: full[k] for k in CB_REQUIRED}
    return _apply(body, overrides)


def body_for(who, cb=None, **overrides):
    """A valid record for uploader `who` (a CB, MNCB or AB id; `cb` = issuing CB for MNCBs and
    ABs, by default their first)."""
    if role_of(who) == "cb":
        return cb_body(who, **overrides)
    if role_of(who) == "ab":
        return ab_body(cb or next(c for c in CBS if CBS[c]["accreditation_body"] == who),
                       **overrides)
    return mncb_body(cb or MNCBS[who]["certification_bodies"][0], **overrides)


# --- Assertion and request helpers --------------------------------------------------------------

DATE_RE = re.compile(r"^\d{8}$")


class IafTest(ServerTest):
    """One server per class, provisioned with PROVISION, plus IAF helpers."""

    PROVISION = PROVISION

    # requests
    def call(self, method, who, rest, body=None, raw=None, headers=None, role=None):
        hdrs = dict(auth(who)) if who else {}
        hdrs.update(headers or {})
        if raw is not None and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = "application/json"
        return self.req(method, path(role or role_of(who), rest), body=body, raw=raw,
                        headers=hdrs)

    def upload_raw(self, who, body):
        return self.call("POST", who, "upload-cert", body=body)

    def upload(self, who, body):
        """Uploads and asserts success; returns the company_certifications_id."""
        r = self.upload_raw(who, body)
        self.assertEqual(r.status, 200, r)
        # The documented keys; the exact shape is checked once in test_iaf_upload.py.
        self.assertTrue({"data", "company_certifications_id"} <= set(r.json), r)
        self.assertIs(r.json["data"], True, r)
        cid = r.json["company_certifications_id"]
        self.assertIsInstance(cid, str)
        self.assertTrue(cid)
        return cid

    def bulk_raw(self, who, records):
        return self.call("POST", who, "bulk-upload-cert", body={"certifications": records})

    def bulk(self, who, records):
        r = self.bulk_raw(who, records)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"data": {"success": True}})
        return r

    def get_cert(self, who, cid):
        """GET cert/{id}; asserts 200 and returns the certification object."""
        r = self.call("GET", who, f"cert/{cid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(set(r.json), {"data"}, r)
        return r.json["data"]

    def list_page(self, who, limit=None, offset=None):
        q = []
        if limit is not None:
            q.append(f"limit={limit}")
        if offset is not None:
            q.append(f"offset={offset}")
        return self.call("GET", who, "cert" + ("?" + "&".join(q) if q else ""))

    def all_certs(self, who):
        """Every certification `who` sees, following the pages."""
        out, page = [], 0
        while True:
            r = self.list_page(who, limit=100, offset=page)
            self.assertEqual(r.status, 200, r)
            out += r.json["data"]
            if page + 1 >= r.json["meta"]["total_pages"]:
                return out
            page += 1

    def numbers_of(self, who):
        return {c["certification_number"] for c in self.all_certs(who)}

    def find_by_number(self, who, number):
        return [c for c in self.all_certs(who) if c["certification_number"] == number]

    # assertions
    def assert_envelope(self, r, status, code):
        """The IAF error envelope; returns errors."""
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/json"), r.headers)
        j = r.json
        self.assertEqual(set(j), {"error", "timestamp", "elapse", "errors"}, j)
        self.assertIs(j["error"], True)
        self.assertIsInstance(j["timestamp"], int)
        self.assertNotIsInstance(j["timestamp"], bool)
        self.assertLess(abs(j["timestamp"] - time.time()), 10)
        self.assertIsInstance(j["elapse"], (int, float))
        self.assertNotIsInstance(j["elapse"], bool)
        self.assertGreaterEqual(j["elapse"], 0)
        self.assertLess(j["elapse"], 30)
        self.assertEqual(j["errors"]["code"], code, j)
        return j["errors"]

    def assert_validation(self, r, *fields, exact=False):
        """400 validation_error naming every one of `fields`; returns the message map."""
        errors = self.assert_envelope(r, 400, "validation_error")
        self.assertEqual(set(errors), {"code", "message"}, errors)
        msgs = errors["message"]
        self.assertIsInstance(msgs, dict, errors)
        for f in fields:
            self.assertIn(f, msgs, msgs)
            self.assertIsInstance(msgs[f], str)
            self.assertTrue(msgs[f])
        if exact:
            self.assertEqual(set(msgs), set(fields), msgs)
        return msgs

    def assert_not_found(self, r):
        errors = self.assert_envelope(r, 404, "not_found")
        self.assertEqual(errors, {"message": NOT_FOUND_MESSAGE, "code": "not_found"})

    def assert_unauthorized(self, r):
        errors = self.assert_envelope(r, 401, "invalid_session_token")
        self.assertEqual(errors, {"message": INVALID_TOKEN_MESSAGE,
                                  "code": "invalid_session_token"})


def send_large(port, head, body, timeout=30.0):
    """Sends a request whose body may be refused before it is all sent; returns the raw reply."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(head)
        try:
            view = memoryview(body)
            step = 1 << 20
            for i in range(0, len(body), step):
                s.sendall(view[i:i + step])
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not c:
                break
            chunks.append(c)
        return b"".join(chunks)
    finally:
        s.close()


def split_response(raw):
    """(status, headers dict, body bytes) of one raw HTTP/1.1 response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return status, headers, body


def dumps(value):
    return json.dumps(value).encode()
