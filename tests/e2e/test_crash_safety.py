"""Crash safety (tracker issue 8): client threads write in every dialect while the server is
killed with SIGKILL at random moments and restarted on the same database.

What must hold afterwards (docs/operations.md: a 2xx to a write is sent only after its commit;
the "Durability" and "Atomicity" sections of docs/iaf.md, origin.md, edin.md, sertifika.md):
- every write that got a 2xx is there, whole (every field as sent) and readable through the API;
- a write that got no reply may or may not be there, but never in part: an IAF bulk upload, an
  Origin request and a Sertifika issue request are all or nothing, an Origin update's collections
  are all before or all after it, and no certification lacks its certified entity (or person);
- every accepted Origin async job reaches a final state, runs exactly once, and its effect is whole.

Each record (certificate number, externalId, e-mail...) is written by one thread only, and a
record whose write got no reply is not written again, so the state read at the end must be what
its last acknowledged write sent, or what that unanswered write sent.

Operations, their data and the moments of the kills come from one seeded generator; the seed is
printed, and CERTREG_CRASH_SEED=<seed> replays the same choices (thread timing aside; ids and
e-mail addresses are random).
"""

import base64
import hashlib
import http.client
import json
import os
import random
import threading
import time
import traceback
import unittest

import edin_fixtures
import iaf_fixtures
import origin_fixtures
import sertifika_fixtures
from edin_fixtures import API, S1, S2, b64, cert_body, login, scan
from harness import ENGINE, Server, main
from iaf_fixtures import MNCBS, auth, body_for, path, role_of
from origin_fixtures import ACME, GLOBEX, new_certification
from sertifika_fixtures import A, B, T1, T2, TB, item, new_email, user_code

KILLS = 40
PAUSE = (0.02, 0.8)  # seconds of traffic between two kills
ASYNC_DRAIN_SECONDS = 60

PROVISION = {
    **iaf_fixtures.PROVISION,
    **origin_fixtures.PROVISION,
    "edin_users": [u for u in edin_fixtures.PROVISION["edin_users"] if u["login"] == "supplier"],
    "edin_glns": edin_fixtures.PROVISION["edin_glns"],
    "sertifika_companies": sertifika_fixtures.PROVISION["sertifika_companies"],
}

OK, NO_REPLY, REFUSED = "ok", "no reply", "refused"


class Record:
    """One record: the state its last acknowledged write left (None: none acknowledged, so it may
    be absent) and, when its last write got no reply, the state that write would leave."""

    def __init__(self):
        self.acked = None
        self.unanswered = None
        self.closed = False  # written no more: its last write got no reply


class Ledger:
    """What one client thread wrote, and the checks of what is read back."""

    def __init__(self):
        self.records = {}
        self.unanswered = []  # the record keys of each request that got no reply
        self.counts = {OK: 0, NO_REPLY: 0, REFUSED: 0}

    def open_keys(self):
        return [k for k, r in self.records.items() if r.acked is not None and not r.closed]

    def acked(self, key):
        return self.records[key].acked

    def record(self, changes, outcome):
        """changes: [(key, state after the write)] of one request."""
        self.counts[outcome] += 1
        for key, state in changes:
            r = self.records.setdefault(key, Record())
            if outcome == OK:
                r.acked = state
            else:
                r.closed = True
                r.unanswered = state if outcome == NO_REPLY else None
        if outcome == NO_REPLY:
            self.unanswered.append([key for key, _ in changes])

    def check(self, t, actual, what):
        """actual: key -> state read back, for every record of this kind that exists."""
        for key, r in self.records.items():
            allowed = [r.acked] + ([r.unanswered] if r.unanswered is not None else [])
            got = actual.get(key)
            t.assertIn(got, allowed, f"{what} {key}: read back {got!r}, expected one of {allowed!r}")
        for keys in self.unanswered:
            applied = {actual.get(k) == self.records[k].unanswered for k in keys}
            t.assertEqual(len(applied), 1, f"{what}: a request that got no reply is half applied: "
                                           f"{[(k, actual.get(k)) for k in keys]}")
        t.assertEqual(set(actual) - set(self.records), set(), f"{what}: records nobody wrote")


