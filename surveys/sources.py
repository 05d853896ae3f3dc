"""Spreadsheet and CSV files read as bounded streams, and ballot files on top of them.

Every spreadsheet is measured before it is opened (`kernel.zipguard`: the bytes its zip
really inflates to). An `.xlsx` is read by openpyxl in read-only mode with its declared
dimension ignored and every row cut to the header's width: one cell at XFD1048576 costs a
row, not 17 billion cells, and half a million answers stream in constant memory. `.ods`
and `.xls` go through calamine, which refuses oversized sheets itself. A `.csv` has its
encoding detected (UTF-8 with or without BOM, UTF-16, Windows-1258/1252), its separator
(`,` `;` tab, or Excel's `sep=` line), records numbered as a spreadsheet shows them, an
unclosed quote refused at the line where it opens.

The header is looked for in the first rows (a title above it is reported, "tiêu đề ở dòng
3"); a column whose name differs only by case, accents, spaces or a known translation is
matched and reported, two candidates for one column are an error naming it.

Ballot rows are judged one at a time by a `BallotChecker`; nothing here holds the file's
rows in Python memory.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError

from kernel.text import (
    SAVE_AS_UTF8,
    EncodingSniffer,
    encoding_label,
    formula_error,
    names_matching,
)
from kernel.zipguard import ods_extent_guard, zip_guard

from .ballots import (
    BALLOT_COLUMN_ALIASES,
    BALLOT_COLUMNS,
    BALLOT_SHEET_ALIASES,
    AnswerRow,
    BallotChecker,
    blank_required,
    cell_text,
    location,
)

logger = logging.getLogger(__name__)

ROW_COLUMNS = ("ballot", "group", "unit")
CRITERION_HEADER = re.compile(r"^\d+(\.\d+)*$")
# A spreadsheet may inflate to this much (zip bombs), hold this many rows (Excel's own
# limit) and be read this wide: columns past it are never looked at.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ROWS = 1_048_576
MAX_COLUMNS = 512
HEADER_ROWS = 10
CHUNK = 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SPREADSHEET_SUFFIXES = (*XLSX_SUFFIXES, ".ods", ".xls")
BALLOT_FILE_SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")
SPREADSHEET = "tệp bảng tính (.xlsx, .ods, .xls)"
COLUMN_ALIASES = BALLOT_COLUMN_ALIASES

Line = tuple[int, list]


class LineError(Exception):
    """A line that cannot be read (an unclosed quote, an oversized field): the file stops."""

    def __init__(self, number: int, reason: str):
        super().__init__(reason)
        self.number, self.reason = number, reason


@dataclass
class Sheet:
    """One sheet (or a CSV file): its first lines, and the lines after a row, cut to a width."""

    name: str
    head: list[Line]
    rest: Callable[[int, int], Iterator[Line]]
    total: int = 0  # rows, for progress
    notes: list[str] = field(default_factory=list)


class Spreadsheet:
    """An opened workbook: its sheet names and each sheet as a `Sheet`."""

    def __init__(self, path: Path, kind: str, book):
        self.path, self.kind, self.book = path, kind, book
        if kind == "xlsx":
            self.names = [sheet.title for sheet in book.worksheets]
        else:
            self.names = list(book.sheet_names)

    def sheet(self, name: str, *, rich: bool = False) -> Sheet:
        """`rich`: read the cells' formats too (percent cells as the percentage shown)."""
        if self.kind == "xlsx":
            return _xlsx_sheet(self.book[name], rich=rich)
        try:
            data = self.book.get_sheet_by_name(name)
        except Exception as error:  # noqa: BLE001 - the library's text goes to the log
            logger.info("calamine: %s: %s", self.path, error)
            raise ValidationError(_calamine_message(f"Trang tính '{name}'", error)) from None
        return _calamine_sheet(name, data)

    def close(self) -> None:
        self.book.close()


