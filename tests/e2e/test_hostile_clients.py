"""Hostile clients (docs/security.md): slow senders are cut off by the timeouts without holding
anyone else up, thousands of idle connections do not stop service, a client that never reads its
responses pins no memory, and deep JSON is refused in every dialect's envelope."""

import json
import os
import resource
import socket
import threading
import time

from harness import ROOT, Server, main
from iaf_fixtures import cb_body
import unittest

with open(os.path.join(ROOT, "demo", "provision.json")) as f:
    DEMO_ALL = json.load(f)

IAF = {"x-http-authorization": "cb-bsi-key"}
TIMEOUT = 2  # seconds, for each of --idle-timeout, --request-timeout and --write-timeout


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def closed_within(sock, seconds):
    """True when the peer closes the connection (EOF or reset) within `seconds`."""
    sock.settimeout(0.2)
    end = time.time() + seconds
    while time.time() < end:
        try:
            if sock.recv(65536) == b"":
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


class HostileClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        t = str(TIMEOUT)
        cls.server = Server(provision=DEMO_ALL, args=["--idle-timeout", t, "--request-timeout", t,
                                                      "--write-timeout", t]).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.remove()
        assert code == 0, f"server exited with {code}"

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=5)

    def assert_others_served_quickly(self):
        t0 = time.time()
        r = self.server.request("GET", "/api/client/v1/cb/cert", headers=IAF)
        self.assertEqual(r.status, 200, r)
        self.assertLess(time.time() - t0, 0.5)

    def trickle(self, sock, data, interval, stop):
        """Sends data a byte at a time until the server hangs up or `stop` is set."""
        for b in data:
            if stop.is_set():
                return
            try:
                sock.send(bytes([b]))
            except OSError:
                return
            time.sleep(interval)

    def slow_send_is_cut_off(self, head, rest):
        s = self.connect()
        s.sendall(head)
        stop = threading.Event()
        sender = threading.Thread(target=self.trickle, args=(s, rest, 0.2, stop))
        sender.start()
        try:
            time.sleep(0.5)
            self.assert_others_served_quickly()
            self.assertTrue(closed_within(s, TIMEOUT + 2), "the slow client was not cut off")
        finally:
            stop.set()
            sender.join()
            s.close()

    def test_slow_header_is_cut_off_by_the_idle_timeout(self):
        self.slow_send_is_cut_off(b"GET /healthz HTTP/1.1\r\n", b"X-Slow: " + b"a" * 200 + b"\r\n\r\n")

    def test_slow_body_is_cut_off_by_the_request_timeout(self):
        body = json.dumps({"certificate_number": "x" * 200}).encode()
        head = (b"POST /api/client/v1/cb/upload-cert HTTP/1.1\r\nHost: t\r\n"
                b"x-http-authorization: cb-bsi-key\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        self.slow_send_is_cut_off(head, body)

    def test_ten_thousand_idle_connections_do_not_stop_service(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 10_500:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20_000), hard))
        socks = []
        # A longer idle timeout than the class's, so that all of them are open at once.
        with Server(provision=DEMO_ALL, args=["--idle-timeout", "120"]) as server:
            before = rss_mb(server.proc.pid)
            try:
                for _ in range(10_000):
                    socks.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
                time.sleep(1)  # let the server accept them all
                t0 = time.time()
                for _ in range(20):
                    r = server.request("GET", "/api/client/v1/cb/cert", headers=IAF)
                    self.assertEqual(r.status, 200, r)
                self.assertLess(time.time() - t0, 2.0)
                grown = rss_mb(server.proc.pid) - before
                # A few KiB per connection; far from pinning the machine.
                self.assertLess(grown, 100, f"10,000 idle connections cost {grown:.0f} MB")
            finally:
                for s in socks:
                    s.close()

    def test_a_client_that_never_reads_pins_no_memory(self):
        # Large replies: a page of 100 certifications.
        records = [cb_body(certificate_number=f"NR-{i}", certified_entity_unique_id=f"nr-{i}",
                           certification_scope="s" * 2000) for i in range(100)]
        r = self.server.request("POST", "/api/client/v1/cb/bulk-upload-cert",
                                body={"certifications": records}, headers=IAF)
        self.assertEqual(r.status, 200, r)
        get = (b"GET /api/client/v1/cb/cert?limit=100 HTTP/1.1\r\nHost: t\r\n"
               b"x-http-authorization: cb-bsi-key\r\n\r\n")
        before = rss_mb(self.server.proc.pid)
        s = self.connect()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            try:
                s.sendall(get * 2000)  # ~200 KiB of requests for ~500 MiB of replies
            except OSError:
                pass  # the server may already have hung up
            time.sleep(0.5)
            self.assert_others_served_quickly()
            self.assertTrue(closed_within_without_reading(s, TIMEOUT + 3),
                            "a client that does not read was not dropped")
        finally:
            s.close()
        grown = rss_mb(self.server.proc.pid) - before
        self.assertLess(grown, 50, f"an unread connection pinned {grown:.0f} MB")

    def test_deep_json_is_refused_in_each_dialects_envelope(self):
        deep = b"[" * 10_000 + b"]" * 10_000
        cases = [
            ("POST", "/api/client/v1/cb/upload-cert", IAF, lambda r: r.json["errors"]),
            ("POST", "/connect/v1/certifications/create",
             {"authorization": "Bearer origin-acme-token"},
             lambda r: r.json["status"]["code"].startswith("CE00001")),
            ("POST", "/Api/V1/User/Authorize", {}, lambda r: r.json["intCode"] == 400),
            ("POST", "/api/v1.0/certificate/", {"Authorization": "sm-advancity-token"},
             lambda r: r.json["status"] == "ERROR"),
        ]
        for method, path, headers, check in cases:
            with self.subTest(path=path):
                r = self.server.request(method, path, raw=deep,
                                        headers=dict(headers, **{"Content-Type": "application/json"}))
                self.assertIn(r.status, (200, 400, 422), r)  # EDIN answers 200 with intCode
                self.assertTrue(check(r), r)


def closed_within_without_reading(sock, seconds):
    """Waits, without reading, for the server to give up on us: a send then fails."""
    end = time.time() + seconds
    sock.setblocking(False)
    while time.time() < end:
        time.sleep(0.2)
        try:
            sock.send(b"x")
        except BlockingIOError:
            continue
        except OSError:
            return True
    return False


if __name__ == "__main__":
    main()
