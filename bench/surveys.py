"""Ballot import at province scale: a 500,000-answer file, in .xlsx and .csv.

For each format: answers per second of `import_ballots` (check into the staging table,
then the one-transaction import), the peak resident memory of the importing process
(ru_maxrss of a fresh subprocess), and the ratio of import time to a bare openpyxl
read-only pass over the same xlsx (targets: ratio ≤ 1.5, peak < 500 MB).

    python -m bench.surveys [--answers N] [--seed S]

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

from .workbook import YEAR, workbook_save, year_sheets

ANSWERS = 500_000
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 500
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


def floor_pass(path: Path) -> float:
    """What any openpyxl-based importer pays at least: one read-only pass over the cells."""
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows(values_only=True):
            for _cell in row:
                pass
    workbook.close()
    return time.perf_counter() - started


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


def measure(path: Path) -> dict:
    """Inside a fresh process: import the file, report time and memory."""
    import django

    django.setup()
    from django.core.management import call_command

    from surveys.models import Answer

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("import_ballots", str(path), year=YEAR, stdout=sink)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "answers": Answer.objects.count(),
        "peak_mb": peak / 1024,
        "baseline_mb": before / 1024,
    }


def run(*, answers: int = ANSWERS, seed: int = YEAR) -> dict:
    """The figures for `bench.run` and for the command line."""
    started = time.perf_counter()
    year, csv_path, xlsx_path = ballot_files(seed=seed, answers=answers)
    generated = time.perf_counter() - started
    results: dict = {"answers": answers, "generate_seconds": generated}
    with tempfile.TemporaryDirectory(prefix="parindex-bench-surveys-") as tmp:
        tmp = Path(tmp)
        template = tmp / "template.sqlite3"
        env = django_env(template, tmp / "media")
        for command in (["migrate", "--noinput", "-v", "0"], ["import_year", str(year)]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=REPO,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results["floor_seconds"] = floor_pass(xlsx_path)
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
            figures = json.loads(process.stdout.splitlines()[-1])
            figures["answers_per_second"] = figures["answers"] / figures["seconds"]
            figures["ratio"] = figures["seconds"] / results["floor_seconds"]
            results[name] = figures
    return results


def report(results: dict) -> bool:
    floor = results["floor_seconds"]
    print(
        f"Ballots: {results['answers']:,} answers (files ready in "
        f"{results['generate_seconds']:.1f} s)"
    )
    print(f"{'figure':<34}{'seconds':>9}{'answers/s':>12}{'× floor':>9}{'peak MB':>9}")
    print(f"{'floor: openpyxl read-only pass':<34}{floor:>9.2f}{'':>12}{1:>9.2f}{'':>9}")
    met = True
    for name in ("xlsx", "csv"):
        f = results[name]
        print(
            f"{'import_ballots ' + name:<34}{f['seconds']:>9.2f}{f['answers_per_second']:>12,.0f}"
            f"{f['ratio']:>9.2f}{f['peak_mb']:>9.0f}"
        )
        met &= f["ratio"] <= RATIO_TARGET and f["peak_mb"] < MEMORY_TARGET_MB
    print(
        f"targets: ≤ {RATIO_TARGET}× floor and < {MEMORY_TARGET_MB} MB peak: "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--answers", type=int, default=ANSWERS)
    parser.add_argument("--seed", type=int, default=YEAR)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    report(run(answers=args.answers, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
