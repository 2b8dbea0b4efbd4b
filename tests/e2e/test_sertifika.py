"""Sertifika Merkezi API v1.0 (docs/sertifika.md): every endpoint, every documented message
byte-exact, issuing item by item, re-issue, revocation, tenancy between companies, the
authorization check on every endpoint, malformed bodies, router errors in the envelope, and
issued certificates surviving SIGKILL."""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import unittest
import uuid

from harness import Server, main, raw_exchange
from sertifika_fixtures import (A, A_ID, B, B_ID, BASE, DENIED, G, G_ID, PROPS, PROVISION, T1, T2,
                                T_BULK, T_DEL_ALL, T_DEL_EMAILS, T_IN_USE, T_LIST, T_TENANCY,
                                T_UPPER, TB, TG1, TG2, UNKNOWN_T, SertifikaTest, counts, item,
                                new_email, undefined, user_code)

CREATED = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d{4} "
                     r"[ 1]\d:[0-5]\d[AP]M$")
HOLDER_KEYS = ["certificateName", "connectionId", "name", "surname", "email", "id",
               "createdDate", "isPrivate", "verificationCode"]
# Ids are UUIDv7 (time-ordered, so inserts append to the index); see docs/performance.md.
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class Authorization(SertifikaTest):
    def endpoints(self, email):
        code = user_code(email)
        return [
            ("GET", f"company/{A_ID}/certificate", None),
            ("GET", f"company/{A_ID}/user/", None),
            ("GET", f"company/{A_ID}/user/{code}", None),
            ("GET", f"user/{code}/certificate", None),
            ("GET", f"certificate/{T1}", None),
            ("GET", f"certificate/{T1}/user", None),
            ("GET", f"certificate/{T1}/user/{code}", None),
            ("POST", "certificate/", {"certificateItem": [item(T1, new_email())]}),
            ("DELETE", f"certificate/{T1}/user/{code}", None),
            ("DELETE", f"certificate/{T1}/user", None),
        ]

    def test_every_endpoint_refuses_a_missing_or_unknown_token_and_changes_nothing(self):
        email = new_email()
        self.issue_ok([item(T1, email)])
        before = self.get(f"certificate/{T1}/user")
        for label, headers in [
                ("missing", {}), ("empty", {"Authorization": ""}),
                ("unknown", {"Authorization": "no-such-token"}),
                ("bearer unknown", {"Authorization": "Bearer no-such-token"}),
                ("IAF key", {"Authorization": "cb-bsi-key"}),
                ("IAF key header", {"x-http-authorization": "cb-bsi-key"}),
                ("Origin token", {"Authorization": "Bearer origin-acme-token"}),
                ("other header", {"X-Token": "sm-advancity-token"}),
                ("token with suffix", {"Authorization": "sm-advancity-token-x"})]:
            for method, path, body in self.endpoints(email):
                with self.subTest(auth=label, method=method, path=path):
                    r = self.call(method, path, body=body, headers=headers)
                    self.assertEqual(r.status, 401, r)
                    self.assertEqual(r.json, DENIED)
        self.assertEqual(self.get(f"certificate/{T1}/user"), before)
        self.holder(T1, email)

    def test_raw_token_and_bearer_prefix_are_accepted(self):
        for headers in [A, {"Authorization": "Bearer sm-advancity-token"},
                        {"Authorization": "bearer  sm-advancity-token "},
                        {"Authorization": "sm-advancity-2"}]:
            with self.subTest(headers=headers):
                self.assertEqual(len(self.get(f"company/{A_ID}/certificate", headers)), 9)


