"""Phrases every section of the report shares: unit lists, block names, dates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ..analysis import mean
from ..data import BlockReport, UnitReport


def names(units: list[UnitReport]) -> str:
    return "; ".join(unit.name for unit in units)


def by_rank(units: list[UnitReport]) -> list[UnitReport]:
    return sorted(units, key=lambda u: u.rank)


def block_phrase(block: BlockReport) -> str:
    """`các sở, ban, ngành tỉnh` from the block's name `Sở, ban, ngành tỉnh`."""
    name = block.name
    if name[:1].isupper() and not name.isupper() and not name.startswith("UBND"):
        name = name[0].lower() + name[1:]
    return name if name.startswith(("các ", "UBND")) else f"các {name}"


def local_date(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "…"


def closing(moment):
    """A window closing at 00:00 on the 11th closes "at 24:00 on the 10th"."""
    return moment - timedelta(seconds=1) if moment else None


def annex_range(block: BlockReport) -> str:
    codes = sorted((u.code for u in block.units), key=lambda c: (len(c), c))
    if not codes:
        return ""
    return f"từ biểu số {codes[0]} đến {codes[-1]}" if len(codes) > 1 else f"biểu số {codes[0]}"


def mean_index(block: BlockReport) -> Decimal | None:
    return mean([u.index for u in block.units])