class Client(threading.Thread):
    """One client thread: runs step() until told to stop, waiting while the server restarts."""

    def __init__(self, name, server, up, stopping, seed):
        super().__init__(name=name, daemon=True)
        self.rng = random.Random(f"{seed}/{name}")
        self.server, self.up, self.stopping = server, up, stopping
        self.ledger = Ledger()
        self.failures = []  # valid writes refused, exceptions: reported by the test
        self.n = 0

    def run(self):
        try:
            while not self.stopping.is_set():
                self.up.wait()
                self.step()
        except Exception:
            self.failures.append(traceback.format_exc())

    def unique(self, prefix):
        self.n += 1
        return f"{prefix}-{self.name}-{self.n}"

    def send(self, method, target, body=None, headers=None):
        """The reply, or None when the connection broke (the server was killed)."""
        try:
            return self.server.request(method, target, body=body, headers=headers)
        except (OSError, http.client.HTTPException):
            return None

    def write(self, changes, method, target, body, headers, accepted):
        """Sends one write and records its outcome; returns the reply when it was accepted."""
        r = self.send(method, target, body, headers)
        if r is None:
            outcome = NO_REPLY
        elif r.status < 500 and accepted(r):
            outcome = OK
        else:
            outcome = REFUSED
            self.failures.append(f"{self.name}: a valid write was refused: {method} {target} {r}")
        self.ledger.record(changes, outcome)
        return r if outcome == OK else None

    def step(self):
        raise NotImplementedError

    def verify(self, t):
        raise NotImplementedError


# --- IAF: upload-cert and bulk-upload-cert, by a CB and an MNCB ---------------------------------

STATUSES = ["active", "suspended", "withdrawn", "expired", "inactive"]
ENTITY_FIELDS = [
    "certified_entity_name", "certified_entity_english_name", "certified_entity_trading_name",
    "certified_entity_unique_id", "certified_entity_street_address", "certified_entity_street_city",
    "certified_entity_state", "certified_entity_post_code", "certified_entity_country",
    "certified_entity_website", "confidential_certified_entity"]
# GET cert/{id} field <- upload field (docs/iaf.md, "Retrieve certifications").
IAF_VIEW = {
    "certification_number": "certificate_number", "status": "certification_status",
    "type": "certification_type", "scope_description": "certification_scope",
    "issue_date": "certification_issue_date", "expiry_date": "certification_expiry_date",
    "original_issue_date": "certification_original_issue_date",
    "accreditation_status": "certificate_accreditation_status",
    "company_name": "certified_entity_name", "company_english_name": "certified_entity_english_name",
    "company_trading_name": "certified_entity_trading_name",
    "certified_entity_unique_id": "certified_entity_unique_id",
    "company_street": "certified_entity_street_address", "company_city": "certified_entity_street_city",
    "company_state": "certified_entity_state", "company_postcode": "certified_entity_post_code",
    "company_country": "certified_entity_country", "company_website": "certified_entity_website",
    "is_confidential": "confidential_certified_entity", "schemes": "schemes", "sites": "sites"}


def iaf_view(c):
    """The part of a certification that an upload determines (entities keep their names here,
    so they have no former names)."""
    return {k: c[k] for k in IAF_VIEW} | {"cb": c["certification_bodies_id"],
                                          "former_names": c["company_former_names"]}


def iaf_expected(body, cb):
    return {k: body[f] for k, f in IAF_VIEW.items()} | {"cb": cb, "former_names": []}


