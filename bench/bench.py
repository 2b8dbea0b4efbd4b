#!/usr/bin/env python3
"""Load benchmarks: starts the release binary on a fresh database, preloads certifications through
the bulk API, runs wrk scenarios and prints one table (requests/s, p50/p99 latency, errors, the
server's peak RSS). Results also go to bench/results/<date>-<engine>.json.

  python3 bench/bench.py [--duration 10] [--connections 32] [--preload 10000] [--sync full]
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
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.environ.get("CERTREG_BIN", os.path.join(ROOT, "build", "certreg"))
CB_KEY = {"x-http-authorization": "cb-bsi-key", "Content-Type": "application/json"}


def record(run, i):
    return {
        "certificate_number": f"PRE-{run}-{i}", "certification_status": "active",
        "certificate_accreditation_status": "Accredited", "certification_type": "Management System",
        "certification_scope": "Design and manufacture of widgets",
        "certification_issue_date": "20230101", "certification_expiry_date": "20260101",
        "certified_entity_name": f"Preloaded Company {i}", "certified_entity_unique_id": f"pre-{i}",
        "certified_entity_street_city": "London", "certified_entity_country": "United Kingdom",
        "accreditation_body_name": "United Kingdom Accreditation Service",
        "accreditation_body_acronym_name": "UKAS",
        "schemes": [{"scheme_name": "ISO 9001", "standard_list": [{"standards_name": "ISO 9001:2015"}]}],
        "sites": [{"city": "London", "country": "United Kingdom"}],
    }


class Server:
    def __init__(self, args):
        self.dir = tempfile.mkdtemp(prefix="certreg-bench-")
        self.db = os.path.join(self.dir, "bench.db")
        cmd = [BIN, "--db", "sqlite:" + self.db, "--log-level", "warn", "serve",
               "--listen", "127.0.0.1:0", "--provision", os.path.join(ROOT, "demo", "provision.json"),
               "--sync", args.sync]
        if args.server_threads:
            cmd += ["--threads", str(args.server_threads)]
        t0 = time.time()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        self.startup_s = time.time() - t0
        self.port = int(line.split("listening on http://")[1].split()[0].rsplit(":", 1)[1])

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def preload(server, n):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    t0 = time.time()
    for start in range(0, n, 100):
        body = json.dumps({"certifications": [record("p", i) for i in range(start, min(n, start + 100))]})
        conn.request("POST", "/api/client/v1/cb/bulk-upload-cert", body=body, headers=CB_KEY)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise SystemExit(f"preload failed: {r.status} {data[:300]!r}")
    conn.close()
    return time.time() - t0


def run_wrk(server, script, args, env=None):
    e = dict(os.environ, BENCH_LUA_DIR=os.path.join(HERE, "lua"), BENCH_RUN=str(int(time.time())))
    e.update(env or {})
    cmd = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d", f"{args.duration}s",
           "-s", os.path.join(HERE, "lua", script), f"http://127.0.0.1:{server.port}"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=args.duration + 60)
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise SystemExit(f"wrk failed:\n{out.stdout}\n{out.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--server-threads", type=int, default=0)
    ap.add_argument("--preload", type=int, default=10000)
    ap.add_argument("--sync", default="full", choices=["full", "normal"])
    ap.add_argument("--scenarios", default="healthz,iaf_get,iaf_upload")
    args = ap.parse_args()

    server = Server(args)
    rows = []
    try:
        preload_s = preload(server, args.preload)
        con = sqlite3.connect(server.db)
        ids = [r[0] for r in con.execute("SELECT id FROM iaf_certifications")]
        con.close()
        ids_file = os.path.join(server.dir, "ids.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        db_mb = sum(os.path.getsize(os.path.join(server.dir, p)) for p in os.listdir(server.dir)
                    if p.startswith("bench.db")) / 1e6
        for name in args.scenarios.split(","):
            res = run_wrk(server, name + ".lua", args, {"BENCH_IDS": ids_file})
            secs = res["duration_us"] / 1e6
            rows.append({"scenario": name, "rps": round(res["requests"] / secs),
                         "p50_ms": res["p50_us"] / 1000, "p99_ms": res["p99_us"] / 1000,
                         "errors": res["errors"] + res["non2xx"], "requests": res["requests"]})
        peak = server.peak_rss_mb()
    finally:
        server.stop()

    machine = f"{platform.node()} {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}"
    print(f"\nmachine: {machine}")
    print(f"engine: sqlite (synchronous={args.sync}); wrk -t{args.wrk_threads} -c{args.connections} "
          f"-d{args.duration}s on the same machine")
    print(f"preload: {args.preload} certifications in {preload_s:.1f} s "
          f"({args.preload / preload_s:.0f}/s), database {db_mb:.1f} MB; "
          f"start-up {server.startup_s * 1000:.0f} ms")
    print(f"\n| scenario | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['scenario']} | {r['rps']} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
    print(f"\nserver peak RSS: {peak:.0f} MB")
    out = os.path.join(HERE, "results", f"{datetime.date.today()}-sqlite.json")
    with open(out, "w") as f:
        json.dump({"machine": machine, "args": vars(args), "preload_s": preload_s, "db_mb": db_mb,
                   "peak_rss_mb": peak, "scenarios": rows}, f, indent=1)
    print(f"written to {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
