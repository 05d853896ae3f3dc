"""Numbers and phrases as the documents print them: decimal comma, ROUND_HALF_UP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from appraisal import results
from appraisal.scoring import Rules, display


def vn(value: Decimal | None, places: int) -> str:
    """`vn(Decimal("91.525"), 2) == "91,53"`; an empty string for no value."""
    text = display(value, places)
    if text is None:
        return ""
    return text.replace("-", "−").replace(".", ",")


def points(value: Decimal | None) -> str:
    return vn(value, 3)


def percent(value: Decimal | None) -> str:
    return vn(value, 2)


def plain_number(value: Decimal) -> str:
    """A maximum as the regulation writes it: `14,5`, `10`."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def count(n: int) -> str:
    """The report's way of counting units: `03`, `14`."""
    return f"{n:02d}"


def band_position(band, rules: Rules) -> int:
    """The place of a stored band (its configured lower bound; 0 below the last) in the
    block's bands: bands are told apart by position, never by a rounded threshold."""
    bands = list(rules.bands)
    return bands.index(band) if band in bands else len(bands)


def band_label(band, rules: Rules) -> str:
    """`từ 80% đến dưới 90%` for the band whose lower bound is 80 (72,5 stays 72,5)."""
    return results.band_label(band_position(band, rules), rules.bands)


def band_short(band, rules: Rules) -> str:
    return results.band_short(band_position(band, rules), rules.bands)


def long_date(day: date | None, place: str) -> str:
    """`Hải Dương, ngày 01 tháng 3 năm 2023`.

    NĐ 30/2020, Phụ lục I: a day below 10 and the months 1 and 2 take a leading zero.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
