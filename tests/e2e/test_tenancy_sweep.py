"""Tenancy sweep (tracker issue 8): every route of every dialect, tried by one tenant with the
ids of another.

For each dialect two tenants of one kind (two CBs, two MNCBs, two ABs; two Origin companies, on
v1 and on v2; two EDIN suppliers; two Sertifika companies) create data. Then each in turn tries
the other's ids on every route (read, update, delete, search, share, bind, attach, complain, issue
to its templates, poll its async batches...) and must get the documented refusal (401, 403, 404,
an empty result, or EDIN's intCode) and none of the other's data: no reply may hold the victim's
ids, numbers or the secret tag written into its free text, unless the request itself sent them.
Afterwards the victim's data, read through the API, is unchanged, and the history table (which
records every change) has no change to the victim's objects by anyone else. Every route is also
sent without a credential and with malformed ones: 401 in the dialect's envelope, and again
nothing changes.

Where a dialect shares data on purpose, the documented sharing is asserted instead: EDIN public
and shared certificates, complaints about them, and GLNs two users have (docs/edin.md, "Who sees
a certificate", "NotifyError", "GetCert controller"); IAF contributor versions and their priority
(docs/iaf.md, "Data priority between contributors"); the Origin lookups, which are reference data
(docs/origin.md, "Lookups").

Coverage: the routes come from the server itself (GET /admin/v1/routes, the router's table of
every method and pattern as registered), and the test fails when a route has no probe here or a
probe names a route the server does not serve. Parsing the registration code in src/ would depend
on how it is written (loops over IAF roles and Origin versions, EDIN's GET and POST pairs); the
server's own table is what it actually serves.
"""

import functools
import json
import re
import time
import unittest
import uuid
from urllib.parse import urlencode

import edin_fixtures
import iaf_fixtures
import origin_fixtures
import sertifika_fixtures
from edin_fixtures import (AUTH_FAILED, CERT_NOT_FOUND, LOGIN_FAILED, NO_ACCESS, NO_DATA, S1, S2,
                           SUCCESS, T1, authorize, b64, cert_body, login, scan)
from harness import Server, main, raw_exchange
from iaf_fixtures import KEYS, MNCBS, body_for, mncb_body
from origin_fixtures import CE00001, CE00002, new_certification
from sertifika_fixtures import A_ID, B_ID, T_TENANCY, TB, item, new_email, user_code

ADMIN_TOKEN = "sweep-admin-token"
# A colleague of the EDIN supplier who shares its GLN S2 (docs/edin.md: a user owns the
# certificates of its GLNs, so both own those of S2).
COLLEAGUE = {"login": "colleague", "password": "Colleague#1-pass", "glns": [S2]}
PROVISION = {
    **iaf_fixtures.PROVISION,
    **origin_fixtures.PROVISION,
    "edin_users": [u for u in edin_fixtures.PROVISION["edin_users"]
                   if u["login"] in ("supplier", "supplier2")] + [COLLEAGUE],
    "edin_glns": edin_fixtures.PROVISION["edin_glns"],
    "sertifika_companies": sertifika_fixtures.PROVISION["sertifika_companies"],
}


def hexid():
    return uuid.uuid4().hex


def normalized(r, real=None):
    """A reply without volatile fields, and `real` written as <id> (to compare with the reply to
    an unknown id)."""
    def walk(v):
        if isinstance(v, str):
            return v.replace(real, "<id>") if real else v
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items() if k not in ("timestamp", "elapse")}
        return v
    return r.status, walk(r.json)


class Tenant:
    """One tenant of a dialect: its credential, what it created, and the markers of that data
    that no other tenant may ever read."""

    def __init__(self, name, cred, actor):
        self.name, self.cred, self.actor = name, cred, actor
        self.secret = f"SECRET{hexid()}"
        self.markers = {self.secret}
        self.told = set()  # others' markers this tenant has sent, so may read back
        self.objects = set()  # ids of its objects in the history table

    def mark(self, value, obj=False):
        self.markers.add(str(value))
        if obj:
            self.objects.add(str(value))
        return value

    def __repr__(self):
        return self.name


class Dialect:
    """The routes under one prefix, two tenants, their data and the checks."""

    def __init__(self, t, a, b):
        self.t, self.server, self.a, self.b = t, t.server, a, b

    def routes(self):
        """(method, pattern) -> (sample, probe): sample(victim) gives a typical (path, body) of the
        route aimed at the victim's data; probe(attacker, victim) tries it as the attacker."""
        raise NotImplementedError

    def wire(self, cred, path, body):
        """(full path, body, headers) of a request to `path` carrying the credential `cred`."""
        raise NotImplementedError

    def request(self, cred, method, path, body=None, conn=None):
        full, body, headers = self.wire(cred, path, body)
        return self.server.request(method, full, body=body, headers=headers, conn=conn)

    def call(self, who, method, path, body=None, victim=None, conn=None):
        """Sends as `who` (a Tenant, or a raw credential); the reply must hold none of the
        victim's markers that the sender has not sent itself (in this request, or earlier into
        records of its own, such as an upload with the victim's certificate number)."""
        cred = who.cred if isinstance(who, Tenant) else who
        r = self.request(cred, method, path, body, conn)
        if victim is not None:
            sent = path + json.dumps(body)
            known = {m for m in victim.markers if m in sent}
            if isinstance(who, Tenant):
                who.told |= known
                known = who.told
            for m in victim.markers - known:
                self.t.assertFalse(m in r.body, f"{method} {path} leaks {victim}'s {m}: {r}")
        return r

    def like_unknown(self, a, v, method, make, real):
        """make(id) -> (path, body). The reply for the victim's id must be the reply for an id
        nobody has, word for word."""
        fake = str(uuid.uuid4())
        r = self.call(a, method, *make(real), victim=v)
        u = self.call(a, method, *make(fake), victim=v)
        self.t.assertEqual(normalized(r, real), normalized(u, fake), f"{method} {make(real)[0]}")
        return r

    def assert_denied(self, r, route):
        """The dialect's reply to a missing or malformed credential on `route`."""
        raise NotImplementedError

    bad_credentials = ()

    def setup(self, tenant):
        raise NotImplementedError

    def snapshot(self, tenant):
        raise NotImplementedError


# --- IAF CertSearch: one instance per role -------------------------------------------------------


