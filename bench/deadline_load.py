"""Deadline load: unit officers scoring and uploading through gunicorn until the window closes.

The scenario (issue 6): USERS unit officers, each of their own unit and with their own
login, work for DURATION seconds: open a leaf, think, save a score and an explanation
(the htmx autosave), sometimes upload a small PDF or go back to the tree, think again.
Think time is 0.5–2 s, uniform, between steps: a person reading the page and typing. The
self-assessment window closes DURATION s after the logins; then DEADLINE_USERS of them
fire BURST_SAVES saves each, at instants spread uniformly over the last second before the
deadline and the first half second after it.

Each officer is a `Browser` (bench/load_client.py): every request is timed per endpoint,
every save and upload is kept with what the client sent, when (wall clock, the server's
own: both run on this machine) and what the server answered. Afterwards the database is
compared with the answers:
- no lost write: each leaf holds the last value and note the server said it saved (a save
  answered with an error may or may not have landed; none is expected under load);
- the deadline: a save sent at or after it is refused with "Đã hết thời hạn tự đánh giá
  (…)" and not stored; a save whose answer arrived before it was accepted. Saves in flight
  across the deadline may go either way, but the database must agree with the answer;
- zero 5xx, no transport error, no other refusal.

`python -m bench.deadline_load` runs it on a database of its own (created and dropped on
the PostgreSQL of bench.servers.POSTGRES) behind its own gunicorn and prints the table;
`bench_rows(runs)` gives the benchmark table's rows, each run in a fresh process, with
one user alone on the same server as the baseline. The tests drive the same code against
the test database (tests/parindex/test_deadline_load.py).

    load_scenario.py  the year, its trees and the officers' logins
    load_client.py    an officer's browser, timing and logging every request
    load_report.py    the database checked against the log; latency per endpoint
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path

from .load_client import Account, Browser, Leaf, Log
from .load_report import load_check
from .load_scenario import Scenario, scenario_build
from .servers import REPO, cores_between, cpu_seconds

USERS = 50
DEADLINE_USERS = 30
DURATION = 120.0
BURST_SAVES = 3
BURST_BEFORE, BURST_AFTER = 1.0, 0.5  # seconds around the deadline
BURST = " (deadline burst)"  # the endpoint name of those saves: "score save (deadline burst)"
THINK = (0.5, 2.0)
UPLOAD_SHARE = 0.15  # of the cycles
TREE_SHARE = 0.1
LOGIN_CONCURRENCY = 4  # people do not all press "Đăng nhập" in the same millisecond
ALONE_CYCLES = 100
TARGET_MS = 500
BENCH_DATABASE = "parindex_bench_load"


def deadline_set(year: int, closes: datetime) -> None:
    """Close the year's self-assessment window at `closes` (run outside the event loop)."""
    from django.db import connection

    from criteria.models import Year

    try:
        Year.objects.filter(year=year).update(self_assessment_closes=closes)
    finally:
        connection.close()


async def think(rng: random.Random, until: float) -> bool:
    """Wait like a person would; False once the phase is over."""
    await asyncio.sleep(max(0.0, min(rng.uniform(*THINK), until - time.time())))
    return time.time() < until


async def work(browser: Browser, rng: random.Random, until: float, phase: str = "load") -> None:
    """Cycles of open a leaf, save it, sometimes upload or look at the tree, until `until`."""
    while time.time() < until:
        leaf = rng.choice(browser.account.leaves)
        await browser.open_leaf(leaf)
        if not await think(rng, until):
            return
        await browser.save(leaf, rng, phase)
        if rng.random() < UPLOAD_SHARE:
            if not await think(rng, until):
                return
            await browser.upload(leaf, phase)
        if rng.random() < TREE_SHARE:
            if not await think(rng, until):
                return
            await browser.tree()
        await think(rng, until)


async def burst(browser: Browser, rng: random.Random, deadline: float) -> None:
    """BURST_SAVES saves on distinct leaves at random instants around the deadline."""
    leaves = rng.sample(browser.account.leaves, BURST_SAVES)

    async def save_at(at: float, leaf: Leaf) -> None:
        await asyncio.sleep(max(0.0, at - time.time()))
        await browser.save(leaf, rng, "deadline", endpoint="score save" + BURST)

    instants = [deadline + rng.uniform(-BURST_BEFORE, BURST_AFTER) for _ in leaves]
    await asyncio.gather(*(save_at(at, leaf) for at, leaf in zip(instants, leaves, strict=True)))


async def logins(base_url: str, scenario: Scenario, log: Log, accounts=None) -> list[Browser]:
    gate = asyncio.Semaphore(LOGIN_CONCURRENCY)
    browsers = [
        Browser(base_url, account, scenario.password, log)
        for account in (accounts or scenario.accounts)
    ]

    async def login(browser: Browser) -> None:
        async with gate:
            await browser.login()

    await asyncio.gather(*(login(browser) for browser in browsers))
    return browsers


async def load_run(
    base_url: str,
    scenario: Scenario,
    *,
    duration: float = DURATION,
    deadline_users: int = DEADLINE_USERS,
    seed: int = 1,
    accounts: list[Account] | None = None,
) -> Log:
    """Log everyone in, close the window `duration` s later, work until just before it, then
    the burst around it. The deadline falls on a whole second: the window compares instants
    (Year.window_is_open), whatever precision the admin form offers."""
    log = Log()
    browsers = await logins(base_url, scenario, log, accounts)
    try:
        deadline = math.ceil(time.time() + duration + BURST_BEFORE)
        log.deadline = deadline
        closes = datetime.fromtimestamp(deadline, tz=dt_timezone.utc)
        await asyncio.to_thread(deadline_set, scenario.year, closes)
        rngs = [random.Random(seed * 1000 + n) for n in range(len(browsers))]
        work_until = deadline - BURST_BEFORE - 0.3
        started = (time.monotonic(), *cpu_seconds())

        async def measure_cpu() -> None:
            await asyncio.sleep(max(0.0, work_until - time.time()))
            log.cores = cores_between(started)

        async def officer(n: int, browser: Browser) -> None:
            # Starts spread over a think time: people do not act in lockstep.
            await asyncio.sleep(rngs[n].uniform(*THINK))
            await work(browser, rngs[n], work_until)
            if n < deadline_users:
                await burst(browser, rngs[n], deadline)

        await asyncio.gather(measure_cpu(), *(officer(n, b) for n, b in enumerate(browsers)))
    finally:
        await asyncio.gather(*(browser.close() for browser in browsers))
    return log


