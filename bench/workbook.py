"""A deterministic, province-sized year workbook in the format of INTERFACES.md §2.

30 units in two blocks (18 sở, 12 huyện); per block 7 evidence areas (criteria with
sub-criteria, a rubric leaf, a deduction leaf) and a survey area of 10 questioned leaves,
about 60 leaves in all; five respondent groups, one scale, about 10,000 ballot answers.

Also the floors the benchmarks stand beside: the least any reader of such a file pays, one
pass over every cell with openpyxl (read-only), python-calamine (what our importers use) or
the csv module.
"""

from __future__ import annotations

import csv
import functools
import os
import random
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl import Workbook

YEAR = 2022
BLOCKS = {  # code: (name, units, unit name prefix, head title)
    "A": ("Sở, ban, ngành tỉnh", 18, "Sở", "Giám đốc Sở"),
    "B": ("UBND cấp huyện", 12, "UBND huyện", "Chủ tịch UBND huyện"),
}
RULES = {"B": "3:75;7:75;5:70"}  # block: self_review
GROUPS = {
    "hdnd": "Đại biểu HĐND tỉnh",
    "mttq": "Ủy ban MTTQ Việt Nam tỉnh",
    "lanh_dao_so": "Lãnh đạo các sở, ban, ngành",
    "lanh_dao_huyen": "Lãnh đạo UBND cấp huyện",
    "nguoi_dan": "Người dân, doanh nghiệp",
}
SCALE = [  # option, label, coefficient, counted
    ("A", "Rất hài lòng", 1, 1),
    ("B", "Hài lòng", "0,75", 1),
    ("C", "Bình thường", 0.5, 1),
    ("D", "Không hài lòng", 0, 1),
    ("E", "Không biết / không trả lời", 0, 0),
]
OPTION_WEIGHTS = [30, 40, 18, 7, 5]
RUBRIC = "100:1,5;90:1;70:0,5;0:0"
HALF = Decimal("0.5")
QUARTER = Decimal("0.25")

Sheets = dict[str, list[list]]  # sheet: [header, row, row, …]
Rows = list[dict]  # each row by column name; a column left out is blank


@functools.cache
def columns() -> dict[str, tuple[str, ...]]:
    """The workbook's sheets and columns, from exchange.workbook (their one source). The
    benchmarks' parent processes build workbooks without Django: it is set up here."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
        django.setup()
    from exchange.workbook import COLUMNS

    return COLUMNS


def sheets_of(rows: dict[str, Rows]) -> Sheets:
    """Every sheet of the workbook: its header, then its rows' cells in that order."""
    sheets = {}
    for sheet, header in columns().items():
        cells = [list(header)]
        for row in rows.get(sheet, []):
            unknown = row.keys() - set(header)
            if unknown:
                raise KeyError(f"no such column in {sheet}: {sorted(unknown)}")
            cells.append([row.get(name) for name in header])
        sheets[sheet] = cells
    return sheets


def column_values(sheets: Sheets, sheet: str, name: str) -> list:
    """One column's cells, below the header."""
    header, *rows = sheets[sheet]
    index = header.index(name)
    return [row[index] for row in rows]


def text(number: Decimal) -> str:
    """Comma-decimal text, as Vietnamese spreadsheets often hold numbers."""
    return format(number.normalize(), "f").replace(".", ",")


