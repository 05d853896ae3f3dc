"""A small valid year workbook, as plain rows, for tests to change and save.

    sheets = year_sheets()                      # {sheet: [header, row, row, ...]}
    set_cell(sheets, "scores", 3, "appraised_score", "9")   # spreadsheet row 3
    row = add_row(sheets, "ballots", ballot="P9", ...)      # its spreadsheet row number
    path = save_workbook(sheets, tmp_path / "2022.xlsx")
    errors = import_errors(path)             # a refused import_year's lines; nothing written

Row numbers are the spreadsheet's: the header is row 1, so `sheets[s][n - 1]` is row n.
The year (2022, block A, units A1 and A18) holds: an inner area with a given maximum, an
evidence leaf, a rubric leaf, a deduction leaf, a survey area with two questioned leaves
and one leaf without a question, two respondent groups, a scale with a not-counted option,
and ballots. Numbers mix numeric cells and comma-decimal text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from criteria.models import Criterion, Participation, Year
from evidence.models import Score
from exchange.workbook import COLUMNS
from surveys.models import Answer, Ballot
from units.models import Block, Unit

YEAR = 2022


def _unit(code: str, name: str, head_name: str) -> dict:
    return {
        "block": "A",
        "code": code,
        "name": name,
        "head_title": "Giám đốc Sở",
        "head_name": head_name,
    }


def _criterion(code: str, name: str, **columns) -> dict:
    return {"block": "A", "code": code, "name": name, **columns}


def _option(code: str, label: str, coefficient, **columns) -> dict:
    return {"scale": "muc4", "option": code, "label": label, "coefficient": coefficient, **columns}


def _answer(ballot, group: str, unit: str, criterion: str, option: str) -> dict:
    return {
        "ballot": ballot,
        "group": group,
        "unit": unit,
        "criterion": criterion,
        "option": option,
    }


# The valid year, row by row, each row by column name (a column left out is blank); the
# header and the order of the cells come from the workbook's own COLUMNS.
_ROWS: dict[str, list[dict]] = {
    "year": [
        {"key": "year", "value": YEAR},
        {"key": "name", "value": "Chỉ số CCHC năm 2022"},
        {"key": "self_assessment_opens", "value": "2022-12-25"},
        {"key": "self_assessment_closes", "value": "2023-01-10"},
        {"key": "appraisal_opens", "value": "2023-01-11"},
        {"key": "appraisal_closes", "value": "2023-01-16"},
        {"key": "published_on"},
    ],
    "rules": [{"block": "A", "key": "self_review", "value": "1:75"}],
    "blocks": [{"code": "A", "name": "Sở, ban, ngành tỉnh"}],
    "units": [
        _unit("A1", "Sở Giao thông vận tải", "Nguyễn Văn An"),
        _unit("A18", "Sở Y tế", "Trần Thị Bình"),
    ],
    "criteria": [
        _criterion("1", "Công tác chỉ đạo, điều hành cải cách hành chính", max_points=4),
        _criterion("1.1", "Kế hoạch CCHC năm", max_points=2, method="evidence"),
        _criterion(
            "1.2",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            max_points="2",
            method="evidence",
            kind="normal",
            rubric="100:2;80:1;0:0",
        ),
        _criterion(
            "1.3",
            "Vi phạm kỷ luật hành chính",
            max_points="0,5",
            method="evidence",
            kind="deduction",
        ),
        _criterion("2", "Đánh giá qua điều tra xã hội học"),
        _criterion("2.1", "Ý kiến đánh giá của các tổ chức"),
        _criterion("2.1.1", "Chất lượng văn bản", max_points=1, method="survey"),
        _criterion("2.1.2", "Thái độ công chức", max_points=1.5, method="survey"),
        _criterion("2.2", "SIPAS", max_points=1, method="survey"),
    ],
    "scores": [
        {
            "unit": "A1",
            "criterion": "1.1",
            "self_score": 2,
            "appraised_score": "1,5",
            "self_note": "Đã ban hành kế hoạch",
            "appraisal_note": "Ban hành muộn",
        },
        {"unit": "A1", "criterion": "1.2", "self_value": 100, "appraised_value": "85,5"},
        {
            "unit": "A1",
            "criterion": "1.3",
            "appraised_score": "0,25",
            "appraisal_note": "Một trường hợp",
        },
        {
            "unit": "A18",
            "criterion": "1.1",
            "self_score": 2,
            "appraised_score": 2,
            "not_applicable": 0,
        },
        {"unit": "A18", "criterion": "1.2", "not_applicable": 1},
    ],
    "groups": [
        {"code": "hdnd", "name": "Đại biểu HĐND tỉnh"},
        {"code": "nguoi_dan", "name": "Người dân, doanh nghiệp"},
    ],
    "scales": [
        _option("A", "Rất tốt", 1),
        _option("B", "Tốt", "0,75", counted=1),
        _option("C", "Trung bình", 0.5),
        _option("D", "Kém", 0),
        _option("E", "Không biết / không trả lời", 0, counted=0),
    ],
    "questions": [
        {
            "block": "A",
            "criterion": "2.1.1",
            "scale": "muc4",
            "groups": "hdnd;nguoi_dan",
            "text": "Văn bản của đơn vị có rõ ràng, kịp thời?",
        },
        {"block": "A", "criterion": "2.1.2", "scale": "muc4", "groups": "hdnd"},
    ],
    "ballots": [
        _answer("P1", "hdnd", "A1", "2.1.1", "A"),
        _answer("P1", "hdnd", "A1", "2.1.2", "B"),
        _answer("P1", "hdnd", "A18", "2.1.1", "C"),
        _answer("P1", "hdnd", "A18", "2.1.2", "D"),
        _answer("P2", "nguoi_dan", "A1", "2.1.1", "E"),
        _answer("P2", "nguoi_dan", "A18", "2.1.1", "B"),
        _answer(1001, "nguoi_dan", "A1", "2.1.1", "B"),
    ],
}


def year_sheets() -> dict[str, list[list]]:
    """A fresh copy of the valid workbook's rows, header first."""
    return {
        sheet: [list(COLUMNS[sheet]), *(cells_of(sheet, row) for row in rows)]
        for sheet, rows in _ROWS.items()
    }


def cells_of(sheet: str, values: dict) -> list:
    """A row given by column names, as the sheet's cells in order."""
    unknown = set(values) - set(COLUMNS[sheet])
    assert not unknown, f"no such column in {sheet}: {unknown}"
    return [values.get(name) for name in COLUMNS[sheet]]


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


def stored_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Year, Block, Unit, Participation, Criterion, Score, Ballot, Answer)
    }


def import_errors(path, *args) -> list[str]:
    """The error lines of a refused import, after checking that nothing was written."""
    before = stored_counts()
    with pytest.raises(CommandError) as info:
        call_command("import_year", str(path), *args)
    assert stored_counts() == before
    lines = str(info.value).splitlines()
    assert lines[-1] == f"{len(lines) - 1} lỗi; không có dữ liệu nào được ghi."
    return lines[:-1]
