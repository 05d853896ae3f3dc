"""`python -m bench.run`: every benchmark of the project, one table, docs/BENCHMARKS.md.

Year workbook (bench/run.py): import, compute and export a province-sized year (30
units, about 10,000 ballot answers). Each run gets a fresh SQLite database (a copy of one
migrated template) in its own process, with jobs in-process and DEBUG off, and times the
commands inside that process (no interpreter start-up). Baseline: the floor, one read-only
openpyxl pass over every cell of the same workbook, taken just before each run in the
parent process; the published target is import + compute + export ≤ 4× that floor. The
import also stands beside a python-calamine pass (the reader the importer uses), for
information.

The others: bench/pages.py (page latency), bench/deadline_load.py (the deadline load test,
when it is there), bench/surveys.py (500,000 ballot answers), bench/reports.py (renders),
bench/downloads.py (what an anonymous download costs the server).
Each returns rows in the shape of bench/table.py.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import table
from .workbook import (
    YEAR,
    calamine_pass,
    column_values,
    openpyxl_pass,
    workbook_save,
    year_sheets,
)

RUNS = 5
LOAD_RUNS = 3  # a run is about 2.5 min: 50 officers for 120 s, then the deadline burst
TARGET = "≤ 4× floor"  # import + compute + export
REPO = Path(__file__).resolve().parent.parent
STEPS = ("import_year --replace", "compute_results", "export_results")
BENCHMARKS = ("year", "pages", "load", "surveys", "reports", "downloads")
ABOUT = " ".join(__doc__.split("\n\n")[1].split())


class Skipped(Exception):
    """A benchmark that cannot run here; the reason goes to stdout and the table's notes."""


def django_env(database: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SETTINGS_MODULE="parindex.settings",
    )
    return env


def measure(workbook: Path, out: Path) -> dict[str, float]:
    """One run, inside the process whose DATABASE_URL points at a fresh database."""
    import django

    django.setup()
    from django.core.management import call_command

    timings = {}
    with open(os.devnull, "w") as sink:
        commands = {
            "import_year --replace": lambda: call_command(
                "import_year", str(workbook), replace=True, stdout=sink
            ),
            "compute_results": lambda: call_command("compute_results", year=YEAR, stdout=sink),
            "export_results": lambda: call_command(
                "export_results", year=YEAR, out=str(out), stdout=sink
            ),
        }
        for step, command in commands.items():
            started = time.perf_counter()
            command()
            timings[step] = time.perf_counter() - started
    return timings


def bench_rows(runs: int = RUNS, keep: Path | None = None) -> list[dict]:
    """The year workbook: import, compute and export against the floor, `runs` times."""
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as tmp:
        tmp = Path(tmp)
        sheets = year_sheets()
        workbook = workbook_save(sheets, tmp / f"{YEAR}.xlsx")
        if keep:
            shutil.copy(workbook, keep)
        units = len(sheets["units"]) - 1
        leaves = sum(1 for method in column_values(sheets, "criteria", "method") if method)
        print(
            f"year workbook: {units} units, {leaves} leaves, {len(sheets['scores']) - 1} "
            f"scores, {len(sheets['ballots']) - 1} ballot answers, "
            f"{workbook.stat().st_size / 1024:.0f} KiB; {runs} runs"
        )
        template = tmp / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=REPO,
            env=django_env(template),
            check=True,
        )
        floor: list[float] = []
        calamine: list[float] = []
        steps: dict[str, list[float]] = {step: [] for step in STEPS}
        for run in range(runs):
            # The floors right before each run, so a busy moment weighs on both sides.
            floor.append(openpyxl_pass(workbook))
            calamine.append(calamine_pass(workbook))
            database = tmp / f"run{run}.sqlite3"
            shutil.copy(template, database)
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.run",
                    "--measure",
                    str(workbook),
                    str(tmp / "r.json"),
                ],
                cwd=REPO,
                env=django_env(database),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise RuntimeError(result.stdout + result.stderr)
            for step, seconds in json.loads(result.stdout.splitlines()[-1]).items():
                steps[step].append(seconds)
            database.unlink()

    floor_name = "openpyxl read-only pass, same workbook"
    rows = [
        table.row(f"year workbook: {step}", "s", steps[step], floor_name, floor) for step in STEPS
    ]
    totals = [sum(values) for values in zip(*steps.values(), strict=True)]
    rows.append(
        table.row(
            "year workbook: import + compute + export", "s", totals, floor_name, floor, TARGET
        )
    )
    rows.append(
        table.row(
            "year workbook: import_year --replace",
            "s",
            steps["import_year --replace"],
            "python-calamine pass, same workbook",
            calamine,
        )
    )
    return rows


def load_rows(runs: int) -> list[dict]:
    """The deadline load test, if bench/deadline_load.py exists and PostgreSQL answers."""
    if importlib.util.find_spec("bench.deadline_load") is None:
        raise Skipped("bench/deadline_load.py is not there yet")
    version = table.postgres_version()
    if "not reachable" in version:
        raise Skipped(f"{version} at {table.POSTGRES}")
    module = importlib.import_module("bench.deadline_load")
    return module.bench_rows(runs)