class Iaf(Client):
    def __init__(self, who, *args):
        super().__init__(f"iaf-{who}", *args)
        self.who = who
        self.sent = {}  # certificate number -> (body, issuing CB) of the last write
        self.ids = {}   # certificate number -> company_certifications_id acknowledged

    def vary(self, body):
        """Changes the certification's own fields; the entity's stay as they are."""
        rng = self.rng
        body["certification_status"] = rng.choice(STATUSES)
        body["certification_scope"] = self.unique("scope")
        body["certificate_accreditation_status"] = rng.choice(["Accredited", "Unaccredited"])
        body["schemes"] = [{"scheme_name": f"ISO {rng.randint(1, 99999)}",
                            "standard_list": [{"standards_name": self.unique("std")}]}
                           for _ in range(rng.randint(1, 3))]
        body["sites"] = [{"street": self.unique("street"), "city": rng.choice(["Leeds", "York"]),
                          "state": None, "country": "United Kingdom", "postcode": None,
                          "scope_description": self.unique("site")}
                         for _ in range(rng.randint(0, 3))]
        return body

    def fresh(self, entity_from=None):
        cb = None
        if role_of(self.who) == "mncb":
            cb = self.rng.choice(MNCBS[self.who]["certification_bodies"])
        body = self.vary(body_for(self.who, cb))
        if entity_from:  # the same certified entity as another record of the request
            body.update({f: entity_from[f] for f in ENTITY_FIELDS})
        return body, cb or self.who

    def upload(self, items, bulk):
        changes = [(b["certificate_number"], iaf_expected(b, cb)) for b, cb in items]
        if bulk:
            r = self.write(changes, "POST", path(role_of(self.who), "bulk-upload-cert"),
                           {"certifications": [b for b, _ in items]}, auth(self.who),
                           lambda r: r.status == 200 and r.json == {"data": {"success": True}})
        else:
            r = self.write(changes, "POST", path(role_of(self.who), "upload-cert"), items[0][0],
                           auth(self.who), lambda r: r.status == 200 and r.json["data"] is True)
            if r:
                number = items[0][0]["certificate_number"]
                cid = r.json["company_certifications_id"]
                if self.ids.setdefault(number, cid) != cid:
                    self.failures.append(f"{number}: re-upload answered {cid}, not {self.ids[number]}")
        for b, cb in items:
            self.sent[b["certificate_number"]] = (b, cb)

    def step(self):
        roll, open_keys = self.rng.random(), self.ledger.open_keys()
        if roll < 0.3:
            items = []
            for _ in range(self.rng.randint(2, 8)):
                shared = items and self.rng.random() < 0.4
                items.append(self.fresh(self.rng.choice(items)[0] if shared else None))
            self.upload(items, bulk=True)
        elif roll < 0.6 or not open_keys:
            self.upload([self.fresh()], bulk=False)
        else:  # re-upload: an upsert of a record this thread wrote
            body, cb = self.sent[self.rng.choice(open_keys)]
            self.upload([(self.vary(dict(body)), cb)], bulk=False)

    def verify(self, t):
        role, listed, page = role_of(self.who), [], 0
        while True:
            r = self.server.request("GET", path(role, f"cert?limit=100&offset={page}"),
                                    headers=auth(self.who))
            t.assertEqual(r.status, 200, r)
            listed += r.json["data"]
            page += 1
            if page >= r.json["meta"]["total_pages"]:
                break
        actual = {c["certification_number"]: iaf_view(c) for c in listed}
        t.assertEqual(len(actual), len(listed), "a certification listed twice")
        self.ledger.check(t, actual, self.name)
        for number, cid in self.ids.items():
            r = self.server.request("GET", path(role, f"cert/{cid}"), headers=auth(self.who))
            t.assertEqual(r.status, 200, r)
            t.assertEqual(iaf_view(r.json["data"]), actual[number])


# --- Origin: create, and update with collection changes; async jobs -----------------------------

EMPTY_COLLECTIONS = {k: [] for k in ("additionalsDocuments", "brands", "contacts", "channels",
                                     "regulatoryStandardCompliances", "featuresCustoms",
                                     "featuresProperties")}


def origin_state(item):
    """A created item as CertificationsSearch returns it (docs/origin.md, "Search"), without
    its originId."""
    return EMPTY_COLLECTIONS | item


def search_all(server, headers):
    """Every certification of the company, by externalId."""
    out, page = {}, 1
    while True:
        r = server.request("POST", "/connect/v1/certifications/search",
                           {"locale": "en", "pageNumber": page, "pageSize": 100,
                            "searchCriteria": []}, headers)
        assert r.status == 200, r
        for c in r.json["result"]["data"]:
            assert c["externalId"] not in out, f"listed twice: {c}"
            out[c["externalId"]] = c
        if page >= int(r.json["result"]["searchInfo"]["numberOfPages"]):
            return out
        page += 1