class Iaf(Dialect):
    """/api/client/v1/{role}/...: the role's two tenants (docs/iaf.md, "Tenancy": another's id
    answers exactly like an unknown id, 404)."""

    bad_credentials = (None, "", "   ", "no-such-key", "Bearer cb-bsi-key", "CB-BSI-KEY",
                       "cb-bsi-key x", "k" * 8000, "origin-acme-token", "sm-advancity-token")

    def __init__(self, t, role, a, b):
        self.role, self.base = role, f"/api/client/v1/{role}/"
        super().__init__(t, *(Tenant(w, KEYS[w][1], f"iaf:{w}") for w in (a, b)))

    def wire(self, cred, path, body):
        return self.base + path, body, {} if cred is None else {"x-http-authorization": cred}

    def assert_denied(self, r, route):
        self.t.assertEqual((r.status, r.json["errors"]["code"]), (401, "invalid_session_token"), r)

    def upload(self, who, body):
        r = self.call(who, "POST", "upload-cert", body)
        self.t.assertEqual(r.status, 200, r)
        return (r.json["data"] if self.role == "ab" else r.json)["company_certifications_id"]

    def listing(self, who, what="cert"):
        out, page = [], 0
        while True:
            r = self.call(who, "GET", f"{what}?limit=100&offset={page}")
            self.t.assertEqual(r.status, 200, r)
            out += r.json["data"]
            page += 1
            if page >= r.json["meta"]["total_pages"]:
                return out

    def setup(self, v):
        def body():
            return body_for(v.name, certificate_number=v.mark(f"NUM-{hexid()}"),
                            certified_entity_unique_id=v.mark(f"UID-{hexid()}"),
                            certified_entity_name=f"{v.secret} Ltd",
                            certification_scope=f"Scope {v.secret}")
        first = body()
        v.number, v.unique_id = first["certificate_number"], first["certified_entity_unique_id"]
        v.cb = first.get("certification_body_identity_number")  # an AB's CB
        v.cb_ids = v.cb_identities = []  # an AB's CBs, below
        v.cert_ids = [v.mark(self.upload(v, first), obj=True)]
        r = self.call(v, "POST", "bulk-upload-cert", {"certifications": [body(), body()]})
        self.t.assertEqual(r.status, 200, r)
        v.cert_ids += [v.mark(c["company_certifications_id"], obj=True) for c in self.listing(v)
                       if c["company_certifications_id"] not in v.cert_ids]
        v.entity = v.mark(self.listing(v)[-1]["company_id"], obj=True)
        if self.role == "ab":
            v.cb_identity = v.mark(f"ID-{hexid()}")
            r = self.call(v, "POST", "upload-cb", {
                "certification_body_identity_number": v.cb_identity,
                "certification_body_name": f"CB {v.secret}", "country": "Malta",
                "accreditation_status": "Active (valid)"})
            self.t.assertEqual(r.status, 200, r)
            v.cb_id = v.mark(r.json["data"]["certification_bodies_id"], obj=True)
            # Its provisioned CBs too (their ids are short words, not markers).
            cbs = self.listing(v, "cb")
            v.cb_ids = [c["certification_bodies_id"] for c in cbs]
            v.cb_identities = [c["certification_bodies_guid_in_ab"] for c in cbs]

    def snapshot(self, v):
        out = {"certs": self.listing(v)}
        out["each"] = [self.call(v, "GET", f"cert/{cid}").json for cid in v.cert_ids]
        if self.role == "ab":
            out["cbs"] = self.listing(v, "cb")
            out["cb"] = [self.call(v, "GET", f"cb/{cid}").json for cid in v.cb_ids]
        return out

    def not_found(self, a, v, method, make, real):
        r = self.like_unknown(a, v, method, make, real)
        self.t.assertEqual((r.status, r.json["errors"]["code"]), (404, "not_found"), r)

    def issuer_of(self, v):
        """An upload by the attacker naming the victim's issuing CB, and the field refusing it
        (docs/iaf.md, "Which bodies an upload may name"); None for CBs, which name themselves."""
        if self.role == "mncb":
            return mncb_body(MNCBS[v.name]["certification_bodies"][0]), "certification_body_name"
        if self.role == "ab":
            return (body_for(v.name, certification_body_identity_number=v.cb),
                    "certification_body_identity_number")
        return None

    # -- probes --------------------------------------------------------------------------------

    def p_upload(self, a, v):
        # Its own record with the victim's certificate number and entity id: a record of its own.
        mine = self.upload(a, body_for(a.name, certificate_number=v.number,
                                       certified_entity_unique_id=v.unique_id))
        self.t.assertNotIn(mine, v.cert_ids)
        if named := self.issuer_of(v):
            body, field = named
            r = self.call(a, "POST", "upload-cert", body, v)
            self.t.assertEqual(r.status, 400, r)
            self.t.assertIn(field, r.json["errors"]["message"])

    def p_bulk(self, a, v):
        r = self.call(a, "POST", "bulk-upload-cert", {"certifications": [body_for(
            a.name, certificate_number=v.number, certified_entity_unique_id=v.unique_id)]}, v)
        self.t.assertEqual((r.status, r.json), (200, {"data": {"success": True}}))
        if named := self.issuer_of(v):
            body, field = named
            r = self.call(a, "POST", "bulk-upload-cert", {"certifications": [body]}, v)
            self.t.assertEqual(r.status, 400, r)
            errors = r.json["data"]["errors"]
            self.t.assertEqual(errors["record_index"], 0)
            self.t.assertIn(field, errors["errors"][0]["meta"])

    def p_list(self, a, v):
        ids = set()
        for page in range(3):
            r = self.call(a, "GET", f"cert?limit=100&offset={page}", victim=v)
            self.t.assertEqual(r.status, 200, r)
            ids |= {c["company_certifications_id"] for c in r.json["data"]}
        self.t.assertFalse(ids & set(v.cert_ids))

    def p_cert(self, method):
        def probe(a, v):
            for cid in v.cert_ids:
                self.not_found(a, v, method, lambda i: (f"cert/{i}", None), cid)
        return probe

    def p_delete_entity(self, a, v):
        self.not_found(a, v, "DELETE", lambda i: (f"ce/{i}", None), v.entity)

    def p_entity(self, rest, change):
        def probe(a, v):
            self.not_found(a, v, "PUT", lambda i: (rest, dict(change, company_guid=i)), v.entity)
            # The victim's unique id names at most the attacker's own entity of that unique id.
            r = self.call(a, "PUT", rest, dict(change, company_guid=v.unique_id), v)
            self.t.assertIn(r.status, (200, 404), r)
        return probe

    def p_upload_cb(self, a, v):
        # An AB's identity numbers are its own: the victim's make new CBs of the attacker's.
        for identity in v.cb_identities:
            r = self.call(a, "POST", "upload-cb", {
                "certification_body_identity_number": identity, "certification_body_name": "Mine",
                "country": "Malta", "accreditation_status": "Suspended"}, v)
            self.t.assertEqual(r.status, 200, r)
            self.t.assertNotIn(r.json["data"]["certification_bodies_id"], v.cb_ids)

    def p_list_cbs(self, a, v):
        r = self.call(a, "GET", "cb?limit=100", victim=v)
        self.t.assertEqual(r.status, 200, r)
        self.t.assertFalse({c["certification_bodies_id"] for c in r.json["data"]} & set(v.cb_ids))

    def p_get_cb(self, a, v):
        for cid in v.cb_ids:
            self.not_found(a, v, "GET", lambda i: (f"cb/{i}", None), cid)

    def p_update_cb(self, a, v):
        for cid in v.cb_ids:
            self.not_found(a, v, "PUT", lambda i: ("cb", {"certification_bodies_id": i,
                                                          "certification_body_name": "Hijacked"}),
                           cid)

    def p_cb_status(self, a, v):
        for cid in v.cb_ids:
            self.not_found(a, v, "PUT", lambda i: ("cb/update-accreditation-status", {
                "certification_bodies_id": i, "accreditation_status": "withdrawn"}), cid)
        # By identity number: at most the attacker's own CB of that number (p_upload_cb).
        for identity in v.cb_identities:
            r = self.call(a, "PUT", "cb/update-accreditation-status", {
                "certification_bodies_guid_in_ab": identity, "accreditation_status": "withdrawn"}, v)
            self.t.assertIn(r.status, (200, 404), r)
            if r.status == 200:
                self.t.assertNotIn(r.json["data"]["certification_bodies_id"], v.cb_ids)

    def routes(self):
        b = self.base
        cert = lambda v: (f"cert/{v.cert_ids[0]}", None)
        out = {
            ("POST", b + "upload-cert"): (lambda v: ("upload-cert", body_for(v.name)), self.p_upload),
            ("POST", b + "bulk-upload-cert"): (
                lambda v: ("bulk-upload-cert", {"certifications": [body_for(v.name)]}), self.p_bulk),
            ("GET", b + "cert"): (lambda v: ("cert", None), self.p_list),
            ("GET", b + "cert/{company_certifications_id}"): (cert, self.p_cert("GET")),
            ("DELETE", b + "cert/{company_certifications_id}"): (cert, self.p_cert("DELETE")),
            ("DELETE", b + "ce/{company_id}"): (lambda v: (f"ce/{v.entity}", None),
                                                self.p_delete_entity),
        }
        if self.role != "ab":
            for rest, change in (("ce-name-by-guid", {"company_name": "Hijacked"}),
                                 ("ce-by-guid", {"company_city": "Hijacked", "tax_id": "X"})):
                out[("PUT", b + rest)] = (
                    lambda v, rest=rest, change=change: (rest, dict(change, company_guid=v.entity)),
                    self.p_entity(rest, change))
        else:
            out.update({
                ("POST", b + "upload-cb"): (lambda v: ("upload-cb", {
                    "certification_body_identity_number": v.cb_identity}), self.p_upload_cb),
                ("GET", b + "cb"): (lambda v: ("cb", None), self.p_list_cbs),
                ("GET", b + "cb/{certification_bodies_id}"): (lambda v: (f"cb/{v.cb_id}", None),
                                                               self.p_get_cb),
                ("PUT", b + "cb"): (lambda v: ("cb", {"certification_bodies_id": v.cb_id,
                                                      "certification_body_name": "Hijacked"}),
                                    self.p_update_cb),
                ("PUT", b + "cb/update-accreditation-status"): (
                    lambda v: ("cb/update-accreditation-status", {
                        "certification_bodies_id": v.cb_id, "accreditation_status": "withdrawn"}),
                    self.p_cb_status),
            })
        return out


