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
import random
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl import Workbook

YEAR = 2022
BLOCKS = {
    "A": ("Sở, ban, ngành tỉnh", 18, "Sở", "Giám đốc Sở"),
    "B": ("UBND cấp huyện", 12, "UBND huyện", "Chủ tịch UBND huyện"),
}
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

Sheets = dict[str, list[list]]


def text(number: Decimal) -> str:
    """Comma-decimal text, as Vietnamese spreadsheets often hold numbers."""
    return format(number.normalize(), "f").replace(".", ",")


def criteria_tree(block: str, rng: random.Random) -> tuple[list[list], list[tuple], list[str]]:
    """Criteria rows (area → criterion → sub-criterion), evidence leaves and survey leaves."""
    rows: list[list] = []
    evidence: list[tuple[str, Decimal, str]] = []  # (code, max, kind: normal/rubric/deduction)
    for area in range(1, 8):
        area_row = [block, str(area), f"Lĩnh vực {area}", None, None, None, None, None]
        rows.append(area_row)
        area_total = Decimal(0)
        for criterion in range(1, 4):
            code = f"{area}.{criterion}"
            criterion_row = [block, code, f"Tiêu chí {code}", None, None, None, None, None]
            rows.append(criterion_row)
            total = Decimal(0)
            for leaf in range(1, rng.choice((2, 3)) + 1):
                leaf_code = f"{code}.{leaf}"
                if area == 2 and criterion == 1 and leaf == 1:
                    rows.append(
                        [block, leaf_code, f"Tỷ lệ {leaf_code}", "1,5", "evidence"]
                        + [None, None, RUBRIC]
                    )
                    evidence.append((leaf_code, Decimal("1.5"), "rubric"))
                    total += Decimal("1.5")
                    continue
                maximum = rng.choice((HALF, Decimal(1), Decimal("1.5"), Decimal(2)))
                cell = float(maximum) if leaf % 2 else text(maximum)
                rows.append(
                    [block, leaf_code, f"Tiêu chí thành phần {leaf_code}", cell]
                    + ["evidence", None, None, None]
                )
                evidence.append((leaf_code, maximum, "normal"))
                total += maximum
            criterion_row[3] = text(total) if criterion % 2 else None
            area_total += total
        if area == 7:
            rows.append(
                [block, "7.4", "Vi phạm trong thực hiện CCHC", 1, "evidence", None]
                + ["deduction", None]
            )
            evidence.append(("7.4", Decimal(1), "deduction"))
        area_row[3] = float(area_total)
    rows.append([block, "8", "Điều tra xã hội học", None, None, 0, None, None])
    survey = []
    for criterion in (1, 2):
        rows.append([block, f"8.{criterion}", f"Hài lòng {criterion}"] + [None] * 5)
        for leaf in range(1, 6):
            code = f"8.{criterion}.{leaf}"
            rows.append([block, code, f"Câu hỏi {code}", 1, "survey", None, None, None])
            survey.append(code)
    return rows, evidence, survey


def score_rows(unit: str, evidence: list[tuple], rng: random.Random) -> list[list]:
    strength = rng.uniform(0.65, 1.0)  # units differ, so ranks and classes spread
    rows = []
    for code, maximum, kind in evidence:
        if kind == "rubric":
            value = Decimal(rng.randint(600, 1000)) / 10
            rows.append([unit, code, None, None, None, 100, text(value), None, None])
        elif kind == "deduction":
            points = rng.choice((Decimal(0), Decimal(0), Decimal(0), HALF, Decimal(1)))
            rows.append([unit, code, None, float(points), None, None, None, None, None])
        elif rng.random() < 0.02:
            rows.append([unit, code, None, None, 1, None, None, None, "Không áp dụng"])
        else:
            steps = int(maximum / QUARTER)
            share = min(1.0, max(0.0, rng.gauss(strength, 0.15)))
            appraised = QUARTER * round(steps * share)
            note = "Tài liệu kiểm chứng chưa đầy đủ" if appraised < maximum else None
            rows.append(
                [unit, code, float(maximum), text(appraised), 0, None, None, "Đã thực hiện", note]
            )
    return rows


def year_sheets(*, seed: int = YEAR, answers: int = 10_000) -> Sheets:
    rng = random.Random(seed)
    sheets: Sheets = {
        "year": [
            ["key", "value"],
            ["year", YEAR],
            ["name", f"Chỉ số cải cách hành chính năm {YEAR}"],
            ["self_assessment_opens", "2022-12-20"],
            ["self_assessment_closes", "2023-01-10"],
            ["appraisal_opens", "2023-01-11"],
            ["appraisal_closes", "2023-01-31"],
        ],
        "rules": [["block", "key", "value"], ["B", "self_review", "3:75;7:75;5:70"]],
        "blocks": [["code", "name"]],
        "units": [["block", "code", "name", "head_title", "head_name"]],
        "criteria": [
            [
                "block",
                "code",
                "name",
                "max_points",
                "method",
                "counts_for_classification",
                "kind",
                "rubric",
            ]
        ],
        "scores": [
            [
                "unit",
                "criterion",
                "self_score",
                "appraised_score",
                "not_applicable",
                "self_value",
                "appraised_value",
                "self_note",
                "appraisal_note",
            ]
        ],
        "groups": [["code", "name"], *([code, name] for code, name in GROUPS.items())],
        "scales": [
            ["scale", "option", "label", "coefficient", "counted"],
            *(["muc5", *option] for option in SCALE),
        ],
        "questions": [["block", "criterion", "scale", "groups", "text"]],
        "ballots": [["ballot", "group", "unit", "criterion", "option"]],
    }
    questions: list[tuple[str, str, list[str]]] = []  # (block, criterion, groups)
    units: list[tuple[str, str]] = []
    for block, (name, count, prefix, head_title) in BLOCKS.items():
        sheets["blocks"].append([block, name])
        rows, evidence, survey = criteria_tree(block, rng)
        sheets["criteria"].extend(rows)
        for n in range(1, count + 1):
            unit = f"{block}{n}"
            units.append((block, unit))
            sheets["units"].append(
                [block, unit, f"{prefix} số {n}", head_title, f"Người đứng đầu {unit}"]
            )
            sheets["scores"].extend(score_rows(unit, evidence, rng))
        for code in survey:
            groups = rng.sample(sorted(GROUPS), k=rng.randint(2, 4))
            questions.append((block, code, groups))
            sheets["questions"].append(
                [block, code, "muc5", ";".join(groups), f"Ông/bà đánh giá thế nào về {code}?"]
            )

    options = [option for option, *_ in SCALE]
    ballots = sheets["ballots"]
    number = 0
    while len(ballots) - 1 < answers:
        number += 1
        group = rng.choice(sorted(GROUPS))
        # A ballot rates one or two units on every question open to its group.
        for block, unit in rng.sample(units, k=rng.choice((1, 2))):
            for q_block, criterion, groups in questions:
                if q_block == block and group in groups:
                    option = rng.choices(options, OPTION_WEIGHTS)[0]
                    ballots.append([f"P{number:05d}", group, unit, criterion, option])
    return sheets


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