def criteria_tree(block: str, rng: random.Random) -> tuple[Rows, list[tuple], list[str]]:
    """Criteria rows (area → criterion → sub-criterion), evidence leaves and survey leaves."""
    rows: Rows = []
    evidence: list[tuple[str, Decimal, str]] = []  # (code, max, kind: normal/rubric/deduction)
    for area in range(1, 8):
        area_row = {"block": block, "code": str(area), "name": f"Lĩnh vực {area}"}
        rows.append(area_row)
        area_total = Decimal(0)
        for criterion in range(1, 4):
            code = f"{area}.{criterion}"
            criterion_row = {"block": block, "code": code, "name": f"Tiêu chí {code}"}
            rows.append(criterion_row)
            leaf_rows, leaves = _leaves(block, area, criterion, rng)
            rows += leaf_rows
            evidence += leaves
            total = sum((maximum for _code, maximum, _kind in leaves), Decimal(0))
            if criterion % 2:
                criterion_row["max_points"] = text(total)
            area_total += total
        if area == 7:
            rows.append(
                {
                    "block": block,
                    "code": "7.4",
                    "name": "Vi phạm trong thực hiện CCHC",
                    "max_points": 1,
                    "method": "evidence",
                    "kind": "deduction",
                }
            )
            evidence.append(("7.4", Decimal(1), "deduction"))
        area_row["max_points"] = float(area_total)
    survey_rows, survey = _survey_area(block)
    return rows + survey_rows, evidence, survey


def _leaves(block: str, area: int, criterion: int, rng: random.Random) -> tuple[Rows, list]:
    """A criterion's 2–3 evidence leaves (2.1.1 has the rubric): rows and (code, max, kind)."""
    rows, leaves = [], []
    for leaf in range(1, rng.choice((2, 3)) + 1):
        code = f"{area}.{criterion}.{leaf}"
        row = {"block": block, "code": code, "method": "evidence"}
        if area == 2 and criterion == 1 and leaf == 1:
            row.update(name=f"Tỷ lệ {code}", max_points="1,5", rubric=RUBRIC)
            leaves.append((code, Decimal("1.5"), "rubric"))
        else:
            maximum = rng.choice((HALF, Decimal(1), Decimal("1.5"), Decimal(2)))
            cell = float(maximum) if leaf % 2 else text(maximum)
            row.update(name=f"Tiêu chí thành phần {code}", max_points=cell)
            leaves.append((code, maximum, "normal"))
        rows.append(row)
    return rows, leaves


def _survey_area(block: str) -> tuple[Rows, list[str]]:
    """Area 8, counted for no class: two criteria of five questioned leaves each."""
    rows: Rows = [
        {"block": block, "code": "8", "name": "Điều tra xã hội học", "counts_for_classification": 0}
    ]
    survey = []
    for criterion in (1, 2):
        rows.append({"block": block, "code": f"8.{criterion}", "name": f"Hài lòng {criterion}"})
        for leaf in range(1, 6):
            code = f"8.{criterion}.{leaf}"
            rows.append(
                {
                    "block": block,
                    "code": code,
                    "name": f"Câu hỏi {code}",
                    "max_points": 1,
                    "method": "survey",
                }
            )
            survey.append(code)
    return rows, survey


def score_rows(unit: str, evidence: list[tuple], rng: random.Random) -> Rows:
    strength = rng.uniform(0.65, 1.0)  # units differ, so ranks and classes spread
    rows = []
    for code, maximum, kind in evidence:
        row = {"unit": unit, "criterion": code}
        if kind == "rubric":
            value = Decimal(rng.randint(600, 1000)) / 10
            row.update(self_value=100, appraised_value=text(value))
        elif kind == "deduction":
            points = rng.choice((Decimal(0), Decimal(0), Decimal(0), HALF, Decimal(1)))
            row.update(appraised_score=float(points))
        elif rng.random() < 0.02:
            row.update(not_applicable=1, appraisal_note="Không áp dụng")
        else:
            steps = int(maximum / QUARTER)
            share = min(1.0, max(0.0, rng.gauss(strength, 0.15)))
            appraised = QUARTER * round(steps * share)
            note = "Tài liệu kiểm chứng chưa đầy đủ" if appraised < maximum else None
            row.update(
                self_score=float(maximum),
                appraised_score=text(appraised),
                not_applicable=0,
                self_note="Đã thực hiện",
                appraisal_note=note,
            )
        rows.append(row)
    return rows


