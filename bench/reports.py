"""`python -m bench.reports`: render a year's documents with a pool of job processes.

Two sets: the demo's 2022 (33 documents: 30 annexes, the summary, the report as PDF and
DOCX) and a generated block of 170 communes (170 annexes, the summary, the report). Each
set runs in a fresh SQLite database in its own process; the render jobs are the real
Celery tasks (`render_document_task`), applied in a pool of worker processes as a Celery
worker's prefork pool would run them. Every figure stands beside the fixed cost: the
median time of rendering a one-page reference document through the same pipeline.
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

REPO = Path(__file__).resolve().parent.parent
COMMUNES = 170
REFERENCE_RUNS = 7


def django_env(database: Path, media: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="parindex.settings",
        PARINDEX_MEDIA_ROOT=str(media),
    )
    return env


def commune_workbook(path: Path, communes: int) -> tuple[Path, int]:
    """The bench year workbook with one block of `communes` UBND cấp xã."""
    from . import workbook

    blocks = workbook.BLOCKS
    workbook.BLOCKS = {"C": ("UBND cấp xã, phường", communes, "UBND xã", "Chủ tịch UBND xã")}
    try:
        sheets = workbook.year_sheets(answers=communes * 400)
    finally:
        workbook.BLOCKS = blocks
    sheets["rules"] = [sheets["rules"][0]]  # its rules name the two default blocks
    return workbook.workbook_save(sheets, path), workbook.YEAR


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


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
    from parindex.jobs import job_create
    from parindex.models import Job
    from reports.documents import reference_pdf
    from reports.models import RenderedFile
    from reports.services import stale_specs

    reference_pdf()  # fonts and templates loaded once, as in a warm worker
    references = []
    for _ in range(REFERENCE_RUNS):
        started = time.perf_counter()
        reference_pdf()
        references.append(time.perf_counter() - started)
    reference = statistics.median(references)

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
        "reference": reference,
        "wall": wall,
        "document_mean": statistics.mean(per_document),
        "annex_median": statistics.median(pages_ms) / 1000 if pages_ms else 0.0,
        "report_seconds": RenderedFile.objects.get(year=year, kind="report").render_ms / 1000,
    }


def run(*, communes: int = COMMUNES, workers: int | None = None) -> dict:
    workers = workers or os.cpu_count() or 2
    results = {}
    with tempfile.TemporaryDirectory(prefix="parindex-bench-reports-") as tmp:
        tmp = Path(tmp)
        sets = {}
        demo_env = django_env(tmp / "demo.sqlite3", tmp / "media-demo")
        manage(demo_env, "migrate", "--noinput", "-v", "0")
        manage(demo_env, "load_demo")
        sets["demo 2022 (30 units, 2 blocks)"] = (demo_env, 2022)
        workbook, year = commune_workbook(tmp / "communes.xlsx", communes)
        commune_env = django_env(tmp / "communes.sqlite3", tmp / "media-communes")
        manage(commune_env, "migrate", "--noinput", "-v", "0")
        manage(commune_env, "import_year", str(workbook))
        manage(commune_env, "compute_results", "--year", str(year))
        sets[f"{communes} communes (1 block)"] = (commune_env, year)
        for name, (env, year_number) in sets.items():
            process = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.reports",
                    "--measure",
                    str(year_number),
                    "--workers",
                    str(workers),
                ],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
            )
            if process.returncode:
                raise RuntimeError(process.stdout + process.stderr)
            results[name] = json.loads(process.stdout.splitlines()[-1])
        shutil.rmtree(tmp / "media-demo", ignore_errors=True)
    return results


def report(results: dict) -> None:
    print(f"{'render set':<34}{'docs':>6}{'wall s':>9}{'× ref':>9}{'s/doc':>8}{'× ref':>8}")
    for name, f in results.items():
        reference = f["reference"]
        per_doc = f["wall"] / f["documents"]
        print(
            f"{name:<34}{f['documents']:>6}{f['wall']:>9.2f}{f['wall'] / reference:>9.0f}"
            f"{per_doc:>8.3f}{per_doc / reference:>8.1f}"
        )
    for name, f in results.items():
        print(
            f"  {name}: reference page {f['reference'] * 1000:.0f} ms; annex median "
            f"{f['annex_median']:.2f} s ({f['annex_median'] / f['reference']:.1f}× ref) in a "
            f"job, report {f['report_seconds']:.2f} s; {f['workers']} worker processes"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--communes", type=int, default=COMMUNES)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers or os.cpu_count() or 2)))
        return 0
    report(run(communes=args.communes, workers=args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
