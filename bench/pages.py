"""Page latency on the demo: p50/p95 of 200 sequential requests to each main page.

Each page is requested through Django's full stack (middleware, sessions, templates, the
database) in one process, with DEBUG off, as the user who would open it. The baseline is
the login page, measured in the same run: the fixed cost of a request, so the ratios
compare across machines. Target (issue 3): p95 under 300 ms on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REQUESTS = 200
TARGET_MS = 300

# (label, user or None, path)
PAGES = [
    ("baseline: login page", None, "/dang-nhap/"),
    ("public home", None, "/"),
    ("public ranking 2022", None, "/ket-qua/2022/"),
    ("public unit page", None, "/ket-qua/2022/A18/"),
    ("results API 2022", None, "/api/years/2022/results"),
    ("unit officer: home", "canbo.yte", "/"),
    ("unit officer: self-assessment tree", "canbo.yte", "/tu-danh-gia/"),
    ("appraiser: queue 2023", "thamdinh.tuphap", "/tham-dinh/2023/"),
    ("council: results 2022", "hoidong", "/tham-dinh/hoi-dong/2022/"),
    ("Nội vụ: survey dashboard 2022", "noivu", "/dieu-tra/2022/"),
    ("Nội vụ: audit trail", "noivu", "/nhat-ky/"),
]


def measure() -> dict[str, list[float]]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    users = {u.username: u for u in get_user_model().objects.all()}
    timings: dict[str, list[float]] = {}
    for label, username, path in PAGES:
        client = Client(HTTP_HOST="127.0.0.1")
        if username:
            client.force_login(users[username])
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        samples = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        timings[label] = samples
    return timings


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def run() -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="parindex-pages-") as tmp:
        env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        env.update(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SETTINGS_MODULE="parindex.settings",
            PARINDEX_MEDIA_ROOT=str(Path(tmp) / "media"),
        )
        result = subprocess.run(
            [sys.executable, "-m", "bench.pages", "--measure"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(result.stdout + result.stderr)
        return json.loads(result.stdout.splitlines()[-1])


def report(timings: dict[str, list[float]]) -> None:
    baseline = p95(timings[PAGES[0][0]])
    print(f"Pages on the demo: {REQUESTS} sequential requests each, full Django stack, DEBUG off")
    print(f"{'page':<40}{'p50 ms':>9}{'p95 ms':>9}{'× base':>9}")
    worst = 0.0
    for label, _user, _path in PAGES:
        samples = timings[label]
        worst = max(worst, p95(samples))
        print(
            f"{label:<40}{statistics.median(samples):>9.1f}{p95(samples):>9.1f}"
            f"{p95(samples) / baseline:>9.2f}"
        )
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"target p95 < {TARGET_MS} ms on every page: {verdict} (worst {worst:.1f} ms)")


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
    else:
        report(run())
