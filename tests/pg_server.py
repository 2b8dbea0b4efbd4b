#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 server for the test suites (Debian's postgresql-15 package):

  pg_server.py start STATE_DIR [--durable]   initdb in STATE_DIR, start on a free port, write
                                             STATE_DIR/url; --durable keeps fsync on (benchmarks)
  pg_server.py stop STATE_DIR    stop it and remove STATE_DIR
  pg_server.py exec STATE_DIR CMD...   run CMD with CERTREG_TEST_PG_URL set to its database

No existing server or password is used: the cluster trusts local connections of its own user.
When run as root, the server runs as the `postgres` system user (PostgreSQL refuses root).
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import time


def bindir():
    for d in ["/usr/lib/postgresql/15/bin"]:
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    if out.returncode == 0 and os.path.exists(os.path.join(out.stdout.strip(), "initdb")):
        return out.stdout.strip()
    sys.exit("pg_server: PostgreSQL 15 server binaries not found (apt-get install postgresql-15)")


def as_server_user(cmd):
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--"] + cmd


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(state, durable=False):
    if os.path.exists(os.path.join(state, "url")):
        stop(state)
    os.makedirs(state, exist_ok=True)
    data, sock = os.path.join(state, "data"), os.path.join(state, "sock")
    os.makedirs(sock, exist_ok=True)
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        for d in (state, sock):
            os.chown(d, pg.pw_uid, pg.pw_gid)
    b = bindir()
    subprocess.run(as_server_user([os.path.join(b, "initdb"), "-D", data, "-U", "certreg",
                                   "-A", "trust", "-E", "UTF8", "--no-locale", "-N"]),
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    opts = f"-p {port} -c listen_addresses=127.0.0.1 -k {sock} -c max_connections=300"
    if durable:
        # Benchmarks: commits as durable as SQLite's default, and room to cache a million rows.
        opts += " -c shared_buffers=256MB"
    else:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB"
    subprocess.run(as_server_user([os.path.join(b, "pg_ctl"), "-D", data, "-l",
                                   os.path.join(state, "server.log"), "-o", opts, "-w", "-t", "60",
                                   "start"]), check=True, stdout=subprocess.DEVNULL)
    url = f"postgresql://certreg@127.0.0.1:{port}/"
    with open(os.path.join(state, "url"), "w") as f:
        f.write(url)
    print(url)


def stop(state):
    data = os.path.join(state, "data")
    if os.path.exists(data):
        subprocess.run(as_server_user([os.path.join(bindir(), "pg_ctl"), "-D", data, "-m", "immediate",
                                       "-w", "stop"]), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    shutil.rmtree(state, ignore_errors=True)


def run(state, cmd):
    with open(os.path.join(state, "url")) as f:
        url = f.read().strip()
    env = dict(os.environ, CERTREG_TEST_PG_URL=url + "postgres")
    return subprocess.run(cmd, env=env).returncode


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "exec":
        sys.exit(run(os.path.abspath(sys.argv[2]), sys.argv[3:]))
    if len(sys.argv) == 4 and sys.argv[1] == "start" and sys.argv[3] == "--durable":
        start(os.path.abspath(sys.argv[2]), durable=True)
    elif len(sys.argv) == 3 and sys.argv[1] in ("start", "stop"):
        (start if sys.argv[1] == "start" else stop)(os.path.abspath(sys.argv[2]))
    else:
        sys.exit(__doc__)
