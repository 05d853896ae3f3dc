"""A small valid year workbook, as plain rows, for tests to change and save.

    sheets = year_sheets()                      # {sheet: [header, row, row, ...]}
    set_cell(sheets, "scores", 3, "appraised_score", "9")   # spreadsheet row 3
    row = add_row(sheets, "ballots", ballot="P9", ...)      # its spreadsheet row number
    path = save_workbook(sheets, tmp_path / "2022.xlsx")

Row numbers are the spreadsheet's: the header is row 1, so `sheets[s][n - 1]` is row n.
The year (2022, block A, units A1 and A2) holds: an inner area with a given maximum, an
evidence leaf, a rubric leaf, a deduction leaf, a survey area with two questioned leaves
and one leaf without a question, two respondent groups, a scale with a not-counted option,
and ballots. Numbers mix numeric cells and comma-decimal text.
"""

from __future__ import annotations

import copy
from pathlib import Path

from openpyxl import Workbook

YEAR = 2022

_SHEETS: dict[str, list[list]] = {
    "year": [
        ["key", "value"],
        ["year", YEAR],
        ["name", "Chỉ số CCHC năm 2022"],
        ["self_assessment_opens", "2022-12-25"],
        ["self_assessment_closes", "2023-01-10"],
        ["appraisal_opens", "2023-01-11"],
        ["appraisal_closes", "2023-01-16"],
        ["published_on", None],
    ],
    "rules": [
        ["block", "key", "value"],
        ["A", "self_review", "1:75"],
    ],
    "blocks": [
        ["code", "name"],
        ["A", "Sở, ban, ngành tỉnh"],
    ],
    "units": [
        ["block", "code", "name", "head_title", "head_name"],
        ["A", "A1", "Sở Giao thông vận tải", "Giám đốc Sở", "Nguyễn Văn An"],
        ["A", "A2", "Sở Y tế", "Giám đốc Sở", "Trần Thị Bình"],
    ],
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
        ],
        ["A", "1", "Công tác chỉ đạo, điều hành cải cách hành chính", 4, None, None, None, None],
        ["A", "1.1", "Kế hoạch CCHC năm", 2, "evidence", None, None, None],
        [
            "A",
            "1.2",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "2",
            "evidence",
            None,
            "normal",
            "100:2;80:1;0:0",
        ],
        ["A", "1.3", "Vi phạm kỷ luật hành chính", "0,5", "evidence", None, "deduction", None],
        ["A", "2", "Đánh giá qua điều tra xã hội học", None, None, None, None, None],
        ["A", "2.1", "Ý kiến đánh giá của các tổ chức", None, None, None, None, None],
        ["A", "2.1.1", "Chất lượng văn bản", 1, "survey", None, None, None],
        ["A", "2.1.2", "Thái độ công chức", 1.5, "survey", None, None, None],
        ["A", "2.2", "SIPAS", 1, "survey", None, None, None],
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
        ],
        ["A1", "1.1", 2, "1,5", None, None, None, "Đã ban hành kế hoạch", "Ban hành muộn"],
        ["A1", "1.2", None, None, None, 100, "85,5", None, None],
        ["A1", "1.3", None, "0,25", None, None, None, None, "Một trường hợp"],
        ["A2", "1.1", 2, 2, 0, None, None, None, None],
        ["A2", "1.2", None, None, 1, None, None, None, None],
    ],
    "groups": [
        ["code", "name"],
        ["hdnd", "Đại biểu HĐND tỉnh"],
        ["nguoi_dan", "Người dân, doanh nghiệp"],
    ],
    "scales": [
        ["scale", "option", "label", "coefficient", "counted"],
        ["muc4", "A", "Rất tốt", 1, None],
        ["muc4", "B", "Tốt", "0,75", 1],
        ["muc4", "C", "Trung bình", 0.5, None],
        ["muc4", "D", "Kém", 0, None],
        ["muc4", "E", "Không biết / không trả lời", 0, 0],
    ],
    "questions": [
        ["block", "criterion", "scale", "groups", "text"],
        ["A", "2.1.1", "muc4", "hdnd;nguoi_dan", "Văn bản của đơn vị có rõ ràng, kịp thời?"],
        ["A", "2.1.2", "muc4", "hdnd", None],
    ],
    "ballots": [
        ["ballot", "group", "unit", "criterion", "option"],
        ["P1", "hdnd", "A1", "2.1.1", "A"],
        ["P1", "hdnd", "A1", "2.1.2", "B"],
        ["P1", "hdnd", "A2", "2.1.1", "C"],
        ["P1", "hdnd", "A2", "2.1.2", "D"],
        ["P2", "nguoi_dan", "A1", "2.1.1", "E"],
        ["P2", "nguoi_dan", "A2", "2.1.1", "B"],
        [1001, "nguoi_dan", "A1", "2.1.1", "B"],
    ],
}