class Templates(SertifikaTest):
    def test_company_templates_by_name_with_and_without_trailing_slash(self):
        want = [{"certificateName": "Gamma One", "id": TG1},
                {"certificateName": "Gamma Two", "id": TG2}]
        self.assertEqual(self.get(f"company/{G_ID}/certificate", G), want)
        self.assertEqual(self.get(f"company/{G_ID}/certificate/", G), want)
        r = self.call("GET", f"company/{G_ID}/certificate", headers=G)
        self.assertEqual(r.body, json.dumps(want, separators=(",", ":")))

    def test_company_templates_of_company_a(self):
        got = self.get(f"company/{A_ID}/certificate")
        self.assertEqual([t["certificateName"] for t in got],
                         sorted(t["certificateName"] for t in got))
        self.assertIn({"certificateName": "Advancity Test Sertifikası", "id": T1}, got)
        self.assertIn({"certificateName": "Büyük Harf Sertifikası", "id": T_UPPER}, got)
        # The company id is compared ignoring case.
        self.assertEqual(self.get(f"company/{A_ID.upper()}/certificate"), got)

    def test_unknown_company(self):
        for cid in ["nope", UNKNOWN_T, G_ID]:
            for path in [f"company/{cid}/certificate", f"company/{cid}/user/",
                         f"company/{cid}/user/{user_code('x@example.com')}"]:
                with self.subTest(path=path):
                    self.assert_envelope(self.call("GET", path), 404,
                                         [f"company : '{cid}' is undefined"])

    def test_template_detail_shape(self):
        self.assertEqual(self.get(f"certificate/{T2}"), {"certificateItem": [{
            "id": T2, "name": None, "surname": None, "email": None, "duration": None,
            "grade": None, "educator": None, "sendEmail": False, "isInUse": 0,
            "Properties": [], "metaTag": [{"value": None}]}]})

    def test_is_in_use_after_first_issue_and_after_revocation(self):
        detail = self.get(f"certificate/{T_IN_USE}")["certificateItem"][0]
        self.assertEqual(detail["isInUse"], 0)
        self.assertEqual(detail["Properties"],
                         [{"key": p["key"], "value": p["title"]} for p in PROPS])
        email = new_email()
        self.issue_ok([item(T_IN_USE, email)])
        self.assertEqual(self.get(f"certificate/{T_IN_USE}")["certificateItem"][0]["isInUse"], 1)
        r = self.call("DELETE", f"certificate/{T_IN_USE}/user/{user_code(email)}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get(f"certificate/{T_IN_USE}/user"), [])
        self.assertEqual(self.get(f"certificate/{T_IN_USE}")["certificateItem"][0]["isInUse"], 1)

    def test_unknown_template(self):
        for tid in [UNKNOWN_T, "not-a-guid", TB, TG1]:
            for method, path in [("GET", f"certificate/{tid}"), ("GET", f"certificate/{tid}/user"),
                                 ("GET", f"certificate/{tid}/user/{user_code('a@b.co')}"),
                                 ("DELETE", f"certificate/{tid}/user/{user_code('a@b.co')}"),
                                 ("DELETE", f"certificate/{tid}/user")]:
                with self.subTest(method=method, path=path):
                    self.assert_envelope(self.call(method, path), 404,
                                         [f"certificate : '{tid}' is undefined"])

    def test_template_ids_ignore_case(self):
        self.assertEqual(self.get(f"certificate/{T_UPPER.lower()}")["certificateItem"][0]["id"],
                         T_UPPER)
        self.assertEqual(self.get(f"certificate/{T1.upper()}")["certificateItem"][0]["id"], T1)
        email = new_email()
        self.issue_ok([item(T_UPPER.lower(), email)])
        h = self.holder(T_UPPER, email)
        self.assertEqual(h["certificateName"], "Büyük Harf Sertifikası")
        self.assertEqual(self.holder(T_UPPER.lower(), email), h)


class Issue(SertifikaTest):
    def test_seed_response_and_holders(self):
        emails = [new_email(f"seed{i}") for i in range(5)]
        items = [item(T_LIST, e, Name=f"Jhon {i}", Surname=f"Doe {i}",
                      Properties=[{"key": "alias_1434977880189", "value": f"v{i}"}])
                 for i, e in enumerate(emails)]
        before = time.time()
        out = self.issue(items)
        self.assertEqual(out, {"status": "OK", "messageList": [
            f"{i + 1}-success-{e}" for i, e in enumerate(emails)] + counts(5, 0)})
        holders = self.get(f"certificate/{T_LIST}/user")
        self.assertEqual([h["email"] for h in holders], emails)
        for i, h in enumerate(holders):
            self.assertEqual(list(h), HOLDER_KEYS)
            self.assertEqual(h["certificateName"], "Liste Sertifikası")
            self.assertEqual((h["name"], h["surname"]), (f"Jhon {i}", f"Doe {i}"))
            self.assertRegex(h["connectionId"], UUID)
            self.assertRegex(h["id"], UUID)
            self.assertIs(h["isPrivate"], False)
            self.assertRegex(h["createdDate"], CREATED)
            created = datetime.datetime.strptime(h["createdDate"], "%b %d %Y %I:%M%p").replace(
                tzinfo=datetime.timezone.utc).timestamp()
            self.assertLessEqual(abs(created - before), 120)
            self.assertEqual(self.holder(T_LIST, h["email"]), h)
        self.assertEqual(len({h["connectionId"] for h in holders}), 5)
        self.assertEqual(len({h["id"] for h in holders}), 5)

    def test_user_code_is_md5_of_trimmed_lowercased_email(self):
        sent = f"  Mixed.Case.{uuid.uuid4().hex[:8]}@Example.COM \t"
        out = self.issue_ok([item(T1, sent)])
        self.assertEqual(out["messageList"][0], f"1-success-{sent.strip()}")
        code = user_code(sent)
        self.assertEqual(code, hashlib.md5(sent.strip().lower().encode()).hexdigest())
        h = self.get(f"certificate/{T1}/user/{code}")
        self.assertEqual(h["email"], sent.strip())
        # Path userCodes are compared lowercased.
        self.assertEqual(self.get(f"certificate/{T1}/user/{code.upper()}"), h)
        self.assertEqual(self.get(f"company/{A_ID}/user/{code.upper()}"),
                         [{"name": "Jhon", "surname": "Doe", "email": sent.strip()}])
        # Not the MD5 of the e-mail as sent, nor of its original case.
        for other in [hashlib.md5(sent.encode()).hexdigest(),
                      hashlib.md5(sent.strip().encode()).hexdigest()]:
            self.assert_envelope(self.call("GET", f"certificate/{T1}/user/{other}"), 404,
                                 [f"userCode : '{other}' is undefined"])

    def test_mixed_valid_and_invalid_items(self):
        ok = [new_email(f"ok{i}") for i in range(4)]
        bad_prop = new_email("badprop")
        items = [
            item(T1, ok[0]),                                          # 1 ok
            item(T1, Name=None),                                      # 2 name missing
            item(T1, Name="   "),                                     # 3 name empty
            item(T1, Surname=""),                                     # 4 surname
            item(T1, ok[1], Properties=[{"key": "alias_1434977884195", "value": "x"}]),  # 5 ok
            item(T1, Email="not-an-email"),                           # 6 email
            {k: v for k, v in item(T1).items() if k != "Email"},      # 7 email missing
            {k: v for k, v in item(T1).items() if k != "id"},         # 8 id missing
            item("not-a-guid"),                                       # 9 id not a GUID
            item(UNKNOWN_T),                                          # 10 unknown template
            item(TB),                                                 # 11 another company's
            item(T1, bad_prop, Properties=[{"key": "nope", "value": "x"}]),  # 12 property
            item(T1, Hour="abc"),                                     # 13 hour
            item(T1, Point={"x": 1}),                                 # 14 point
            item(T2, ok[2], Hour="2.5", Point="90"),                  # 15 ok, numeric strings
            "not an object",                                          # 16 item
            item(T1, Properties="x"),                                 # 17 properties
            item(T1, Educator=5),                                     # 18 educator
            item(T1, metaTag="x"),                                    # 19 metaTag
            item(T1, isPrivate=5),                                    # 20 isPrivate
            item(T1, Name=7),                                         # 21 name not text
            item(T1, Email="two@@example.com"),                       # 22 email
            item(T2, ok[3], Hour=None, Point=None, Educator=None, Properties=None,
                 metaTag=None),                                       # 23 ok, optionals null
            item(T1, Properties=[{"key": "alias_1434977880189", "value": "a"},
                                 {"key": "alias_1434977880189", "value": "b"}]),  # 24 dup key
            item(T1, Properties=[{"value": "no key"}]),               # 25 properties
            item(T1, Properties=[{"key": "alias_1434977880189", "value": {"x": 1}}]),  # 26
        ]
        out = self.issue(items)
        self.assertEqual(out, {"status": "OK", "messageList": [
            f"1-success-{ok[0]}", "2-error-name", "3-error-name", "4-error-surname",
            f"5-success-{ok[1]}", "6-error-email", "7-error-email", "8-error-id", "9-error-id",
            "10-error-id", "11-error-id", "12-error-property nope", "13-error-hour",
            "14-error-point", f"15-success-{ok[2]}", "16-error-item", "17-error-properties",
            "18-error-educator", "19-error-metaTag", "20-error-isPrivate", "21-error-name",
            "22-error-email", f"23-success-{ok[3]}", "24-error-property alias_1434977880189",
            "25-error-properties", "26-error-property alias_1434977880189"]
            + counts(4, 22)})
        self.holder(T1, ok[0])
        self.holder(T1, ok[1])
        self.holder(T2, ok[2])
        self.holder(T2, ok[3])
        code = user_code(bad_prop)
        self.assert_envelope(self.call("GET", f"certificate/{T1}/user/{code}"), 404,
                             [f"userCode : '{code}' is undefined"])
        # An invalid item creates no person either.
        self.assert_envelope(self.call("GET", f"company/{A_ID}/user/{code}"), 404,
                             [f"userCode : '{code}' is undefined"])

    def test_each_item_reports_its_first_problem_in_the_documented_order(self):
        cases = [
            (item("x", Name="", Email="bad"), "id"),
            (item(T1, Name="", Surname="", Email="bad"), "name"),
            (item(T1, Surname="", Email="bad"), "surname"),
            (item(T1, Email="bad", Properties=[{"key": "zz", "value": "v"}]), "email"),
            (item(T1, Properties=[{"key": "zz", "value": "v"}], Hour="h"), "property zz"),
            (item(T1, Hour="h", Point="p"), "hour"),
            (item(T1, Point="p", Educator=1), "point"),
            (item(T1, Educator=1, metaTag=1), "educator"),
            (item(T1, metaTag=1, isPrivate="maybe"), "metaTag"),
            (item(T1, isPrivate="maybe"), "isPrivate"),
        ]
        out = self.issue([c for c, _ in cases])
        self.assertEqual(out["messageList"],
                         [f"{i + 1}-error-{r}" for i, (_, r) in enumerate(cases)]
                         + counts(0, len(cases)))

    def test_lengths_types_and_list_elements(self):
        long_email = "a" * 243 + "@example.com"  # 255 characters
        ok_email = "b" * 242 + "@example.com"    # 254
        cases = [
            (item(T1, id=5), "id"),
            (item(T1, id=None), "id"),
            (item(T1, Name="x" * 501), "name"),
            (item(T1, Name="Jh\x01on"), "name"),
            (item(T1, Surname=["Doe"]), "surname"),
            (item(T1, Surname="y" * 501), "surname"),
            (item(T1, Email=long_email), "email"),
            (item(T1, Email="a\x02@example.com"), "email"),
            (item(T1, Email=5), "email"),
            (item(T1, Properties=["alias_1434977880189"]), "properties"),
            (item(T1, Properties=[{"key": 5, "value": "v"}]), "properties"),
            (item(T1, Properties={"key": "alias_1434977880189"}), "properties"),
            (item(T1, Properties=[{"key": "alias_1434977880189", "value": "v" * 4001}]),
             "property alias_1434977880189"),
            (item(T1, Properties=[{"key": "alias_1434977880189", "value": True}]),
             "property alias_1434977880189"),
            (item(T1, Properties=[{"key": "ALIAS_1434977880189", "value": "v"}]),
             "property ALIAS_1434977880189"),
            (item(T1, Hour=True), "hour"),
            (item(T1, Hour="1e5"), "hour"),
            (item(T1, Point=[1]), "point"),
            (item(T1, Educator="e" * 501), "educator"),
            (item(T1, Educator={"n": 1}), "educator"),
            (item(T1, metaTag=[{"value": 5}]), "metaTag"),
            (item(T1, metaTag=[{"value": "t" * 501}]), "metaTag"),
            (item(T1, metaTag=[{"value": str(i)} for i in range(101)]), "metaTag"),
            (item(T1, isPrivate=[True]), "isPrivate"),
            (item(T1, isPrivate="yes"), "isPrivate"),
            (5, "item"),
            (None, "item"),
            ([item(T1)], "item"),
        ]
        fine = [
            item(T1, ok_email, Name="x" * 500, Surname="y" * 500, Educator="e" * 500,
                 Properties=[{"key": "alias_1434977880189", "value": "v" * 4000},
                             {"key": "alias_1434977884195", "value": 42}],
                 metaTag=[{"value": "t" * 500}] + [{"value": str(i)} for i in range(98)]
                 + [{"value": None}, "plain"], Hour=-1, Point="0.5", Educator2="ignored"),
        ]
        out = self.issue([c for c, _ in cases] + fine)
        self.assertEqual(out["messageList"],
                         [f"{i + 1}-error-{r}" for i, (_, r) in enumerate(cases)]
                         + [f"{len(cases) + 1}-success-{ok_email}"] + counts(1, len(cases)))
        self.assertEqual(self.holder(T1, ok_email)["name"], "x" * 500)

    def test_keys_are_read_ignoring_case_and_detail_names_are_accepted(self):
        e1, e2 = new_email("lower"), new_email("detail")
        lower = {"ID": T1, "name": "Ali", "surname": "Veli", "email": e1, "hour": 1,
                 "point": 2, "educator": "E", "properties": [{"KEY": "alias_1434977880189",
                                                              "VALUE": "x"}],
                 "metatag": [{"VALUE": "t"}], "isprivate": True}
        # The template detail's own shape, filled in and sent back (duration and grade).
        detail = self.get(f"certificate/{T1}")["certificateItem"][0]
        detail.update(name="Ayşe", surname="Yılmaz", email=e2, duration=8, grade=70)
        out = self.issue([lower, detail])
        self.assertEqual(out["messageList"], [f"1-success-{e1}", f"2-success-{e2}"] + counts(2, 0))
        self.assertIs(self.holder(T1, e1)["isPrivate"], True)
        h = self.holder(T1, e2)
        self.assertEqual((h["name"], h["surname"]), ("Ayşe", "Yılmaz"))

    def test_reissue_updates_without_duplicating(self):
        email = new_email("again")
        self.issue_ok([item(T_TENANCY, email, Name="First")])
        first = self.holder(T_TENANCY, email)
        time.sleep(1.1)
        variants = [email.upper(), "  " + email + " "]
        out = self.issue([item(T_TENANCY, variants[0], Name="Second", isPrivate=True),
                          item(T_TENANCY, variants[1], Name="Third", isPrivate=True)])
        self.assertEqual(out["messageList"], [f"1-success-{variants[0]}",
                                              f"2-success-{email}"] + counts(2, 0))
        holders = [h for h in self.get(f"certificate/{T_TENANCY}/user")
                   if h["connectionId"] == first["connectionId"]]
        self.assertEqual(len(holders), 1)
        again = self.holder(T_TENANCY, email)
        self.assertEqual(again["connectionId"], first["connectionId"])
        self.assertEqual(again["verificationCode"], first["verificationCode"])
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(again["createdDate"], first["createdDate"])
        self.assertEqual(again["name"], "Third")
        self.assertIs(again["isPrivate"], True)
        self.assertEqual(len([h for h in self.get(f"certificate/{T_TENANCY}/user")
                              if h["email"].lower() == email]), 1)
        self.assertEqual(len(self.get(f"user/{user_code(email)}/certificate")), 1)

    def test_verification_codes_are_unique_long_and_not_derived_from_ids(self):
        emails = [new_email("code") for _ in range(40)]
        self.issue_ok([item(T1 if i % 2 else T2, e) for i, e in enumerate(emails)])
        codes = set()
        for i, e in enumerate(emails):
            h = self.holder(T1 if i % 2 else T2, e)
            code = h["verificationCode"]
            self.assertRegex(code, r"^[0-9a-f]{40}$")
            for ident in (h["connectionId"], h["id"], user_code(e)):
                self.assertNotIn(ident.replace("-", "")[:16], code)
            codes.add(code)
        self.assertEqual(len(codes), 40)
        # The same person holding two templates has two codes.
        e = new_email("two")
        self.issue_ok([item(T1, e), item(T2, e)])
        self.assertNotEqual(self.holder(T1, e)["verificationCode"],
                            self.holder(T2, e)["verificationCode"])

    def test_is_private_round_trip(self):
        email = new_email("private")
        code = user_code(email)
        for sent, want in [(True, True), (None, False), ("true", True), ("False", False),
                           (False, False), ("TRUE", True)]:
            with self.subTest(sent=sent):
                it = item(T2, email)
                if sent is not None:
                    it["isPrivate"] = sent
                self.issue_ok([it])
                self.assertIs(self.holder(T2, email)["isPrivate"], want)
                mine = self.get(f"user/{code}/certificate")
                self.assertEqual([c["isPrivate"] for c in mine], [want])

    def test_empty_item_list(self):
        self.assertEqual(self.issue([]), {"status": "OK", "messageList": counts(0, 0)})

    def test_path_without_trailing_slash(self):
        email = new_email("noslash")
        r = self.call("POST", "certificate", body={"certificateItem": [item(T2, email)]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["messageList"], [f"1-success-{email}"] + counts(1, 0))

    def test_malformed_bodies_are_400_and_write_nothing(self):
        email = new_email("malformed")
        good = json.dumps({"certificateItem": [item(T2, email)]})
        cases = [
            (b"", "The request body is empty."),
            (b"  \n", "The request body is empty."),
            (b"{not json", "The request body is not valid JSON."),
            (good[:-1].encode(), "The request body is not valid JSON."),
            (good.encode() + b",", "The request body is not valid JSON."),
            (b"[" * 100 + b"]" * 100, "The request body is nested too deeply."),
            (json.dumps([item(T2, email)]).encode(),
             "The request body must be a JSON object with a certificateItem list."),
            (b'"x"', "The request body must be a JSON object with a certificateItem list."),
            (b"null", "The request body must be a JSON object with a certificateItem list."),
            (b"{}", "certificateItem is required and must be a list."),
            (json.dumps({"certificateItems": [item(T2, email)]}).encode(),
             "certificateItem is required and must be a list."),
            (json.dumps({"certificateItem": item(T2, email)}).encode(),
             "certificateItem is required and must be a list."),
            (b'{"certificateItem": null}', "certificateItem is required and must be a list."),
        ]
        for raw, message in cases:
            with self.subTest(body=raw[:60]):
                r = self.call("POST", "certificate/", raw=raw,
                              headers=dict(A, **{"Content-Type": "application/json"}))
                self.assert_envelope(r, 400, [message])
        code = user_code(email)
        self.assert_envelope(self.call("GET", f"company/{A_ID}/user/{code}"), 404,
                             [f"userCode : '{code}' is undefined"])

    def test_item_limit(self):
        too_many = [item(T_BULK, f"limit{i}@example.com") for i in range(1001)]
        r = self.call("POST", "certificate/", body={"certificateItem": too_many})
        self.assert_envelope(r, 400, ["certificateItem may hold at most 1000 items."])
        self.assertEqual(self.get(f"certificate/{T_BULK}/user"), [])
        started = time.time()
        out = self.issue(too_many[:1000])
        elapsed = time.time() - started
        self.assertEqual(out["messageList"][-2:], counts(1000, 0))
        self.assertEqual(len(self.get(f"certificate/{T_BULK}/user")), 1000)
        self.assertLess(elapsed, 30)


class Reads(SertifikaTest):
    def test_company_users_are_everyone_who_holds_or_held_one(self):
        p1, p2 = new_email("gamma1"), new_email("gamma2")
        self.issue_ok([item(TG1, p1, Name="Ali", Surname="Kaya"),
                       item(TG2, p2, Name="Can", Surname="Ak"),
                       item(TG2, p1, Name="Ali", Surname="Kaya")], G)
        want = [{"name": "Ali", "surname": "Kaya", "email": p1},
                {"name": "Can", "surname": "Ak", "email": p2}]
        self.assertEqual(self.get(f"company/{G_ID}/user/", G), want)
        self.assertEqual(self.get(f"company/{G_ID}/user", G), want)
        self.assertEqual(self.get(f"company/{G_ID}/user/{user_code(p2)}", G), [want[1]])
        # A re-issue with a new spelling updates the person.
        self.issue_ok([item(TG1, p1.upper(), Name="Ali Rıza", Surname="Kaya")], G)
        want[0] = {"name": "Ali Rıza", "surname": "Kaya", "email": p1.upper()}
        self.assertEqual(self.get(f"company/{G_ID}/user/", G), want)
        # Revoking every certificate keeps the person: they held one.
        r = self.call("DELETE", f"certificate/{TG2}/user", headers=G)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get(f"user/{user_code(p2)}/certificate", G), [])
        self.assertEqual(self.get(f"company/{G_ID}/user/", G), want)
        self.assertEqual(self.get(f"company/{G_ID}/user/{user_code(p2)}", G), [want[1]])

    def test_unknown_user(self):
        code = user_code(new_email("nobody"))
        for path in [f"company/{A_ID}/user/{code}", f"user/{code}/certificate",
                     f"certificate/{T1}/user/{code}", f"company/{A_ID}/user/not-a-code"]:
            with self.subTest(path=path):
                shown = path.rsplit("/", 1)[1] if path.startswith("company") else \
                    path.split("/")[1] if path.startswith("user") else code
                self.assert_envelope(self.call("GET", path), 404,
                                     [f"userCode : '{shown}' is undefined"])

    def test_user_certificates(self):
        email = new_email("person")
        code = user_code(email)
        self.issue_ok([item(T1, email), item(T2, email, isPrivate=True)])
        mine = self.get(f"user/{code}/certificate")
        self.assertEqual(mine, [
            {"certificateName": "Advancity Test Sertifikası", "companyName": "Advancity",
             "isPrivate": False, "connectionId": self.holder(T1, email)["connectionId"],
             "verificationCode": self.holder(T1, email)["verificationCode"]},
            {"certificateName": "Advancity Test Sertifikası 1", "companyName": "Advancity",
             "isPrivate": True, "connectionId": self.holder(T2, email)["connectionId"],
             "verificationCode": self.holder(T2, email)["verificationCode"]}])
        self.assertEqual(self.get(f"user/{code.upper()}/certificate"), mine)

    def test_one_holding_and_not_held(self):
        email = new_email("one")
        self.issue_ok([item(T1, email, Name="Jhon", Surname="Doe")])
        h = self.holder(T1, email)
        self.assertEqual(list(h), HOLDER_KEYS)
        self.assertEqual((h["certificateName"], h["name"], h["surname"], h["email"]),
                         ("Advancity Test Sertifikası", "Jhon", "Doe", email))
        self.assertIn(h, self.get(f"certificate/{T1}/user"))
        code = user_code(email)
        self.assert_envelope(self.call("GET", f"certificate/{T2}/user/{code}"), 404,
                             [f"userCode : '{code}' is undefined"])


class Revoke(SertifikaTest):
    def test_delete_one_messages(self):
        email = new_email("del")
        code = user_code(email)
        self.issue_ok([item(T1, email), item(T2, email)])
        r = self.call("DELETE", f"certificate/{T1}/user/{code}")
        self.assert_json_string(r, 200, f"userCode : '{code}' is deleted")
        self.assertEqual(r.headers["content-type"], "application/json")
        r = self.call("DELETE", f"certificate/{T1}/user/{code}")
        self.assert_json_string(r, 404, f"userCode : '{code}' is undefined or is deleted")
        self.assert_envelope(self.call("GET", f"certificate/{T1}/user/{code}"), 404,
                             [f"userCode : '{code}' is undefined"])
        # The other certificate and the person stay.
        self.holder(T2, email)
        self.assertEqual(len(self.get(f"company/{A_ID}/user/{code}")), 1)
        # An uppercase userCode finds it; the message repeats it as sent.
        r = self.call("DELETE", f"certificate/{T2}/user/{code.upper()}")
        self.assert_json_string(r, 200, f"userCode : '{code.upper()}' is deleted")
        self.assertEqual(self.get(f"user/{code}/certificate"), [])
        never = user_code(new_email("never"))
        r = self.call("DELETE", f"certificate/{T1}/user/{never}")
        self.assert_json_string(r, 404, f"userCode : '{never}' is undefined or is deleted")

    def test_seed_delete_messages(self):
        email = "hasan.cakmak@advancity.com.tr"
        self.assertEqual(user_code(email), "43b4121d1ce914d6a7f035d3791bec5d")
        self.issue_ok([item(T_DEL_EMAILS, email), item(T2, email)])
        r = self.call("DELETE", f"certificate/{T2}/user/43b4121d1ce914d6a7f035d3791bec5d")
        self.assertEqual((r.status, r.body),
                         (200, "\"userCode : '43b4121d1ce914d6a7f035d3791bec5d' is deleted\""))
        r = self.call("DELETE", f"certificate/{T2}/user/43b4121d1ce914d6a7f035d3791bec5d")
        self.assertEqual((r.status, r.body), (404, "\"userCode : '43b4121d1ce914d6a7f035d3791bec5d'"
                                                   " is undefined or is deleted\""))
        r = self.call("DELETE", f"certificate/{T_DEL_EMAILS}/user", body=[email])
        self.assertEqual((r.status, r.body),
                         (200, '{"status":"OK","messageList":'
                               '["email : \'hasan.cakmak@advancity.com.tr\' is deleted"]}'))

    def test_delete_by_emails(self):
        e1, e2, e3 = (new_email(f"bulk{i}") for i in range(3))
        self.issue_ok([item(T_DEL_EMAILS, e) for e in (e1, e2, e3)])
        nobody = new_email("nobody")
        r = self.call("DELETE", f"certificate/{T_DEL_EMAILS}/user",
                      body=[e1, nobody, " " + e2.upper(), e1, "not an email"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"status": "OK", "messageList": [
            f"email : '{e1}' is deleted", f"email : '{nobody}' is undefined or is deleted",
            f"email : '{e2.upper()}' is deleted", f"email : '{e1}' is undefined or is deleted",
            "email : 'not an email' is undefined or is deleted"]})
        self.assertEqual([h["email"] for h in self.get(f"certificate/{T_DEL_EMAILS}/user")
                          if h["email"] in (e1, e2, e3)], [e3])
        r = self.call("DELETE", f"certificate/{T_DEL_EMAILS}/user", body={"emails": [e3]})
        self.assertEqual(r.json, {"status": "OK", "messageList": [f"email : '{e3}' is deleted"]})
        r = self.call("DELETE", f"certificate/{T_DEL_EMAILS}/user", body=[])
        self.assertEqual(r.json, {"status": "OK", "messageList": []})

    def test_delete_all_holders(self):
        emails = [new_email(f"all{i}") for i in range(3)]
        self.issue_ok([item(T_DEL_ALL, e) for e in emails])
        other = new_email("keep")
        self.issue_ok([item(T1, emails[0]), item(T1, other)])
        r = self.call("DELETE", f"certificate/{T_DEL_ALL}/user")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"status": "OK", "messageList": [
            f"email : '{e}' is deleted" for e in emails]})
        self.assertEqual(self.get(f"certificate/{T_DEL_ALL}/user"), [])
        # Other templates keep their holders.
        self.holder(T1, emails[0])
        self.holder(T1, other)
        r = self.call("DELETE", f"certificate/{T_DEL_ALL}/user/")
        self.assertEqual(r.json, {"status": "OK", "messageList": []})
        # Issuing again after a revocation is a new certificate.
        self.issue_ok([item(T_DEL_ALL, emails[1])])
        self.assertEqual(len(self.get(f"certificate/{T_DEL_ALL}/user")), 1)

    def test_reissue_after_revocation_is_a_new_certificate(self):
        email = new_email("renew")
        self.issue_ok([item(T2, email)])
        first = self.holder(T2, email)
        self.assertEqual(self.call("DELETE", f"certificate/{T2}/user/{user_code(email)}").status,
                         200)
        self.issue_ok([item(T2, email)])
        second = self.holder(T2, email)
        self.assertNotEqual(second["connectionId"], first["connectionId"])
        self.assertNotEqual(second["verificationCode"], first["verificationCode"])
        self.assertEqual(second["id"], first["id"])  # the same person

    def test_bad_revoke_bodies_are_400_and_delete_nothing(self):
        email = new_email("badbody")
        self.issue_ok([item(T1, email)])
        shape = ('The request body must be a JSON list of e-mail addresses, or '
                 '{"emails": [...]}.')
        for raw, message in [(b"nope", "The request body is not valid JSON."),
                             (b"[\"a\"", "The request body is not valid JSON."),
                             (b"null", shape), (b"{}", shape), (b'{"emails": "x"}', shape),
                             (b"[1]", shape), (json.dumps([email, None]).encode(), shape),
                             (b'"' + email.encode() + b'"', shape),
                             (json.dumps(["x@example.com"] * 1001).encode(),
                              "At most 1000 e-mail addresses may be sent.")]:
            with self.subTest(body=raw[:40]):
                self.assert_envelope(self.call("DELETE", f"certificate/{T1}/user", raw=raw),
                                     400, [message])
        self.holder(T1, email)


