"""Renders: a year's documents with a pool of job processes, beside a plain WeasyPrint page.

Two sets: the demo's 2022 (33 documents: 30 annexes, the summary, the report as PDF and
DOCX) and a generated block of 170 communes (170 annexes, the summary, the report). Each
run renders a set from a fresh copy of its database (nothing rendered yet) in its own
process; the render jobs are the real Celery tasks (`render_document_task`), applied in a
pool of worker processes (one per core) as a Celery worker's prefork pool would run them,
on PostgreSQL (production's database: SQLite, with one writer at a time, never has a pool
of workers; it is used only when PostgreSQL is not reachable, and the rows say so).
Baseline, in the same process just before: the floor, WeasyPrint rendering a plain
one-page HTML in the same font (Tinos, A4) with nothing of ours (median of 7, after a warm
one). Also the reference page (`reports.documents.reference_pdf`: a one-page document
through our template, CSS and fetcher) against that floor: the fixed cost of our pipeline.
The 170-commune set takes minutes a run, so it has fewer runs. No published target.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import table
from .servers import manage

REPO = Path(__file__).resolve().parent.parent
COMMUNES = 170
RUNS = 3
COMMUNE_RUNS = 2  # about 150 s a run on 2 cores
PAGE_SAMPLES = 7
FLOOR_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face { font-family: "Tinos"; src: url("fonts/Tinos-Regular.ttf"); }
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Tinos"; font-size: 14pt; }
</style></head><body><h1>TRANG MẪU</h1>
<p>Ủy ban nhân dân tỉnh: một trang văn bản hành chính, phông chữ Tinos, khổ A4.</p>
</body></html>"""


def floor_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=FLOOR_HTML, base_url=(REPO / "static").as_uri() + "/").write_pdf()


def page_median(render) -> float:
    """Seconds: the median of PAGE_SAMPLES renders, after one to load fonts and templates."""
    render()
    samples = []
    for _ in range(PAGE_SAMPLES):
        started = time.perf_counter()
        render()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


class Databases:
    """A database per set, copied fresh for each run: PostgreSQL databases copied with
    CREATE DATABASE … TEMPLATE when PostgreSQL answers, else SQLite files."""

    prefix = "parindex_bench_render"

    def __init__(self, folder: Path):
        self.folder = folder
        self.postgres = "not reachable" not in table.postgres_version()
        self.created: list[str] = []
        self.engine = "PostgreSQL" if self.postgres else "SQLite"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(table.POSTGRES, autocommit=True, connect_timeout=5) as admin:
            for statement in statements:
                admin.execute(statement)

    def create(self, name: str, template: str | None = None) -> str:
        """A fresh database `name` (a copy of `template`'s), and its URL."""
        if not self.postgres:
            path = self.folder / f"{name}.sqlite3"
            path.unlink(missing_ok=True)
            if template:
                shutil.copy(self.folder / f"{template}.sqlite3", path)
            return f"sqlite:///{path}"
        database = f"{self.prefix}_{name}"
        copy = f" TEMPLATE {self.prefix}_{template}" if template else ""
        self._admin(
            f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            f"CREATE DATABASE {database}{copy}",
        )
        self.created.append(database)
        return f"{table.POSTGRES.rsplit('/', 1)[0]}/{database}"

    def drop_all(self) -> None:
        if self.postgres and self.created:
            self._admin(*(f"DROP DATABASE IF EXISTS {d} WITH (FORCE)" for d in set(self.created)))


def django_env(database_url: str, media: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="parindex.settings",
        PARINDEX_MEDIA_ROOT=str(media),
    )
    return env


def commune_workbook(path: Path, communes: int) -> tuple[Path, int]:
    """The bench year workbook with one block of `communes` UBND cấp xã."""
    from . import workbook

    blocks = {"C": ("UBND cấp xã, phường", communes, "UBND xã", "Chủ tịch UBND xã")}
    sheets = workbook.year_sheets(answers=communes * 400, blocks=blocks)
    return workbook.workbook_save(sheets, path), workbook.YEAR


def _render_one(args: tuple[int, int, str, str]) -> float:
    from django.db import connection

    from reports.tasks import render_document_task

    connection.close()  # a forked child must not share its parent's connection
    started = time.perf_counter()
    render_document_task.apply(args=args)
    return time.perf_counter() - started


