"""The one benchmark table: the row every benchmark returns, and docs/BENCHMARKS.md.

A row is a plain dict, so a benchmark needs nothing from here to produce one:

    {"figure": "import_year --replace", "unit": "s", "runs": [0.55, 0.56, 0.61],
     "baseline_name": "openpyxl read-only pass", "baseline_runs": [0.68, 0.69, 0.70],
     "target": "≤ 4× floor", "verdict": True}

`runs` and `baseline_runs` are measured in the same `make bench`, so the ratio of their
medians compares across machines where the absolute figures do not. `target` is what the
project promises (None: no promise, the figure is for information). `verdict` is optional:
without it the target is read as either a ratio (`≤ 4× floor`) or an absolute bound
(`p95 ≤ 300 ms`, `< 500 MB`) and checked against the medians.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import sqlite3
import statistics
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "BENCHMARKS.md"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
COLUMNS = (
    "figure",
    "median",
    "runs",
    "baseline",
    "baseline median",
    "ratio",
    "target",
    "met?",
)
UNITS = {"s": 1.0, "ms": 0.001, "MB": None}
RATIO_TARGET = re.compile(r"(≤|<=|<)\s*([\d.,]+)\s*×")
ABSOLUTE_TARGET = re.compile(r"(≤|<=|<)\s*([\d.,]+)\s*(ms|s|MB)\b")

Row = dict


def row(
    figure: str,
    unit: str,
    runs: list[float],
    baseline_name: str,
    baseline_runs: list[float],
    target: str | None = None,
    verdict: bool | None = None,
) -> Row:
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    result = {
        "figure": figure,
        "unit": unit,
        "runs": [float(value) for value in runs],
        "baseline_name": baseline_name,
        "baseline_runs": [float(value) for value in baseline_runs],
        "target": target,
    }
    if verdict is not None:
        result["verdict"] = verdict
    return result


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(r: Row) -> float | None:
    """median(runs) / median(baseline_runs)."""
    figure, baseline = median(r["runs"]), median(r.get("baseline_runs") or [])
    if figure is None or not baseline:
        return None
    return figure / baseline


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _in_unit(value: float, source: str, unit: str) -> float | None:
    if source == unit:
        return value
    if UNITS.get(source) is None or UNITS.get(unit) is None:
        return None
    return value * UNITS[source] / UNITS[unit]


def _holds(operator: str, value: float, bound: float) -> bool:
    return value < bound if operator == "<" else value <= bound


def met(r: Row) -> bool | None:
    """The row's own verdict if it has one, else its target read against the medians;
    None when there is no target or it cannot be read."""
    if r.get("verdict") is not None:
        return bool(r["verdict"])
    target = r.get("target")
    if not target or not r["runs"]:
        return None
    if match := RATIO_TARGET.search(target):
        value = ratio(r)
        return None if value is None else _holds(match[1], value, _number(match[2]))
    if match := ABSOLUTE_TARGET.search(target):
        bound = _in_unit(_number(match[2]), match[3], r["unit"])
        return None if bound is None else _holds(match[1], median(r["runs"]), bound)
    return None


def number(value: float) -> str:
    """Three significant figures or so, without scientific notation."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def cells(r: Row) -> list[str]:
    unit = r["unit"]
    figure, baseline, times = median(r["runs"]), median(r.get("baseline_runs") or []), ratio(r)
    verdict = met(r)

    def runs(values: list[float]) -> str:
        return f"{len(values)}: " + " · ".join(number(v) for v in values) if values else "–"

    return [
        r["figure"],
        f"{number(figure)} {unit}" if figure is not None else "–",
        runs(r["runs"]),
        f"{r['baseline_name']} ({runs(r.get('baseline_runs') or [])})",
        f"{number(baseline)} {unit}" if baseline is not None else "–",
        f"{number(times)}×" if times is not None else "–",
        r.get("target") or "–",
        {True: "yes", False: "**NO**", None: "–"}[verdict],
    ]


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines += ["| " + " | ".join(_escape(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _command(*args: str) -> str:
    try:
        return subprocess.run(
            args, cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def postgres_version(dsn: str = POSTGRES) -> str:
    try:
        import psycopg

        with psycopg.connect(dsn, connect_timeout=3) as connection:
            return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # any failure means "not reachable" here
        return f"PostgreSQL not reachable ({type(error).__name__})"


def load_average() -> str:
    """Other work on the machine shows here: above the core count, figures are inflated."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine() -> dict[str, str]:
    """Where the figures were measured."""
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.M)
    release = re.search(r'^PRETTY_NAME="?([^"\n]+)', _read("/etc/os-release"), re.M)
    commit = _command("git", "rev-parse", "--short", "HEAD")
    if _command("git", "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes in the working tree)"
    return {
        "CPU": model[1].strip() if model else platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory[1]) / 1024 / 1024:.1f} GiB" if memory else "?",
        "OS": f"{release[1] if release else platform.system()} (kernel {platform.release()})",
        "Python": platform.python_version(),
        "databases": f"SQLite {sqlite3.sqlite_version}; {postgres_version()}",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "git commit": commit or "?",
        "load average at start (1/5/15 min)": load_average(),
    }


def document(
    rows: list[Row],
    about: dict[str, str],
    *,
    notes: list[str] = (),
    wall_seconds: float | None = None,
) -> str:
    header = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/run.py`); do not edit by hand. Every figure is the",
        "median of the runs listed beside it; its baseline was measured in the same",
        "`make bench` on the same machine, and *ratio* = median ÷ baseline median, the number",
        "that compares across machines. Timings on a shared machine drift; treat them as",
        "orders of magnitude, not to the last digit.",
        "",
        "## Machine",
        "",
    ]
    header += [f"- {key}: {value}" for key, value in about.items()]
    if wall_seconds is not None:
        header.append(f"- `make bench` wall time: {wall_seconds / 60:.1f} min")
    header += [
        "",
        "## Reproduce",
        "",
        "    make bench                                               # rewrites this file",
        '    make bench BENCH_ARGS="--only pages --out /tmp/pages.md"  # one benchmark',
        "",
        "`.venv/bin/python -m bench.run --help` lists the run counts and sizes that can be",
        "changed; each benchmark module's docstring says what it measures and why its",
        "baseline is that one.",
        "",
        "## Figures",
        "",
        markdown_table(rows),
        "",
    ]
    if notes:
        header += ["## What is measured", ""]
        header += [f"- {note}" for note in notes]
        header.append("")
    return "\n".join(header)


def write(
    rows: list[Row],
    path: Path = OUT,
    *,
    about: dict[str, str] | None = None,
    notes: list[str] = (),
    wall_seconds: float | None = None,
) -> str:
    """Write the document to `path` and return it."""
    text = document(rows, about or machine(), notes=notes, wall_seconds=wall_seconds)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text