class Origin(Client):
    """Synchronous creates (1-3 items: all or nothing) and updates that add, change and remove
    brands and contacts and change a scalar (one document: all before or all after)."""

    def __init__(self, *args, name="origin", company=ACME):
        super().__init__(name, *args)
        self.company = company  # each client its own, so that it knows every certification
        self.origin_ids = {}  # externalId -> originId acknowledged

    def create_items(self):
        items = []
        for _ in range(self.rng.randint(1, 3)):
            items.append(new_certification(
                certificateNumber=self.unique("CN"),
                brands=[{"name": self.unique("Brand")} for _ in range(self.rng.randint(0, 2))],
                contacts=[{"externalId": self.unique("K"), "name": self.unique("Name")}
                          for _ in range(self.rng.randint(0, 2))]))
        return items

    def create(self):
        items = self.create_items()
        r = self.write([(i["externalId"], origin_state(i)) for i in items], "POST",
                       "/connect/v1/certifications/create", {"certifications": items}, self.company,
                       lambda r: r.status == 200 and r.json["status"]["state"] == "SUCCESS")
        if r:
            for c in r.json["result"]["correlations"]:
                self.origin_ids[c["externalId"]] = c["originId"]

    def update_item(self, ext):
        """An update of `ext` and the state it leaves."""
        rng, state = self.rng, json.loads(json.dumps(self.ledger.acked(ext)))
        item = {"locale": "en"}
        if rng.random() < 0.5 and ext in self.origin_ids:
            item["originId"] = self.origin_ids[ext]
        else:
            item["externalId"] = ext
        if rng.random() < 0.6:
            item["certificateNumber"] = state["certificateNumber"] = self.unique("CN")
        brands, contacts = [], []
        for b in list(state["brands"]):
            if rng.random() < 0.4:
                brands.append({"name": b["name"], "collectionBehavior": "REMOVE"})
                state["brands"].remove(b)
        for _ in range(rng.randint(1, 2)):
            b = {"name": self.unique("Brand")}
            brands.append(dict(b, collectionBehavior="ADD"))
            state["brands"].append(b)
        for c in list(state["contacts"]):
            roll = rng.random()
            if roll < 0.3:
                contacts.append({"externalId": c["externalId"], "collectionBehavior": "REMOVE"})
                state["contacts"].remove(c)
            elif roll < 0.6:  # ADD of an existing key changes the attributes sent
                phone = str(rng.randint(1000, 9999))
                contacts.append({"externalId": c["externalId"], "phone": phone,
                                 "collectionBehavior": "ADD"})
                c["phone"] = phone
        if rng.random() < 0.7:
            c = {"externalId": self.unique("K"), "name": self.unique("Name")}
            contacts.append(dict(c, collectionBehavior="ADD"))
            state["contacts"].append(c)
        item["brands"], item["contacts"] = brands, contacts
        return item, state

    def step(self):
        open_keys = self.ledger.open_keys()
        if self.rng.random() < 0.35 or not open_keys:
            return self.create()
        ext = self.rng.choice(open_keys)
        item, state = self.update_item(ext)
        self.write([(ext, state)], "POST", "/connect/v1/certifications/update",
                   {"certifications": [item]}, self.company,
                   lambda r: r.status == 200 and r.json["status"]["state"] == "SUCCESS")

    def verify(self, t):
        found = search_all(self.server, self.company)
        for ext, oid in self.origin_ids.items():
            t.assertEqual(found[ext]["originId"], oid, ext)
        self.ledger.check(t, {ext: {k: v for k, v in c.items() if k != "originId"}
                              for ext, c in found.items()}, self.name)


def result_path(callback):
    return "/" + callback.split("://", 1)[1].split("/", 1)[1]


