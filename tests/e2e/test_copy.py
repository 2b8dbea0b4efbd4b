"""certreg copy: an installation moves between engines with every row, verified by counts and a
checksum; a non-empty target is refused unless --replace; the copy serves the same data and keeps
generating fresh ids. On PostgreSQL runs the copy goes SQLite -> PostgreSQL -> SQLite."""

import base64
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import harness
from harness import BIN, ENGINE, Server, main, psql

PROVISION = {
    "accreditation_bodies": [{"id": "ukas", "name": "United Kingdom Accreditation Service",
                              "acronym": "UKAS", "api_keys": ["ab-ukas-key"]}],
    "certification_bodies": [{"id": "bsi", "name": "BSI", "acronym": "BSI", "accreditation_body": "ukas",
                              "identity_number": "CB-1", "api_keys": ["cb-bsi-key"]}],
    "edin_users": [{"login": "s", "password": "p", "glns": ["9864066822454"]}],
}
CB = {"x-http-authorization": "cb-bsi-key"}


def cert(i):
    return {"certificate_number": f"N-{i}", "certification_status": "active",
            "certification_type": "MS", "certification_issue_date": "20230101",
            "certification_expiry_date": "20260101", "certified_entity_name": f"Entreprise {i} é",
            "certified_entity_unique_id": f"u{i % 7}", "certified_entity_country": "UK",
            "accreditation_body_name": "UKAS", "accreditation_body_acronym_name": "UKAS",
            "schemes": [{"scheme_name": "ISO 9001"}]}


def copy(source, target, *extra):
    return subprocess.run([BIN, "--log-level", "warn", "copy", "--from", source, "--to", target,
                           *extra], capture_output=True, text=True, timeout=120)


class Copy(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="certreg-copy-")
        self.pg_databases = []

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        for db in self.pg_databases:
            psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    def target(self, name):
        """A fresh database URL of the run's engine."""
        if ENGINE == "postgresql":
            db = f"copy_{name}_{uuid.uuid4().hex[:8]}"
            psql("postgres", f"CREATE DATABASE {db}")
            self.pg_databases.append(db)
            return harness.pg_base() + db
        return "sqlite:" + os.path.join(self.dir, name + ".db")

    def fill(self, server):
        r = server.request("POST", "/api/client/v1/cb/bulk-upload-cert",
                           {"certifications": [cert(i) for i in range(100)]}, CB)
        self.assertEqual(r.status, 200, r)
        token = server.request("POST", "/Api/V1/User/Authorize",
                               {"varLogin": "s", "varPassword": "p"}).json["varToken"]
        c = server.request("POST", "/Api/V1/Certificate/Create", {
            "varToken": token, "cert_number": "A1", "cert_date": "05.06.2018", "cert_sub_type": "1",
            "cert_type": "8", "cert_start_date": "30.06.2018", "cert_end_date": "29.07.2018",
            "cert_gln_creator": "9864066822454"}).json
        scan = b"%PDF-1.4 " + bytes(range(256)) * 20
        f = server.request("POST", "/Api/V1/Certificate/AttachScan", {
            "varToken": token, "cert_id": c["certificate_id"], "file_name": "scan.pdf",
            "file_body": base64.b64encode(scan).decode()}).json
        return token, c["certificate_id"], f["file_id"], scan

    def test_copy_across_engines_is_verified_and_served(self):
        source_dir = os.path.join(self.dir, "source")
        os.makedirs(source_dir)
        # The source is always SQLite, the embedded default an installation moves away from.
        src = Server(provision=PROVISION, workdir=source_dir)
        src.db_url = "sqlite:" + os.path.join(source_dir, "certreg.db")
        src.start()
        token, cert_id, file_id, scan = self.fill(src)
        listed = src.request("GET", "/api/client/v1/cb/cert?limit=100", headers=CB).json
        self.assertEqual(src.stop(), 0)

        middle = self.target("middle")
        r = copy(src.db_url, middle)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        self.assertIn("copy verified", r.stdout)
        self.assertIn("iaf_certifications", r.stdout)
        self.assertNotIn("MISMATCH", r.stdout)

        # A second copy into the same target is refused, and --replace does it again.
        again = copy(src.db_url, middle)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("--replace", again.stderr)
        self.assertEqual(copy(src.db_url, middle, "--replace").returncode, 0)

        # And back to SQLite.
        back = "sqlite:" + os.path.join(self.dir, "back.db")
        r = copy(middle, back)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)

        for url in (middle, back):
            with self.subTest(url=url.split(":")[0]):
                served = Server(provision=PROVISION, workdir=os.path.join(self.dir, uuid.uuid4().hex))
                served.db_url = url
                with served:
                    again = served.request("GET", "/api/client/v1/cb/cert?limit=100", headers=CB).json
                    self.assertEqual(again["meta"], listed["meta"])
                    self.assertEqual(again["data"], listed["data"])
                    # The session and the scan came along, byte for byte.
                    body = served.request("POST", "/Api/V1/GetCertUA/GetFileByID",
                                          {"varToken": token, "intFileID": file_id}).json
                    self.assertEqual(base64.b64decode(body["cert_file_data"]["varBody"][0]), scan)
                    # New rows get new ids after the copied ones.
                    n = served.request("POST", "/Api/V1/Certificate/Create", {
                        "varToken": token, "cert_number": "A2", "cert_date": "05.06.2018",
                        "cert_sub_type": "1", "cert_type": "8", "cert_start_date": "30.06.2018",
                        "cert_end_date": "29.07.2018", "cert_gln_creator": "9864066822454"}).json
                    self.assertEqual(n["intCode"], 200, n)
                    self.assertGreater(int(n["certificate_id"]), int(cert_id))


if __name__ == "__main__":
    main()