async def warm_up(base_url: str, scenario: Scenario, accounts: list[Account]) -> None:
    """Concurrent page views, so that every gunicorn worker has served (a worker's first
    requests load URLconf, templates and translations) before anything is timed."""
    browsers = await logins(base_url, scenario, Log(), accounts)
    try:
        for _ in range(3):
            await asyncio.gather(*(b.open_leaf(b.account.leaves[0]) for b in browsers))
            await asyncio.gather(*(b.tree() for b in browsers))
    finally:
        await asyncio.gather(*(b.close() for b in browsers))


async def alone_run(base_url: str, scenario: Scenario, account: Account, cycles: int) -> Log:
    """One user on an idle server, no think time: the baseline of the same machine."""
    log = Log()
    (browser,) = await logins(base_url, scenario, log, [account])
    rng = random.Random(7)
    try:
        for n in range(cycles):
            leaf = account.leaves[n % len(account.leaves)]
            await browser.open_leaf(leaf)
            await browser.save(leaf, rng, "alone")
            if n % 10 == 0:
                await browser.upload(leaf, "alone")
    finally:
        await browser.close()
    return log


# The benchmark: a database and a gunicorn of its own, in a fresh process per run.


def bench_once(duration: float = DURATION, users: int = USERS) -> dict:
    """One run in this process: its own database, its own gunicorn; both gone afterwards."""
    from .servers import Gunicorn, database_create, database_drop

    database_url = database_create(BENCH_DATABASE)
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="parindex.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    os.environ.pop("REDIS_URL", None)  # nothing here enqueues a job
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", "--noinput", verbosity=0)
        scenario = scenario_build(users=users + 1)
        alone_account = scenario.accounts.pop()
        connections.close_all()
        with tempfile.TemporaryDirectory(prefix="parindex-load-") as tmp:
            with Gunicorn(Path(tmp), database_url=database_url) as server:
                try:
                    asyncio.run(warm_up(server.url, scenario, scenario.accounts[:6]))
                    alone = asyncio.run(
                        alone_run(server.url, scenario, alone_account, ALONE_CYCLES)
                    )
                    log = asyncio.run(load_run(server.url, scenario, duration=duration))
                except Exception:
                    print(server.log()[-10000:], file=sys.stderr)
                    raise
                alone_report = load_check(alone, media_root=server.media_root)
                report = load_check(log, media_root=server.media_root)
        connections.close_all()
    finally:
        database_drop(BENCH_DATABASE)
    return {
        "gunicorn": {"workers": server.workers, "threads": server.threads},
        "users": users,
        "duration": duration,
        "alone": alone_report.as_dict(),
        "load": report.as_dict(),
    }


TARGET = f"< {TARGET_MS} ms"
ROWS = [  # (figure, endpoint, statistic, target); the baseline is the same endpoint alone
    ("score save p50 under deadline load (50 users)", "score save", "p50", None),
    ("score save p95 under deadline load (50 users)", "score save", "p95", TARGET),
    ("score save p99 under deadline load (50 users)", "score save", "p99", None),
    (
        "score save p95 in the deadline's last second (30 users)",
        "score save" + BURST,
        "p95",
        TARGET,
    ),
    ("leaf page p95 under deadline load (50 users)", "leaf page", "p95", None),
    ("upload p95 under deadline load (50 users)", "upload", "p95", None),
]


def bench_rows(runs: int = 1, *, duration: float = DURATION) -> list[dict]:
    """The benchmark table's rows; each run is a fresh process (`--json`), ~3 min each."""
    results = []
    for _ in range(runs):
        finished = subprocess.run(
            [sys.executable, "-m", "bench.deadline_load", "--json", "--duration", str(duration)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if finished.returncode:
            raise RuntimeError(f"deadline load failed:\n{finished.stdout}\n{finished.stderr}")
        results.append(json.loads(finished.stdout.splitlines()[-1]))
    return [
        {
            "figure": figure,
            "unit": "ms",
            "runs": [r["load"]["stats"][endpoint][statistic] for r in results],
            "baseline_name": f"{endpoint.removesuffix(BURST)} {statistic}, one user alone",
            "baseline_runs": [
                r["alone"]["stats"][endpoint.removesuffix(BURST)][statistic] for r in results
            ],
            "target": target,
        }
        for figure, endpoint, statistic, target in ROWS
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DURATION)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--json", action="store_true", help="one line of JSON (bench_rows)")
    args = parser.parse_args()
    result = bench_once(args.duration, args.users)
    alone, load = result["alone"], result["load"]
    if args.json:
        print(json.dumps(result, default=str))
    else:
        print(f"{args.users} users for {args.duration:.0f} s; gunicorn {result['gunicorn']}")
        print(f"\none user alone, {ALONE_CYCLES} cycles without think time:\n{alone['table']}")
        print(f"\nunder load:\n{load['table']}")
        for report in (alone, load):
            print(*report["errors"], *report["lost_writes"], *report["deadline_violations"])
    return 0 if alone["ok"] and load["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
