"""Year-over-year comparison of a unit with the units it came from: DOMAIN §5 and §8.

Pure functions: plain dataclasses in and out, `Decimal` only, no ORM. A unit either names
its predecessors (`YEAR:CODE` references, or `-` for none) or names nothing, and is then
compared with the unit of the same code and kind in the closest earlier computed year.
Changes keep full precision; `display_change` rounds them for documents and pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from appraisal.scoring import INDEX_QUANTUM, ZERO

# The `predecessors` notation is the workbook's and the admin's too: parsed once, in criteria.
from criteria.rules import (  # noqa: F401 (re-exported)
    NONE_MARK,
    REFERENCE,
    LineageError,
    Reference,
    format_lineage,
    parse_lineage,
)

# None: no lineage given (compare by code); (): `-`, the unit has no predecessor.
Lineage = tuple[Reference, ...] | None


@dataclass(frozen=True)
class UnitRecord:
    """A unit's computed result in one year, as far as comparisons need it."""

    year: int
    code: str
    kind: str
    block: str
    index: Decimal
    rank: int
    areas: Mapping[str, Decimal | None]  # area code → area index, None: not applicable
    name: str = ""

    @property
    def reference(self) -> Reference:
        return Reference(self.year, self.code)


@dataclass(frozen=True)
class Comparison:
    """A unit against its predecessors; every change None when there is nothing to compare."""

    code: str
    predecessors: tuple[UnitRecord, ...]  # the units compared with, in the order named
    rank_change: int | None  # their rank − this rank: positive = moved up
    index_change: Decimal | None  # percentage points
    area_changes: Mapping[str, Decimal | None]  # every area of this unit
    missing: tuple[Reference, ...] = ()  # named predecessors that have no computed results

    @property
    def is_new(self) -> bool:
        return not self.predecessors


def resolve_predecessors(
    unit: UnitRecord,
    lineage: Lineage,
    history: Mapping[Reference, UnitRecord],
    closest_earlier: Mapping[str, UnitRecord],
) -> tuple[tuple[UnitRecord, ...], tuple[Reference, ...]]:
    """The predecessors to compare with and the named ones that have no results.

    `history` holds the computed results of every unit a lineage may name; `closest_earlier`
    the units of the closest earlier computed year, by code.
    """
    if lineage is None:
        # DOMAIN §8: by code only within one kind (a 2025 xã is never a 2022 huyện).
        previous = closest_earlier.get(unit.code)
        if previous is None or previous.kind != unit.kind:
            return (), ()
        return (previous,), ()
    found = tuple(history[ref] for ref in lineage if ref in history)
    missing = tuple(ref for ref in lineage if ref not in history)
    return found, missing


def mean(values: Sequence[Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return (sum(values, ZERO) / len(values)).quantize(INDEX_QUANTUM, rounding=ROUND_HALF_UP)


def compare_unit(
    unit: UnitRecord,
    lineage: Lineage,
    history: Mapping[Reference, UnitRecord],
    closest_earlier: Mapping[str, UnitRecord],
) -> Comparison:
    """DOMAIN §8: one predecessor, differences; several, against the plain mean."""
    predecessors, missing = resolve_predecessors(unit, lineage, history, closest_earlier)
    if not predecessors:
        return Comparison(unit.code, (), None, None, dict.fromkeys(unit.areas), missing)
    # [design] a rank compares one unit with one unit: not when a named predecessor has
    # no results, never across kinds (its block ranked other units).
    single = len(predecessors) == 1 and not missing
    rank_change = (
        predecessors[0].rank - unit.rank if single and predecessors[0].kind == unit.kind else None
    )
    index_change = unit.index - mean([p.index for p in predecessors])
    area_changes = {}
    for code, index in unit.areas.items():
        earlier = [p.areas[code] for p in predecessors if p.areas.get(code) is not None]
        area_changes[code] = None if index is None or not earlier else index - mean(earlier)
    return Comparison(unit.code, predecessors, rank_change, index_change, area_changes, missing)


def compare_year(
    units: Iterable[UnitRecord],
    lineages: Mapping[str, Lineage],
    history: Mapping[Reference, UnitRecord],
    closest_earlier: Mapping[str, UnitRecord],
) -> dict[str, Comparison]:
    """Unit code → its comparison; a unit missing from `lineages` names no lineage."""
    return {
        unit.code: compare_unit(unit, lineages.get(unit.code), history, closest_earlier)
        for unit in units
    }


def display_change(value: Decimal | None, places: int = 2, *, signed: bool = False) -> str | None:
    """Round half up (away from zero, as `scoring.display`) for display: "1.20", "-0.35",
    and "0.00", never "-0.00". `signed` writes "+1.20" for pages."""
    if value is None:
        return None
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        return str(abs(rounded))
    return f"{rounded:+f}" if signed else str(rounded)