# --- Origin Connect: one instance per version ----------------------------------------------------

LOOKUPS = {  # the reference-data routes and a query each accepts
    "check": "", "standards": "?locale=en&pageNumber=1&pageSize=50&standardType=STANDARD",
    "reporting-bodies": "?locale=en&pageNumber=1&pageSize=50",
    "properties": "?locale=en&pageNumber=1&pageSize=50",
    "properties/{code}": "?locale=en", "categories": "?locale=en&pageNumber=1&pageSize=50"}


def result_path(reply):
    return reply.json["result"]["poolingCallback"].split("/connect/", 1)[1].split("/", 1)[1]


class Origin(Dialect):
    """/connect/{version}/...: companies acme and globex (docs/origin.md, "Authentication and
    tenancy": another company's originId or externalId answers exactly like an unknown one,
    its certifications never appear in a search, its batch is "not found")."""

    bad_credentials = (None, "", "Bearer", "Bearer ", "Basic b3JpZ2luLWFjbWUtdG9rZW4=",
                       "origin-acme-token", "Bearer origin-acme-token-x", "Bearer ORIGIN-ACME-TOKEN",
                       "Bearer cb-bsi-key", "Bearer sm-advancity-token")

    def __init__(self, t, version):
        self.version, self.base = version, f"/connect/{version}/"
        super().__init__(t, Tenant("acme", "Bearer origin-acme-token", "origin:acme"),
                         Tenant("globex", "Bearer origin-globex-token", "origin:globex"))

    def wire(self, cred, path, body):
        return self.base + path, body, {} if cred is None else {"authorization": cred}

    def assert_denied(self, r, route):
        self.t.assertEqual((r.status, r.json["status"]["code"]), (401, CE00002), r)

    def finished(self, who, path):
        deadline = time.time() + 20
        while True:
            r = self.call(who, "GET", path)
            self.t.assertEqual(r.status, 200, r)
            if r.json["result"].get("executionStatus") != "PENDING":
                return r.json["result"]
            self.t.assertLess(time.time(), deadline, f"{path} still pending")
            time.sleep(0.05)

    def setup(self, v):
        items = [new_certification(externalId=v.mark(f"EXT-{hexid()}"),
                                   certificateNumber=f"CN {v.secret}",
                                   brands=[{"name": f"Brand {v.secret}"}],
                                   contacts=[{"externalId": f"K-{hexid()}", "name": v.secret}])
                 for _ in range(3)]
        v.exts = [i["externalId"] for i in items]
        r = self.call(v, "POST", "certifications/create", {"certifications": items})
        self.t.assertEqual(r.status, 200, r)
        v.oids = [v.mark(c["originId"], obj=True) for c in r.json["result"]["correlations"]]
        # Two finished async batches: a create and an update.
        r = self.call(v, "POST", "async/certifications/create", {"certifications": [
            new_certification(externalId=v.mark(f"EXT-{hexid()}"), certificateNumber=v.secret)]})
        v.batches = [result_path(r)]
        v.oids.append(v.mark(self.finished(v, v.batches[0])["correlations"][0]["originId"],
                             obj=True))
        r = self.call(v, "POST", "async/certifications/update", {"certifications": [
            {"locale": "en", "originId": v.oids[0], "brands": [{"name": f"More {v.secret}"}]}]})
        v.batches.append(result_path(r))
        self.finished(v, v.batches[1])
        for b in v.batches:
            v.mark(b.rsplit("/", 1)[1])

    def snapshot(self, v):
        r = self.call(v, "POST", "certifications/search",
                      {"locale": "en", "pageNumber": 1, "pageSize": 100, "searchCriteria": []})
        return r.json["result"], [self.call(v, "GET", b).json for b in v.batches]

    def refused(self, a, v, path, key, real, extra=None):
        """A request naming the victim's certification by `key`: 400 CE00001, as for an unknown."""
        r = self.like_unknown(a, v, "POST", lambda i: (path, {"certifications": [
            dict({"locale": "en", key: i}, **(extra or {}))]}), real)
        self.t.assertEqual((r.status, r.json["status"]["code"]), (400, CE00001), r)

    # -- probes --------------------------------------------------------------------------------

    def p_create(self, path):
        def probe(a, v):
            # externalIds are unique within a company: the victim's makes one of the attacker's.
            ext = v.exts[1 if path.startswith("async") else 2]
            r = self.call(a, "POST", path, {"certifications": [new_certification(externalId=ext)]},
                          v)
            self.t.assertEqual(r.status, 200, r)
            result = self.finished(a, result_path(r)) if path.startswith("async") else r.json["result"]
            self.t.assertNotIn(result["correlations"][0]["originId"], v.oids)
        return probe

    def p_change(self, path, extra=None):
        def probe(a, v):
            self.refused(a, v, path, "originId", v.oids[0], extra)
            self.refused(a, v, path, "externalId", v.exts[0], extra)
        return probe

    def p_search(self, a, v):
        for criteria in ([("ORIGINID", v.oids[0])], [("EXTERNALID", v.exts[0])],
                         [("KEYWORD", v.secret)], []):
            r = self.call(a, "POST", "certifications/search", {
                "locale": "en", "pageNumber": 1, "pageSize": 100,
                "searchCriteria": [{"name": n, "value": x} for n, x in criteria]}, v)
            self.t.assertEqual(r.status, 200, r)
            if criteria:
                self.t.assertEqual(r.json["result"]["searchInfo"]["numberOfElements"], "0", r)

    def p_result(self, a, v):
        for batch in v.batches:
            command, _, batch_id = batch.split("/")[1:4]
            r = self.like_unknown(a, v, "GET",
                                  lambda i: (f"result/{command}/batch/{i}", None), batch_id)
            self.t.assertEqual((r.status, r.json["status"]["code"]), (400, CE00001), r)

    def p_lookup(self, path):
        # Reference data, the same for every company (docs/origin.md, "Lookups").
        def probe(a, v):
            self.t.assertEqual(self.call(a, "GET", path, victim=v).body,
                               self.call(v, "GET", path).body)
        return probe

    def routes(self):
        out = {}
        for path in ("certifications/create", "async/certifications/create"):
            out[("POST", self.base + path)] = (
                lambda v, path=path: (path, {"certifications": [new_certification()]}),
                self.p_create(path))
        for path, extra in (("certifications/update", {"brands": [{"name": "Hijacked"}]}),
                            ("certifications/delete", None),
                            ("async/certifications/update", {"url": "https://hijack.example.com"}),
                            ("async/certifications/delete", None)):
            out[("POST", self.base + path)] = (
                lambda v, path=path, extra=extra: (path, {"certifications": [
                    dict({"locale": "en", "originId": v.oids[0]}, **(extra or {}))]}),
                self.p_change(path, extra))
        out[("POST", self.base + "certifications/search")] = (
            lambda v: ("certifications/search", {"locale": "en", "pageNumber": 1, "pageSize": 10,
                                                 "searchCriteria": [{"name": "KEYWORD",
                                                                     "value": v.secret}]}),
            self.p_search)
        out[("GET", self.base + "result/{command}/batch/{batchId}")] = (
            lambda v: (v.batches[0], None), self.p_result)
        for pattern, query in LOOKUPS.items():
            path = pattern.replace("{code}", "EPD_TYPE") + query
            out[("GET", self.base + pattern)] = (lambda v, path=path: (path, None),
                                                 self.p_lookup(path))
        return out


