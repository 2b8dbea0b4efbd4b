"""EDIN sessions and durability (docs/edin.md): a token expires after 30 minutes without use (tested
by rewinding its last use in the SQLite file while the server is stopped), use extends it, tokens
live in the database and survive restarts, writes survive a SIGKILL, re-applied provisioning keeps
passwords working, and every change is recorded in the history table."""

import base64
import json
import os
import shutil
import sqlite3
import time
import unittest

from edin_fixtures import (
    API, AUTH_FAILED, NO_DATA, PROVISION, S1, SUCCESS, T1, USERS, authorize, cert_body, login,
    new_number)
from harness import Server, main

# A smaller provisioning: every start hashes (or verifies) each user's password.
SMALL = {"edin_users": [u for u in PROVISION["edin_users"]
                        if u["login"] in ("supplier", "supplier2")],
         "edin_glns": PROVISION["edin_glns"]}


class Sessions(unittest.TestCase):
    def setUp(self):
        self.server = Server(provision=SMALL)
        self.server.start()

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.server.dir, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------------

    def call(self, method, token, body=None):
        return self.server.request("POST", API + method, body=dict(body or {}, varToken=token))

    def ok(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["intCode"], r.json["varMessage"]), (200, SUCCESS), r)
        return r.json

    def unauthorized(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"varMessage": AUTH_FAILED, "intCode": 401})

    def create(self, token, **fields):
        return self.ok(self.call("Certificate/Create", token, cert_body(**fields)))["certificate_id"]

    def restart(self, kill=False):
        if kill:
            self.server.kill()
        else:
            self.assertEqual(self.server.stop(), 0)
        self.server.start()

    def db(self):
        if not self.server.db_url.startswith("sqlite:"):
            self.skipTest("inspects the SQLite file")
        return sqlite3.connect(self.server.db_url[len("sqlite:"):])

    def rewind(self, seconds):
        """With the server stopped: every session was last used `seconds` earlier."""
        with self.db() as c:
            n = c.execute("UPDATE edin_tokens SET last_used_at = last_used_at - ?", (seconds,)).rowcount
        self.assertGreater(n, 0)

    def last_used(self):
        with self.db() as c:
            return [row[0] for row in c.execute("SELECT last_used_at FROM edin_tokens")]

    # -- expiry ----------------------------------------------------------------------------------

    def test_a_token_idle_for_over_30_minutes_is_rejected(self):
        token = login(self.server, "supplier")
        self.ok(self.call("Certificate/ShowTypes", token))
        self.assertEqual(self.server.stop(), 0)
        self.rewind(1801)
        self.server.start()
        self.unauthorized(self.call("Certificate/ShowTypes", token))
        self.unauthorized(self.call("GetCertUA/GetCertsByGLN", token, {"gln": S1}))
        # Nothing changes with an expired token.
        number = new_number()
        self.unauthorized(self.call("Certificate/Create", token, cert_body(cert_number=number)))
        fresh = login(self.server, "supplier")
        self.assertNotEqual(fresh, token)
        r = self.call("GetCertUA/GetCertsByNum", fresh, {"num": number})
        self.assertEqual(r.json, {"varMessage": NO_DATA, "intCode": 404})
        # Using it again does not bring it back.
        self.unauthorized(self.call("Certificate/ShowTypes", token))
        self.ok(self.call("Certificate/ShowTypes", fresh))

    def test_a_token_used_29_minutes_ago_works_and_its_use_extends_it(self):
        token = login(self.server, "supplier")
        self.assertEqual(self.server.stop(), 0)
        self.rewind(1740)
        self.server.start()
        before = int(time.time())
        self.ok(self.call("Certificate/ShowSubTypes", token))
        self.create(token)  # a write after the use: the session's touch is committed by now
        self.assertEqual(self.server.stop(), 0)
        self.assertGreaterEqual(min(self.last_used()), before - 1)
        # 58 minutes after the login, 29 after the last use.
        self.rewind(1740)
        self.server.start()
        self.ok(self.call("Certificate/ShowTypes", token))

    # -- tokens and data survive restarts --------------------------------------------------------

    def test_tokens_survive_a_restart(self):
        token = login(self.server, "supplier")
        other = login(self.server, "supplier2")
        cert_id = self.create(token)
        self.restart()
        d = self.ok(self.call("GetCertUA/GetCertByID", token, {"certID": cert_id}))["cert_data"]
        self.assertEqual(d["intCertID"], int(cert_id))
        self.ok(self.call("Certificate/ShowTypes", other))

    def test_sigkill_right_after_a_reply_keeps_the_write(self):
        token = login(self.server, "supplier")
        number = new_number()
        cert_id = self.create(token, cert_number=number)
        self.restart(kill=True)
        d = self.ok(self.call("GetCertUA/GetCertByID", token, {"certID": cert_id}))["cert_data"]
        self.assertEqual((d["varNumber"], d["intAccessType"]), (number, 0))
        data = b"%PDF-1.7\n" + os.urandom(2000)
        body = {"cert_id": cert_id, "file_body": base64.b64encode(data).decode(), "file_name": "k.pdf"}
        file_id = self.ok(self.call("Certificate/AttachScan", token, body))["file_id"]
        self.restart(kill=True)
        self.ok(self.call("Certificate/SetAccess", token, {"cert_id": cert_id, "access_type": 1}))
        self.restart(kill=True)
        other = login(self.server, "supplier2")
        j = self.ok(self.call("GetCertUA/GetCertByID", other, {"certID": cert_id}))
        self.assertEqual(j["cert_data"]["intAccessType"], 1)
        self.assertEqual([f["intFileID"] for f in j["cert_files"]], [int(file_id)])
        f = self.ok(self.call("GetCertUA/GetFileByID", other, {"intFileID": file_id}))["cert_file_data"]
        self.assertEqual(base64.b64decode(f["varBody"][0]), data)
        # The number is still taken.
        r = self.call("Certificate/Create", token, cert_body(cert_number=number))
        self.assertEqual(r.json, {"varMessage": f"Сертификат с номером {number} уже создан",
                                  "intCode": 404})

    # -- provisioning ----------------------------------------------------------------------------

    def test_reapplying_the_same_provisioning_keeps_passwords(self):
        token = login(self.server, "supplier")
        for _ in range(2):
            self.restart()
            self.ok(self.call("Certificate/ShowTypes", token))
            for user in ("supplier", "supplier2"):
                self.ok(authorize(self.server, user))
        self.assertEqual(authorize(self.server, "supplier", "wrong").json,
                         {"varMessage": "Неверный логин или пароль", "intCode": 401})
        with self.db() as c:
            stored = dict(c.execute("SELECT login, password_hash FROM edin_users"))
        self.assertEqual(set(stored), {"supplier", "supplier2"})
        for user, hashed in stored.items():
            self.assertNotIn(USERS[user][0], hashed)  # never the password itself

    def test_a_changed_password_in_provisioning(self):
        self.assertEqual(self.server.stop(), 0)
        changed = json.loads(json.dumps(SMALL))
        changed["edin_users"][1]["password"] = "New#2-pass"
        self.server.provision = changed
        self.server.start()
        self.assertEqual(authorize(self.server, "supplier2").json,
                         {"varMessage": "Неверный логин или пароль", "intCode": 401})
        self.ok(authorize(self.server, "supplier2", "New#2-pass"))
        self.ok(authorize(self.server, "supplier"))

    # -- history ---------------------------------------------------------------------------------

    def test_every_change_is_in_the_history(self):
        token = login(self.server, "supplier")
        cert_id = self.create(token)
        self.ok(self.call("Certificate/SetAccess", token, {
            "cert_id": cert_id, "access_type": 2, "access_action": 1,
            "amigos_info": [{"gln": T1, "isRetailer": False}]}))
        self.ok(self.call("Certificate/SetBind", token, {
            "cert_id": cert_id, "bind_action": 1, "product_binds": [{"gtin": "4820000000017"}]}))
        self.ok(self.call("Certificate/AttachScan", token, {
            "cert_id": cert_id, "file_body": base64.b64encode(b"%PDF-1.4\n").decode(),
            "file_name": "history.pdf"}))
        self.assertEqual(self.server.stop(), 0)
        with self.db() as c:
            rows = c.execute("SELECT actor, at_ms, state FROM history WHERE object_id = ? AND"
                             " object_type LIKE '%edin%' ORDER BY seq", (cert_id,)).fetchall()
        self.assertEqual([r[0] for r in rows], ["edin:supplier"] * 4)
        self.assertTrue(all(r[1] > 0 for r in rows))
        last = rows[-1][2]
        json.loads(last)
        for expected in (T1, "4820000000017", "history.pdf"):
            self.assertIn(expected, last)


if __name__ == "__main__":
    main()
