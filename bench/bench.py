#!/usr/bin/env python3
"""Load benchmarks (bench/README.md): starts the release binary on a fresh database (SQLite, or a
throwaway PostgreSQL 15 from tests/pg_server.py), preloads certifications through the APIs,
restarts the server to time its start-up, runs the wrk scenarios and prints one markdown table
(requests/s, items/s, p50/p99 latency, errors) with the preload rate, the database size and the
server's peak RSS. Results also go to bench/results/<date>-<engine>[-sync-normal].json.

  python3 bench/bench.py [--db sqlite|postgresql] [--preload 1000000] [--preload-other 5000]
                         [--duration 10] [--connections 32] [--sync full|normal]
                         [--scenarios iaf_get,iaf_upload,...]
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import tempfile
import threading
import time
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.environ.get("CERTREG_BIN", os.path.join(ROOT, "build", "certreg"))
PG_SERVER = os.path.join(ROOT, "tests", "pg_server.py")
JSON = {"Content-Type": "application/json"}
IAF = {**JSON, "x-http-authorization": "cb-bsi-key"}
ORIGIN = {**JSON, "authorization": "Bearer origin-acme-token"}
SERTIFIKA = {**JSON, "Authorization": "sm-advancity-token"}
BULK = 100  # records per IAF bulk request, the API's default maximum
ID_SAMPLE = 50000  # preloaded IAF ids the GET scenarios draw from


@dataclass
class Scenario:
    name: str
    needs: tuple = ()  # preloads beyond the IAF one: "origin", "edin", "sertifika"
    items: int = 0  # items per request, for an items/s column (0: not applicable)
    # (table, rows per request): a write scenario's requests must add that many rows, which
    # catches failures a 2xx hides (a Sertifika item error) and numbers that were not unique.
    adds: tuple = None
    connections: int = 0  # fewer connections than --connections, for slow requests


SCENARIOS = [
    Scenario("healthz"),
    Scenario("iaf_get"),
    # A deep page costs a pass over the rows before it (OFFSET, with its joins) and the count of
    # the CB's rows: seconds at a million, behind which 32 connections would only queue.
    Scenario("iaf_list"),
    Scenario("origin_search", needs=("origin",)),
    Scenario("edin_by_num", needs=("edin",)),
    Scenario("iaf_upload", adds=("iaf_certifications", 1)),
    # Each request is 100 writes for the one writer thread: 8 connections keep it busy, 32 would
    # queue 3,200 records and push latencies towards wrk's timeout on a slow engine.
    Scenario("iaf_bulk", items=BULK, adds=("iaf_certifications", BULK), connections=8),
    Scenario("origin_update", needs=("origin",)),
    Scenario("edin_create", needs=("edin",), adds=("edin_certificates", 1)),
    Scenario("sertifika_issue", needs=("sertifika",), adds=("sertifika_holdings", 1)),
    Scenario("mix"),
]


# --- Engines ---------------------------------------------------------------------------------


class Sqlite:
    name = "sqlite"

    def __init__(self, workdir, sync):
        self.path = os.path.join(workdir, "bench.db")
        self.url = "sqlite:" + self.path

    def query(self, sql):
        con = sqlite3.connect(self.path, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def size_mb(self):
        d = os.path.dirname(self.path)
        return sum(os.path.getsize(os.path.join(d, p)) for p in os.listdir(d)
                   if p.startswith("bench.db")) / 1e6

    def stop(self):
        pass


class Postgres:
    """A throwaway PostgreSQL 15 that fsyncs its commits, like SQLite's default; --sync normal
    turns synchronous_commit off, which like SQLite's NORMAL may lose the last commits on power
    loss but never corrupts."""

    name = "postgresql"

    def __init__(self, workdir, sync):
        self.state = os.path.join(workdir, "pg")
        out = subprocess.run([sys.executable, PG_SERVER, "start", self.state, "--durable"],
                             capture_output=True, text=True, check=True)
        base = out.stdout.strip()
        self.url = base + "bench"
        self.psql(base + "postgres", "CREATE DATABASE bench")
        if sync == "normal":
            self.psql(base + "postgres", "ALTER DATABASE bench SET synchronous_commit = off")

    @staticmethod
    def psql(url, sql):
        out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-d", url, "-c", sql], capture_output=True, text=True, check=True)
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]

    def query(self, sql):
        return self.psql(self.url, sql)

    def size_mb(self):
        return int(self.query("SELECT pg_database_size(current_database())")[0][0]) / 1e6

    def stop(self):
        subprocess.run([sys.executable, PG_SERVER, "stop", self.state], check=False)


# --- The server ------------------------------------------------------------------------------


class Server:
    def __init__(self, engine, args, workdir, binary=BIN):
        self.cmd = [binary, "--db", engine.url, "--log-level", "warn", "serve",
                    "--listen", "127.0.0.1:0", "--sync", args.sync,
                    # EDIN replies are HTTP 200 whatever their intCode; this makes wrk see failures.
                    "--edin-http-status"]
        if args.server_threads:
            self.cmd += ["--threads", str(args.server_threads)]
        self.log = os.path.join(workdir, "server.log")
        self.proc = None

    def start(self, extra=()):
        """Starts the server; returns the seconds until it printed its listening line."""
        t0 = time.time()
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.cmd + list(extra), stdout=subprocess.PIPE, stderr=log)
        line = self.proc.stdout.readline().decode()
        startup = time.time() - t0
        if "listening on http://" not in line:
            self.proc.wait(timeout=30)
            raise SystemExit(f"certreg did not start:\n{self.tail()}")
        self.port = int(line.split("listening on http://")[1].split()[0].rsplit(":", 1)[1])
        return startup

    def tail(self):
        with open(self.log, errors="replace") as f:
            return "".join(f.readlines()[-20:])

    def status_mb(self, *keys):
        values = dict.fromkeys(keys, 0.0)
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                parts = line.split()
                if parts and parts[0].rstrip(":") in values:
                    values[parts[0].rstrip(":")] = int(parts[1]) / 1024
        return values

    def watch_memory(self):
        """Samples the server's memory every 100 ms until stop_watching(): the peak RSS (VmHWM),
        and the peaks of its two parts, anonymous memory (heap, SQLite's page caches) and pages
        mapped from files (the binary and its libraries; a database that an engine maps would
        count here once per connection that maps it)."""
        self.memory = {"peak_rss_mb": 0.0, "peak_anon_mb": 0.0, "peak_file_mb": 0.0}
        self.watching = threading.Event()

        def sample():
            while not self.watching.wait(0.1):
                m = self.status_mb("VmHWM", "RssAnon", "RssFile")
                for key, field in (("peak_rss_mb", "VmHWM"), ("peak_anon_mb", "RssAnon"),
                                   ("peak_file_mb", "RssFile")):
                    self.memory[key] = round(max(self.memory[key], m[field]), 1)

        self.watcher = threading.Thread(target=sample, daemon=True)
        self.watcher.start()

    def stop_watching(self):
        self.watching.set()
        self.watcher.join()
        return self.memory

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
            self.proc.stdout.close()


# --- Preload ---------------------------------------------------------------------------------


def post_all(port, path, headers, bodies, connections, ok):
    """POSTs every body over `connections` parallel keep-alive connections; ok(status, reply)
    says whether a reply is a success. Stops at the first failure."""
    it = iter(bodies)
    lock = threading.Lock()
    failures = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            while not failures:
                with lock:
                    body = next(it, None)
                if body is None:
                    return
                conn.request("POST", path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                if not ok(r.status, data):
                    failures.append(f"POST {path}: {r.status} {data[:300]!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit("preload failed: " + failures[0])


def batches(n, size, key, item):
    """JSON bodies {key: [item(i), ...]} of `size` items each, for i in range(n)."""
    for start in range(0, n, size):
        items = ",".join(item(i) for i in range(start, min(n, start + size)))
        yield f'{{"{key}":[{items}]}}'.encode()


# Two certifications per certified entity, as companies often hold several.
IAF_RECORD = (
    '{"certificate_number":"BENCH-%d","certification_status":"active",'
    '"certificate_accreditation_status":"Accredited","certification_type":"Management System",'
    '"certification_scope":"Design and manufacture of widgets",'
    '"certification_issue_date":"20230101","certification_expiry_date":"20260101",'
    '"certified_entity_name":"Preloaded Company %d","certified_entity_unique_id":"bench-%d",'
    '"certified_entity_street_city":"London","certified_entity_country":"United Kingdom",'
    '"accreditation_body_name":"United Kingdom Accreditation Service",'
    '"accreditation_body_acronym_name":"UKAS",'
    '"schemes":[{"scheme_name":"ISO 9001","standard_list":[{"standards_name":"ISO 9001:2015"}]}],'
    '"sites":[{"city":"London","country":"United Kingdom"}]}')


def preload_iaf(port, n, connections):
    bodies = batches(n, BULK, "certifications", lambda i: IAF_RECORD % (i, i // 2, i // 2))
    post_all(port, "/api/client/v1/cb/bulk-upload-cert", IAF, bodies, connections,
             lambda status, _: status == 200)


ORIGIN_ITEM = (
    '{"locale":"en","externalId":"BENCH-ORIGIN-%d","certificateNumber":"OC-%d",'
    '"url":"https://certs.example.com/%d.pdf","issueDate":"2023-01-15","expiryDate":"2026-01-15",'
    '"reportingBody":{"name":"Veritas"},"standard":{"code":"ISO 9001"},'
    '"brands":[{"name":"Brand %d","website":"https://brand.example.com"}],'
    '"contacts":[{"externalId":"K-%d","type":"MANUFACTURER","name":"Contact %d"}],'
    '"channels":[{"name":"ORIGIN"}]}')


def preload_origin(port, n):
    bodies = batches(n, 100, "certifications", lambda i: ORIGIN_ITEM % ((i,) * 6))
    post_all(port, "/connect/v1/certifications/create", ORIGIN, bodies, 2,
             lambda status, data: status == 200 and b'"SUCCESS"' in data)


EDIN_CERT = (
    '{"varToken":"%s","cert_number":"BENCH-EDIN-%d","cert_date":"05.06.2018","cert_sub_type":"1",'
    '"cert_type":"8","cert_start_date":"30.06.2018","cert_end_date":"29.07.2028",'
    '"cert_gln_creator":"9864066822454","cert_lot_number":"lot-%d"}')


def edin_token(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/Api/V1/User/Authorize", headers=JSON,
                 body=json.dumps({"varLogin": "supplier1", "varPassword": "s3cret"}))
    reply = json.loads(conn.getresponse().read())
    conn.close()
    if reply.get("intCode") != 200:
        raise SystemExit(f"EDIN login failed: {reply}")
    return reply["varToken"]


def preload_edin(port, token, n):
    # One certificate per request (the API has no bulk method): parallel requests share commits.
    bodies = ((EDIN_CERT % (token, i, i)).encode() for i in range(n))
    post_all(port, "/Api/V1/Certificate/Create", JSON, bodies, 8,
             lambda status, data: status == 200 and b'"intCode":200' in data)


SERTIFIKA_ITEM = (
    '{"id":"64c9f080-2314-4f02-a43c-923d83e8e444","Name":"Preloaded","Surname":"Person %d",'
    '"Email":"bench.%d@preload.example.com","Hour":8,"Point":90,"Educator":"Bench",'
    '"Properties":[{"key":"alias_1434977880189","value":"Course %d"}],'
    '"metaTag":[{"value":"bench"}]}')


def preload_sertifika(port, n):
    bodies = batches(n, 100, "certificateItem", lambda i: SERTIFIKA_ITEM % (i, i, i))
    post_all(port, "/api/v1.0/certificate/", SERTIFIKA, bodies, 2,
             lambda status, data: status == 200 and b'"Error count :0"' in data)


def timed(what, n, fn, *args):
    t0 = time.time()
    fn(*args)
    s = time.time() - t0
    print(f"preloaded {n} {what} in {s:.1f} s ({n / s:.0f}/s)", flush=True)
    return {"count": n, "seconds": round(s, 2), "per_s": round(n / s)}


# --- wrk -------------------------------------------------------------------------------------


def run_wrk(port, scenario, connections, args, env):
    cmd = ["wrk", "-t", str(min(args.wrk_threads, connections)), "-c", str(connections),
           "-d", f"{args.duration}s", "--timeout", f"{args.timeout}s",
           "-s", os.path.join(HERE, "lua", scenario + ".lua"), f"http://127.0.0.1:{port}"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **env),
                         timeout=args.duration + 120)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise SystemExit(f"wrk failed on {scenario}:\n{out.stdout}\n{out.stderr}")


def drain(port):
    """Waits until the writes queued by the last scenario are done, so that they do not slow the
    next one: wrk stops waiting at the end of a run, the server does not. Writes commit in the
    order they were submitted, so an upload sent now returns after them. (It updates one fixed
    certification: the first drain, before any scenario, creates it.)"""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", "/api/client/v1/cb/upload-cert", headers=IAF,
                 body=(IAF_RECORD % (-1, -1, -1)).encode())
    r = conn.getresponse()
    r.read()
    conn.close()
    if r.status != 200:
        raise SystemExit(f"drain upload failed: {r.status}")


def count_rows(engine, table):
    return int(engine.query(f"SELECT COUNT(*) FROM {table}")[0][0])


def run_scenario(port, engine, s, args, env):
    connections = min(s.connections or args.connections, args.connections)
    before = count_rows(engine, s.adds[0]) if s.adds else 0
    res = run_wrk(port, s.name, connections, args, env)
    drain(port)
    missing = 0
    if s.adds:
        missing = max(0, res["requests"] * s.adds[1] - (count_rows(engine, s.adds[0]) - before))
    rps = res["requests"] / (res["duration_us"] / 1e6)
    row = {"scenario": s.name, "rps": round(rps),
           "items_per_s": round(rps * s.items) if s.items else None,
           "p50_ms": res["p50_us"] / 1000, "p99_ms": res["p99_us"] / 1000,
           "errors": res["errors"] + res["non2xx"] + missing,
           "socket_errors": res["errors"], "non2xx": res["non2xx"], "missing_rows": missing,
           "requests": res["requests"], "connections": connections}
    print(f"{s.name}: {row['rps']} req/s, {row['errors']} errors", flush=True)
    return row


def preload_all(port, args, needs):
    """Stores what the scenarios read; returns the timings and an EDIN session token."""
    other = args.preload_other
    out = {"iaf": timed("IAF certifications", args.preload, preload_iaf, port, args.preload,
                        args.preload_connections)}
    token = edin_token(port) if "edin" in needs else ""
    if "origin" in needs:
        out["origin"] = timed("Origin certifications", other, preload_origin, port, other)
    if "edin" in needs:
        out["edin"] = timed("EDIN certificates", other, preload_edin, port, token, other)
    if "sertifika" in needs:
        out["sertifika"] = timed("Sertifika certificates", other, preload_sertifika, port, other)
    return out, token


def write_ids(engine, workdir):
    """Writes ID_SAMPLE preloaded IAF ids, in random order, for the GET scenarios; returns the
    file's path."""
    ids = [r[0] for r in engine.query(
        f"SELECT id FROM iaf_certifications ORDER BY random() LIMIT {ID_SAMPLE}")]
    path = os.path.join(workdir, "ids.txt")
    with open(path, "w") as f:
        f.write("\n".join(ids) + "\n")
    return path


def wrk_env(args, ids_file, edin_token):
    """What the Lua scripts read from the environment (each run adds BENCH_RUN)."""
    return {"BENCH_LUA_DIR": os.path.join(HERE, "lua"), "BENCH_IDS": ids_file,
            "BENCH_IAF_PAGES": str(args.preload // 20), "BENCH_BULK": str(BULK),
            "BENCH_ORIGIN_COUNT": str(args.preload_other),
            "BENCH_EDIN_COUNT": str(args.preload_other), "BENCH_EDIN_TOKEN": edin_token}


def run(args, scenarios):
    workdir = tempfile.mkdtemp(prefix="certreg-bench-", dir=args.workdir)
    os.chmod(workdir, 0o755)  # PostgreSQL runs as its own user when we are root
    engine = server = None
    try:
        engine = (Postgres if args.db == "postgresql" else Sqlite)(workdir, args.sync)
        server = Server(engine, args, workdir)
        server.start(["--provision", os.path.join(ROOT, "demo", "provision.json")])
        preload, token = preload_all(server.port, args, {n for s in scenarios for n in s.needs})
        server.stop()
        db_mb = engine.size_mb()

        ids_file = write_ids(engine, workdir)

        # Start-up on the preloaded database, without provisioning.
        startup_s = server.start()
        server.watch_memory()
        drain(server.port)
        env = wrk_env(args, ids_file, token)
        rows = [run_scenario(server.port, engine, s, args, dict(env, BENCH_RUN=f"s{i}"))
                for i, s in enumerate(scenarios)]
        memory = server.stop_watching()
        server.stop()
        return {"machine": f"{platform.node()} {os.cpu_count()} cores, {platform.machine()}, "
                           f"{platform.platform()}",
                "engine": engine.name, "args": vars(args), "preload": preload,
                "db_mb_after_preload": round(db_mb, 1), "db_mb_at_end": round(engine.size_mb(), 1),
                "startup_ms": round(startup_s * 1000), **memory, "scenarios": rows}
    except BaseException:
        if server and server.proc:
            print(f"server log (tail):\n{server.tail()}", file=sys.stderr)
        raise
    finally:
        if server:
            server.stop()
        if engine:
            engine.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, result):
    iaf = result["preload"]["iaf"]
    print(f"\nmachine: {result['machine']}")
    print(f"engine: {result['engine']} (sync {args.sync}); wrk -t{args.wrk_threads} "
          f"-c{args.connections} -d{args.duration}s on the same machine")
    print(f"preload: {iaf['count']} IAF certifications in {iaf['seconds']:.1f} s ({iaf['per_s']}/s)"
          + "".join(f", {v['count']} {k}" for k, v in result["preload"].items() if k != "iaf")
          + f"; database {result['db_mb_after_preload']:.0f} MB after the preload, "
          f"{result['db_mb_at_end']:.0f} MB at the end")
    print(f"start-up on the preloaded database: {result['startup_ms']} ms")
    print("\n| scenario | req/s | items/s | p50 ms | p99 ms | errors |\n"
          "|---|---:|---:|---:|---:|---:|")
    for r in result["scenarios"]:
        items = r["items_per_s"] if r["items_per_s"] is not None else ""
        print(f"| {r['scenario']} | {r['rps']} | {items} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
              f"| {r['errors']} |")
    fewer = [f"{r['scenario']} {r['connections']}" for r in result["scenarios"]
             if r["connections"] != args.connections]
    if fewer:
        print(f"\nconnections, where fewer than {args.connections}: {', '.join(fewer)}")
    print(f"\nserver peak RSS (VmHWM) over the scenarios: {result['peak_rss_mb']:.0f} MB; peak "
          f"anonymous memory (heap, caches) {result['peak_anon_mb']:.0f} MB, peak pages mapped "
          f"from files {result['peak_file_mb']:.0f} MB")
    suffix = "-sync-normal" if args.sync == "normal" else ""
    out = args.out or os.path.join(HERE, "results",
                                   f"{datetime.date.today()}-{result['engine']}{suffix}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"written to {out}")


def parse_args():
    names = [s.name for s in SCENARIOS]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--preload", type=int, default=1000000,
                    help="IAF certifications stored before the scenarios (default 1,000,000)")
    ap.add_argument("--preload-other", type=int, default=5000,
                    help="Origin certifications, EDIN certificates and Sertifika certificates "
                         "stored for their scenarios (default 5,000 each)")
    ap.add_argument("--preload-connections", type=int, default=2,
                    help="parallel connections of the IAF preload (default 2)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=60, help="wrk's per-request timeout, seconds")
    ap.add_argument("--server-threads", type=int, default=0, help="default: the server's own")
    ap.add_argument("--sync", default="full", choices=["full", "normal"])
    ap.add_argument("--scenarios", default=",".join(names), help="comma-separated, in order")
    ap.add_argument("--workdir", default=None, help="where the database goes (default $TMPDIR)")
    ap.add_argument("--out", default=None,
                    help="the JSON file (default bench/results/<date>-<engine>[-sync-normal].json)")
    args = ap.parse_args()
    chosen = args.scenarios.split(",")
    unknown = set(chosen) - set(names)
    if unknown:
        ap.error(f"unknown scenarios {sorted(unknown)}; known: {', '.join(names)}")
    if args.preload < BULK:
        ap.error(f"--preload must be at least {BULK}")
    return args, [next(s for s in SCENARIOS if s.name == n) for n in chosen]


def main():
    args, scenarios = parse_args()
    result = run(args, scenarios)
    report(args, result)
    if any(r["errors"] for r in result["scenarios"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