def year_sheets() -> dict[str, list[list]]:
    """A fresh copy of the valid workbook's rows, header first."""
    return copy.deepcopy(_SHEETS)


def column(sheets: dict[str, list[list]], sheet: str, name: str) -> int:
    return sheets[sheet][0].index(name)


def set_cell(sheets: dict[str, list[list]], sheet: str, row: int, name: str, value) -> None:
    """Set a cell by spreadsheet row number (header = 1) and column name."""
    sheets[sheet][row - 1][column(sheets, sheet, name)] = value


def add_row(sheets: dict[str, list[list]], sheet: str, **values) -> int:
    """Append a row given by column names; returns its spreadsheet row number."""
    header = sheets[sheet][0]
    unknown = set(values) - set(header)
    assert not unknown, f"no such column in {sheet}: {unknown}"
    sheets[sheet].append([values.get(name) for name in header])
    return len(sheets[sheet])


def year_key_row(sheets: dict[str, list[list]], key: str) -> int:
    for number, row in enumerate(sheets["year"], start=1):
        if row[0] == key:
            return number
    raise KeyError(key)


def save_workbook(sheets: dict[str, list[list]], path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def write_year_workbook(path: Path, **changes) -> Path:
    """The valid workbook saved to `path`; `changes` replace whole sheets by name."""
    sheets = year_sheets()
    sheets.update(changes)
    return save_workbook(sheets, path)


def large_year_sheets(*, units: int = 30, answers: int = 10_000) -> dict[str, list[list]]:
    """A realistic-size year for benchmarks: one block of `units` units, 7 evidence areas of
    4 leaves (one with a rubric), a survey area of 10 questions, and about `answers` ballot
    answers (each ballot rates every unit on every question).
    """
    import random

    rng = random.Random(2022)
    sheets = year_sheets()
    sheets["rules"] = sheets["rules"][:1]
    sheets["units"] = sheets["units"][:1] + [
        ["A", f"A{n}", f"Sở số {n}", "Giám đốc Sở", f"Người đứng đầu {n}"]
        for n in range(1, units + 1)
    ]
    criteria = sheets["criteria"][:1]
    leaves = []
    for area in range(1, 8):
        criteria.append(["A", str(area), f"Lĩnh vực {area}", None, None, None, None, None])
        for leaf in range(1, 5):
            code = f"{area}.{leaf}"
            rubric = "100:2;80:1;0:0" if leaf == 4 else None
            criteria.append(["A", code, f"Tiêu chí {code}", 2, "evidence", None, None, rubric])
            leaves.append(code)
    criteria.append(["A", "8", "Điều tra xã hội học", None, None, 0, None, None])
    questions = sheets["questions"][:1]
    survey = [f"8.{n}" for n in range(1, 11)]
    for code in survey:
        criteria.append(["A", code, f"Câu hỏi {code}", "2,5", "survey", None, None, None])
        questions.append(["A", code, "muc4", "hdnd;nguoi_dan", f"Câu hỏi {code}?"])
    sheets["criteria"] = criteria
    sheets["questions"] = questions
    scores = sheets["scores"][:1]
    for n in range(1, units + 1):
        for code in leaves:
            if code.endswith(".4"):
                value = rng.choice([100, 95, "85,5", 70])
                scores.append([f"A{n}", code, None, None, None, value, value, None, None])
            else:
                score = rng.choice([2, "1,5", 1, "0,75"])
                scores.append([f"A{n}", code, 2, score, None, None, None, "Đã thực hiện", None])
    sheets["scores"] = scores
    ballots = sheets["ballots"][:1]
    per_ballot = units * len(survey)
    for number in range(1, max(1, round(answers / per_ballot)) + 1):
        group = "hdnd" if number % 3 else "nguoi_dan"
        for n in range(1, units + 1):
            for code in survey:
                option = rng.choice("AABBBCCDE")
                ballots.append([f"P{number:05d}", group, f"A{n}", code, option])
    sheets["ballots"] = ballots
    return sheets
