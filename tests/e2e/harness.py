"""Black-box test harness: starts the real certreg binary on a temporary database and a free port,
and speaks HTTP to it. Standard library only.

Environment:
  CERTREG_BIN           path of the binary (CTest sets it; default build/certreg)
  CERTREG_TEST_DB       "sqlite" (default) or "postgresql"
  CERTREG_TEST_PG_STATE the state directory of a server started by tests/pg_server.py; each
                        test server gets its own database there, named after its work directory
"""

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import socket
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CERTREG_BIN", os.path.join(ROOT, "build", "certreg"))
ENGINE = os.environ.get("CERTREG_TEST_DB", "sqlite")
# The last line of every AddressSanitizer, LeakSanitizer, UBSan or ThreadSanitizer report.
SANITIZER_REPORT = re.compile(r"^SUMMARY: \w+Sanitizer", re.M)


def pg_base():
    """postgresql://user@host:port/ of the test server (without a database name)."""
    with open(os.path.join(os.environ["CERTREG_TEST_PG_STATE"], "url")) as f:
        return f.read().strip()


def psql(database, sql):
    """Runs SQL on the test PostgreSQL server; returns rows as tuples of strings."""
    null = "<<NULL>>"
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-P", f"null={null}",
                          "-v", "ON_ERROR_STOP=1", "-d", pg_base() + database, "-c", sql],
                         capture_output=True, text=True, check=True)
    return [tuple(None if v == null else v for v in line.split("\t"))
            for line in out.stdout.splitlines() if line]

# The demo organisations, as in DESIGN.md; tests add their own where they need more.
DEMO = {
    "accreditation_bodies": [
        {"id": "ukas", "name": "United Kingdom Accreditation Service", "acronym": "UKAS",
         "country": "United Kingdom", "api_keys": ["ab-ukas-key"]}],
    "certification_bodies": [
        {"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI", "country": "United Kingdom",
         "accreditation_body": "ukas", "identity_number": "CB-0001", "api_keys": ["cb-bsi-key"]}],
    "mncbs": [
        {"id": "sgs", "name": "SGS Group", "acronym": "SGS", "country": "Switzerland",
         "certification_bodies": ["bsi"], "api_keys": ["mncb-sgs-key"]}],
}


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """A certreg process. Use as a context manager, or call start()/stop()."""

    def __init__(self, provision=None, args=(), env=None, workdir=None):
        self.provision = provision if provision is not None else DEMO
        self.args = list(args)
        self.env = env or {}
        self.own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix="certreg-e2e-")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        self.port = None
        if ENGINE == "postgresql":
            # One database per work directory, so a restart on the same directory finds its data.
            self.pg_database = "t_" + hashlib.sha1(os.path.abspath(self.dir).encode()).hexdigest()[:20]
            if not psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{self.pg_database}'"):
                psql("postgres", f"CREATE DATABASE {self.pg_database}")
            self.db_url = pg_base() + self.pg_database
        else:
            self.db_url = "sqlite:" + os.path.join(self.dir, "certreg.db")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.own_dir:
            self.remove()

    def remove(self):
        """Deletes the work directory and the database."""
        shutil.rmtree(self.dir, ignore_errors=True)
        if ENGINE == "postgresql":
            psql("postgres", f"DROP DATABASE IF EXISTS {self.pg_database} WITH (FORCE)")

    def sql(self, statement):
        """Runs SQL on the server's database; returns rows as tuples (strings under PostgreSQL)."""
        if ENGINE == "postgresql":
            return psql(self.pg_database, statement)
        con = sqlite3.connect(os.path.join(self.dir, "certreg.db"), timeout=10)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def start(self, provision=True):
        """Starts the process; `provision=False` skips the provisioning document (a restart on a
        database that already holds it)."""
        cmd = [BIN, "--db", self.db_url, "serve", "--listen", "127.0.0.1:0", "--threads", "2"]
        if self.provision and provision:
            path = os.path.join(self.dir, "provision.json")
            with open(path, "w") as f:
                json.dump(self.provision, f)
            cmd += ["--provision", path]
        cmd += self.args
        self.stderr = open(os.path.join(self.dir, "stderr.log"), "ab")
        env = dict(os.environ)
        env.update(self.env)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        line = self.proc.stdout.readline().decode()
        if "listening on http://" not in line:
            self.proc.wait(timeout=5)
            raise RuntimeError(f"certreg did not start: {line!r}\n{self.log()}")
        self.port = int(line.split("listening on http://")[1].split()[0].rsplit(":", 1)[1])
        return self

    def log(self):
        with open(os.path.join(self.dir, "stderr.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Stops the server; returns its exit code. Raises if a sanitizer reported anything."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            finally:
                self.proc.stdout.close()
                self.stderr.close()
        elif self.stderr.closed:
            return self.proc.returncode  # stopped and checked before
        else:
            self.proc.stdout.close()
            self.stderr.close()
        self.check_sanitizers()
        return self.proc.returncode

    def check_sanitizers(self):
        """A build with sanitizers (make test-sanitize, make test-tsan) writes its reports to the
        server's stderr, which nobody reads otherwise, and some only at exit (leaks)."""
        log = self.log()
        if SANITIZER_REPORT.search(log):
            raise AssertionError(f"sanitizer report from certreg:\n{log}")

    def kill(self):
        return self.stop(signal.SIGKILL)

    def restart(self, sig=signal.SIGKILL):
        """Stops the process (SIGKILL by default: a crash) and starts a new one on the same
        database, on a new port. The provisioning is not applied again: it is stored already,
        and re-checking EDIN passwords would cost seconds."""
        self.stop(sig)
        return self.start(provision=False)

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, raw=None, conn=None):
        """body: a Python value sent as JSON; raw: bytes sent as they are."""
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()},
                            r.read().decode(errors="replace"))
        finally:
            if own:
                conn.close()


def raw_exchange(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes on a new connection and returns everything read until close or timeout."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        chunks = []
        end = time.time() + timeout
        while time.time() < end:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not c:
                break
            chunks.append(c)
            if not read_all:
                break
        return b"".join(chunks)
    finally:
        s.close()


class ServerTest(unittest.TestCase):
    """A test case with one server for the whole class (PROVISION, ARGS to change it)."""

    PROVISION = None
    ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(provision=cls.PROVISION, args=cls.ARGS).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.remove()
        assert code == 0, f"server exited with {code}"

    def req(self, method, path, body=None, headers=None, raw=None):
        return self.server.request(method, path, body=body, headers=headers, raw=raw)


def main():
    unittest.main(verbosity=2)
