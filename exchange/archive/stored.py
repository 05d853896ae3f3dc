"""The stored results beyond results.json (DOMAIN §8), carried in the manifest as
`stored_results`, at full precision: per unit its band name, its comparison with its
predecessors (rank change, index change, the units compared with, each area's change) and
its SIPAS figures; per block, and for the province, the pooled SIPAS figures.

On import the year is recomputed. What follows from the year alone (band names, SIPAS) must
come out equal; a unit's comparison is kept from the archive when this installation cannot
reproduce it (a year it compares with has no results here, or without lineage the closest
earlier computed year differs), with its warnings (which would name the predecessors
missing here), and must come out equal otherwise. An archive written
before these fields has no `stored_results`: its rank changes are kept as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from criteria.models import Participation, Year
from criteria.rules import LineageError, parse_lineage

from .format import MANIFEST

KEY = "stored_results"
SIPAS = ("sipas_index", "sipas_counted", "sipas_low", "sipas_high")
UNIT_SIPAS = ("sipas_index", "sipas_rank", "sipas_counted", "sipas_low", "sipas_high")
DECIMALS = {"index_change", "sipas_index", "sipas_low", "sipas_high"}


def _text(value) -> str | None:
    return None if value is None else str(value)


def stored_results_of(computation: Computation) -> dict:
    """The manifest's `stored_results` of one revision."""
    changes: dict[int, dict[str, str | None]] = {}
    for unit_result_id, code, change in AreaResult.objects.filter(
        unit_result__computation=computation
    ).values_list("unit_result_id", "criterion__code", "change"):
        changes.setdefault(unit_result_id, {})[code] = _text(change)
    units = {}
    for result in UnitResult.objects.filter(computation=computation).select_related(
        "participation__unit"
    ):
        units[result.participation.unit.code] = {
            "rank_change": result.rank_change,
            "band_name": result.band_name,
            "index_change": _text(result.index_change),
            "predecessors": list(result.predecessors),
            "sipas_index": _text(result.sipas_index),
            "sipas_low": _text(result.sipas_low),
            "sipas_high": _text(result.sipas_high),
            "sipas_rank": result.sipas_rank,
            "sipas_counted": result.sipas_counted,
            "areas": dict(sorted(changes.get(result.pk, {}).items())),
            # Some name the predecessors that have no results where it was computed.
            "warnings": list(result.warnings),
        }
    blocks = [
        {
            "block": block,
            "sipas_index": _text(index),
            "sipas_counted": counted,
            "sipas_low": _text(low),
            "sipas_high": _text(high),
        }
        for block, index, counted, low, high in BlockResult.objects.filter(computation=computation)
        .order_by("block__code")
        .values_list("block__code", *SIPAS)
    ]
    return {"units": dict(sorted(units.items())), "blocks": blocks}


@dataclass
class StoredResults:
    """`stored_results` checked: Decimals parsed, codes known."""

    units: dict[str, dict] = field(default_factory=dict)
    blocks: dict[str | None, dict] = field(default_factory=dict)