# --- EDIN: both verbs of every method ------------------------------------------------------------

EDIN_API = "/Api/V1/"
EDIN_USERS = {"supplier": (S1, edin_fixtures.INN_SUPPLIER, edin_fixtures.EDRPOU_SUPPLIER),
              "supplier2": (T1, edin_fixtures.INN_SUPPLIER2, edin_fixtures.EDRPOU_SUPPLIER2)}
EDIN_SEARCHES = {"GetCertsByNum": "num", "GetCertsByGLN": "gln", "GetCertsByBarcode": "barcode",
                 "GetCertsByInnCode": "inn", "GetCertsByEdrpouCode": "edrpou",
                 "GetCertsByNaklNum": "naklnum"}
DIRECTORIES = ["ShowTypes", "ShowSubTypes", "ShowAccessTypes", "ShowAccessActions",
               "ShowBindActions", "ShowErrorTypes"]


def edin_reply(r):
    """EDIN answers HTTP 200 and tells by intCode (docs/edin.md, "Conventions")."""
    assert r.status == 200, r
    return r.json


class Edin(Dialect):
    """/Api/V1/...: suppliers `supplier` and `supplier2`, each with a private certificate (with a
    scan, a binding and a customs number), a restricted one shared with a partner, a public one
    and one shared with the other supplier. The private and the restricted ones are the other's
    to refuse (docs/edin.md: 404 "not found" for writes, 403 "no access" for reads of something
    that exists); the public and the shared ones it legitimately sees."""

    def __init__(self, t):
        super().__init__(t, *(Tenant(u, None, f"edin:{u}") for u in EDIN_USERS))
        for v in (self.a, self.b):
            v.gln, v.inn, v.edrpou = EDIN_USERS[v.name]
            v.cred = login(self.server, v.name)
        self.a.other, self.b.other = self.b, self.a

    @property
    def bad_credentials(self):
        token = self.a.cred
        return (None, "", "   ", 12345, ["x"], {"t": token}, "0123456789abcdefghijklmnop",
                token + "x", token.upper(), "Bearer " + token)

    def wire(self, cred, path, body):
        body = dict(body or {})
        if cred is not None:
            body["varPassword" if path == "User/Authorize" else "varToken"] = cred
        return EDIN_API + path, body, {}

    def assert_denied(self, r, route):
        message = LOGIN_FAILED if route[1].endswith("User/Authorize") else AUTH_FAILED
        self.t.assertEqual(edin_reply(r), {"varMessage": message, "intCode": 401})

    def ok(self, r):
        j = edin_reply(r)
        self.t.assertEqual((j["intCode"], j["varMessage"]), (200, SUCCESS), r)
        return j

    def create(self, v, secret, **fields):
        number = f"N-{hexid()}"
        if secret:
            v.private_numbers.add(v.mark(number))
        body = cert_body(cert_gln_creator=v.gln, cert_number=number, **fields)
        return int(self.ok(self.call(v, "POST", "Certificate/Create", body))["certificate_id"])

    def attach(self, v, cert_id, name):
        return int(self.ok(self.call(v, "POST", "Certificate/AttachScan", {
            "cert_id": cert_id, "file_body": b64(scan("pdf")), "file_name": name}))["file_id"])

    def setup(self, v):
        # The private and restricted certificates carry the secret and markers; the others are
        # for everyone to see, so what they hold is not secret.
        v.gtin, v.gtd = v.mark(f"48{hexid()[:11]}"), v.mark(f"GTD-{hexid()}")
        v.private_numbers = set()
        v.private = self.create(v, True, cert_lot_number=v.secret, cert_gtd=v.gtd)
        v.private_file = self.attach(v, v.private, f"{v.secret}.pdf")
        self.ok(self.call(v, "POST", "Certificate/SetBind", {
            "cert_id": v.private, "bind_action": 1, "product_binds": [{"gtin": v.gtin}]}))
        v.restricted = self.create(v, True, cert_lot_number=v.secret)
        self.ok(self.call(v, "POST", "Certificate/SetAccess", {
            "cert_id": v.restricted, "access_type": 2, "access_action": 1,
            "amigos_info": [{"gln": edin_fixtures.P, "isRetailer": False}]}))
        v.public = self.create(v, False, cert_lot_number="public")
        v.public_number = self.cert(v, v.public)["varNumber"]
        v.public_file = self.attach(v, v.public, "public.pdf")
        v.public_gtin = f"47{hexid()[:11]}"
        self.ok(self.call(v, "POST", "Certificate/SetBind", {
            "cert_id": v.public, "bind_action": 1, "product_binds": [{"gtin": v.public_gtin}]}))
        self.ok(self.call(v, "POST", "Certificate/SetAccess", {"cert_id": v.public, "access_type": 1}))
        v.shared = self.create(v, False, cert_lot_number="shared")
        self.ok(self.call(v, "POST", "Certificate/SetAccess", {
            "cert_id": v.shared, "access_type": 2, "access_action": 1,
            "amigos_info": [{"gln": v.other.gln, "isRetailer": False}]}))
        v.hidden = (v.private, v.restricted)
        v.seen = (v.public, v.shared)
        v.objects |= {str(i) for i in v.hidden + v.seen}

    def cert(self, who, cert_id):
        return self.ok(self.call(who, "POST", "GetCertUA/GetCertByID", {"certID": cert_id}))["cert_data"]

    def snapshot(self, v):
        out = [self.call(v, "POST", "GetCertUA/GetCertByID", {"certID": c}).json
               for c in v.hidden + v.seen]
        out += [self.call(v, "POST", "GetCertUA/GetFileByID", {"intFileID": f}).json
                for f in (v.private_file, v.public_file)]
        out += [self.call(v, "POST", "GetCertUA/GetCertsByGLN", {"gln": v.gln}).json,
                self.call(v, "POST", "GetCertUA/GetCertsByBarcode", {"barcode": v.gtin}).json]
        return out

    def expect(self, r, code, message):
        self.t.assertEqual(edin_reply(r), {"varMessage": message, "intCode": code})

    # -- probes (each for one verb) ------------------------------------------------------------

    def p_authorize(self, verb, a, v):
        for login_, password in ((a.name, edin_fixtures.USERS[v.name][0]),
                                 (v.name, edin_fixtures.USERS[a.name][0])):
            self.expect(self.call(None, verb, "User/Authorize",
                                  {"varLogin": login_, "varPassword": password}, v),
                        401, LOGIN_FAILED)

    def p_create(self, verb, a, v):
        fresh = cert_body(cert_gln_creator=v.gln)
        self.expect(self.call(a, verb, "Certificate/Create", fresh, v), 404, f"Gln {v.gln} не найден")
        # The documented order checks the number before the GLN, so a number the victim's GLN
        # already has is reported as taken (docs/edin.md, Certificate/Create, checks 7 and 8).
        number = self.cert(v, v.private)["varNumber"]
        self.expect(self.call(a, verb, "Certificate/Create",
                              cert_body(cert_gln_creator=v.gln, cert_number=number), v),
                    404, f"Сертификат с номером {number} уже создан")

    def p_owner_only(self, method, body):
        """A Certificate-controller write: only the owner may make it, even of what others see."""
        def probe(verb, a, v):
            for cert_id in v.hidden + v.seen:
                self.expect(self.call(a, verb, method, dict(body, cert_id=cert_id), v),
                            404, CERT_NOT_FOUND)
        return probe

    def p_notify(self, verb, a, v):
        kind = 1 if verb == "POST" else 2  # recorded once per user, certificate and type
        for cert_id in v.hidden:
            self.expect(self.call(a, verb, "Certificate/NotifyError",
                                  {"cert_id": cert_id, "type_error": kind}, v), 404, CERT_NOT_FOUND)
        # A complaint is about a certificate the user sees, usually someone else's.
        for cert_id in v.seen:
            self.ok(self.call(a, verb, "Certificate/NotifyError",
                              {"cert_id": cert_id, "type_error": kind, "text": "wrong"}, v))

    def p_directory(self, method):
        def probe(verb, a, v):
            self.t.assertEqual(self.call(a, verb, method, victim=v).body,
                               self.call(v, verb, method).body)
        return probe

    def p_get_cert(self, verb, a, v):
        for cert_id in v.hidden:
            # certID, its other documented name signInfo, and the query string of an empty body.
            for r in (self.call(a, verb, "GetCertUA/GetCertByID", {"certID": cert_id}, v),
                      self.call(a, verb, "GetCertUA/GetCertByID", {"signInfo": cert_id}, v),
                      self.server.request(verb, EDIN_API + "GetCertUA/GetCertByID?" + urlencode(
                          {"varToken": a.cred, "certID": cert_id}))):
                self.expect(r, 403, NO_ACCESS)
        for cert_id in v.seen:
            r = self.ok(self.call(a, verb, "GetCertUA/GetCertByID", {"certID": cert_id}, v))
            self.t.assertEqual(r["cert_data"]["intCertID"], cert_id)

    def p_get_file(self, verb, a, v):
        self.expect(self.call(a, verb, "GetCertUA/GetFileByID", {"intFileID": v.private_file}, v),
                    403, NO_ACCESS)
        r = self.ok(self.call(a, verb, "GetCertUA/GetFileByID", {"intFileID": v.public_file}, v))
        self.t.assertEqual(r["cert_file_data"]["intCertFileID"], v.public_file)

    def p_search(self, method):
        param = EDIN_SEARCHES[method]

        def probe(verb, a, v):
            def found(value):
                return self.call(a, verb, "GetCertUA/" + method, {param: value}, v)
            hidden_only = {"num": next(iter(v.private_numbers)), "barcode": v.gtin,
                           "naklnum": v.gtd}.get(param)
            if hidden_only:  # matches exist, none visible: 403 (docs/edin.md, "GetCert")
                self.expect(found(hidden_only), 403, NO_ACCESS)
            visible = {"num": v.public_number, "barcode": v.public_gtin, "gln": v.gln,
                       "inn": v.inn, "edrpou": v.edrpou}.get(param)
            if visible:
                ids = {c["intCertID"] for c in self.ok(found(visible))["certs"]}
                self.t.assertFalse(ids & set(v.hidden), ids)
                self.t.assertTrue(ids & set(v.seen), ids)
                # The filters keep the user's own certificates, and the attacker owns none.
                for f in ("owner", "private", "public"):
                    r = self.call(a, verb, "GetCertUA/" + method, {param: visible, "filter": f}, v)
                    self.expect(r, 404, NO_DATA)
        return probe

    def routes(self):
        probes = {"User/Authorize": (lambda v: ("User/Authorize", {"varLogin": v.name}),
                                     self.p_authorize),
                  "Certificate/Create": (lambda v: ("Certificate/Create",
                                                    cert_body(cert_gln_creator=v.gln)),
                                         self.p_create)}
        for method, body in (("AttachScan", {"file_body": b64(scan("png")), "file_name": "x.png"}),
                             ("SetAccess", {"access_type": 1}),
                             ("SetBind", {"bind_action": 2, "product_binds": [{"gtin": "1"}]})):
            probes["Certificate/" + method] = (
                lambda v, method=method, body=body: ("Certificate/" + method,
                                                     dict(body, cert_id=v.private)),
                self.p_owner_only("Certificate/" + method, body))
        probes["Certificate/NotifyError"] = (
            lambda v: ("Certificate/NotifyError", {"cert_id": v.private, "type_error": 3}),
            self.p_notify)
        for d in DIRECTORIES:
            probes["Certificate/" + d] = (lambda v, d=d: ("Certificate/" + d, None),
                                          self.p_directory("Certificate/" + d))
        probes["GetCertUA/GetCertByID"] = (
            lambda v: ("GetCertUA/GetCertByID", {"certID": v.private}), self.p_get_cert)
        probes["GetCertUA/GetFileByID"] = (
            lambda v: ("GetCertUA/GetFileByID", {"intFileID": v.private_file}), self.p_get_file)
        for method, param in EDIN_SEARCHES.items():
            probes["GetCertUA/" + method] = (
                lambda v, method=method, param=param: ("GetCertUA/" + method, {param: v.gln}),
                self.p_search(method))
        # Every method answers GET and POST alike: each verb is its own route.
        return {(verb, EDIN_API + path): (sample, functools.partial(probe, verb))
                for path, (sample, probe) in probes.items() for verb in ("GET", "POST")}