def spreadsheet_open(path: str | Path) -> Spreadsheet:
    """Measure, then open an .xlsx/.xlsm (openpyxl), .ods or .xls (calamine), told apart by
    content; raises ValidationError with a Vietnamese message."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        logger.info("spreadsheet_open: %s: %s", path, error)
        raise ValidationError(f"Không mở được tệp '{path.name}'.") from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _calamine_open(path, "xls")
    if not head.startswith(b"PK"):
        raise ValidationError(
            f"Tệp '{path.name}' không phải {SPREADSHEET}: hãy mở bằng Excel hoặc LibreOffice và "
            "lưu lại dạng .xlsx."
        )
    zip_guard(path, limit=MAX_UNZIPPED_BYTES, what=f"Tệp '{path.name}'")
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
    if "content.xml" in members:
        ods_extent_guard(path, max_cells=MAX_CELLS, what=f"Tệp '{path.name}'")
        return _calamine_open(path, "ods")
    if "xl/workbook.xml" not in members:
        raise ValidationError(f"Tệp '{path.name}' là tệp nén ZIP nhưng không phải {SPREADSHEET}.")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - a crafted file: the library's text is logged
        logger.info("openpyxl: %s: %s", path, error)
        raise ValidationError(
            f"Tệp '{path.name}' bị hỏng, không đọc được như tệp Excel (.xlsx); hãy mở bằng Excel "
            "và lưu lại."
        ) from None
    return Spreadsheet(path, "xlsx", book)


# calamine holds a sheet as a dense grid: its extent, not its content, is the memory.
MAX_CELLS = 20_000_000


def _calamine_open(path: Path, kind: str) -> Spreadsheet:
    from python_calamine import CalamineWorkbook

    try:
        return Spreadsheet(path, kind, CalamineWorkbook.from_path(str(path)))
    except Exception as error:  # noqa: BLE001 - a crafted file: the library's text is logged
        logger.info("calamine: %s: %s", path, error)
        if "limit" in str(error).lower():
            what = f"Tệp '{path.name}' có trang tính"
            raise ValidationError(_calamine_message(what, error)) from None
        raise ValidationError(
            f"Tệp '{path.name}' bị hỏng, không đọc được như tệp .{kind}; hãy mở bằng Excel hoặc "
            "LibreOffice và lưu lại dạng .xlsx."
        ) from None


def _calamine_message(what: str, error: Exception) -> str:
    if "limit" in str(error).lower():
        return (
            f"{what} quá lớn (có ô nằm quá xa, ngoài vùng dữ liệu): xóa các dòng, cột thừa "
            "hoặc lưu lại dạng .xlsx."
        )
    return f"{what} bị hỏng, không đọc được."


def _rows_bounded(rows: Iterable, first: int) -> Iterator[Line]:
    for number, cells in enumerate(rows, start=first):
        if number > MAX_ROWS:
            raise LineError(number, f"tệp có hơn {MAX_ROWS} dòng, quá giới hạn")
        yield number, list(cells)


def _xlsx_sheet(worksheet, *, rich: bool) -> Sheet:
    from openpyxl.cell.read_only import EMPTY_CELL

    # The declared dimension is the file's word, not its content: only a progress estimate.
    declared = min(worksheet.max_row or 0, MAX_ROWS)
    worksheet.reset_dimensions()
    # Ballots (plain) hold no dates: their half a million rows are taken as read.
    blank, convert = (EMPTY_CELL, _rich_value) if rich else (None, None)

    def lines(first: int, width: int, last: int | None = None) -> Iterator[Line]:
        rows = worksheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=not rich)
        for number, cells in enumerate(rows, start=first):
            if number > MAX_ROWS:
                raise LineError(number, f"tệp có hơn {MAX_ROWS} dòng, quá giới hạn")
            # Rows missing from the file (one far cell leaves a million) cost a count.
            if any(cell is not blank for cell in cells):
                yield number, [convert(cell) for cell in cells] if rich else list(cells)

    head = [(n, _trimmed(cells)) for n, cells in lines(1, MAX_COLUMNS, HEADER_ROWS)]
    return Sheet(
        name=worksheet.title,
        head=head,
        rest=lambda after, width: lines(after + 1, width),
        total=max(declared - 1, 0),
    )


def _plain_value(value):
    if isinstance(value, datetime.datetime) and value.time() == datetime.time.min:
        return value.date()  # a date cell: openpyxl gives midnight, the user meant the day
    return value


def _rich_value(cell):
    value = getattr(cell, "value", None)
    if isinstance(value, bool) or value is None:
        return value
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and "%" in number_format:
        # Shown as 44,7 %: the user means 44,7 (rounded as Excel shows numbers).
        return (Decimal(format(value, ".15g")) * 100).normalize()
    if isinstance(value, datetime.datetime) and value.time() == datetime.time.min:
        if "h" not in number_format.lower():
            return value.date()
    return value


def _trimmed(cells: list) -> list:
    end = len(cells)
    while end and cell_text(cells[end - 1]) == "":
        end -= 1
    return cells[:end]


def _calamine_sheet(name: str, data) -> Sheet:
    # calamine starts at the first non-empty row; numbers stay the spreadsheet's.
    first_row = data.start[0] + 1 if data.start else 1

    def lines(after: int, width: int) -> Iterator[Line]:
        rows = (cells[:width] for cells in data.iter_rows())
        for number, cells in _rows_bounded(rows, first_row):
            if number > after:
                yield number, [_plain_value(value) for value in cells]

    head = [
        (number, _trimmed([_plain_value(v) for v in cells[:MAX_COLUMNS]]))
        for number, cells in zip(
            range(first_row, first_row + HEADER_ROWS), data.iter_rows(), strict=False
        )
    ]
    return Sheet(name=name, head=head, rest=lines, total=max(data.height - 1, 0))


def csv_sheet(path: Path, sheet: str = "ballots") -> Sheet:
    """A CSV file as a sheet; raises ValidationError for an encoding we cannot read."""
    sniffer = EncodingSniffer()
    newlines, last = 0, b"\n"
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(CHUNK):
                sniffer.feed(chunk)
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
        newlines += last != b"\n"  # a last line without its newline
    except OSError as error:
        logger.info("csv_sheet: %s: %s", path, error)
        raise ValidationError(f"Không đọc được tệp '{path.name}'.") from None
    encoding = sniffer.encoding()
    if encoding is None:
        raise ValidationError(f"Tệp CSV '{path.name}' không đọc được: {SAVE_AS_UTF8}.")
    with path.open(encoding=encoding, newline="", errors="replace") as text:
        first = text.readline().lstrip("\ufeff")
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(
            f"tệp CSV mã hóa {encoding_label(encoding)}: đã đọc theo mã này; để chắc chắn, "
            f"lần sau {SAVE_AS_UTF8}"
        )
    separator = re.fullmatch(r"sep=(.)\s*", first)
    if separator:
        delimiter, skip = separator.group(1), 1
        notes.append(f"dòng đầu 'sep={delimiter}' của Excel: dùng '{delimiter}' làm dấu phân cách")
    else:
        counts = {mark: first.count(mark) for mark in (",", ";", "\t")}
        delimiter, skip = max(counts, key=counts.get), 0
    records = _csv_records(path, encoding, delimiter, skip)
    buffered: list[Line] = []
    broken: list[LineError] = []  # met among the first lines: raised where it is
    try:
        buffered.extend(itertools.islice(records, HEADER_ROWS))
    except LineError as error:
        broken.append(error)

    def rest(after: int, width: int) -> Iterator[Line]:
        for number, cells in buffered:
            if number > after:
                yield number, cells[:width]
        if broken:
            raise broken[0]
        for number, cells in records:
            yield number, cells[:width]

    return Sheet(
        name=sheet,
        head=[(number, _trimmed(cells[:MAX_COLUMNS])) for number, cells in buffered],
        rest=rest,
        total=max(newlines - 1 - skip, 0),
        notes=notes,
    )


def _csv_records(path: Path, encoding: str, delimiter: str, skip: int) -> Iterator[Line]:
    """(record number as a spreadsheet shows it, cells); a quoted field running over lines
    and separators (an unclosed quote swallowing rows) stops the file at its first line."""
    with path.open(encoding=encoding, newline="") as text:
        for _ in range(skip):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        number = 0
        while True:
            opened = reader.line_num + 1 + skip
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise LineError(number, _csv_problem(str(error), opened)) from None
            except UnicodeDecodeError:
                raise LineError(number, f"có byte không đọc được; {SAVE_AS_UTF8}") from None
            if any("\n" in value and delimiter in value for value in cells):
                raise LineError(number, _csv_problem("unclosed", opened))
            yield number, cells


def _csv_problem(error: str, line: int) -> str:
    if "field larger than field limit" in error:
        return f"một ô dài quá {csv.field_size_limit()} ký tự (dòng {line} của tệp)"
    return (
        f'dấu ngoặc kép (") mở ở dòng {line} của tệp không được đóng đúng chỗ, nên các dòng '
        "sau bị gộp vào một ô; sửa dấu ngoặc kép ở dòng đó"
    )


@dataclass
class Header:
    """Where a sheet's header is and which cell holds each column."""

    row: int = 1
    positions: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)