class Tenancy(SertifikaTest):
    def test_another_companys_things_look_unknown(self):
        email = new_email("tenant")
        code = user_code(email)
        self.issue_ok([item(T_TENANCY, email)])
        for path, unknown_path, what, value in [
                (f"company/{A_ID}/certificate", "company/nope/certificate", "company", A_ID),
                (f"company/{A_ID}/user/", "company/nope/user/", "company", A_ID),
                (f"company/{A_ID}/user/{code}", f"company/nope/user/{code}", "company", A_ID),
                (f"certificate/{T_TENANCY}", f"certificate/{UNKNOWN_T}", "certificate",
                 T_TENANCY),
                (f"certificate/{T_TENANCY}/user", f"certificate/{UNKNOWN_T}/user", "certificate",
                 T_TENANCY),
                (f"certificate/{T_TENANCY}/user/{code}", f"certificate/{UNKNOWN_T}/user/{code}",
                 "certificate", T_TENANCY),
                (f"user/{code}/certificate", f"user/{user_code('x' + email)}/certificate",
                 "userCode", code)]:
            with self.subTest(path=path):
                r = self.call("GET", path, headers=B)
                self.assert_envelope(r, 404, undefined(what, value)["messageList"])
                u = self.call("GET", unknown_path, headers=B)
                self.assertEqual(u.status, 404)
                self.assertEqual(u.body.replace(unknown_path.split("/")[1], value),
                                 r.body)

    def test_b_cannot_issue_or_revoke_a_certificates(self):
        email = new_email("guard")
        code = user_code(email)
        self.issue_ok([item(T_TENANCY, email, Name="Original")])
        before = self.holder(T_TENANCY, email)
        out = self.issue([item(T_TENANCY, email, Name="Hijack"), item(TB, email)], B)
        self.assertEqual(out["messageList"], ["1-error-id", f"2-success-{email}"] + counts(1, 1))
        self.assert_envelope(self.call("DELETE", f"certificate/{T_TENANCY}/user/{code}",
                                       headers=B), 404,
                             [f"certificate : '{T_TENANCY}' is undefined"])
        self.assert_envelope(self.call("DELETE", f"certificate/{T_TENANCY}/user", headers=B),
                             404, [f"certificate : '{T_TENANCY}' is undefined"])
        self.assert_envelope(self.call("DELETE", f"certificate/{T_TENANCY}/user", body=[email],
                                       headers=B), 404,
                             [f"certificate : '{T_TENANCY}' is undefined"])
        self.assertEqual(self.holder(T_TENANCY, email), before)

    def test_each_company_sees_only_its_own_certificates_of_a_person(self):
        email = new_email("shared")
        code = user_code(email)
        self.issue_ok([item(T1, email, Name="A-Name")])
        self.issue_ok([item(TB, email, Name="B-Name", isPrivate=True)], B)
        a = self.get(f"user/{code}/certificate")
        b = self.get(f"user/{code}/certificate", B)
        self.assertEqual([(c["certificateName"], c["companyName"]) for c in a],
                         [("Advancity Test Sertifikası", "Advancity")])
        self.assertEqual(b, [{"certificateName": "Beta Sertifikası", "companyName": "Beta Eğitim",
                              "isPrivate": True,
                              "connectionId": self.holder(TB, email, B)["connectionId"],
                              "verificationCode": self.holder(TB, email, B)["verificationCode"]}])
        # Each company keeps its own record of the person.
        self.assertEqual(self.get(f"company/{A_ID}/user/{code}")[0]["name"], "A-Name")
        self.assertEqual(self.get(f"company/{B_ID}/user/{code}", B)[0]["name"], "B-Name")
        self.assertNotEqual(self.holder(T1, email)["id"], self.holder(TB, email, B)["id"])
        self.assertNotIn(email, [u["email"] for u in self.get(f"company/{G_ID}/user/", G)])
        self.assert_envelope(self.call("GET", f"user/{code}/certificate", headers=G), 404,
                             [f"userCode : '{code}' is undefined"])
        # B revoking its own leaves A's.
        r = self.call("DELETE", f"certificate/{TB}/user/{code}", headers=B)
        self.assert_json_string(r, 200, f"userCode : '{code}' is deleted")
        self.assertEqual(self.get(f"user/{code}/certificate"), a)