def year_sheets(*, seed: int = YEAR, answers: int = 10_000, blocks: dict = BLOCKS) -> Sheets:
    """The whole workbook: `blocks` (code: (name, units, prefix, head title)), each with its
    criteria tree, units and scores, and about `answers` ballot answers."""
    rng = random.Random(seed)
    rows: dict[str, Rows] = {
        "year": _year_rows(),
        "rules": [
            {"block": block, "key": "self_review", "value": value}
            for block, value in RULES.items()
            if block in blocks
        ],
        "groups": [{"code": code, "name": name} for code, name in GROUPS.items()],
        "scales": [
            {"scale": "muc5", "option": o, "label": label, "coefficient": c, "counted": counted}
            for o, label, c, counted in SCALE
        ],
    }
    for sheet in ("blocks", "units", "criteria", "scores", "questions"):
        rows[sheet] = []
    questions: list[tuple[str, str, list[str]]] = []  # (block, criterion, groups)
    units: list[tuple[str, str]] = []  # (block, unit)
    for block, (name, count, prefix, head_title) in blocks.items():
        rows["blocks"].append({"code": block, "name": name})
        tree, evidence, survey = criteria_tree(block, rng)
        rows["criteria"] += tree
        for n in range(1, count + 1):
            unit = f"{block}{n}"
            units.append((block, unit))
            rows["units"].append(
                {
                    "block": block,
                    "code": unit,
                    "name": f"{prefix} số {n}",
                    "head_title": head_title,
                    "head_name": f"Người đứng đầu {unit}",
                }
            )
            rows["scores"] += score_rows(unit, evidence, rng)
        for code in survey:
            groups = rng.sample(sorted(GROUPS), k=rng.randint(2, 4))
            questions.append((block, code, groups))
            rows["questions"].append(
                {
                    "block": block,
                    "criterion": code,
                    "scale": "muc5",
                    "groups": ";".join(groups),
                    "text": f"Ông/bà đánh giá thế nào về {code}?",
                }
            )
    rows["ballots"] = ballot_rows(units, questions, rng, answers)
    return sheets_of(rows)


def _year_rows() -> Rows:
    return [
        {"key": key, "value": value}
        for key, value in (
            ("year", YEAR),
            ("name", f"Chỉ số cải cách hành chính năm {YEAR}"),
            ("self_assessment_opens", "2022-12-20"),
            ("self_assessment_closes", "2023-01-10"),
            ("appraisal_opens", "2023-01-11"),
            ("appraisal_closes", "2023-01-31"),
        )
    ]


def ballot_rows(units: list, questions: list, rng: random.Random, answers: int) -> Rows:
    """At least `answers` answers: a ballot rates one or two units on every question open
    to its group."""
    options = [option for option, *_ in SCALE]
    rows: Rows = []
    number = 0
    while len(rows) < answers:
        number += 1
        group = rng.choice(sorted(GROUPS))
        for block, unit in rng.sample(units, k=rng.choice((1, 2))):
            for q_block, criterion, groups in questions:
                if q_block == block and group in groups:
                    option = rng.choices(options, OPTION_WEIGHTS)[0]
                    ballot = f"P{number:05d}"
                    rows.append(
                        {
                            "ballot": ballot,
                            "group": group,
                            "unit": unit,
                            "criterion": criterion,
                            "option": option,
                        }
                    )
    return rows


def workbook_save(sheets: Sheets, path: Path) -> Path:
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def openpyxl_pass(path: Path) -> float:
    """Seconds for one read-only openpyxl pass over every cell of every sheet."""
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows(values_only=True):
            for _cell in row:
                pass
    workbook.close()
    return time.perf_counter() - started


def calamine_pass(path: Path) -> float:
    """Seconds for one python-calamine pass over every cell of every sheet."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(name).iter_rows():
            for _cell in row:
                pass
    workbook.close()
    return time.perf_counter() - started


def csv_pass(path: Path) -> float:
    """Seconds for one csv-module pass over every field of a UTF-8 file."""
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream):
            for _cell in row:
                pass
    return time.perf_counter() - started