def header_find(
    sheet: str,
    head: list[Line],
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    aliases: Mapping[str, Iterable[str]] = COLUMN_ALIASES,
) -> Header:
    """The first of the sheet's first lines that holds every required column (matched
    exactly, or by `name_key` and the known aliases); else the errors of the likeliest."""
    required, optional = tuple(required), tuple(optional)
    best: Header | None = None
    for number, cells in head:
        header = _header_at(sheet, number, cells, required, optional, aliases)
        if not header.errors and all(column in header.positions for column in required):
            if number != 1:
                header.notes.append(f"{sheet}: tiêu đề ở dòng {number}")
            return header
        if best is None or len(header.positions) > len(best.positions):
            best = header
    best = best or Header(row=1)
    row = best.row
    missing = [
        column
        for column in required
        if column not in best.positions and column not in best.ambiguous
    ]
    where = "" if row == 1 else f" (dòng tiêu đề được đoán là dòng {row})"
    best.errors += [
        location(
            sheet,
            row,
            column,
            f"thiếu cột bắt buộc '{column}'{where} (dòng tiêu đề phải nằm trong "
            f"{HEADER_ROWS} dòng đầu)",
        )
        for column in missing
    ]
    return best


def _header_at(sheet, number, cells, required, optional, aliases) -> Header:
    texts = [cell_text(cell) for cell in cells]
    header = Header(row=number, cells=texts)
    for column in (*required, *optional):
        found = names_matching(texts, column, aliases.get(column, ()))
        if len(found) > 1:
            header.ambiguous.add(column)
            names = " và ".join(f"'{texts[i]}'" for i in found)
            header.errors.append(
                location(sheet, number, column, f"cả {names} đều có thể là cột '{column}'")
            )
        elif found:
            header.positions[column] = found[0]
            if texts[found[0]] != column:
                header.notes.append(f"{sheet}: cột '{texts[found[0]]}' được hiểu là '{column}'")
    return header


