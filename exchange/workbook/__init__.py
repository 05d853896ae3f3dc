"""The year workbook (INTERFACES.md §2): import and export of a whole assessment year.

    year_workbook_import(source=path, replace=False) → (Year, rows stored per sheet)
    year_workbook_export(year=year, out=path)        → the path written
    year_workbook_render(year=year)                  → (filename, content type, bytes)

    COLUMNS[sheet]                                   → its columns in order: the header row

Reading (calamine) → validation into plain data, every error collected as
`sheet!row: column: reason` → one transaction of bulk inserts.

    columns.py            the sheets and their columns (bench/ and tests/ read them too)
    read.py, cells.py     the sheets as numbered rows; one row's cells parsed
    validate.py           the order of the checks; the year and rules sheets
    validate_units.py     the blocks and units sheets: kinds, predecessors (DOMAIN §8)
    validate_criteria.py  the criteria tree and the scores
    validate_surveys.py   groups, scales, questions; the codes ballots are checked against
    year_data.py          the plain data validation gives
    replace.py            what a `--replace` would destroy: refused unless carried over
    write.py              storing it: one transaction of bulk inserts; files of a deleted
                          year leave the disk once the transaction commits
    export.py             the year written back as its workbook
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError

from criteria.models import Year

from .columns import COLUMNS
from .export import year_workbook_export, year_workbook_render, year_workbook_write
from .read import workbook_read
from .replace import Carried, year_work
from .validate import workbook_validate, year_target_check
from .write import year_data_delete, year_data_write
from .year_data import YearData

__all__ = [
    "COLUMNS",
    "Carried",
    "YearData",
    "workbook_check",
    "year_data_delete",
    "year_data_write",
    "year_workbook_export",
    "year_workbook_import",
    "year_workbook_render",
    "year_workbook_write",
    "year_target_check",
    "year_work",
]


def workbook_check(
    *, source: str | Path | BinaryIO, replace: bool = False, target: bool = True
) -> tuple[YearData, list[str]]:
    """Read and validate without writing: the data and every error line; `target=False`
    leaves the look at the stored year to the caller (the archive, which carries more)."""
    sheets, errors = workbook_read(source)
    if errors:
        # A missing sheet or column would make every later row look wrong.
        return YearData(), errors
    data, errors = workbook_validate(sheets)
    if target:
        errors.extend(year_target_check(data=data, replace=replace))
    return data, errors


def year_workbook_import(
    *, source: str | Path | BinaryIO, replace: bool = False
) -> tuple[Year, dict[str, int]]:
    """Import a year workbook, all or nothing; raises ValidationError listing every error."""
    data, errors = workbook_check(source=source, replace=replace)
    if errors:
        raise ValidationError(errors)
    name = Path(source).name if isinstance(source, str | Path) else ""
    return year_data_write(data=data, replace=replace, source=f"tệp Excel {name}".strip())