def _decimal(value, where: str, errors: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.append(f"{where}: {value!r} không phải số thập phân dạng chuỗi.")
    return number


def _count(value, where: str, errors: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"{where}: {value!r} không phải số nguyên.")
        return None
    return value


def stored_results_check(manifest: dict, units: Iterable[str]) -> tuple[StoredResults | None, list]:
    """The manifest's `stored_results` (None when the archive has none), every value checked
    before anything is written."""
    raw = manifest.get(KEY)
    if raw is None:
        return None, []
    where = f"{MANIFEST}: {KEY}"
    if not (
        isinstance(raw, dict)
        and isinstance(raw.get("units"), dict)
        and isinstance(raw.get("blocks"), list)
    ):
        return None, [f"{where}: phải có units (đối tượng) và blocks (danh sách)."]
    known, errors, stored = set(units), [], StoredResults()
    for code, unit in raw["units"].items():
        here = f"{where}.units[{code}]"
        if code not in known or not isinstance(unit, dict):
            errors.append(f"{here}: đơn vị không có trong năm.")
            continue
        checked = {
            name: _decimal(unit.get(name), f"{here}.{name}", errors)
            for name in ("index_change", "sipas_index", "sipas_low", "sipas_high")
        }
        for name in ("rank_change", "sipas_rank", "sipas_counted"):
            checked[name] = _count(unit.get(name), f"{here}.{name}", errors)
        band_name = unit.get("band_name", "")
        predecessors = unit.get("predecessors", [])
        areas = unit.get("areas", {})
        if not isinstance(band_name, str):
            errors.append(f"{here}.band_name: phải là chuỗi.")
        if not (
            isinstance(predecessors, list)
            and all(
                isinstance(p, dict)
                and isinstance(p.get("year"), int)
                and isinstance(p.get("code"), str)
                for p in predecessors
            )
        ):
            errors.append(f"{here}.predecessors: phải là danh sách các {{year, code, name}}.")
            predecessors = []
        if not isinstance(areas, dict):
            errors.append(f"{here}.areas: phải là đối tượng mã lĩnh vực → thay đổi.")
            areas = {}
        warnings = unit.get("warnings")
        if warnings is not None and not (
            isinstance(warnings, list) and all(isinstance(w, str) for w in warnings)
        ):
            errors.append(f"{here}.warnings: phải là danh sách các chuỗi.")
            warnings = None
        checked["warnings"] = warnings
        checked["band_name"] = band_name
        checked["predecessors"] = predecessors
        checked["areas"] = {
            str(area): _decimal(change, f"{here}.areas[{area}]", errors)
            for area, change in areas.items()
        }
        stored.units[code] = checked
    for number, block in enumerate(raw["blocks"], start=1):
        here = f"{where}.blocks[{number}]"
        if not isinstance(block, dict) or not isinstance(block.get("block"), str | None):
            errors.append(f"{here}: thiếu mã khối (null: toàn tỉnh).")
            continue
        stored.blocks[block["block"]] = {
            **{
                name: _decimal(block.get(name), f"{here}.{name}", errors)
                for name in ("sipas_index", "sipas_low", "sipas_high")
            },
            "sipas_counted": _count(block.get("sipas_counted"), f"{here}.sipas_counted", errors)
            or 0,
        }
    return (None if errors else stored), errors


def _years_with_results(years: set[int]) -> set[int]:
    return set(
        Year.objects.filter(year__in=years, computation__isnull=False).values_list(
            "year", flat=True
        )
    )


def comparisons_restore(
    *, year: Year, computation: Computation, stored: StoredResults, same_base: bool
) -> list[str]:
    """Each unit's comparison kept from the archive where this installation cannot
    reproduce it; returns the codes of the units kept."""
    lineages = {}
    for code, text in Participation.objects.filter(year=year).values_list(
        "unit__code", "predecessors"
    ):
        try:
            lineages[code] = parse_lineage(text, year=year.year)
        except LineageError:
            lineages[code] = None  # the workbook check refused it already
    named = {r.year for lineage in lineages.values() for r in lineage or ()}
    named |= {p["year"] for unit in stored.units.values() for p in unit["predecessors"]}
    computed = _years_with_results(named)
    results = {
        r.participation.unit.code: r
        for r in UnitResult.objects.filter(computation=computation).select_related(
            "participation__unit"
        )
    }
    kept = []
    for code, unit in stored.units.items():
        lineage, result = lineages.get(code), results.get(code)
        if result is None:
            continue
        years = {r.year for r in lineage or ()} | {p["year"] for p in unit["predecessors"]}
        reproducible = years <= computed and (lineage is not None or same_base)
        if reproducible:
            continue
        result.rank_change = unit["rank_change"]
        result.index_change = unit["index_change"]
        result.predecessors = unit["predecessors"]
        fields = ["rank_change", "index_change", "predecessors"]
        if unit["warnings"] is not None:
            # Its warnings too: here its predecessors' year would be warned of as missing.
            result.warnings = unit["warnings"]
            fields.append("warnings")
        result.save(update_fields=fields)
        areas = list(AreaResult.objects.filter(unit_result=result).select_related("criterion"))
        for area in areas:
            area.change = unit["areas"].get(area.criterion.code)
        AreaResult.objects.bulk_update(areas, ["change"])
        kept.append(code)
    return kept


def stored_differences(*, computation: Computation, stored: StoredResults) -> list[str]:
    """What follows from the year alone and came out differently when recomputed; and the
    comparisons kept or recomputed, against the archive's."""
    recomputed = stored_results_of(computation)
    lines = []
    for code, unit in stored.units.items():
        again = recomputed["units"].get(code)
        if again is None:
            continue
        for name in ("band_name", "rank_change", *UNIT_SIPAS, "index_change", "predecessors"):
            value, other = unit[name], again[name]
            if name in DECIMALS:
                other = None if other is None else Decimal(other)
            if value != other:
                lines.append(
                    f"{KEY}.units[{code}].{name}: trong kho lưu trữ {value}, tính lại {other}"
                )
        for area, change in unit["areas"].items():
            other = again["areas"].get(area)
            if change != (None if other is None else Decimal(other)):
                lines.append(
                    f"{KEY}.units[{code}].areas[{area}]: trong kho lưu trữ {change}, "
                    f"tính lại {other}"
                )
    blocks = {b["block"]: b for b in recomputed["blocks"]}
    for block in stored.blocks.keys() | blocks.keys():
        archived, again = stored.blocks.get(block), blocks.get(block)
        if archived is None or again is None:
            lines.append(f"{KEY}.blocks[{block or 'toàn tỉnh'}]: chỉ có ở một bên")
            continue
        for name in SIPAS:
            other = again[name]
            if name != "sipas_counted" and other is not None:
                other = Decimal(other)
            if archived[name] != other:
                lines.append(
                    f"{KEY}.blocks[{block or 'toàn tỉnh'}].{name}: trong kho lưu trữ "
                    f"{archived[name]}, tính lại {other}"
                )
    return lines