def sheet_find(names: list[str], wanted: str, aliases: Iterable[str] = ()) -> tuple:
    """(the sheet's name, a note) for `wanted`: itself, else the one name matching it or an
    alias by `name_key`; (None, None) when none does. Raises ValidationError when several do."""
    found = names_matching(names, wanted, aliases)
    if len(found) > 1:
        listed = ", ".join(f"'{names[i]}'" for i in found)
        raise ValidationError(f"các trang {listed} đều có thể là trang '{wanted}'")
    if not found:
        return None, None
    name = names[found[0]]
    return name, (None if name == wanted else f"trang '{name}' được hiểu là trang '{wanted}'")


@dataclass
class BallotSource:
    """An opened ballots file: its layout and an iterator over its data rows."""

    sheet: str = "ballots"
    format: str = "long"  # "long" or "wide"
    total: int = 0  # data rows, for progress
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # column → cell index
    criteria: list[tuple[str, int]] = field(default_factory=list)  # wide: (code, cell index)
    lines: Iterator[Line] = field(default_factory=lambda: iter(()))


def file_error(reason: str, sheet: str = "ballots") -> BallotSource:
    return BallotSource(sheet=sheet, errors=[location(sheet, 1, "-", reason)])


def ballot_source_open(path: str | Path) -> BallotSource:
    """Open a ballots file (.xlsx, .ods, .xls: sheet `ballots`, its known translations, or
    the only sheet; or a .csv) and find its header; problems are the source's errors."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in BALLOT_FILE_SUFFIXES:
        return file_error("tệp phiếu phải là .xlsx, .ods, .xls hoặc .csv")
    try:
        if suffix == ".csv":
            return _with_header(csv_sheet(path))
        book = spreadsheet_open(path)
        name, note = sheet_find(book.names, "ballots", BALLOT_SHEET_ALIASES)
        if name is None and len(book.names) == 1:
            name = book.names[0]
        if name is None:
            listed = ", ".join(f"'{name}'" for name in book.names)
            return file_error(f"tệp không có trang tính 'ballots' (các trang: {listed})")
        source = _with_header(book.sheet(name))
        source.notes[:0] = [note] if note else []
        return source
    except ValidationError as error:
        return BallotSource(errors=[location("ballots", 1, "-", m) for m in error.messages])
    except LineError as error:
        return file_error(error.reason)


def _with_header(sheet: Sheet) -> BallotSource:
    header = header_find(
        sheet.name, sheet.head, required=ROW_COLUMNS, optional=("criterion", "option")
    )
    criteria = [(c, i) for i, c in enumerate(header.cells) if CRITERION_HEADER.match(c)]
    long_columns = {"criterion", "option"} & set(header.positions)
    wide = not long_columns and not header.errors and bool(criteria)
    if not wide:
        header = header_find(sheet.name, sheet.head, required=BALLOT_COLUMNS)
    source = BallotSource(sheet=sheet.name, total=sheet.total, notes=sheet.notes + header.notes)
    if header.errors:
        source.errors = header.errors
        return source
    if wide:
        source.format = "wide"
        source.criteria = criteria
        codes = [code for code, _ in criteria]
        duplicated = sorted({code for code in codes if codes.count(code) > 1})
        source.errors = [
            location(sheet.name, header.row, c, "cột tiêu chí lặp lại") for c in duplicated
        ]
    source.positions = {
        column: header.positions[column] for column in (ROW_COLUMNS if wide else BALLOT_COLUMNS)
    }
    width = max([*source.positions.values(), *(i for _, i in criteria)], default=0) + 1
    source.lines = sheet.rest(header.row, width)
    return source


def cell(cells: list, position: int) -> object:
    return cells[position] if position < len(cells) else None


def ballot_source_rows(
    source: BallotSource, checker: BallotChecker
) -> Iterator[tuple[int, list[AnswerRow], list[str]]]:
    """(row number, valid answers of the row, errors of the row), row by row.

    Blank rows are skipped. In the wide format a blank criterion cell is no answer, and
    errors about an answer name the criterion's column. A line that cannot be read ends
    the file with its error; a formula error cell is an error at its cell.
    """
    try:
        yield from _rows(source, checker)
    except LineError as error:
        yield error.number, [], [location(source.sheet, error.number, "-", error.reason)]


def _formula_errors(sheet: str, number: int, cells: list, columns: Mapping[str, int]) -> list:
    return [
        location(sheet, number, column, f"ô lỗi công thức {shown} (sửa công thức trong tệp)")
        for column, position in columns.items()
        if (shown := formula_error(cell(cells, position)))
    ]


def _rows(source: BallotSource, checker: BallotChecker):
    positions, sheet = source.positions, source.sheet
    if source.format == "long":
        for number, cells in source.lines:
            broken = _formula_errors(sheet, number, cells, positions)
            if broken:
                yield number, [], broken
                continue
            row = {column: cell(cells, position) for column, position in positions.items()}
            answer, errors = checker.check_long(number, row)
            if answer is not None:
                yield number, [answer], []
            elif errors:
                yield number, [], errors
        return
    for number, cells in source.lines:
        broken = _formula_errors(sheet, number, cells, {**positions, **dict(source.criteria)})
        if broken:
            yield number, [], broken
            continue
        values = checker.codes_folded(
            {column: cell_text(cell(cells, p)) for column, p in positions.items()}
        )
        options = [
            (code, checker.codes_folded({"option": cell_text(cell(cells, p))})["option"])
            for code, p in source.criteria
        ]
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