# --- Sertifika Merkezi ---------------------------------------------------------------------------


class Sertifika(Dialect):
    """/api/v1.0/...: companies Advancity and Beta (docs/sertifika.md, "Authentication and
    tenancy": whatever belongs to another company answers exactly like what does not exist)."""

    bad_credentials = (None, "", "Bearer", "Bearer ", "Basic c20tYWR2YW5jaXR5LXRva2Vu",
                       "sm-advancity-token-x", "SM-ADVANCITY-TOKEN", "cb-bsi-key",
                       "Bearer origin-acme-token")

    def __init__(self, t):
        super().__init__(t, Tenant(A_ID, "sm-advancity-token", f"sertifika:{A_ID}"),
                         Tenant(B_ID, "sm-beta-token", f"sertifika:{B_ID}"))
        self.a.template, self.b.template = T_TENANCY, TB

    def wire(self, cred, path, body):
        return sertifika_fixtures.BASE + path, body, {} if cred is None else {"Authorization": cred}

    def assert_denied(self, r, route):
        self.t.assertEqual((r.status, r.json), (401, sertifika_fixtures.DENIED))

    def setup(self, v):
        v.mark(v.name)
        v.mark(v.template)
        v.email = v.mark(new_email("victim"))
        v.code = v.mark(user_code(v.email))
        r = self.call(v, "POST", "certificate/", {"certificateItem": [
            item(v.template, v.email, Name=v.secret, Educator=v.secret)]})
        self.t.assertEqual(r.json["messageList"][-1], "Error count :0", r)
        holder = self.call(v, "GET", f"certificate/{v.template}/user/{v.code}").json
        for k in ("connectionId", "id", "verificationCode"):
            v.mark(holder[k], obj=k == "connectionId")

    def snapshot(self, v):
        return [self.call(v, "GET", p).json for p in (
            f"company/{v.name}/certificate", f"company/{v.name}/user/",
            f"company/{v.name}/user/{v.code}", f"user/{v.code}/certificate",
            f"certificate/{v.template}", f"certificate/{v.template}/user",
            f"certificate/{v.template}/user/{v.code}")]

    def undefined(self, a, v, method, make, real, what):
        r = self.like_unknown(a, v, method, make, real)
        self.t.assertEqual(r.status, 404, r)
        self.t.assertIn(f"{what} : '{real}' is undefined", r.body)

    # -- probes --------------------------------------------------------------------------------

    def p_company(self, rest):
        def probe(a, v):
            # Company ids are compared ignoring case: another spelling is still another company.
            for real in (v.name, v.name.upper()):
                self.undefined(a, v, "GET", lambda i: (f"company/{i}/{rest(v)}", None), real,
                               "company")
        return probe

    def p_person(self, a, v):
        self.p_company(lambda v: f"user/{v.code}")(a, v)
        # Its own company's record of the victim's person: none.
        self.undefined(a, v, "GET", lambda i: (f"company/{a.name}/user/{i}", None), v.code,
                       "userCode")

    def p_person_certificates(self, a, v):
        self.undefined(a, v, "GET", lambda i: (f"user/{i}/certificate", None), v.code, "userCode")

    def p_template(self, method, rest):
        def probe(a, v):
            for real in (v.template, v.template.upper()):
                self.undefined(a, v, method, lambda i: (f"certificate/{i}{rest(v)}", None), real,
                               "certificate")
        return probe

    def p_issue(self, a, v):
        r = self.call(a, "POST", "certificate/", {"certificateItem": [
            item(v.template, v.email, Name="Hijacked")]}, v)
        self.t.assertEqual((r.status, r.json["messageList"]),
                           (200, ["1-error-id", "Success count :0", "Error count :1"]))

    def p_revoke_many(self, a, v):
        self.p_template("DELETE", lambda v: "/user")(a, v)
        r = self.like_unknown(a, v, "DELETE", lambda i: (f"certificate/{i}/user", [v.email]),
                              v.template)
        self.t.assertEqual(r.status, 404, r)

    def routes(self):
        b = "/api/v1.0/"
        return {
            ("GET", b + "company/{companyID}/certificate"): (
                lambda v: (f"company/{v.name}/certificate", None), self.p_company(lambda v: "certificate")),
            ("GET", b + "company/{companyID}/user"): (
                lambda v: (f"company/{v.name}/user/", None), self.p_company(lambda v: "user/")),
            ("GET", b + "company/{companyID}/user/{userCode}"): (
                lambda v: (f"company/{v.name}/user/{v.code}", None), self.p_person),
            ("GET", b + "user/{userCode}/certificate"): (
                lambda v: (f"user/{v.code}/certificate", None), self.p_person_certificates),
            ("GET", b + "certificate/{id}"): (
                lambda v: (f"certificate/{v.template}", None), self.p_template("GET", lambda v: "")),
            ("GET", b + "certificate/{id}/user"): (
                lambda v: (f"certificate/{v.template}/user", None),
                self.p_template("GET", lambda v: "/user")),
            ("GET", b + "certificate/{id}/user/{userCode}"): (
                lambda v: (f"certificate/{v.template}/user/{v.code}", None),
                self.p_template("GET", lambda v: f"/user/{v.code}")),
            ("POST", b + "certificate"): (
                lambda v: ("certificate/", {"certificateItem": [item(v.template)]}), self.p_issue),
            ("DELETE", b + "certificate/{id}/user/{userCode}"): (
                lambda v: (f"certificate/{v.template}/user/{v.code}", None),
                self.p_template("DELETE", lambda v: f"/user/{v.code}")),
            ("DELETE", b + "certificate/{id}/user"): (
                lambda v: (f"certificate/{v.template}/user", None), self.p_revoke_many),
        }