class OriginAsync(Origin):
    """Async creates, and async updates of certifications it created synchronously. A job accepted
    is acknowledged: whatever happens to the server, it must run, once. Between writes it polls
    jobs in flight: a result, once final, must never change (a job that ran again, or went back
    to pending after a restart, would)."""

    def __init__(self, *args):
        super().__init__(*args, name="origin-async", company=GLOBEX)
        self.jobs = []  # (result path, expected result)
        self.final = {}  # result path -> the first final result read

    def submit(self, action, items, changes, expected):
        r = self.write(changes, "POST", f"/connect/v1/async/certifications/{action}",
                       {"certifications": items}, self.company,
                       lambda r: r.status == 200 and "poolingCallback" in r.json["result"])
        if r:
            self.jobs.append((result_path(r.json["result"]["poolingCallback"]), expected))

    def poll(self):
        target, _ = self.rng.choice(self.jobs)
        r = self.send("GET", target, headers=self.company)
        if r is None:
            return
        if r.status != 200:
            self.failures.append(f"{target}: {r}")
        elif r.json["result"].get("executionStatus") != "PENDING":
            self.final.setdefault(target, r.json["result"])
        if target in self.final and r.json["result"] != self.final[target]:
            self.failures.append(f"{target} was {self.final[target]}, now {r.json['result']}")

    def step(self):
        # Updates go to certifications created synchronously: an async create may not have run.
        targets = [k for k in self.ledger.open_keys() if k in self.origin_ids]
        roll = self.rng.random()
        if self.jobs and self.rng.random() < 0.3:
            self.poll()
        if roll < 0.15 or not targets:
            self.create()
        elif roll < 0.45:
            items = self.create_items()
            self.submit("create", items, [(i["externalId"], origin_state(i)) for i in items],
                        {"externalIds": [i["externalId"] for i in items]})
        else:
            ext = self.rng.choice(targets)
            item, state = self.update_item(ext)
            self.submit("update", [item], [(ext, state)],
                        {"entityType": "CERTIFICATION", "result": "Update completed."})

    def drain(self, t):
        """Polls every accepted job until it is no longer pending; its result must then stay."""
        deadline = time.time() + ASYNC_DRAIN_SECONDS
        for target, expected in self.jobs:
            while True:
                r = self.server.request("GET", target, headers=self.company)
                t.assertEqual(r.status, 200, r)
                result = r.json["result"]
                if result.get("executionStatus") != "PENDING":
                    break
                t.assertLess(time.time(), deadline, f"job {target} still pending")
                time.sleep(0.05)
            if "externalIds" in expected:
                t.assertEqual([c["externalId"] for c in result["correlations"]],
                              expected["externalIds"], result)
                for c in result["correlations"]:
                    self.origin_ids[c["externalId"]] = c["originId"]
            else:
                t.assertEqual(result, expected)
            t.assertEqual(result, self.final.get(target, result), target)
            t.assertEqual(self.server.request("GET", target, headers=self.company).json["result"],
                          result)

    def verify(self, t):
        super().verify(t)
        states = dict(self.server.sql("SELECT state, COUNT(*) FROM origin_jobs GROUP BY state"))
        t.assertEqual(set(states), {"DONE"}, states)
        # Exactly once: one history entry per update job that names the certification.
        updates = dict(self.server.sql(
            "SELECT object_id, COUNT(*) FROM history WHERE object_type = 'origin_certification'"
            " AND action = 'update' GROUP BY object_id"))
        requests = [json.loads(r) for (r,) in self.server.sql(
            "SELECT request FROM origin_jobs WHERE command = 'certifications_update'")]
        for ext, oid in self.origin_ids.items():
            jobs = sum(1 for r in requests for i in r["certifications"]
                       if i.get("originId") == oid or i.get("externalId") == ext)
            t.assertEqual(int(updates.get(oid, 0)), jobs, ext)

# --- EDIN: Certificate/Create and AttachScan --------------------------------------------------


def edin_date(ddmmyyyy):
    d, m, y = ddmmyyyy.split(".")
    return f"{y}-{m}-{d} 00:00:00"


EDIN_FIELDS = ["varNumber", "intType", "intSubType", "varOwnerGln", "varDate", "varStartDate",
               "varEndDate", "varPartNumber", "varLotNumber", "varGtd"]


def edin_expected(body):
    """GetCertByID's cert_data (EDIN_FIELDS) for a created body (docs/edin.md, "GetCert
    controller")."""
    return {"varNumber": body["cert_number"], "intType": int(body["cert_type"]),
            "intSubType": int(body["cert_sub_type"]), "varOwnerGln": body["cert_gln_creator"],
            "varDate": edin_date(body["cert_date"]), "varStartDate": edin_date(body["cert_start_date"]),
            "varEndDate": edin_date(body["cert_end_date"]) if "cert_end_date" in body else None,
            "varPartNumber": body.get("cert_part_number"), "varLotNumber": body.get("cert_lot_number"),
            "varGtd": body.get("cert_gtd")}


