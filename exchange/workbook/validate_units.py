"""Validating the blocks and units sheets: codes, kinds (DOMAIN §8) and the predecessors a
unit names (`appraisal.lineage`).

A predecessor in a year this installation holds must be one of that year's units; one in
a year it does not hold is accepted, since a merged province's history may be imported
later. That one look at the stored years is the only database read here.
"""

from __future__ import annotations

from appraisal.lineage import LineageError, Reference, format_lineage, parse_lineage
from criteria.models import Participation, Year
from surveys.ballots import location
from units.models import UnitKind

from .cells import RowCells
from .read import Rows
from .year_data import UnitData, YearData, block_of

KINDS = tuple(UnitKind.values)


def kind_of(cells: RowCells) -> str:
    """The row's `kind`: blank, or one of UnitKind's values (with an error naming them)."""
    kind = cells.text("kind")
    if kind and kind not in KINDS:
        cells.error(
            "kind",
            f"loại đơn vị '{kind}' không hợp lệ; dùng một trong: {', '.join(KINDS)} "
            "(hoặc để trống)",
        )
        return ""
    return kind


def blocks_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[str, int] = {}
    for number, row in rows:
        cells = RowCells("blocks", number, row, errors)
        code = cells.code("code", max_length=8)
        name = cells.text("name", required=True, max_length=200)
        kind = kind_of(cells)
        if code in first:
            cells.error("code", f"mã khối '{code}' lặp lại (dòng {first[code]})")
        elif code and "code" not in cells.failed:
            first[code] = number
            data.blocks[code] = name
            if kind:
                data.block_kinds[code] = kind


def units_validate(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[str, int] = {}
    named: list[tuple[int, tuple[Reference, ...]]] = []
    for number, row in rows:
        cells = RowCells("units", number, row, errors)
        block = block_of(cells, data)
        code = cells.code("code", max_length=16)
        unit = UnitData(
            block=block,
            code=code,
            name=cells.text("name", required=True, max_length=200),
            head_title=cells.text("head_title", max_length=200),
            head_name=cells.text("head_name", max_length=200),
            kind=kind_of(cells),
        )
        text = cells.text("predecessors", max_length=500)
        try:
            lineage = parse_lineage(text, year=data.year or None)
        except LineageError as error:
            cells.error("predecessors", f"'{text}': {error}")
        else:
            unit.predecessors = format_lineage(lineage)
            if lineage:
                named.append((number, lineage))
        if code in first:
            cells.error("code", f"mã đơn vị '{code}' lặp lại (dòng {first[code]})")
        elif code and "code" not in cells.failed:
            first[code] = number
            # Registered even with other faults, so later sheets do not repeat the error.
            if block:
                data.units[code] = unit
            else:
                data.faulty_units.add(code)
    errors.extend(_predecessors_check(named))


def _predecessors_check(named: list[tuple[int, tuple[Reference, ...]]]) -> list[str]:
    """Each reference to a year stored here names one of its units."""
    years = {reference.year for _number, lineage in named for reference in lineage}
    stored = set(Year.objects.filter(year__in=years).values_list("year", flat=True))
    if not stored:
        return []
    codes: dict[int, set[str]] = {year: set() for year in stored}
    for year, code in Participation.objects.filter(year__year__in=stored).values_list(
        "year__year", "unit__code"
    ):
        codes[year].add(code)
    errors = []
    for number, lineage in named:
        unknown = [r for r in lineage if r.year in stored and r.code not in codes[r.year]]
        if unknown:
            errors.append(
                location(
                    "units",
                    number,
                    "predecessors",
                    "; ".join(
                        f"đơn vị tiền thân '{r}': năm {r.year} không có đơn vị mã '{r.code}'"
                        for r in unknown
                    ),
                )
            )
    return errors
