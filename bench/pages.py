"""Page latency on the demo: the p95 of 100 sequential requests to each main page, per run.

Each run is a fresh process on a copy of one demo database (migrated, `load_demo`), DEBUG
off; every page is requested through Django's full stack (middleware, sessions, templates,
the database) by the Django test client, as the user who would open it, after one warm-up
request. Baseline: the login page in the same process and run, the fixed cost of a request
through the same stack (no query, a small template), so ratios compare across machines.
Target (issue 3): p95 ≤ 300 ms on every page, on a 2-core machine. The figure is the median
over runs of each run's p95.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import table

REPO = Path(__file__).resolve().parent.parent
RUNS = 3
REQUESTS = 100  # per page and run; 3 runs keep the whole `make bench` near 15 min
TARGET = "p95 ≤ 300 ms"
BASELINE = ("login page", None, "/dang-nhap/")

# (label, user or None, path)
PAGES = [
    ("public home", None, "/"),
    ("public ranking 2022", None, "/ket-qua/2022/"),
    ("public unit page", None, "/ket-qua/2022/A18/"),
    ("results API 2022", None, "/api/years/2022/results"),
    ("unit officer: home", "canbo.yte", "/"),
    ("unit officer: self-assessment tree", "canbo.yte", "/tu-danh-gia/"),
    ("appraiser: queue 2026", "thamdinh.tuphap", "/tham-dinh/2026/"),
    ("council: results 2022", "hoidong", "/tham-dinh/hoi-dong/2022/"),
    ("Nội vụ: survey dashboard 2022", "noivu", "/dieu-tra/2022/"),
    ("Nội vụ: audit trail", "noivu", "/nhat-ky/"),
]


def measure(requests: int) -> dict[str, list[float]]:
    """Inside a process on the demo database: milliseconds of every request, by page."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = {u.username: u for u in get_user_model().objects.all()}
    timings: dict[str, list[float]] = {}
    for label, username, path in [BASELINE, *PAGES]:
        client = Client(HTTP_HOST="127.0.0.1")
        if username:
            client.force_login(users[username])
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        timings[label] = samples
    return timings


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def django_env(tmp: Path, database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="parindex.settings",
        PARINDEX_MEDIA_ROOT=str(tmp / "media"),
    )
    return env


def bench_rows(runs: int = RUNS, requests: int = REQUESTS) -> list[dict]:
    print(f"pages: {len(PAGES)} pages and the login page, {requests} requests each, {runs} runs")
    p95s: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="parindex-pages-") as tmp:
        tmp = Path(tmp)
        template = tmp / "demo.sqlite3"
        for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=REPO,
                env=django_env(tmp, template),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        for run in range(runs):
            database = tmp / f"run{run}.sqlite3"
            shutil.copy(template, database)
            result = subprocess.run(
                [sys.executable, "-m", "bench.pages", "--measure", str(requests)],
                cwd=REPO,
                env=django_env(tmp, database),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise RuntimeError(result.stdout + result.stderr)
            for label, samples in json.loads(result.stdout.splitlines()[-1]).items():
                p95s.setdefault(label, []).append(p95(samples))
            database.unlink()
    baseline = f"{BASELINE[0]} p95, same process"
    return [
        table.row(f"page p95: {label}", "ms", p95s[label], baseline, p95s[BASELINE[0]], TARGET)
        for label, _user, _path in PAGES
    ]


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(json.dumps(measure(int(sys.argv[sys.argv.index("--measure") + 1]))))
    else:
        print(table.markdown_table(bench_rows()))
