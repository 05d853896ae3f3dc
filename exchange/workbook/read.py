"""Reading a year workbook's sheets into numbered rows (INTERFACES.md §2).

The file is measured and read as every spreadsheet is (surveys.sources: the zip's real
inflated size, rows cut to the header's width, the declared dimension ignored). Nothing is
read as "no data" by accident: a sheet or column whose name differs from the expected one
only by case, accents, spaces or a known translation is matched and reported (two
candidates are an error naming the expected name), a header below a title row is used and
reported, and a formula error cell (`#DIV/0!`) is an error at its cell, never a blank.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError

from kernel.text import formula_error
from surveys.ballots import cell_text, location
from surveys.sources import (
    BALLOT_SHEET_ALIASES,
    COLUMN_ALIASES,
    LineError,
    header_find,
    sheet_find,
    spreadsheet_open,
)

from .columns import REQUIRED_SHEETS, SHEETS

Rows = list[tuple[int, dict]]

SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("năm", "năm đánh giá"),
    "rules": ("quy tắc", "quy định"),
    "blocks": ("khối",),
    "units": ("đơn vị", "các đơn vị"),
    "criteria": ("tiêu chí", "bộ tiêu chí", "chỉ số"),
    "scores": ("điểm", "điểm số", "chấm điểm"),
    "groups": ("nhóm", "nhóm đối tượng"),
    "scales": ("thang đo",),
    "questions": ("câu hỏi",),
    "ballots": BALLOT_SHEET_ALIASES,
}
WORKBOOK_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    **COLUMN_ALIASES,
    "key": ("khóa", "khoá", "tham số"),
    "value": ("giá trị",),
    "code": ("mã",),
    "name": ("tên",),
    "block": ("khối", "mã khối"),
    "kind": ("loại",),
    "head_title": ("chức danh thủ trưởng", "chức vụ"),
    "head_name": ("thủ trưởng", "họ tên thủ trưởng", "tên thủ trưởng"),
    "max_points": ("điểm tối đa", "max points"),
    "method": ("phương pháp", "cách chấm"),
    "counts_for_classification": ("tính xếp loại",),
    "rubric": ("thang điểm", "thang chấm"),
    "self_score": ("điểm tự đánh giá", "tự chấm", "điểm tự chấm"),
    "appraised_score": ("điểm thẩm định", "appraisal score"),
    "not_applicable": ("không áp dụng",),
    "self_value": ("giá trị tự đánh giá",),
    "appraised_value": ("giá trị thẩm định", "appraisal value"),
    "self_note": ("ghi chú tự đánh giá", "giải trình tự đánh giá", "self notes"),
    "appraisal_note": ("ghi chú thẩm định", "nhận xét thẩm định", "appraised note"),
    "scale": ("thang đo",),
    "label": ("nhãn", "tên phương án"),
    "coefficient": ("hệ số",),
    "counted": ("được tính",),
    "groups": ("các nhóm", "nhóm được hỏi"),
    "text": ("nội dung", "câu hỏi"),
    "predecessors": ("đơn vị tiền thân", "tiền thân"),
    "sipas": ("chỉ số hài lòng", "hài lòng"),
}


class Sheets(dict):
    """sheet → rows, with the notes of what was matched or found where (`tiêu đề ở dòng 3`)."""

    def __init__(self):
        super().__init__()
        self.notes: list[str] = []
        self.absent: set[str] = set()  # optional sheets the file does not have


def workbook_read(source: str | Path | BinaryIO) -> tuple[Sheets, list[str]]:
    """Every known sheet as (row number, {column: cell}) rows, blank rows dropped.

    A missing optional sheet reads as no rows (and is noted); a missing required sheet or
    column is an error. Numbers are left as the cells hold them; percent cells are read as
    the percentage shown.
    """
    if isinstance(source, str | Path):
        return _read_path(Path(source))
    # Read from a copy on disk, under the upload's own name (messages quote it).
    name = Path(str(getattr(source, "name", "") or "")).name
    name = name if name not in ("", ".", "..") else "nam.xlsx"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / name
        with copy.open("wb") as target:
            shutil.copyfileobj(source, target)
        return _read_path(copy)


def _read_path(path: Path) -> tuple[Sheets, list[str]]:
    sheets = Sheets()
    try:
        book = spreadsheet_open(path)
    except ValidationError as error:
        return sheets, [location("year", 1, "-", message) for message in error.messages]
    errors: list[str] = []
    try:
        for sheet, (required, optional) in SHEETS.items():
            sheets[sheet] = _sheet_rows(book, sheet, required, optional, sheets, errors)
    finally:
        book.close()
    return sheets, errors


def _sheet_rows(book, sheet, required, optional, sheets: Sheets, errors: list[str]) -> Rows:
    notes = sheets.notes
    try:
        name, note = sheet_find(book.names, sheet, SHEET_ALIASES.get(sheet, ()))
    except ValidationError as error:
        errors.extend(location(sheet, 1, "-", message) for message in error.messages)
        return []
    if name is None:
        if sheet in REQUIRED_SHEETS:
            errors.append(location(sheet, 1, "-", f"thiếu trang tính bắt buộc '{sheet}'"))
        else:
            sheets.absent.add(sheet)
            notes.append(f"không có trang '{sheet}': năm không có dữ liệu của trang này")
        return []
    if note:
        notes.append(note)
    try:
        data = book.sheet(name, rich=True)
        header = header_find(
            sheet, data.head, required=required, optional=optional, aliases=WORKBOOK_COLUMN_ALIASES
        )
        notes.extend(header.notes)
        if header.errors:
            errors.extend(header.errors)
            return []
        width = max(header.positions.values()) + 1
        rows: Rows = []
        for number, cells in data.rest(header.row, width):
            row = {
                column: cells[position] if position < len(cells) else None
                for column, position in header.positions.items()
            }
            if not any(cell_text(value) for value in row.values()):
                continue
            for column, value in row.items():
                if shown := formula_error(value):
                    errors.append(location(sheet, number, column, f"ô lỗi công thức {shown}"))
                    row[column] = None
            row.update((column, None) for column in optional if column not in row)
            rows.append((number, row))
        return rows
    except ValidationError as error:
        errors.extend(location(sheet, 1, "-", message) for message in error.messages)
    except LineError as error:
        errors.append(location(sheet, error.number, "-", error.reason))
    return []