def measure(year_number: int, workers: int) -> dict:
    """Inside the process whose DATABASE_URL points at the set's database."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from criteria.models import Year
    from kernel.jobs import job_create
    from kernel.models import Job
    from reports.documents import reference_pdf
    from reports.models import RenderedFile
    from reports.services import stale_specs

    floor = page_median(floor_pdf)
    reference = page_median(reference_pdf)

    year = Year.objects.get(year=year_number)
    started = time.perf_counter()
    specs, stale = stale_specs(year)
    job = job_create(kind=Job.Kind.RENDER, year=year.year)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        total=len(specs),
        done=len(specs) - len(stale),
    )
    dispatch = time.perf_counter() - started
    connection.close()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        per_document = list(
            pool.map(_render_one, [(job.pk, year.pk, s.kind, s.key) for s in stale])
        )
    wall = dispatch + time.perf_counter() - started
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        raise RuntimeError(f"render job ended {job.status}: {job.message}")
    annexes = RenderedFile.objects.filter(year=year, kind=RenderedFile.Kind.ANNEX)
    pages_ms = sorted(annexes.values_list("render_ms", flat=True))
    return {
        "documents": len(stale),
        "annexes": annexes.count(),
        "workers": workers,
        "floor": floor,
        "reference": reference,
        "wall": wall,
        "document_mean": statistics.mean(per_document),
        "annex_median": statistics.median(pages_ms) / 1000 if pages_ms else 0.0,
        "report_seconds": RenderedFile.objects.get(year=year, kind="report").render_ms / 1000,
    }


def bench_rows(
    *,
    runs: int = RUNS,
    commune_runs: int = COMMUNE_RUNS,
    communes: int = COMMUNES,
    workers: int | None = None,
) -> list[dict]:
    workers = workers or os.cpu_count() or 2
    print(
        f"reports: demo 2022 × {runs} runs, {communes} communes × {commune_runs}, "
        f"{workers} worker processes"
    )
    sets = {"demo": runs, "communes": commune_runs}
    results, engine = sets_measure(sets, communes=communes, workers=workers)
    return _rows(results, engine=engine, communes=communes, workers=workers)


def sets_measure(
    sets: dict[str, int], *, communes: int, workers: int
) -> tuple[dict[str, list[dict]], str]:
    """({set: one result per run}, the database engine): the demo's 2022 and the communes'
    year built once each, then every run rendered from a fresh copy in its own process."""
    results: dict[str, list[dict]] = {"demo": [], "communes": []}
    with tempfile.TemporaryDirectory(prefix="parindex-bench-reports-") as tmp:
        tmp = Path(tmp)
        databases = Databases(tmp)
        print(f"reports: on {databases.engine}")
        try:
            base = databases.create("base")
            manage(django_env(base, tmp / "media-base"), "migrate", "--noinput", "-v", "0")
            demo_env = django_env(databases.create("demo", "base"), tmp / "media-demo")
            manage(demo_env, "load_demo")
            workbook, year = commune_workbook(tmp / "communes.xlsx", communes)
            commune_env = django_env(databases.create("communes", "base"), tmp / "media-communes")
            manage(commune_env, "import_year", str(workbook))
            manage(commune_env, "compute_results", "--year", str(year))
            runs = [("demo", 2022)] * sets["demo"] + [("communes", year)] * sets["communes"]
            for name, year_number in runs:
                results[name].append(_run_measure(databases, tmp, name, year_number, workers))
        finally:
            databases.drop_all()
    return results, databases.engine


def _run_measure(databases: Databases, tmp: Path, name: str, year: int, workers: int) -> dict:
    """One run of a set, in a fresh process on a fresh copy of its database and media."""
    database, media = databases.create("run", name), tmp / "media-run"
    shutil.rmtree(media, ignore_errors=True)
    if (tmp / f"media-{name}").exists():
        shutil.copytree(tmp / f"media-{name}", media)
    process = subprocess.run(
        [sys.executable, "-m", "bench.reports", "--measure", str(year), "--workers", str(workers)],
        cwd=REPO,
        env=django_env(database, media),
        capture_output=True,
        text=True,
    )
    if process.returncode:
        raise RuntimeError(process.stdout + process.stderr)
    return json.loads(process.stdout.splitlines()[-1])


def _rows(results: dict[str, list[dict]], *, engine: str, communes: int, workers: int) -> list:
    demo, commune = results["demo"], results["communes"]
    floor = "WeasyPrint plain page, Tinos"
    rows = [
        table.row(
            "render: reference page, our pipeline",
            "ms",
            [r["reference"] * 1000 for r in demo],
            floor,
            [r["floor"] * 1000 for r in demo],
        )
    ]

    def add(figure: str, key: str, sets: list[dict]) -> None:
        rows.append(
            table.row(figure, "s", [r[key] for r in sets], floor, [r["floor"] for r in sets])
        )

    if demo:
        documents = demo[0]["documents"]
        add(f"render: demo 2022, {documents} documents, {workers} workers, {engine}", "wall", demo)
        add("render: demo 2022, an annex (median in the job)", "annex_median", demo)
        add("render: demo 2022, report.pdf", "report_seconds", demo)
    if commune:
        documents = commune[0]["documents"]
        add(
            f"render: {communes} communes, {documents} documents, {workers} workers, {engine}",
            "wall",
            commune,
        )
        add(f"render: {communes} communes, report.pdf", "report_seconds", commune)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--commune-runs", type=int, default=COMMUNE_RUNS)
    parser.add_argument("--communes", type=int, default=COMMUNES)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers or os.cpu_count() or 2)))
        return 0
    rows = bench_rows(
        runs=args.runs,
        commune_runs=args.commune_runs,
        communes=args.communes,
        workers=args.workers,
    )
    print(table.markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
