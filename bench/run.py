"""`python -m bench.run`: import, compute and export a province-sized year, against a floor.

The floor is the least any importer built on openpyxl could do: one read-only pass over
every cell of every sheet. Each figure is the median of RUNS runs; every run gets a fresh
SQLite database (a copy of one migrated template) in its own process, with jobs in-process
and DEBUG off, and times the commands inside that process (no interpreter start-up).
"""

from __future__ import annotations

import argparse
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

import openpyxl

from .workbook import YEAR, workbook_save, year_sheets

RUNS = 3
TARGET = 4  # import + compute + export within 4× the floor
REPO = Path(__file__).resolve().parent.parent
STEPS = ("import_year --replace", "compute_results", "export_results")


def floor_pass(path: Path) -> float:
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows(values_only=True):
            for _cell in row:
                pass
    workbook.close()
    return time.perf_counter() - started


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", nargs=2, metavar=("WORKBOOK", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="keep the generated workbook at this path")
    parser.add_argument(
        "--surveys",
        type=int,
        nargs="?",
        const=500_000,
        metavar="ANSWERS",
        help="also import a ballots file of this many answers (default 500,000), xlsx and csv",
    )
    parser.add_argument(
        "--reports",
        action="store_true",
        help="also render the demo's 33 documents and a 170-commune block's annexes",
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]))))
        return 0
    status = year_bench(args)
    from . import pages

    print()
    pages.report(pages.run())
    if args.surveys:
        from . import surveys

        print()
        surveys.report(surveys.run(answers=args.surveys))
    if args.reports:
        from . import reports

        print()
        reports.report(reports.run())
    return status


def year_bench(args) -> int:
    """The year workbook: import, compute and export against the floor."""
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as tmp:
        tmp = Path(tmp)
        sheets = year_sheets()
        workbook = workbook_save(sheets, tmp / f"{YEAR}.xlsx")
        if args.keep:
            shutil.copy(workbook, args.keep)
        units = len(sheets["units"]) - 1
        leaves = sum(1 for row in sheets["criteria"][1:] if row[4])
        print(
            f"Workbook: {units} units, {leaves} leaves, {len(sheets['scores']) - 1} scores, "
            f"{len(sheets['ballots']) - 1} ballot answers, "
            f"{workbook.stat().st_size / 1024:.0f} KiB"
        )

        template = tmp / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=REPO,
            env=django_env(template),
            check=True,
        )
        runs: dict[str, list[float]] = {"floor": [floor_pass(workbook) for _ in range(RUNS)]}
        for run in range(RUNS):
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
                print(result.stdout + result.stderr, file=sys.stderr)
                return 1
            for step, seconds in json.loads(result.stdout.splitlines()[-1]).items():
                runs.setdefault(step, []).append(seconds)

    medians = {step: statistics.median(seconds) for step, seconds in runs.items()}
    floor = medians["floor"]
    total = sum(medians[step] for step in STEPS)
    print(f"\n{'figure':<40}{'median s':>10}{'× floor':>10}")
    print(f"{'floor: openpyxl read-only, every cell':<40}{floor:>10.3f}{1:>10.2f}")
    for step in STEPS:
        print(f"{step:<40}{medians[step]:>10.3f}{medians[step] / floor:>10.2f}")
    verdict = "met" if total <= TARGET * floor else "MISSED"
    print(f"{'import + compute + export':<40}{total:>10.3f}{total / floor:>10.2f}")
    print(f"target ≤ {TARGET}× floor ({TARGET * floor:.3f} s): {verdict} (median of {RUNS} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
