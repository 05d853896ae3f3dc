"""User text in exported spreadsheets is text, never a formula (CSV/formula injection).

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return
before one of them) as a formula: a unit named `=HYPERLINK(…)` would become a live link
that leaks a neighbouring cell. Every xlsx and csv writer of the app goes through here:

- xlsx: the text is kept as it is, stored as a string cell (`data_type "s"`) with Excel's
  quote prefix set (the cell stays text even when someone edits it). The value read back
  is the same text, so a workbook exported, imported and exported again is unchanged;
- csv: a CSV cell has no type, so the text gets a leading apostrophe (OWASP's advice). CSV
  exports are for reading only; nothing imports them back.

Numbers, dates and booleans are never touched: only `str` values are.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(cell: Cell, value) -> Cell:
    """Put `value` in an existing cell (normal workbooks), user text as text."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def sheet_cell(sheet: Worksheet, row: int, column: int, value=None) -> Cell:
    """`sheet.cell(row, column, value)`, but a text that looks like a formula stays text."""
    return text_cell(sheet.cell(row, column), value)


def write_only_cell(worksheet, value):
    """A value for `worksheet.append` of a write-only workbook: formula-like text becomes a
    text cell; anything else is returned as it is."""
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def csv_safe(value) -> str:
    """A CSV field: None → empty; text that a spreadsheet would run gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
