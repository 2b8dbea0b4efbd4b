#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the samples of the seed documents
(/work/shared/seeds, or SEEDS_DIR) and the valid bodies the e2e suites build
(tests/e2e/*_fixtures.py), plus a few malformed inputs. Run again after changing a fixture; the
files are checked in, so a build needs neither. Inputs whose first byte picks a route use the
order of the harness in fuzz/<target>.cpp."""

import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import edin_fixtures as edin  # noqa: E402
import iaf_fixtures as iaf  # noqa: E402
import origin_fixtures as origin  # noqa: E402
import sertifika_fixtures as sertifika  # noqa: E402

SEEDS = os.environ.get("SEEDS_DIR", "/work/shared/seeds")
OUT = os.path.join(ROOT, "fuzz", "corpus")
EDIN_TOKEN = "EDIN-SESSION-TOKEN-26CHARS"  # fuzz::kEdinTokenPlaceholder
MALFORMED = [b"", b"{", b"[]", b"null", b'{"a":', b'{"a":1,}', b"[" * 100 + b"]" * 100,
             b'{"\xff\xfe":"\xc3"}', b'"\\ud800"', b"1e999"]


def fragments(path):
    """Every top-level {...} or [...] of a seed document, JSON or not, as written."""
    text = open(path, encoding="utf-8").read()
    out, i = [], 0
    while i < len(text):
        if text[i] not in "{[":
            i += 1
            continue
        depth, j, quoted = 0, i, False
        while j < len(text):
            c = text[j]
            if quoted:
                quoted = c != '"' or text[j - 1] == "\\"
            elif c == '"':
                quoted = True
            elif c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if len(text[i:j + 1]) > 20:
            out.append(text[i:j + 1].encode())
        i = j + 1
    return out


def seed_docs(prefix):
    return [f for name in sorted(os.listdir(SEEDS)) if name.startswith(prefix)
            for f in fragments(os.path.join(SEEDS, name))]


def dumps(value):
    return json.dumps(value, ensure_ascii=False).encode()


def write(target, inputs):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for data in inputs:
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)


def picked(choice, bodies):
    return [bytes([choice]) + b for b in bodies]


def http_request(method, path, headers, body=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    if body or method in ("POST", "PUT", "DELETE"):
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def main():
    # IAF: the choice is role * 7 + route; roles ab, cb, mncb; routes upload, bulk_upload,
    # entity_name, entity_details, upload_cb, update_cb, cb_ref.
    ab, cb, mncb = 0, 7, 14
    iaf_docs = seed_docs("iaf-certsearch") + [iaf.SEED_CURL_BODY.encode()]
    bodies = {ab: [dumps(iaf.ab_body())], cb: [dumps(iaf.cb_body()), dumps(iaf.minimal_cb_body())],
              mncb: [dumps(iaf.mncb_body())] + iaf_docs}
    inputs = []
    for role, records in bodies.items():
        inputs += picked(role, records)
        inputs += picked(role + 1, [b'{"certifications":[' + b",".join(records) + b"]}"])
    cb_doc = {"certification_body_identity_number": "CB-0002",
              "certification_body_name": "LRQA Limited", "certification_body_acronym": "LRQA",
              "country": "United Kingdom", "accreditation_status": "Active (valid)",
              "website": "https://lrqa.com", "public_email_address": "a@lrqa.com"}
    inputs += picked(ab + 2, [dumps({"company_guid": "x", "company_name": "N"})])
    inputs += picked(ab + 3, [dumps({"company_guid": "x", "company_name": "N", "company_vat": "1",
                                     "company_country": "France", "company_city": "Paris"})])
    inputs += picked(ab + 4, [dumps(cb_doc)])
    inputs += picked(ab + 5, [dumps(dict(cb_doc, certification_bodies_id="bsi"))])
    inputs += picked(ab + 6, [dumps({"certification_bodies_guid_in_ab": "CB-0001"})])
    inputs += picked(cb, MALFORMED)
    write("iaf", inputs)

    # Origin: commands 0-5 (action + 3 * version), 6 search, 7-10 lookups (a request target).
    samples = [s.encode() for _, s in origin.seed_samples()] + seed_docs("origin-connect")
    create = dumps({"certifications": [origin.new_certification()]})
    inputs = picked(1, samples) + picked(4, samples) + picked(0, [create]) + picked(3, [create])
    inputs += picked(2, [dumps({"certifications": [{"originId": origin.SAMPLE_IDS[0]}]})])
    inputs += picked(6, [dumps({"locale": "en", "pageNumber": 1, "pageSize": 10,
                                "criteria": [{"name": "KEYWORD", "values": ["ISO"]}]})])
    inputs += picked(7, [b"/connect/v1/standards?locale=en"])
    inputs += picked(10, [b"/connect/v2/standards?locale=en&pageNumber=1&pageSize=10"
                          b"&keyword=iso&standardType=STANDARD"])
    inputs += picked(1, MALFORMED)
    write("origin", inputs)

    # Sertifika: 0 POST certificate/, 1 DELETE certificate/{id}/user.
    tid = sertifika.PROVISION["sertifika_companies"][0]["templates"][0]["id"]
    inputs = picked(0, [dumps({"certificateItem": [sertifika.item(tid, "a@example.com")]})])
    inputs += picked(0, seed_docs("sertifika-merkezi"))
    inputs += picked(1, [dumps(["a@example.com"]), dumps({"emails": ["a@example.com"]}), b""])
    inputs += picked(0, MALFORMED)
    write("sertifika", inputs)

    # EDIN: the router's /Api/V1/ routes but User/Authorize, in order, GET then POST of each
    # (dialects/edin/routes.cpp).
    names = ["Certificate/Create", "Certificate/AttachScan", "Certificate/SetAccess",
             "Certificate/SetBind", "Certificate/NotifyError"]
    post = {n: 2 * i + 1 for i, n in enumerate(names)}
    post.update({"GetCertUA/GetCertByID": 23, "GetCertUA/GetCertsByNum": 27})
    token = {"varToken": EDIN_TOKEN}
    inputs = picked(post["Certificate/Create"], [dumps(dict(token, **edin.seed_body())),
                                                  dumps(dict(token, **edin.cert_body()))])
    inputs += picked(post["Certificate/Create"], seed_docs("edin."))
    inputs += picked(post["Certificate/AttachScan"], [dumps(dict(
        token, cert_id="1", file_name="scan.pdf", file_body=edin.b64(b"%PDF-1.4")))])
    inputs += picked(post["Certificate/SetAccess"], [dumps(dict(
        token, cert_id="1", access_type="2", access_action="1",
        amigos_info=[{"gln": "4829900023799", "isRetailer": "true"}]))])
    inputs += picked(post["Certificate/SetBind"], [dumps(dict(
        token, cert_id="1", bind_action="1",
        product_binds=[{"gtin": "4820000005050", "article_supplier": "A-1"}]))])
    inputs += picked(post["Certificate/NotifyError"],
                     [dumps(dict(token, cert_id="1", type_error="1", text="x"))])
    inputs += picked(post["GetCertUA/GetCertByID"], [dumps(dict(token, cert_id="1"))])
    inputs += picked(post["GetCertUA/GetCertsByNum"], [dumps(dict(token, cert_number="Test"))])
    inputs += picked(post["Certificate/Create"], MALFORMED)
    write("edin", inputs)

    # Provisioning documents.
    write("provisioning", [open(os.path.join(ROOT, "demo", "provision.json"), "rb").read(),
                           dumps(iaf.PROVISION), dumps(origin.PROVISION),
                           dumps(sertifika.PROVISION), dumps(edin.PROVISION)] + MALFORMED)

    # HTTP: whole requests, one per dialect, pipelined, chunked, and broken ones.
    cb_key = {"x-http-authorization": "cb-bsi-key"}
    reqs = [
        http_request("POST", "/api/client/v1/cb/upload-cert", cb_key, dumps(iaf.cb_body())),
        http_request("GET", "/api/client/v1/cb/cert?limit=5&offset=0", cb_key),
        http_request("POST", "/connect/v1/certifications/create",
                     {"authorization": "Bearer origin-acme-token"}, create),
        http_request("POST", "/api/v1.0/certificate/", {"Authorization": "sm-advancity-token"},
                     dumps({"certificateItem": [sertifika.item(tid, "a@example.com")]})),
        http_request("POST", "/Api/V1/Certificate/Create", {},
                     dumps(dict(token, **edin.seed_body()))),
        http_request("POST", "/admin/v1/provision", {"Authorization": "Bearer fuzz-admin-token"},
                     open(os.path.join(ROOT, "demo", "provision.json"), "rb").read()),
        http_request("GET", "/healthz", {}) + http_request("GET", "/admin/v1/routes", {}),
        http_request("OPTIONS", "/api/client/v1/cb/cert", cb_key),
        b"POST /api/v1.0/certificate/ HTTP/1.1\r\nAuthorization: sm-advancity-token\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"cer\r\n0\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n", b"GET /healthz HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"POST /api/client/v1/cb/upload-cert HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n{",
        b"\x00\xff garbage\r\n\r\n",
    ]
    write("http", reqs)

    # Dates (YYYYMMDD, ISO, DD.MM.YYYY, ISO date-times), GLNs, CAS numbers.
    write("dates", [b"20230131", b"2024-02-29", b"29.02.2024", b"2023-02-30", b"99991231",
                    b"2008-09-15T15:53:00", b"2008-09-15T15:53:00.123456Z",
                    b"2008-09-15 15:53:00+05:30", b"1000-01-01", b"31.12.9999"])
    write("gln", [b"9864066822454", b"4829900023799", b"4820000005050", b"123", b"98640668224x4"])
    write("cas", [b"50-00-0", b"7732-18-5", b"1234567-12-12", b"1-00-0", b"50-00-", b"50--0"])


if __name__ == "__main__":
    main()
