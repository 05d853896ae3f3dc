"""Visitors never cause rendering (issue 12 item 1): what an anonymous download costs.

The demo (`load_demo`, 2022 published, its documents rendered once by the render job as the
publication does) served as production serves it: nginx (deploy/nginx/, TLS, its cache of
public documents, the stored files it sends itself on gunicorn's X-Accel-Redirect, its rate
cap on /bao-cao/) in front of gunicorn (3 sync workers, DEBUG off, PARINDEX_ACCEL_REDIRECT as
docker-compose.yml sets it). Two figures per run:

- the server CPU (gunicorn's workers and nginx's) of one anonymous download of the year's
  zip, beside that of one static file through the same nginx and gunicorn (WhiteNoise): the
  ratio says a download is a copy of a stored file, not a render (the 33 documents take
  seconds to render);
- the login page's p95 while 10 anonymous clients download the zip in a loop, beside its p95
  alone in the same run (target ≤ 1.5×).

Server CPU is user + system time from /proc, before and after.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from . import table
from .pages import django_env  # the same production-like environment as the page benchmark
from .servers import NGINX, Gunicorn, Nginx

REPO = Path(__file__).resolve().parent.parent
RUNS = 3
DOWNLOADS = 20
STATIC = 200
LOGINS = 100
CLIENTS = 10
ZIP = "/bao-cao/2022/tron-bo.zip"
STATIC_FILE = "/static/css/parindex.css"


def children(pid: int) -> set[int]:
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def server_cpu(servers) -> float:
    """CPU seconds of every process of the servers (masters and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    pids = set()
    for server in servers:
        pids |= {server.pid} | children(server.pid)
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def cpu_per_request(servers, client: httpx.Client, path: str, count: int) -> float:
    """Milliseconds of server CPU per request of `path`."""
    before = server_cpu(servers)
    for _ in range(count):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return (server_cpu(servers) - before) * 1000 / count


def login_p95(client: httpx.Client) -> float:
    samples = []
    for _ in range(LOGINS):
        started = time.perf_counter()
        client.get("/dang-nhap/")
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(samples, n=20)[-1]


def client_for(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=120, verify=False)


def login_p95_under_downloads(url: str) -> float:
    stop = threading.Event()

    def visitor():
        with client_for(url) as client:
            while not stop.is_set():
                client.get(ZIP)

    visitors = [threading.Thread(target=visitor) for _ in range(CLIENTS)]
    for thread in visitors:
        thread.start()
    time.sleep(1)
    try:
        with client_for(url) as client:
            return login_p95(client)
    finally:
        stop.set()
        for thread in visitors:
            thread.join()


def demo_prepared(tmp: Path) -> Path:
    database = tmp / "demo.sqlite3"
    env = django_env(tmp, database)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["load_demo"],
        ["render_reports", "--year", "2022", "--out", str(tmp / "out")],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return database


def bench_rows(runs: int = RUNS) -> list[dict]:
    if not NGINX.exists():
        from .run import Skipped

        raise Skipped("Debian's nginx is not installed (apt-get install nginx)")
    print(f"downloads: {runs} runs; {DOWNLOADS} zips, {STATIC} static files, {LOGINS} logins")
    zip_cpu, static_cpu, alone, loaded = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="parindex-downloads-") as tmp:
        tmp = Path(tmp)
        database = demo_prepared(tmp)
        env = django_env(tmp, database)
        server = Gunicorn(
            tmp,
            database_url=env["DATABASE_URL"],
            media_root=tmp / "media",
            accel_redirect=True,
            env={"DJANGO_SECRET_KEY": env["DJANGO_SECRET_KEY"], "PARINDEX_PROXY_COUNT": "1"},
        )
        proxy = Nginx(
            tmp, upstream=f"127.0.0.1:{server.port}", media_root=server.media_root, workers=2
        )
        with server, proxy:
            servers = (server, proxy)
            with client_for(proxy.url) as client:
                for path in (ZIP, STATIC_FILE):  # warm up every worker and the cache
                    for _ in range(6):
                        client.get(path)
                for _run in range(runs):
                    zip_cpu.append(cpu_per_request(servers, client, ZIP, DOWNLOADS))
                    static_cpu.append(cpu_per_request(servers, client, STATIC_FILE, STATIC))
                    alone.append(login_p95(client))
                    loaded.append(login_p95_under_downloads(proxy.url))
    return [
        table.row(
            "anonymous zip download: server CPU per request",
            "ms",
            zip_cpu,
            "a static file through the same nginx and gunicorn",
            static_cpu,
        ),
        table.row(
            f"login page p95 while {CLIENTS} visitors download the zip",
            "ms",
            loaded,
            "login page p95 alone, same run",
            alone,
            "≤ 1.5×",
        ),
    ]


if __name__ == "__main__":
    print(table.markdown_table(bench_rows()))
