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
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal
from pathlib import Path

from .load_client import LATE, Account, Browser, Leaf, Log, Request, Write
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
YEAR = 2031
PASSWORD = "parindex-load-test"
TARGET_MS = 500
BENCH_DATABASE = "parindex_bench_load"


@dataclass
class Scenario:
    year: int
    password: str
    accounts: list[Account]


def _tree(year, block, rng: random.Random) -> list[Leaf]:
    """The shape of bench/workbook.py's trees: 7 evidence areas of criteria with 2–3
    sub-criteria (a rubric leaf, a deduction leaf), and a survey area; about 60 leaves."""
    from criteria.models import Criterion

    def node(code, parent, max_points=Decimal(0), method="", kind="normal", rubric=()):
        return Criterion.objects.create(
            year=year,
            block=block,
            code=code,
            parent=parent,
            name=f"Tiêu chí {code}",
            max_points=max_points,
            method=method,
            kind=kind,
            rubric=list(rubric),
            is_leaf=bool(method),
        )

    leaves = []
    evidence = Criterion.Method.EVIDENCE
    for area_number in range(1, 9):
        area = node(str(area_number), None)
        area_total = Decimal(0)
        for criterion_number in range(1, 3 if area_number == 8 else 4):
            code = f"{area_number}.{criterion_number}"
            criterion = node(code, area)
            total = Decimal(0)
            for leaf_number in range(1, (5 if area_number == 8 else rng.choice((2, 3))) + 1):
                leaf_code = f"{code}.{leaf_number}"
                if area_number == 8:
                    node(leaf_code, criterion, Decimal(1), Criterion.Method.SURVEY)
                    total += 1
                    continue
                if leaf_code == "2.1.1":
                    rubric = [["100", "1.5"], ["90", "1"], ["70", "0.5"], ["0", "0"]]
                    node(leaf_code, criterion, Decimal("1.5"), evidence, rubric=rubric)
                    total += Decimal("1.5")
                    continue
                maximum = rng.choice((Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2)))
                leaf = node(leaf_code, criterion, maximum, evidence)
                step = rng.choice((Decimal("0.125"), Decimal("0.25"), Decimal("0.5")))
                leaves.append(Leaf(leaf.pk, leaf_code, maximum, step))
                total += maximum
            criterion.max_points = total
            criterion.save(update_fields=["max_points"])
            area_total += total
        if area_number == 7:
            deduction = node("7.4", area, Decimal(1), evidence, kind="deduction")
            leaves.append(Leaf(deduction.pk, "7.4", Decimal(1), Decimal("0.25")))
        area.max_points = area_total
        area.save(update_fields=["max_points"])
    return leaves