# --- Operations: /healthz and the admin endpoints ------------------------------------------------

# Every tenant credential, as each dialect sends it and as a bearer token.
TENANT_HEADERS = [{"x-http-authorization": k} for _, k in KEYS.values()] + [
    {"Authorization": "Bearer " + k} for _, k in KEYS.values()] + [
    {"authorization": "Bearer origin-acme-token"}, {"Authorization": "sm-advancity-token"},
    {"Authorization": "Bearer sm-beta-token"}]


class Operations(Dialect):
    """/healthz is public and tells nothing of any tenant; the admin endpoints take the admin
    token only (README, "Running it"), never a tenant's credential."""

    bad_credentials = (None, "", "Bearer", "Bearer wrong", ADMIN_TOKEN, "Bearer " + ADMIN_TOKEN.upper(),
                       "Basic " + ADMIN_TOKEN)

    def __init__(self, t):
        super().__init__(t, Tenant("anyone", None, None), Tenant("nobody", None, None))

    def wire(self, cred, path, body):
        return path, body, cred if isinstance(cred, dict) else {} if cred is None else {
            "Authorization": cred}

    def assert_denied(self, r, route):
        if route == ("GET", "/healthz"):
            self.t.assertEqual((r.status, set(r.json)), (200, {"status", "engine"}), r)
        else:
            self.t.assertEqual((r.status, r.json["error"]), (401, "unauthorized"), r)

    def setup(self, v):
        pass

    def snapshot(self, v):
        return None

    # A document that would give the attacker a key of bsi's.
    STEAL = {"certification_bodies": [{"id": "bsi", "api_keys": ["cb-bsi-key", "stolen-key"]}]}

    def p_with_tenant_credentials(self, route):
        method, path = route

        def probe(a, v):
            for headers in TENANT_HEADERS:
                r = self.call(headers, method, path, self.STEAL if method == "POST" else None)
                self.assert_denied(r, route)
            r = self.server.request("GET", "/api/client/v1/cb/cert",
                                    headers={"x-http-authorization": "stolen-key"})
            self.t.assertEqual(r.status, 401, r)
        return probe

    def routes(self):
        return {route: (lambda v, route=route: (route[1], self.STEAL if route[0] == "POST" else None),
                        self.p_with_tenant_credentials(route))
                for route in (("GET", "/healthz"), ("POST", "/admin/v1/provision"),
                              ("GET", "/admin/v1/routes"))}


