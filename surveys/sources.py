"""Ballot files read as a stream: `.xlsx` through python-calamine, `.csv` through the csv
module, in the long format of INTERFACES §2 or the wide format (one row per ballot and
rated unit, one column per survey criterion), recognised from the header.

Rows are yielded one at a time and judged by a `BallotChecker`; nothing here holds the
file's rows in Python memory.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .ballots import (
    BALLOT_COLUMNS,
    AnswerRow,
    BallotChecker,
    blank_required,
    cell_text,
    location,
)

ROW_COLUMNS = ("ballot", "group", "unit")
CRITERION_HEADER = re.compile(r"^\d+(\.\d+)*$")
# An xlsx is a zip: refuse archives that would inflate past this (zip bombs).
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
CHUNK = 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")
BALLOT_FILE_SUFFIXES = (*XLSX_SUFFIXES, ".csv")


@dataclass
class BallotSource:
    """An opened ballots file: its layout and an iterator over its data rows."""

    sheet: str = "ballots"
    format: str = "long"  # "long" or "wide"
    total: int = 0  # data rows, for progress
    errors: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # column → cell index
    criteria: list[tuple[str, int]] = field(default_factory=list)  # wide: (code, cell index)
    lines: Iterator[tuple[int, list]] = field(default_factory=lambda: iter(()))


def file_error(reason: str, sheet: str = "ballots") -> BallotSource:
    return BallotSource(sheet=sheet, errors=[location(sheet, 1, "-", reason)])


def ballot_source_open(path: str | Path) -> BallotSource:
    """Open `.xlsx` (sheet `ballots`, or the only sheet) or UTF-8 `.csv`; read the header."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_source(path)
    if suffix in XLSX_SUFFIXES:
        return _xlsx_source(path)
    return file_error("tệp phiếu phải là .xlsx hoặc .csv")


def _csv_source(path: Path) -> BallotSource:
    # Check the encoding and count the lines in one cheap pass over the bytes.
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    last = b"\n"
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
                last = chunk[-1:]
            decoder.decode(b"", final=True)
        if last != b"\n":
            lines += 1  # a last line without its newline
    except UnicodeDecodeError:
        return file_error("tệp CSV phải mã hóa UTF-8")
    except OSError as error:
        return file_error(f"không đọc được tệp: {error}")

    def numbered() -> Iterator[tuple[int, list]]:
        with path.open(encoding="utf-8-sig", newline="") as text:
            first_line = text.readline()
            text.seek(0)
            # Excel with a Vietnamese locale separates CSV fields with ';' (decimal comma).
            delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
            reader = csv.reader(text, delimiter=delimiter)
            for cells in reader:
                yield reader.line_num, cells

    return _with_header("ballots", numbered(), total=max(lines - 1, 0))


def _xlsx_source(path: Path) -> BallotSource:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                return file_error("tệp giải nén quá lớn (nghi tệp độc hại)")
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if "ballots" in names:
            name = "ballots"
        elif len(names) == 1:
            name = names[0]
        else:
            return file_error("tệp không có trang tính 'ballots'")
        sheet = workbook.get_sheet_by_name(name)
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile) as error:
        return file_error(f"không đọc được tệp: {error}")
    first_row = sheet.start[0] if sheet.start else 0

    def numbered() -> Iterator[tuple[int, list]]:
        # calamine starts at the first non-empty row; numbers stay the spreadsheet's.
        for number, cells in enumerate(sheet.iter_rows(), start=first_row + 1):
            yield number, cells

    return _with_header(name, numbered(), total=max(sheet.height - 1, 0))


def _with_header(sheet: str, lines: Iterator[tuple[int, list]], *, total: int) -> BallotSource:
    first = next(lines, None)
    header = [cell_text(cell) for cell in first[1]] if first else []
    source = BallotSource(sheet=sheet, total=total, lines=lines)
    criteria = [
        (code, position) for position, code in enumerate(header) if CRITERION_HEADER.match(code)
    ]
    wide = (
        "criterion" not in header
        and "option" not in header
        and all(column in header for column in ROW_COLUMNS)
        and bool(criteria)
    )
    required = ROW_COLUMNS if wide else BALLOT_COLUMNS
    missing = [column for column in required if column not in header]
    if missing:
        source.errors = [location(sheet, 1, column, "thiếu cột bắt buộc") for column in missing]
        return source
    if wide:
        source.format = "wide"
        source.criteria = criteria
        duplicated = sorted({code for code, _ in criteria if header.count(code) > 1})
        source.errors = [location(sheet, 1, code, "cột tiêu chí lặp lại") for code in duplicated]
    source.positions = {column: header.index(column) for column in required}
    return source


def cell(cells: list, position: int) -> object:
    return cells[position] if position < len(cells) else None


def ballot_source_rows(
    source: BallotSource, checker: BallotChecker
) -> Iterator[tuple[int, list[AnswerRow], list[str]]]:
    """(row number, valid answers of the row, errors of the row), row by row.

    Blank rows are skipped. In the wide format a blank criterion cell is no answer, and
    errors about an answer name the criterion's column.
    """
    positions = source.positions
    if source.format == "long":
        for number, cells in source.lines:
            row = {column: cell(cells, position) for column, position in positions.items()}
            answer, errors = checker.check_long(number, row)
            if answer is not None:
                yield number, [answer], []
            elif errors:
                yield number, [], errors
        return

    sheet = source.sheet
    for number, cells in source.lines:
        values = {column: cell_text(cell(cells, p)) for column, p in positions.items()}
        options = [(code, cell_text(cell(cells, p))) for code, p in source.criteria]
        answered = [(code, option) for code, option in options if option]
        if not any(values.values()) and not answered:
            continue
        errors = blank_required(sheet, number, values, ROW_COLUMNS)
        block = checker.check_row(number, values["ballot"], values["group"], values["unit"], errors)
        if not answered:
            errors.append(location(sheet, number, "-", "dòng không có câu trả lời nào"))
        answers = []
        for code, option in answered:
            answer_errors: list[str] = []
            checker.check_answer(
                number,
                {**values, "criterion": code, "option": option},
                block,
                answer_errors,
                criterion_column=code,
                option_column=code,
                group_column=code,
            )
            if answer_errors:
                errors.extend(answer_errors)
            else:
                answers.append(
                    AnswerRow(values["ballot"], values["group"], values["unit"], code, option)
                )
        yield number, ([] if errors else answers), errors