def about(module_name: str) -> str:
    """A benchmark module's ABOUT, or its docstring's first two paragraphs, on one line."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return ""
    if getattr(module, "ABOUT", None):
        return module.ABOUT
    paragraphs = [
        paragraph
        for paragraph in (module.__doc__ or "").strip().split("\n\n")
        if not paragraph.startswith("    ")  # a command line, not prose
    ]
    return " ".join(" ".join(paragraphs[:2]).split())


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", nargs=2, metavar=("WORKBOOK", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of {','.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help=f"where to write the table (default: {table.OUT.relative_to(REPO)} when every "
        "benchmark was chosen)",
    )
    parser.add_argument("--keep", type=Path, help="keep the generated year workbook here")
    parser.add_argument("--runs", type=int, default=RUNS, help="year workbook runs")
    parser.add_argument("--page-runs", type=int, default=None)
    parser.add_argument("--load-runs", type=int, default=LOAD_RUNS)
    parser.add_argument("--survey-runs", type=int, default=None)
    parser.add_argument("--report-runs", type=int, default=None, help="demo render runs")
    parser.add_argument("--commune-runs", type=int, default=None)
    parser.add_argument("--answers", type=int, default=None, help="ballot answers (500,000)")
    parser.add_argument("--communes", type=int, default=None, help="communes in the block (170)")
    return parser


def benchmarks_of(args: argparse.Namespace) -> dict[str, tuple[str, Callable[[], list]]]:
    """name → (its module, the function giving its rows with the options asked for)."""

    def given(**options) -> dict:
        return {key: value for key, value in options.items() if value is not None}

    def pages_rows() -> list[dict]:
        from . import pages

        return pages.bench_rows(**given(runs=args.page_runs))

    def surveys_rows() -> list[dict]:
        from . import surveys

        return surveys.bench_rows(**given(runs=args.survey_runs, answers=args.answers))

    def reports_rows() -> list[dict]:
        from . import reports

        return reports.bench_rows(
            **given(runs=args.report_runs, commune_runs=args.commune_runs, communes=args.communes)
        )

    def downloads_rows() -> list[dict]:
        from . import downloads

        return downloads.bench_rows(**given(runs=args.page_runs))

    return {
        "year": ("bench.run", lambda: bench_rows(args.runs, args.keep)),
        "pages": ("bench.pages", pages_rows),
        "load": ("bench.deadline_load", lambda: load_rows(args.load_runs)),
        "surveys": ("bench.surveys", surveys_rows),
        "reports": ("bench.reports", reports_rows),
        "downloads": ("bench.downloads", downloads_rows),
    }


def benchmarks_run(
    chosen: list[str], benchmarks: dict[str, tuple[str, Callable[[], list]]]
) -> tuple[list[dict], list[str], list[str]]:
    """(rows, notes, failed): each chosen benchmark in turn; one that fails or cannot run
    here is noted, and the others still run."""
    rows: list[dict] = []
    notes: list[str] = []
    failed: list[str] = []
    for name in chosen:
        module_name, function = benchmarks[name]
        print(f"\n== {name} ==", flush=True)
        began = time.perf_counter()
        try:
            produced = function()
        except Skipped as reason:
            print(f"{name}: not measured: {reason}", flush=True)
            notes.append(f"**{name}**: not measured in this run: {reason}.")
            continue
        except Exception as error:
            traceback.print_exc()
            failed.append(name)
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            summary = (lines[-1] if lines else "")[:200]  # a subprocess's own exception line
            notes.append(f"**{name}**: FAILED in this run: {type(error).__name__}: {summary}")
            continue
        seconds = time.perf_counter() - began
        print(f"{name}: {len(produced)} figures in {seconds:.0f} s", flush=True)
        rows += produced
        if produced:
            notes.append(f"**{name}** ({seconds:.0f} s, `{module_name}`): {about(module_name)}")
    return rows, notes, failed


def main() -> int:
    parser = arguments()
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]))))
        return 0
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    machine = table.machine()
    started = time.perf_counter()
    rows, notes, failed = benchmarks_run(chosen, benchmarks_of(args))
    wall = time.perf_counter() - started
    machine["load average at end"] = table.load_average()

    print()
    print(table.markdown_table(rows))
    print(f"\nwall time {wall / 60:.1f} min")
    out = args.out or (table.OUT if set(chosen) == set(BENCHMARKS) else None)
    if out:
        table.write(rows, out, about=machine, notes=notes, wall_seconds=wall)
        print(f"written to {out}")
    if failed:
        print(f"FAILED: {', '.join(failed)} (noted in the table's notes)", file=sys.stderr)
        return 1
    missed = [row["figure"] for row in rows if table.met(row) is False]
    if missed:
        print(f"targets missed: {'; '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