def scenario_build(*, users: int = USERS, year: int = YEAR, seed: int = YEAR) -> Scenario:
    """A year in self-assessment with `users` units in two blocks, one officer each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
    from django.utils import timezone

    from criteria.models import Participation, Year
    from units.models import Block, Membership, Unit

    rng = random.Random(seed)
    now = timezone.now()
    year_row = Year.objects.create(
        year=year,
        name=f"Chỉ số cải cách hành chính năm {year}",
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=now - timedelta(days=20),
        self_assessment_closes=now + timedelta(days=1),
    )
    # gunicorn runs the production settings (Argon2); a pytest driver hashes with MD5.
    password_hash = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    blocks = {
        "A": ("Sở, ban, ngành tỉnh", "Sở", math.ceil(users * 0.6)),
        "B": ("UBND cấp huyện", "UBND huyện", users - math.ceil(users * 0.6)),
    }
    accounts = []
    for block_code, (block_name, prefix, count) in blocks.items():
        block, _ = Block.objects.get_or_create(code=block_code, defaults={"name": block_name})
        leaves = tuple(_tree(year_row, block, rng))
        for n in range(1, count + 1):
            code = f"{block_code}{n:02d}"
            unit, _ = Unit.objects.get_or_create(
                code=f"T{code}", defaults={"name": f"{prefix} thử tải số {n}", "block": block}
            )
            Participation.objects.create(year=year_row, unit=unit, block=block, name=unit.name)
            user = get_user_model().objects.create(
                username=f"canbo.tai{code.lower()}",
                password=password_hash,
                first_name="Cán bộ",
                last_name=f"Đầu mối {code}",
            )
            Membership.objects.create(user=user, role=Membership.Role.UNIT_OFFICER, unit=unit)
            accounts.append(Account(user.username, unit.code, leaves))
    return Scenario(year=year, password=PASSWORD, accounts=accounts)


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


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def endpoint_stats(requests: list[Request]) -> dict[str, dict]:
    stats: dict[str, dict] = {}
    for endpoint in dict.fromkeys(r.endpoint for r in requests):
        rows = [r for r in requests if r.endpoint == endpoint]
        ms = [r.ms for r in rows]
        stats[endpoint] = {
            "count": len(rows),
            "p50": percentile(ms, 50),
            "p95": percentile(ms, 95),
            "p99": percentile(ms, 99),
            "max": max(ms),
            "5xx": sum(1 for r in rows if r.status >= 500),
            "no answer": sum(1 for r in rows if r.status == 0),
        }
    return stats


@dataclass
class Report:
    deadline: datetime | None
    stats: dict[str, dict]
    writes: dict[str, int]
    server_errors: int
    errors: list[str]
    lost_writes: list[str]
    deadline_violations: list[str]
    cores: dict[str, float]

    @property
    def ok(self) -> bool:
        problems = self.errors or self.lost_writes or self.deadline_violations
        return not (self.server_errors or problems)

    def table(self) -> str:
        lines = [
            f"{'endpoint':<30}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'5xx':>5}",
        ]
        for name, s in self.stats.items():
            lines.append(
                f"{name:<30}{s['count']:>7}{s['p50']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}"
                f"{s['max']:>9.1f}{s['5xx']:>5}"
            )
        deadline = self.deadline.isoformat(timespec="milliseconds") if self.deadline else "none"
        lines.append(
            f"deadline {deadline}; " + ", ".join(f"{k} {v}" for k, v in self.writes.items())
        )
        if self.cores:
            lines.append(
                "cores in use while working (of "
                f"{os.cpu_count()}): " + ", ".join(f"{k} {v}" for k, v in self.cores.items())
            )
        lines.append(
            f"5xx {self.server_errors}; other errors {len(self.errors)}; "
            f"lost writes {len(self.lost_writes)}; "
            f"deadline violations {len(self.deadline_violations)}"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict:
        deadline = self.deadline.isoformat() if self.deadline else None
        return {**vars(self), "deadline": deadline, "ok": self.ok, "table": self.table()}


def _deadline_check(write: Write, deadline: float, message: str) -> str | None:
    """Sent at or after the deadline: refused, saying so. Answered before it: accepted."""
    what = f"{write.user} leaf {write.leaf_pk} {write.kind} ({write.phase})"
    sent = write.sent_at - deadline
    received = write.received_at - deadline
    if write.outcome == "saved" and sent >= 0:
        return f"{what}: sent {sent * 1000:+.0f} ms after the deadline, yet saved"
    if write.outcome == "late" and received < 0:
        return f"{what}: answered {received * 1000:+.0f} ms before the deadline, yet refused"
    if write.outcome == "late" and write.kind == "save" and write.message != message:
        return f"{what}: refused with {write.message!r}, expected {message!r}"
    return None


def load_check(log: Log, *, media_root: Path | None = None) -> Report:
    """Compare the database with what each client sent and was told (ORM, sync)."""
    from django.utils import timezone

    from evidence.models import EvidenceFile, Score
    from evidence.services import deadline_text

    deadline = None
    if log.deadline is not None:
        deadline = datetime.fromtimestamp(log.deadline, tz=dt_timezone.utc)
        late_message = f"{LATE} ({deadline_text(deadline)})."
    errors = [
        f"{r.user} {r.endpoint}: answered {r.status or 'nothing'}"
        for r in log.requests
        if r.status == 0 or r.status >= 400
    ]
    violations = []
    for write in log.writes:
        what = f"{write.user} {write.kind} leaf {write.leaf_pk}"
        if write.outcome == "refused" or (write.outcome == "late" and deadline is None):
            errors.append(f"{what}: refused: {write.message}")
        elif write.outcome == "error" and write.status in (200, 302):
            errors.append(f"{what}: answer not understood")
        elif deadline is not None:
            problem = _deadline_check(write, log.deadline, late_message)
            if problem:
                violations.append(problem)

    # Per leaf, what the database may hold: the last saved value, or a later one whose
    # answer was lost (an error). A user never has two saves of one leaf in flight.
    lost = []
    possible: dict[tuple[str, int], list[tuple]] = {}
    for write in sorted((w for w in log.writes if w.kind == "save"), key=lambda w: w.sent_at):
        key = (write.unit_code, write.leaf_pk)
        states = possible.setdefault(key, [(None, "")])
        if write.outcome == "saved":
            possible[key] = [(write.value, write.note)]
        elif write.outcome == "error":
            states.append((write.value, write.note))
    stored = {
        (unit_code, criterion_id): (self_score, note)
        for unit_code, criterion_id, self_score, note in Score.objects.filter(
            participation__unit__code__in={k[0] for k in possible}
        ).values_list("participation__unit__code", "criterion_id", "self_score", "self_note")
    }
    for key, states in possible.items():
        found = stored.get(key, (None, ""))
        if found not in states:
            lost.append(f"{key[0]} leaf {key[1]}: database {found}, expected one of {states}")

    uploads = [w for w in log.writes if w.kind == "upload"]
    files = {
        (f.participation.unit.code, f.original_name): f
        for f in EvidenceFile.objects.filter(
            original_name__in={w.name for w in uploads}
        ).select_related("participation__unit")
    }
    linked = set(
        Score.evidence.through.objects.filter(evidencefile__in=files.values()).values_list(
            "score__criterion_id", "evidencefile_id"
        )
    )
    for write in uploads:
        stored_file = files.get((write.unit_code, write.name))
        if write.outcome == "saved":
            if stored_file is None or stored_file.sha256 != write.sha256:
                lost.append(f"{write.unit_code}: upload {write.name!r} acknowledged, not stored")
            elif (write.leaf_pk, stored_file.pk) not in linked:
                lost.append(f"{write.unit_code}: upload {write.name!r} not on its leaf")
            elif media_root is not None:
                path = media_root / stored_file.file.name
                if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != (
                    write.sha256
                ):
                    lost.append(f"{write.unit_code}: upload {write.name!r}: bytes missing")
        elif write.outcome == "late" and stored_file is not None:
            lost.append(f"{write.unit_code}: upload {write.name!r} refused, yet stored")

    counts: dict[str, int] = {}
    for write in log.writes:
        key = f"{write.kind}s {write.phase} {write.outcome}"
        counts[key] = counts.get(key, 0) + 1
    counts = dict(sorted(counts.items()))
    return Report(
        deadline=timezone.localtime(deadline) if deadline else None,
        stats=endpoint_stats(log.requests),
        writes=counts,
        server_errors=sum(1 for r in log.requests if r.status >= 500),
        errors=errors,
        lost_writes=lost,
        deadline_violations=violations,
        cores=log.cores,
    )


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
