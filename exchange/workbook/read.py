"""Reading a year workbook's sheets into numbered rows (INTERFACES.md §2)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from python_calamine import CalamineError, CalamineWorkbook

from surveys.ballots import cell_text, location, table_rows

from .columns import REQUIRED_SHEETS, SHEETS

Rows = list[tuple[int, dict]]


def workbook_read(source: str | Path | BinaryIO) -> tuple[dict[str, Rows], list[str]]:
    """Every known sheet as (row number, {column: cell}) rows, blank rows dropped.

    A missing optional sheet reads as no rows; a missing required sheet or column is an
    error. Cells are left as calamine returns them (numbers as floats).
    """
    try:
        if isinstance(source, str | Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
    except (CalamineError, OSError, ValueError) as error:
        return {}, [location("year", 1, "-", f"không đọc được tệp Excel (.xlsx): {error}")]

    sheets: dict[str, Rows] = {}
    errors: list[str] = []
    names = set(workbook.sheet_names)
    for sheet, (required, optional) in SHEETS.items():
        if sheet not in names:
            if sheet in REQUIRED_SHEETS:
                errors.append(location(sheet, 1, "-", f"thiếu trang tính bắt buộc '{sheet}'"))
            sheets[sheet] = []
            continue
        data = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        rows, sheet_errors = table_rows(
            sheet, enumerate(data, start=1), required=required, optional=optional
        )
        errors.extend(sheet_errors)
        sheets[sheet] = [
            (number, row) for number, row in rows if any(cell_text(value) for value in row.values())
        ]
    workbook.close()
    return sheets, errors
