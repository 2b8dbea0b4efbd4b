"""The command line: --version, migrate, provision (idempotent, strict, all-or-nothing), the
environment variables, and POST /admin/v1/provision."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import BIN, DEMO, Server, main

FULL = {
    **DEMO,
    "origin_companies": [{"id": "acme", "name": "ACME Inc.", "tokens": ["origin-acme-token"]}],
    "origin_reporting_bodies": [{"name": "Veritas"}],
    "origin_standards": [{"code": "ISO 9001", "name": "ISO 9001", "type": "STANDARD"}],
    "sertifika_companies": [
        {"id": "3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11", "name": "Advancity",
         "tokens": ["sm-advancity-token"],
         "templates": [{"id": "64c9f080-2314-4f02-a43c-923d83e8e444",
                        "name": "Advancity Test Sertifikası",
                        "properties": [{"key": "alias_1434977880189",
                                        "title": "title_1434977880189"}]}]}],
    "edin_users": [{"login": "supplier1", "password": "s3cret", "glns": ["9864066822454"]}],
    "edin_glns": [{"gln": "4829900023799", "name": "Retail network A", "retail_network": True}],
}

TABLES = ["credentials", "iaf_bodies", "iaf_mncb_members", "origin_companies",
          "origin_reporting_bodies", "origin_standards", "sertifika_companies",
          "sertifika_templates", "edin_users", "edin_user_glns", "edin_glns"]


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="certreg-cli-")
        self.db = os.path.join(self.dir, "c.db")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_cli(self, *args, env=None):
        e = dict(os.environ)
        e.update(env or {})
        return subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=60)

    def write(self, doc, name="p.json"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def snapshot(self):
        con = sqlite3.connect(self.db)
        try:
            return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}
        finally:
            con.close()

    def test_version(self):
        r = self.run_cli("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^certreg \d+\.\d+\.\d+")

    def test_migrate_creates_the_schema_once(self):
        r = self.run_cli("--db", "sqlite:" + self.db, "migrate")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0001_initial.sql", r.stderr)
        r = self.run_cli("--db", "sqlite:" + self.db, "migrate")
        self.assertEqual(r.returncode, 0)
        self.assertNotIn("applied", r.stderr)
        con = sqlite3.connect(self.db)
        names = [n for (n,) in con.execute("SELECT name FROM schema_migrations")]
        con.close()
        migrations = os.path.join(os.path.dirname(__file__), "..", "..", "src", "store",
                                  "migrations")
        self.assertEqual(names, sorted(f for f in os.listdir(migrations) if f.endswith(".sql")))

    def test_provision_stores_every_section_and_twice_changes_nothing(self):
        path = self.write(FULL)
        r = self.run_cli("--db", "sqlite:" + self.db, "provision", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        first = self.snapshot()
        for t in TABLES:
            self.assertTrue(first[t], f"{t} is empty")
        # Secrets are stored hashed, never as given.
        self.assertNotIn("cb-bsi-key", json.dumps(first["credentials"]))
        self.assertNotIn("s3cret", json.dumps(first["edin_users"]))
        r = self.run_cli("--db", "sqlite:" + self.db, "provision", path)
        self.assertEqual(r.returncode, 0)
        self.assertIn(": 0 changes", r.stderr)
        self.assertEqual(self.snapshot(), first)

    def test_database_from_environment(self):
        path = self.write(DEMO)
        r = self.run_cli("provision", path, env={"CERTREG_DB": "sqlite:" + self.db})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.snapshot()["iaf_bodies"])

    def assert_rejected(self, doc, path_text):
        bad = self.write(doc, "bad.json")
        r = self.run_cli("--db", "sqlite:" + self.db, "provision", bad)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(path_text, r.stderr)
        self.assertIn("nothing applied", r.stderr)

    def test_unknown_key_names_its_path_and_applies_nothing(self):
        doc = json.loads(json.dumps(FULL))
        doc["certification_bodies"].append(
            {"id": "x", "name": "X", "accreditation_body": "ukas", "acronymm": "X"})
        self.assert_rejected(doc, "certification_bodies[1].acronymm: unknown key")
        self.assertFalse(os.path.exists(self.db) and self.snapshot()["iaf_bodies"])

    def test_wrong_type_names_its_path(self):
        doc = json.loads(json.dumps(DEMO))
        doc["accreditation_bodies"][0]["acronym"] = 5
        self.assert_rejected(doc, "accreditation_bodies[0].acronym: must be a string")

    def test_dangling_reference_applies_nothing(self):
        doc = {"accreditation_bodies": [{"id": "new-ab", "name": "New AB"}],
               "certification_bodies": [{"id": "c", "name": "C", "accreditation_body": "nope"}]}
        self.assert_rejected(doc, "certification_bodies[0].accreditation_body")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM iaf_bodies").fetchone()[0], 0)
        con.close()

    def test_not_json(self):
        self.assert_rejected("{not json", "not valid JSON")


class AdminEndpoint(unittest.TestCase):
    def test_provision_over_http_needs_the_admin_token(self):
        with Server(provision=DEMO, env={"CERTREG_ADMIN_TOKEN": "adm1n"}) as s:
            doc = {"accreditation_bodies": [{"id": "dakks", "name": "DAkkS", "api_keys": ["ab-dakks"]}]}
            r = s.request("POST", "/admin/v1/provision", body=doc)
            self.assertEqual(r.status, 401)
            r = s.request("POST", "/admin/v1/provision", body=doc,
                          headers={"Authorization": "Bearer wrong"})
            self.assertEqual(r.status, 401)
            r = s.request("POST", "/admin/v1/provision", body={"mncbs": [{"id": 1}]},
                          headers={"Authorization": "Bearer adm1n"})
            self.assertEqual(r.status, 400)
            self.assertEqual(r.json["path"], "mncbs[0].id")
            r = s.request("POST", "/admin/v1/provision", body=doc,
                          headers={"Authorization": "Bearer adm1n"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json, {"changes": 2})
            r = s.request("POST", "/admin/v1/provision", body=doc,
                          headers={"Authorization": "Bearer adm1n"})
            self.assertEqual(r.json, {"changes": 0})
            # The new key works at once.
            r = s.request("GET", "/api/client/v1/cb/cert", headers={"x-http-authorization": "ab-dakks"})
            self.assertEqual(r.status, 403)

    def test_routes_lists_every_route_to_the_admin_only(self):
        with Server(provision=DEMO, env={"CERTREG_ADMIN_TOKEN": "adm1n"}) as s:
            self.assertEqual(s.request("GET", "/admin/v1/routes").status, 401)
            r = s.request("GET", "/admin/v1/routes", headers={"Authorization": "Bearer adm1n"})
            self.assertEqual(r.status, 200, r)
            routes = [(x["method"], x["path"]) for x in r.json["routes"]]
            self.assertEqual(len(routes), len(set(routes)))
            for route in [("GET", "/healthz"), ("POST", "/admin/v1/provision"),
                          ("GET", "/admin/v1/routes"),
                          ("GET", "/api/client/v1/cb/cert/{company_certifications_id}"),
                          ("GET", "/connect/v2/result/{command}/batch/{batchId}"),
                          ("GET", "/Api/V1/Certificate/Create"), ("POST", "/Api/V1/Certificate/Create"),
                          ("DELETE", "/api/v1.0/certificate/{id}/user/{userCode}")]:
                self.assertIn(route, routes)

    def test_no_admin_token_no_admin_endpoint(self):
        with Server(provision=DEMO, env={"CERTREG_ADMIN_TOKEN": ""}) as s:
            r = s.request("POST", "/admin/v1/provision", body={},
                          headers={"Authorization": "Bearer "})
            self.assertEqual(r.status, 404)
            self.assertEqual(s.request("GET", "/admin/v1/routes").status, 404)

    def test_listen_and_database_from_environment(self):
        import socket
        import time
        import urllib.request
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        d = tempfile.mkdtemp(prefix="certreg-env-")
        env = dict(os.environ, CERTREG_LISTEN=f"127.0.0.1:{port}",
                   CERTREG_DB="sqlite:" + os.path.join(d, "env.db"))
        p = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        try:
            line = p.stdout.readline().decode()
            self.assertIn(f"127.0.0.1:{port}", line)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                self.assertEqual(r.status, 200)
            self.assertTrue(os.path.exists(os.path.join(d, "env.db")))
        finally:
            p.terminate()
            self.assertEqual(p.wait(timeout=10), 0)
            p.stdout.close()
            shutil.rmtree(d, ignore_errors=True)

if __name__ == "__main__":
    main()
