"""One row's cells, parsed with the workbook's rules; each problem becomes an error line."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

from criteria.rules import parse_decimal
from surveys.ballots import cell_text, location

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


class RowCells:
    """Reads the columns of one row; problems go to `errors` as `sheet!row: column: reason`."""

    def __init__(self, sheet: str, number: int, row: dict, errors: list[str]):
        self.sheet = sheet
        self.number = number
        self.row = row
        self.errors = errors
        self.failed: set[str] = set()

    @property
    def ok(self) -> bool:
        return not self.failed

    def error(self, column: str, reason: str) -> None:
        self.failed.add(column)
        self.errors.append(location(self.sheet, self.number, column, reason))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.row.get(column))
        if not value and required:
            self.error(column, "bắt buộc, không được để trống")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"dài quá {max_length} ký tự")
        return value

    def code(self, column: str, *, max_length: int) -> str:
        value = self.text(column, required=True, max_length=max_length)
        if value and any(ch.isspace() for ch in value):
            self.error(column, f"mã '{value}' không được chứa khoảng trắng")
        return value

    def decimal(
        self,
        column: str,
        *,
        required: bool = False,
        places: int = 3,
        digits: int = 8,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        raw = self.row.get(column)
        if cell_text(raw) == "":
            if required:
                self.error(column, "bắt buộc, không được để trống")
            return None
        try:
            value = number_of(raw, places=places, digits=digits)
        except ValueError as error:
            self.error(column, str(error))
            return None
        if minimum is not None and value < minimum:
            self.error(column, f"{shown(value)} nhỏ hơn {shown(minimum)}")
            return None
        if maximum is not None and value > maximum:
            self.error(column, f"{shown(value)} lớn hơn {shown(maximum)}")
            return None
        return value

    def flag(self, column: str) -> bool | None:
        """`1`/`0`, blank → None."""
        value = cell_text(self.row.get(column))
        if value == "":
            return None
        if value in ("1", "0"):
            return value == "1"
        self.error(column, f"'{value}' phải là 1 hoặc 0")
        return None


def number_of(raw, *, places: int, digits: int) -> Decimal:
    """A Decimal with at most `places` decimals and `digits` digits in all."""
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(f"'{cell_text(raw)}' không phải là số")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ValueError(f"'{raw}' không phải là số")
    if isinstance(raw, float):
        # A SUM as Excel stores it (1.9269999999999998) is the 1,927 its cell shows.
        raw = Decimal(format(raw, ".15g"))
    value = parse_decimal(raw)
    if abs(value) >= Decimal(10) ** (digits - places):
        raise ValueError(f"{shown(value)} quá lớn")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(f"{shown(value)} có quá {places} chữ số thập phân")
    return value


def shown(value: Decimal) -> str:
    """A number as the user writes it: decimal comma, no trailing zeros."""
    return format(value.normalize(), "f").replace(".", ",")


def plain(value: Decimal) -> str:
    """A number as stored in JSON (rubrics): '.' separator, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse_day_or_moment(raw) -> datetime.date | datetime.datetime:
    """An ISO date (or date cell) → date; an ISO datetime (or datetime cell) → aware datetime."""
    if isinstance(raw, datetime.datetime):
        moment = raw
    elif isinstance(raw, datetime.date):
        return raw
    else:
        text = cell_text(raw)
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"'{text}' không phải ngày dạng ISO (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment


def window_start(raw) -> datetime.datetime:
    """`*_opens`: a date means 00:00 of that day, Asia/Ho_Chi_Minh."""
    value = parse_day_or_moment(raw)
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=LOCAL)


def window_end(raw) -> datetime.datetime:
    """`*_closes`: a date means the end of that day, stored as 00:00 of the next day."""
    value = parse_day_or_moment(raw)
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(
        value + datetime.timedelta(days=1), datetime.time.min, tzinfo=LOCAL
    )


def parse_day(raw) -> datetime.date:
    value = parse_day_or_moment(raw)
    if isinstance(value, datetime.datetime):
        raise ValueError(f"'{cell_text(raw)}' phải là một ngày (YYYY-MM-DD), không kèm giờ")
    return value