class RouterErrors(SertifikaTest):
    def test_unknown_route_is_404_in_the_envelope(self):
        for path in ["nope", "company", f"certificate/{T1}/user/x/y", "user/x"]:
            with self.subTest(path=path):
                self.assert_envelope(
                    self.call("GET", path), 404,
                    [f"No HTTP resource was found that matches the request URI '{BASE}{path}'."])

    def test_wrong_method_is_405_in_the_envelope(self):
        for method, path, allow in [("PUT", "certificate/", "POST"),
                                    ("POST", f"certificate/{T1}", "GET"),
                                    ("PATCH", f"certificate/{T1}/user", "GET, DELETE"),
                                    ("POST", f"company/{A_ID}/certificate", "GET")]:
            with self.subTest(method=method, path=path):
                r = self.call(method, path, body={})
                self.assert_envelope(
                    r, 405, [f"The requested resource does not support http method '{method}'."])
                self.assertEqual(r.headers["allow"], allow)

    def test_oversized_header_is_431_in_the_envelope(self):
        big = b"X-Big: " + b"a" * 20000 + b"\r\n"
        out = raw_exchange(self.server.port, b"GET " + BASE.encode() + b"certificate/x HTTP/1.1"
                           b"\r\nHost: x\r\nAuthorization: sm-advancity-token\r\n" + big + b"\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431"), out[:100])
        self.assertTrue(out.endswith(b'{"status":"ERROR","messageList":'
                                     b'["The request headers are too large."]}'), out[-200:])

    def test_oversized_bodies_are_413_in_the_envelope(self):
        big = b"[" + b" " * (8 * 1024 * 1024) + b"]"
        r = self.call("POST", "certificate/", raw=big,
                      headers=dict(A, **{"Content-Type": "application/json"}))
        self.assert_envelope(r, 413, ["The request body is too large."])
        r = self.call("DELETE", f"certificate/{T1}/user", raw=b" " * (1024 * 1024 + 1))
        self.assert_envelope(r, 413, ["The request body is too large."])


