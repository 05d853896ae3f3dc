"""Numbers and phrases as the documents print them: decimal comma, ROUND_HALF_UP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings

from appraisal import results
from appraisal.lineage import display_change
from appraisal.scoring import Rules, display
from units.models import HEAD_TITLES


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


# DOMAIN §8: the cities run by the centre print "thành phố", every other province "tỉnh".
CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})


def province_of(year) -> str:
    """The province or city a year belongs to: its own, else the installation's."""
    return year.province or getattr(settings, "PARINDEX_PROVINCE", "Hải Dương")


def province_level(name: str) -> str:
    """`thành phố` for Hải Phòng, `tỉnh` for Hải Dương."""
    return "thành phố" if name in CITIES else "tỉnh"


def province_title(name: str) -> str:
    """`thành phố Hải Phòng`, `tỉnh Hải Dương`."""
    return f"{province_level(name)} {name}"


def kind_of(participation) -> str:
    """The unit's kind that year: its own, else its block's (blank when neither says)."""
    return participation.kind or participation.block.kind


def head_title(participation, default: str = "") -> str:
    """The head's title as written, else the one of its kind with the unit's name:
    `Chủ tịch UBND đặc khu Cát Hải` for `đặc khu Cát Hải`, `Giám đốc Sở Tài chính`."""
    if participation.head_title:
        return participation.head_title
    title = HEAD_TITLES.get(kind_of(participation))
    if title is None:
        return default
    name = participation.name.strip()
    if title.startswith("Chủ tịch UBND "):
        word = title.removeprefix("Chủ tịch UBND ")
        for prefix in (f"ủy ban nhân dân {word} ", f"ubnd {word} ", f"{word} "):
            if name.lower().startswith(prefix):
                name = name[len(prefix) :]
                break
    return f"{title} {name}"


def band_text(band_name: str, band, rules: Rules) -> str:
    """A band in running text: its configured name (`Xuất sắc`), else its thresholds."""
    return band_name or band_label(band, rules)


def band_cell(band_name: str, band, rules: Rules) -> str:
    """A band in a table cell: its configured name, else `72,5% – < 90%`."""
    return band_name or band_short(band, rules)


def change(value: Decimal | None) -> str:
    """`+1,20`, `−0,35`, `0,00` (never −0,00); empty for no value."""
    text = display_change(value, 2, signed=True)
    if text is None:
        return ""
    return text.replace("-", "−").replace(".", ",")


NEW_UNIT = "Đơn vị mới"


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def predecessors_phrase(predecessors: list[dict]) -> str:
    """`hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư (năm 2022)`, or
    `so với Sở Tài chính năm 2022` with one: the units a change is counted against."""
    if not predecessors:
        return ""
    names = [str(p.get("name") or p.get("code") or "") for p in predecessors]
    years = sorted({str(p.get("year")) for p in predecessors if p.get("year")})
    when = f"năm {', '.join(years)}" if years else ""
    if len(predecessors) == 1:
        return f"so với {names[0]} {when}".strip()
    return f"hợp nhất từ {_joined(names)}" + (f" ({when})" if when else "")


def lineage_text(name: str, predecessors: list[dict], index_change: Decimal | None) -> str:
    """`Sở Tài chính, hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư (năm 2022): +1,20
    điểm`; `Đơn vị mới` with nothing to compare with (DOMAIN §8)."""
    if index_change is None:
        return NEW_UNIT
    phrase = predecessors_phrase(predecessors)
    lead = f"{name}, {phrase}" if phrase else name
    return f"{lead}: {change(index_change)} điểm"


def has_lineage(results) -> bool:
    """Whether any of these results (unit results or unit reports) carries a comparison:
    a year computed before DOMAIN §8 shows no change column at all."""
    return any(r.index_change is not None or r.predecessors for r in results)


def interval(low: Decimal | None, high: Decimal | None) -> str:
    """`95,10 – 98,31`: a 95 % interval in percent."""
    if low is None or high is None:
        return ""
    return f"{percent(low)} – {percent(high)}"


def thousands(n: int | None) -> str:
    """`23.105`: a count with the Vietnamese thousands dot."""
    return f"{int(n or 0):,}".replace(",", ".")