class Edin(Client):
    """Creates certificates and attaches scans to them. A certificate is keyed by its number, a
    scan by ("scan", its MD5): every scan is unique, so the files are checked one by one."""

    def __init__(self, token, *args):
        super().__init__("edin", *args)
        self.token = token
        self.cert_ids = {}  # number -> certificate id acknowledged

    def call(self, method, body):
        return self.server.request("POST", API + method, dict(body, varToken=self.token))

    def create(self):
        rng = self.rng
        body = cert_body(cert_number=self.unique("E"), cert_gln_creator=rng.choice([S1, S2]),
                         cert_type=str(rng.randint(1, 18)), cert_lot_number=self.unique("lot"),
                         cert_gtd=rng.choice([None, self.unique("gtd")]))
        if rng.random() < 0.5:  # a batch certificate
            body.update(cert_sub_type="2", cert_part_number=self.unique("part"))
            del body["cert_end_date"]
        r = self.write([(body["cert_number"], edin_expected(body))], "POST",
                       API + "Certificate/Create", dict(body, varToken=self.token), None,
                       lambda r: r.json.get("intCode") == 200)
        if r:
            self.cert_ids[body["cert_number"]] = int(r.json["certificate_id"])

    def step(self):
        numbers = [k for k in self.ledger.open_keys() if k in self.cert_ids]
        if self.rng.random() < 0.5 or not numbers:
            return self.create()
        number = self.rng.choice(numbers)
        data = scan(self.rng.choice(["pdf", "png", "jpeg", "tiff"]))
        name = self.unique("scan")
        self.write([(("scan", hashlib.md5(data).hexdigest()), (number, name, b64(data)))],
                   "POST", API + "Certificate/AttachScan",
                   {"varToken": self.token, "cert_id": self.cert_ids[number],
                    "file_body": b64(data), "file_name": name}, None,
                   lambda r: r.json.get("intCode") == 200)

    def verify(self, t):
        actual = {}
        for (number,) in self.server.sql("SELECT number FROM edin_certificates"):
            r = self.call("GetCertUA/GetCertsByNum", {"num": number})
            t.assertEqual(r.json["intCode"], 200, r)
            (found,) = r.json["certs"]
            if number in self.cert_ids:
                t.assertEqual(found["intCertID"], self.cert_ids[number])
            r = self.call("GetCertUA/GetCertByID", {"certID": found["intCertID"]})
            t.assertEqual(r.json["intCode"], 200, r)
            actual[number] = {k: r.json["cert_data"][k] for k in EDIN_FIELDS}
            for f in r.json["cert_files"]:
                got = self.call("GetCertUA/GetFileByID", {"intFileID": f["intFileID"]})
                t.assertEqual(got.json["intCode"], 200, got)
                body = got.json["cert_file_data"]["varBody"][0]
                t.assertEqual(hashlib.md5(base64.b64decode(body)).hexdigest(), f["varHashLink"])
                actual[("scan", f["varHashLink"])] = (number, f["varFileName"], body)
        self.ledger.check(t, actual, self.name)


# --- Sertifika: POST certificate/ (issue and re-issue) ------------------------------------------

SERTIFIKA_COMPANIES = [(A, [T1, T2]), (B, [TB])]  # token, templates
PROPERTY_KEY = sertifika_fixtures.PROPS[0]["key"]  # T1 and TB have it


