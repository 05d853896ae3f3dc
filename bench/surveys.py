"""Ballot import at province scale: `import_ballots` of 500,000 answers, in .xlsx and .csv.

Each run imports each file into a fresh copy of one database holding the year (check into
the staging table, then the one-transaction import) in a fresh process, and takes the peak
resident memory of that process (VmHWM). Baselines, measured just before each run: a
read-only openpyxl pass over every cell of the xlsx (the floor of the published target,
import ≤ 1.5× it, for either format, since both hold the same answers); and, for
information, the pass of the reader each import really uses (python-calamine for the xlsx,
the csv module for the csv), which shows what checking and writing cost beyond reading.
Memory stands beside the same process before the import (Django loaded); target < 500 MB.

    python -m bench.surveys [--runs N] [--answers N] [--seed S]

The generated files are cached under the temp dir keyed by seed and size, since writing
a 500k-row xlsx takes a while.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from . import table
from .servers import manage
from .workbook import YEAR, calamine_pass, csv_pass, openpyxl_pass, workbook_save, year_sheets

ANSWERS = 500_000
RUNS = 3  # a run is about 55 s on a quiet 2-core machine: two 500k imports, three floors
RATIO_TARGET = "≤ 1.5× floor"
MEMORY_TARGET = "< 500 MB"
REPO = Path(__file__).resolve().parent.parent


def cache_dir(seed: int, answers: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"parindex-bench-ballots-{seed}-{answers}"
    path.mkdir(exist_ok=True)
    return path


def ballot_files(*, seed: int, answers: int) -> tuple[Path, Path, Path]:
    """(year workbook without ballots, ballots.csv, ballots.xlsx), generated once."""
    folder = cache_dir(seed, answers)
    year, csv_path, xlsx_path = (
        folder / "year.xlsx",
        folder / "ballots.csv",
        folder / "ballots.xlsx",
    )
    if year.exists() and csv_path.exists() and xlsx_path.exists():
        return year, csv_path, xlsx_path
    sheets = year_sheets(seed=seed, answers=answers)
    ballots = sheets["ballots"]
    sheets["ballots"] = ballots[:1]
    workbook_save(sheets, year)
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(ballots)
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet("ballots")
    for row in ballots:
        worksheet.append(row)
    partial = xlsx_path.with_suffix(".part")
    workbook.save(partial)
    partial.rename(xlsx_path)
    return year, csv_path, xlsx_path


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


def peak_mb() -> float:
    """This process's peak resident memory since it started (exec), in MB.

    VmHWM, not ru_maxrss: on Linux ru_maxrss keeps the high-water mark from before exec,
    which is the forking parent's size (here a process that has just read 500k rows).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path) -> dict:
    """Inside a fresh process: import the file, report time and memory."""
    import django

    django.setup()
    from django.core.management import call_command

    from surveys.models import Answer

    before = peak_mb()
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("import_ballots", str(path), year=YEAR, stdout=sink)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "answers": Answer.objects.count(),
        "peak_mb": peak_mb(),
        "baseline_mb": before,
    }


def bench_rows(*, runs: int = RUNS, answers: int = ANSWERS, seed: int = YEAR) -> list[dict]:
    started = time.perf_counter()
    files = ballot_files(seed=seed, answers=answers)
    print(
        f"surveys: {answers:,} answers, files ready in {time.perf_counter() - started:.0f} s; "
        f"{runs} runs"
    )
    figures, imported = runs_measure(*files, runs=runs)
    if len(imported) != 1 or min(imported) < answers:
        raise RuntimeError(f"imports stored {sorted(imported)} answers, expected {answers:,}+")
    return _rows(figures, size=f"{imported.pop():,} answers")


def runs_measure(
    year: Path, csv_path: Path, xlsx_path: Path, *, runs: int
) -> tuple[dict[str, list[float]], set[int]]:
    """({figure: one value per run}, the answer counts the imports stored): per run the three
    floors, then each file imported into a fresh copy of the year's database."""
    figures: dict[str, list[float]] = {}
    imported: set[int] = set()  # answers stored, by every import of either file

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory(prefix="parindex-bench-surveys-") as tmp:
        tmp = Path(tmp)
        template = tmp / "template.sqlite3"
        env = django_env(template, tmp / "media")
        for command in (["migrate", "--noinput", "-v", "0"], ["import_year", str(year)]):
            manage(env, *command)
        for _run in range(runs):
            add("openpyxl", openpyxl_pass(xlsx_path))
            add("calamine", calamine_pass(xlsx_path))
            add("csv", csv_pass(csv_path))
            for name, path in (("xlsx", xlsx_path), ("csv", csv_path)):
                database = tmp / f"{name}.sqlite3"
                shutil.copy(template, database)
                process = subprocess.run(
                    [sys.executable, "-m", "bench.surveys", "--measure", str(path)],
                    cwd=REPO,
                    env=django_env(database, tmp / "media"),
                    capture_output=True,
                    text=True,
                )
                if process.returncode:
                    raise RuntimeError(process.stdout + process.stderr)
                result = json.loads(process.stdout.splitlines()[-1])
                imported.add(result["answers"])
                add(f"{name} seconds", result["seconds"])
                add(f"{name} peak", result["peak_mb"])
                add(f"{name} before", result["baseline_mb"])
                database.unlink()
    return figures, imported


def _rows(figures: dict[str, list[float]], *, size: str) -> list[dict]:
    openpyxl_floor = "openpyxl read-only pass, same xlsx"
    rows = []
    for name in ("xlsx", "csv"):
        rows.append(
            table.row(
                f"import_ballots {name}, {size}",
                "s",
                figures[f"{name} seconds"],
                openpyxl_floor,
                figures["openpyxl"],
                RATIO_TARGET,
            )
        )
    rows += [
        table.row(
            f"import_ballots xlsx, {size}",
            "s",
            figures["xlsx seconds"],
            "python-calamine pass, same xlsx",
            figures["calamine"],
        ),
        table.row(
            f"import_ballots csv, {size}",
            "s",
            figures["csv seconds"],
            "csv.reader pass, same csv",
            figures["csv"],
        ),
    ]
    for name in ("xlsx", "csv"):
        rows.append(
            table.row(
                f"import_ballots {name}, {size}: peak memory",
                "MB",
                figures[f"{name} peak"],
                "same process before the import",
                figures[f"{name} before"],
                MEMORY_TARGET,
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--answers", type=int, default=ANSWERS)
    parser.add_argument("--seed", type=int, default=YEAR)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    print(table.markdown_table(bench_rows(runs=args.runs, answers=args.answers, seed=args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
