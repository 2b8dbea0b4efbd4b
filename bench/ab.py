#!/usr/bin/env python3
"""A/B comparison of certreg binaries (bench/README.md, "Comparing two builds"): preloads one SQLite
database with bench.py's preload, then runs each scenario against each binary in turn, round after
round, every run on a fresh copy of that database, and prints requests/s, p99 and the server's CPU
time per request for each run. The VM's speed drifts by tens of percent within an hour; runs of two
binaries side by side, repeated, are what tells a change from that drift.

  python3 bench/ab.py BIN_A BIN_B [--preload 200000] [--rounds 2] [--duration 10]
                      [--scenarios iaf_get,iaf_upload,...] [--sync full|normal]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import bench


def server_cpu_seconds(pid):
    """utime + stime of the whole process, from /proc (clock ticks of 10 ms)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_one(binary, scenario, seed, args, env):
    """One scenario on a fresh copy of the seed database; returns (req/s, p99 ms, CPU µs/req)."""
    workdir = tempfile.mkdtemp(prefix="certreg-ab-", dir=args.workdir)
    try:
        for name in os.listdir(seed.state):
            if name.startswith("bench.db"):
                shutil.copy(os.path.join(seed.state, name), workdir)
        os.sync()  # or the first checkpoint's fsync writes the whole copy back
        engine = bench.Sqlite(workdir, args.sync)
        server = bench.Server(engine, args, workdir, binary)
        server.start()
        try:
            connections = min(scenario.connections or args.connections, args.connections)
            cpu0 = server_cpu_seconds(server.proc.pid)
            res = bench.run_wrk(server.port, scenario.name, connections, args, env)
            cpu = server_cpu_seconds(server.proc.pid) - cpu0
        finally:
            server.stop()
        errors = res["errors"] + res["non2xx"]
        rps = res["requests"] / (res["duration_us"] / 1e6)
        return rps, res["p99_us"] / 1000, cpu * 1e6 / max(1, res["requests"]), errors
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class Seed:
    """The preloaded database every run starts from a copy of."""

    def __init__(self, args, scenarios):
        self.state = tempfile.mkdtemp(prefix="certreg-ab-seed-", dir=args.workdir)
        engine = bench.Sqlite(self.state, args.sync)
        server = bench.Server(engine, args, self.state, args.binaries[0])
        server.start(["--provision", os.path.join(bench.ROOT, "demo", "provision.json")])
        try:
            _, self.token = bench.preload_all(server.port, args,
                                              {n for s in scenarios for n in s.needs})
        finally:
            server.stop()
        self.ids_file = bench.write_ids(engine, self.state)


def main():
    names = [s.name for s in bench.SCENARIOS]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binaries", nargs="+", help="certreg binaries to compare")
    ap.add_argument("--preload", type=int, default=200000)
    ap.add_argument("--preload-other", type=int, default=5000)
    ap.add_argument("--preload-connections", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--server-threads", type=int, default=0)
    ap.add_argument("--sync", default="full", choices=["full", "normal"])
    ap.add_argument("--scenarios", default="iaf_get,iaf_upload")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    unknown = set(args.scenarios.split(",")) - set(names)
    if unknown:
        ap.error(f"unknown scenarios {sorted(unknown)}; known: {', '.join(names)}")
    scenarios = [next(s for s in bench.SCENARIOS if s.name == n)
                 for n in args.scenarios.split(",")]
    args.binaries = [os.path.abspath(b) for b in args.binaries]

    seed = Seed(args, scenarios)
    try:
        env = bench.wrk_env(args, seed.ids_file, seed.token)
        print("| round | scenario | binary | req/s | p99 ms | server CPU µs/req | errors |")
        print("|---:|---|---|---:|---:|---:|---:|")
        failed = False
        for r in range(1, args.rounds + 1):
            for s in scenarios:
                for b in args.binaries:
                    rps, p99, cpu, errors = run_one(b, s, seed, args,
                                                    dict(env, BENCH_RUN=f"ab{r}{b[-8:]}"))
                    failed |= errors > 0
                    print(f"| {r} | {s.name} | {b} | {rps:.0f} | {p99:.2f} | {cpu:.0f} | {errors} |",
                          flush=True)
    finally:
        shutil.rmtree(seed.state, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
