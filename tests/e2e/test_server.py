"""The HTTP layer: health, unknown routes and methods, limits, keep-alive, graceful stop."""

import json
import os
import signal
import threading
import time

from harness import ENGINE, Server, ServerTest, main, raw_exchange


class HttpBasics(ServerTest):
    def test_healthz(self):
        r = self.req("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["status"], "ok")
        self.assertEqual(r.headers["content-type"], "application/json")

    def test_unknown_route_is_404_json(self):
        r = self.req("GET", "/no/such/thing")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json, {"error": "not_found"})

    def test_wrong_method_is_405_with_allow(self):
        r = self.req("POST", "/healthz", body={})
        self.assertEqual(r.status, 405)
        self.assertEqual(r.headers["allow"], "GET")

    def test_options_lists_methods(self):
        r = self.req("OPTIONS", "/healthz")
        self.assertEqual(r.status, 204)
        self.assertIn("GET", r.headers["allow"])

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = self.server.connection()
        for _ in range(50):
            r = self.server.request("GET", "/healthz", conn=conn)
            self.assertEqual(r.status, 200)
        conn.close()

    def test_pipelined_requests_are_answered_in_order(self):
        data = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 3 + \
               b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        out = raw_exchange(self.server.port, data)
        self.assertEqual(out.count(b"HTTP/1.1 200 OK"), 3)
        self.assertTrue(out.rstrip().endswith(b'{"error":"not_found"}'))

    def test_malformed_http_is_400_and_closes(self):
        out = raw_exchange(self.server.port, b"THIS IS NOT HTTP\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out)

    def test_oversized_header_is_431(self):
        big = b"X-Big: " + b"a" * 20000 + b"\r\n"
        out = raw_exchange(self.server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431"), out[:100])

    def test_oversized_body_is_413_by_content_length(self):
        body = b"{" + b" " * (1024 * 1024 + 10) + b"}"
        r = self.req("POST", "/healthz", raw=body, headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)

    def test_oversized_chunked_body_is_413(self):
        chunk = b"a" * 65536
        head = b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        body = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
        out = raw_exchange(self.server.port, head + body)
        self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:100])

    def test_expect_100_continue(self):
        data = (b"POST /no/route HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        import socket
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        s.sendall(data)
        first = s.recv(1024)
        self.assertTrue(first.startswith(b"HTTP/1.1 100 Continue"), first)
        s.sendall(b"{}")
        rest = b""
        while True:
            c = s.recv(4096)
            if not c:
                break
            rest += c
        s.close()
        self.assertIn(b"HTTP/1.1 404", first + rest)


class ThreadNames(ServerTest):
    def test_threads_carry_the_names_docs_operations_lists(self):
        expected = {"certreg-http", "certreg-writer", "certreg-slow", "certreg-async"}
        if ENGINE == "sqlite":  # the checkpointer, and with --sync full the durability thread
            expected |= {"certreg-ckpt", "certreg-sync"}
        task = f"/proc/{self.server.proc.pid}/task"

        def names():
            out = set()
            for tid in os.listdir(task):
                try:
                    with open(f"{task}/{tid}/comm") as f:
                        out.add(f.read().strip())
                except FileNotFoundError:  # a thread that ended meanwhile
                    pass
            return out

        # A thread names itself once it runs, which may be just after the listening line.
        deadline = time.monotonic() + 10
        while not expected <= names() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertLessEqual(expected, names())


class GracefulStop(ServerTest):
    def test_sigterm_finishes_in_flight_requests_then_exits_0(self):
        srv = Server().start()
        try:
            # A request whose body is still arriving when the signal comes is answered in full.
            import socket
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            body = json.dumps({"x": 1}).encode()
            s.sendall(b"POST /no/route HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body))
            time.sleep(0.2)
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            s.sendall(body)
            out = b""
            while True:
                c = s.recv(4096)
                if not c:
                    break
                out += c
            s.close()
            self.assertTrue(out.startswith(b"HTTP/1.1 "), out)
            self.assertEqual(srv.proc.wait(timeout=15), 0)
        finally:
            srv.stop()

    def test_idle_connections_do_not_delay_stop(self):
        srv = Server().start()
        conns = [srv.connection() for _ in range(5)]
        for c in conns:
            srv.request("GET", "/healthz", conn=c)
        t0 = time.time()
        code = srv.stop()
        self.assertEqual(code, 0)
        self.assertLess(time.time() - t0, 5)


if __name__ == "__main__":
    main()