# --- The tests -----------------------------------------------------------------------------------


class TenancySweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(provision=PROVISION, args=["--admin-token", ADMIN_TOKEN]).start()
        builder = cls()  # dialects assert through the test that uses them; this one sets up
        builder.server = cls.server
        cls.dialects = {
            "iaf cb": Iaf(builder, "cb", "bsi", "lrqa"),
            "iaf mncb": Iaf(builder, "mncb", "sgs", "bv"),
            "iaf ab": Iaf(builder, "ab", "ukas", "dakks"),
            "origin v1": Origin(builder, "v1"), "origin v2": Origin(builder, "v2"),
            "edin": Edin(builder), "sertifika": Sertifika(builder), "operations": Operations(builder)}
        for d in cls.dialects.values():
            for v in (d.a, d.b):
                d.setup(v)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.remove()
        assert code == 0, f"server exited with {code}"

    def dialect(self, name):
        d = self.dialects[name]
        d.t = self
        return d

    def assert_history_untouched(self, v):
        """No one but the victim changed its objects (every change is in the history table)."""
        if not v.objects:
            return
        ids = ", ".join(f"'{o}'" for o in sorted(v.objects))
        rows = self.server.sql(f"SELECT object_type, object_id, action, actor FROM history"
                               f" WHERE object_id IN ({ids}) AND actor <> '{v.actor}'")
        self.assertEqual(rows, [], f"changes to {v}'s objects by others")

    def sweep(self, name):
        d = self.dialect(name)
        for attacker, victim in ((d.a, d.b), (d.b, d.a)):
            before = d.snapshot(victim)
            for route, (_, probe) in d.routes().items():
                with self.subTest(route=" ".join(route), attacker=attacker.name):
                    probe(attacker, victim)
            self.assertEqual(d.snapshot(victim), before, f"{attacker} changed {victim}'s data")
            self.assert_history_untouched(victim)

    def test_every_route_is_covered(self):
        r = self.server.request("GET", "/admin/v1/routes",
                                headers={"Authorization": "Bearer " + ADMIN_TOKEN})
        self.assertEqual(r.status, 200, r)
        served = {(x["method"], x["path"]) for x in r.json["routes"]}
        probed = {}
        for name, d in self.dialects.items():
            for route in d.routes():
                self.assertNotIn(route, probed, f"{route} probed by {probed.get(route)} and {name}")
                probed[route] = name
        self.assertEqual(served - set(probed), set(), "routes the sweep does not probe")
        self.assertEqual(set(probed) - served, set(), "probes of routes the server does not serve")
        print("\nroutes probed: " + ", ".join(
            f"{name} {sum(1 for n in probed.values() if n == name)}" for name in self.dialects))

    def test_iaf_cb(self):
        self.sweep("iaf cb")

    def test_iaf_mncb(self):
        self.sweep("iaf mncb")

    def test_iaf_ab(self):
        self.sweep("iaf ab")

    def test_origin_v1(self):
        self.sweep("origin v1")

    def test_origin_v2(self):
        self.sweep("origin v2")

    def test_edin(self):
        self.sweep("edin")

    def test_sertifika(self):
        self.sweep("sertifika")

    def test_operations(self):
        self.sweep("operations")

    def test_missing_and_malformed_credentials(self):
        for name in self.dialects:
            d = self.dialect(name)
            before = [d.snapshot(v) for v in (d.a, d.b)]
            for route, (sample, _) in d.routes().items():
                path, body = sample(d.a)
                for cred in d.bad_credentials:
                    with self.subTest(route=" ".join(route), credential=repr(cred)[:40]):
                        d.assert_denied(d.call(cred, route[0], path, body, d.a), route)
                # OPTIONS needs no credential and tells only the methods.
                r = self.server.request("OPTIONS", d.wire(None, path, None)[0])
                self.assertEqual((r.status, r.body), (204, ""), route)
                self.assertIn(route[0], r.headers["allow"])
            self.assertEqual([d.snapshot(v) for v in (d.a, d.b)], before, name)
            for v in (d.a, d.b):
                self.assert_history_untouched(v)

    def test_iaf_ids_across_roles(self):
        """CBs, MNCBs and ABs share one id space: each role's routes answer another role's ids
        like unknown ones (docs/iaf.md, "Tenancy"). Uploads are left out: the same certificate
        uploaded by another role is a contributor version (the next test)."""
        roles = [self.dialect(n) for n in ("iaf cb", "iaf mncb", "iaf ab")]
        for d in roles:
            for e in roles:
                for victim in (e.a, e.b) if e is not d else ():
                    before = e.snapshot(victim)
                    for attacker in (d.a, d.b):
                        for route, (_, probe) in d.routes().items():
                            if route[0] == "POST":
                                continue
                            with self.subTest(route=" ".join(route), attacker=attacker.name,
                                              victim=victim.name):
                                probe(attacker, victim)
                    self.assertEqual(e.snapshot(victim), before, victim)
                    self.assert_history_untouched(victim)

    def test_a_kept_alive_connection_carries_no_identity(self):
        """One connection, as nginx keeps them (docs/operations.md), carries the victim's, the
        attacker's and credential-less requests in turn: each is answered as on a connection of
        its own."""
        reads = {
            "iaf cb": lambda v: ("GET", f"cert/{v.cert_ids[0]}", None),
            "origin v1": lambda v: ("POST", "certifications/search", {
                "locale": "en", "pageNumber": 1, "pageSize": 10,
                "searchCriteria": [{"name": "ORIGINID", "value": v.oids[0]}]}),
            "edin": lambda v: ("POST", "GetCertUA/GetCertByID", {"certID": v.private}),
            "sertifika": lambda v: ("GET", f"certificate/{v.template}/user/{v.code}", None)}
        for name, read in reads.items():
            d = self.dialect(name)
            method, path, body = read(d.a)
            alone = {who: normalized(d.call(who, method, path, body)) for who in (d.a, d.b, None)}
            conn = self.server.connection()
            try:
                for who in (d.a, d.b, None, d.b, d.a, None, d.a):
                    with self.subTest(dialect=name, who=who):
                        r = d.call(who, method, path, body, d.a if who is d.b else None, conn)
                        self.assertEqual(normalized(r), alone[who])
            finally:
                conn.close()

    def test_iaf_pipelined_requests_are_answered_each_for_its_own_key(self):
        """Requests sent back to back on one connection, before any reply: the victim's read,
        the attacker's read of the same id, one without a key."""
        d = self.dialect("iaf cb")
        target = f"{d.base}cert/{d.a.cert_ids[0]}"
        requests = b"".join(
            (f"GET {target} HTTP/1.1\r\nHost: x\r\n{h}{close}\r\n").encode()
            for h, close in ((f"x-http-authorization: {d.a.cred}\r\n", ""),
                             (f"x-http-authorization: {d.b.cred}\r\n", ""),
                             ("", "Connection: close\r\n")))
        out, statuses = raw_exchange(self.server.port, requests), []
        while out:
            head, _, rest = out.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            statuses.append(int(head.split()[1]))
            self.assertEqual(d.a.secret in rest[:length].decode(), statuses == [200])
            out = rest[length:]
        self.assertEqual(statuses, [200, 404, 401])

    def test_iaf_contributor_versions_share_only_their_priority(self):
        """docs/iaf.md, "Data priority between contributors": a CB, its MNCB and its AB may each
        upload the same certification, as a version of their own. None reads, changes or deletes
        another's; what they share is which version is primary (the CB's before the MNCB's and
        the AB's), and the replies say so."""
        cb, mncb, ab = (self.dialect(n) for n in ("iaf cb", "iaf mncb", "iaf ab"))
        bsi, sgs, ukas = cb.a, mncb.a, ab.a
        number = f"SHARED-{hexid()}"
        mine = cb.upload(bsi, body_for("bsi", certificate_number=number,
                                       certified_entity_name=f"{bsi.secret} GmbH"))
        bsi.mark(mine)
        before = cb.call(bsi, "GET", f"cert/{mine}").json
        r = mncb.call(sgs, "POST", "upload-cert", body_for("sgs", "bsi", certificate_number=number),
                      bsi)
        self.assertEqual((r.json["is_primary"], r.json["primary_contributor"]), (False, "cb"), r)
        theirs = [r.json["company_certifications_id"]]
        r = ab.call(ukas, "POST", "upload-cert", body_for("ukas", "bsi", certificate_number=number),
                    bsi)
        self.assertEqual((r.json["data"]["is_primary"], r.json["data"]["primary_contributor"]),
                         (False, "cb"), r)
        theirs.append(r.json["data"]["company_certifications_id"])
        self.assertNotIn(mine, theirs)
        for d, who in ((mncb, sgs), (ab, ukas)):
            for method in ("GET", "DELETE"):
                d.not_found(who, bsi, method, lambda i: (f"cert/{i}", None), mine)
        self.assertEqual(cb.call(bsi, "GET", f"cert/{mine}").json, before)
        # The CB deleting its version makes the MNCB's primary, by the documented rule.
        self.assertEqual(cb.call(bsi, "DELETE", f"cert/{mine}").json, {"data": 1})
        got = [mncb.call(sgs, "GET", f"cert/{theirs[0]}", victim=bsi).json["data"],
               ab.call(ukas, "GET", f"cert/{theirs[1]}", victim=bsi).json["data"]]
        self.assertEqual([(c["is_primary"], c["primary_contributor"]) for c in got],
                         [(True, "mncb"), (False, "mncb")])

    def test_edin_users_sharing_a_gln_both_own_its_certificates(self):
        """docs/edin.md, "Who sees a certificate": a certificate is owned by its owner GLN, and a
        user owns it when that GLN is one of theirs; `colleague` has the supplier's S2 too."""
        d = self.dialect("edin")
        supplier = d.a
        r = authorize(self.server, COLLEAGUE["login"], COLLEAGUE["password"])
        colleague = Tenant("colleague", d.ok(r)["varToken"], "edin:colleague")
        on_s2 = int(d.ok(d.call(supplier, "POST", "Certificate/Create",
                                cert_body(cert_gln_creator=S2)))["certificate_id"])
        by_colleague = int(d.ok(d.call(colleague, "POST", "Certificate/Create",
                                       cert_body(cert_gln_creator=S2)))["certificate_id"])
        for who, cert_id in ((colleague, on_s2), (supplier, by_colleague)):
            d.ok(d.call(who, "POST", "GetCertUA/GetCertByID", {"certID": cert_id}))
            d.ok(d.call(who, "POST", "Certificate/SetBind", {
                "cert_id": cert_id, "bind_action": 1, "product_binds": [{"gtin": "4820000000001"}]}))
            d.ok(d.call(who, "POST", "Certificate/AttachScan", {
                "cert_id": cert_id, "file_body": b64(scan("png")), "file_name": "both.png"}))
        # S1 is the supplier's alone.
        d.expect(d.call(colleague, "POST", "GetCertUA/GetCertByID", {"certID": supplier.private},
                        supplier), 403, NO_ACCESS)
        d.expect(d.call(colleague, "POST", "Certificate/SetAccess",
                        {"cert_id": supplier.private, "access_type": 1}, supplier),
                 404, CERT_NOT_FOUND)
        d.expect(d.call(colleague, "POST", "Certificate/Create", cert_body(cert_gln_creator=S1),
                        supplier), 404, f"Gln {S1} не найден")


if __name__ == "__main__":
    main()