class Durability(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="certreg-sertifika-dur-")
        self.server = Server(provision=PROVISION, workdir=self.dir).start()

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def call(self, method, path, body=None, headers=A):
        return self.server.request(method, BASE + path, body=body, headers=headers)

    def state(self):
        out = {}
        for tid in (T1, T2):
            r = self.call("GET", f"certificate/{tid}/user")
            self.assertEqual(r.status, 200, r)
            out[tid] = r.json
        out["users"] = self.call("GET", f"company/{A_ID}/user/").json
        out["detail"] = self.call("GET", f"certificate/{T2}").json
        return out

    def test_issued_and_revoked_certificates_survive_sigkill(self):
        emails = [new_email(f"durable{i}") for i in range(5)]
        r = self.call("POST", "certificate/", body={"certificateItem": [
            item(T1, e, isPrivate=(i == 2)) for i, e in enumerate(emails)] + [item(T2, emails[0])]})
        self.assertEqual(r.json["messageList"][-2:], counts(6, 0))
        r = self.call("DELETE", f"certificate/{T1}/user/{user_code(emails[1])}")
        self.assertEqual(r.status, 200)
        r = self.call("POST", "certificate/", body={"certificateItem": [
            item(T1, emails[3], Name="Re-issued")]})
        self.assertEqual(r.status, 200)
        before = self.state()
        self.assertEqual(len(before[T1]), 4)
        self.server.kill()
        self.server = Server(provision=PROVISION, workdir=self.dir).start()
        after = self.state()
        self.assertEqual(after, before)
        self.assertEqual(after["detail"]["certificateItem"][0]["isInUse"], 1)
        self.assertEqual([h["name"] for h in after[T1] if h["email"] == emails[3]], ["Re-issued"])
        self.assertIs([h for h in after[T1] if h["email"] == emails[2]][0]["isPrivate"], True)
        # The same code still finds the same certificate after the restart.
        code = before[T1][0]["verificationCode"]
        self.assertEqual(after[T1][0]["verificationCode"], code)

    @unittest.skipUnless(os.environ.get("CERTREG_TEST_DB_URL") is None, "reads the SQLite file")
    def test_every_change_is_in_the_history(self):
        email = new_email("history")
        r = self.call("POST", "certificate/", body={"certificateItem": [item(T1, email)]})
        self.assertEqual(r.status, 200)
        self.call("POST", "certificate/", body={"certificateItem": [item(T1, email, Name="Two")]})
        holding = self.call("GET", f"certificate/{T1}/user/{user_code(email)}").json
        self.assertEqual(self.call("DELETE", f"certificate/{T1}/user/{user_code(email)}").status,
                         200)
        self.server.stop()
        rows = self.server.sql(
            "SELECT action, actor, state FROM history WHERE object_type = 'sertifika_certificate'"
            f" AND object_id = '{holding['connectionId']}' ORDER BY seq")
        self.assertEqual([(a, who) for a, who, _ in rows],
                         [("create", f"sertifika:{A_ID}"), ("update", f"sertifika:{A_ID}"),
                          ("delete", f"sertifika:{A_ID}")])
        created, updated = json.loads(rows[0][2]), json.loads(rows[1][2])
        self.assertEqual((created["name"], updated["name"]), ("Jhon", "Two"))
        for s in (created, updated):
            self.assertEqual(s["connectionId"], holding["connectionId"])
            self.assertEqual(s["verificationCode"], holding["verificationCode"])
            self.assertEqual(s["userCode"], user_code(email))
            self.assertEqual(s["templateId"], T1)
            self.assertEqual(s["hour"], 12)
            self.assertEqual(s["point"], 85.5)
            self.assertEqual(s["properties"], [])
            self.assertEqual(s["metaTags"], ["tag"])
        self.assertIsNone(rows[2][2])


if __name__ == "__main__":
    main()