class Sertifika(Client):
    """Issues 1-4 certificates per request (all valid items commit together), to new people or
    again to people it issued to (a re-issue replaces what the certificate says)."""

    def __init__(self, *args):
        super().__init__("sertifika", *args)
        self.emails = {}  # (template, userCode) -> e-mail

    def item(self, tid, email):
        rng = self.rng
        props = [{"key": PROPERTY_KEY, "value": self.unique("v")}] if tid != T2 else []
        it = item(tid, email, Name=self.unique("Name"), Surname=rng.choice(["Doe", "Öztürk"]),
                  Hour=rng.randint(1, 80), Point=rng.choice([None, rng.randint(0, 400) / 4]),
                  Educator=rng.choice([None, self.unique("Educator")]), Properties=props,
                  metaTag=[{"value": self.unique("tag")} for _ in range(rng.randint(0, 2))],
                  isPrivate=rng.random() < 0.3)
        state = {"name": it["Name"], "surname": it["Surname"], "email": email,
                 "isPrivate": it["isPrivate"], "hour": float(it["Hour"]),
                 "point": None if it["Point"] is None else float(it["Point"]),
                 "educator": it["Educator"], "properties": props,
                 "metaTags": [t["value"] for t in it["metaTag"]]}
        return it, state

    def step(self):
        headers, mine = self.rng.choice(SERTIFIKA_COMPANIES)
        open_keys = [k for k in self.ledger.open_keys() if k[0] in mine]
        items, changes = [], []
        for _ in range(self.rng.randint(1, 4)):
            reissue = [k for k in open_keys if k not in {c[0] for c in changes}]
            if reissue and self.rng.random() < 0.4:
                key = self.rng.choice(reissue)
            else:
                email = new_email("crash")
                key = (self.rng.choice(mine), user_code(email))
                self.emails[key] = email
            it, state = self.item(key[0], self.emails[key])
            items.append(it)
            changes.append((key, state))
        self.write(changes, "POST", sertifika_fixtures.BASE + "certificate/",
                   {"certificateItem": items}, headers,
                   lambda r: r.status == 200 and r.json["messageList"][-1] == "Error count :0")

    def verify(self, t):
        stored = {}
        for tid, code, hour, point, educator, props, tags in self.server.sql(
                "SELECT template_id, user_code, hour, point, educator, properties, meta_tags"
                " FROM sertifika_holdings"):
            stored[(tid, code)] = {
                "hour": None if hour is None else float(hour),
                "point": None if point is None else float(point), "educator": educator,
                "properties": json.loads(props), "metaTags": json.loads(tags)}
        actual = {}
        for headers, tid in [(h, tid) for h, tids in SERTIFIKA_COMPANIES for tid in tids]:
            r = self.server.request("GET", f"{sertifika_fixtures.BASE}certificate/{tid}/user",
                                    headers=headers)
            t.assertEqual(r.status, 200, r)
            for h in r.json:
                key = (tid, user_code(h["email"]))
                actual[key] = {k: h[k] for k in ("name", "surname", "email", "isPrivate")}
                actual[key].update(stored.pop(key))
        t.assertEqual(stored, {}, "holdings the API does not list")
        self.ledger.check(t, actual, self.name)


# --- The test ---------------------------------------------------------------------------------

# Rows that reference what is not there: each query must find none.
ORPHANS = {
    "IAF certifications without their certified entity":
        "SELECT c.id FROM iaf_certifications c LEFT JOIN iaf_entities e ON e.id = c.entity_id"
        " WHERE e.id IS NULL",
    "EDIN scans without their certificate":
        "SELECT f.id FROM edin_files f LEFT JOIN edin_certificates c ON c.id = f.cert_id"
        " WHERE c.id IS NULL",
    "Sertifika certificates without their person":
        "SELECT h.id FROM sertifika_holdings h LEFT JOIN sertifika_users u"
        " ON u.company_id = h.company_id AND u.user_code = h.user_code WHERE u.id IS NULL",
}


class CrashSafety(unittest.TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("CERTREG_CRASH_SEED", random.SystemRandom().getrandbits(32)))
        print(f"\nCERTREG_CRASH_SEED={self.seed} ({ENGINE})", flush=True)
        self.server = Server(provision=PROVISION, args=["--async-workers", "1"]).start()

    def tearDown(self):
        self.server.stop()
        self.server.remove()

    def test_acknowledged_writes_survive_sigkill_whole(self):
        rng = random.Random(self.seed)
        up, stopping = threading.Event(), threading.Event()
        up.set()
        common = (self.server, up, stopping, self.seed)
        jobs = OriginAsync(*common)
        clients = [Iaf("bsi", *common), Iaf("sgs", *common), Origin(*common), jobs,
                   Edin(login(self.server, "supplier"), *common), Sertifika(*common)]
        started = time.time()
        for c in clients:
            c.start()
        for _ in range(KILLS):
            time.sleep(rng.uniform(*PAUSE))
            up.clear()
            self.server.restart()
            up.set()
        stopping.set()
        for c in clients:
            c.join(timeout=60)
            self.assertFalse(c.is_alive(), c.name)
        # What was acknowledged after the last kill is checked after one more.
        self.server.restart()
        print(f"{KILLS + 1} kills in {time.time() - started:.1f} s", flush=True)
        for c in clients:
            print(f"  {c.name}: {c.ledger.counts}", flush=True)
        for c in clients:
            self.assertEqual(c.failures, [], c.name)
        self.assertGreater(sum(c.ledger.counts[NO_REPLY] for c in clients), KILLS // 4,
                           "too few writes were cut by a kill to test anything")
        jobs.drain(self)
        for c in clients:
            with self.subTest(client=c.name):
                c.verify(self)
        for what, query in ORPHANS.items():
            self.assertEqual(self.server.sql(query), [], what)
        self.assertEqual(self.server.stop(), 0, self.server.log()[-2000:])


if __name__ == "__main__":
    main()
