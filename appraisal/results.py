"""The results document (INTERFACES.md §4), built from stored results."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

from appraisal.lineage import display_change
from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from appraisal.revisions import computed_revision
from appraisal.scoring import display
from criteria.models import Participation, Year
from criteria.rules import format_decimal
from kernel.ordering import unit_code_key


def results_document(year: Year, computation: Computation | None = None) -> dict:
    """The document of one revision: by default the latest computed one (the working
    results while a correction is prepared, else the last published)."""
    computation = computation or computed_revision(year)
    unit_results = list(
        UnitResult.objects.filter(computation=computation).select_related(
            "participation__unit", "participation__block"
        )
    )
    areas_by_result: dict[int, list[AreaResult]] = {}
    for area in (
        AreaResult.objects.filter(unit_result__computation=computation)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    ):
        areas_by_result.setdefault(area.unit_result_id, []).append(area)

    pooled = {
        row.block_id: row.sipas_index for row in BlockResult.objects.filter(computation=computation)
    }
    blocks: dict[str, dict] = {}
    for block in sorted(
        {p.block for p in Participation.objects.filter(year=year).select_related("block")},
        key=lambda b: b.code,
    ):
        blocks[block.code] = {
            "code": block.code,
            "name": block.name,
            "sipas_index": display(pooled.get(block.pk), 2),
            "units": [],
        }
    for result in sorted(
        unit_results,
        key=lambda r: (r.rank, unit_code_key(r.participation.unit.code)),
    ):
        participation = result.participation
        blocks[participation.block.code]["units"].append(
            {
                "code": participation.unit.code,
                "name": participation.name,
                "total": display(result.total, 3),
                "max": display(result.max_points, 3),
                "index": display(result.index, 2),
                "rank": result.rank,
                "rank_change": result.rank_change,
                "band": band_number(result.band),
                "band_name": result.band_name or None,
                "classification": result.classification,
                "self_review": list(result.self_review),
                "index_change": display_change(result.index_change),
                "predecessors": [
                    {"year": p["year"], "code": p["code"], "name": p["name"]}
                    for p in result.predecessors
                ],
                "sipas": sipas_document(result),
                "areas": [
                    {
                        "code": area.criterion.code,
                        "score": display(area.score, 3),
                        "max": display(area.max_points, 3),
                        "index": display(area.index, 2),
                        "change": display_change(area.change),
                    }
                    for area in areas_by_result.get(result.pk, [])
                ],
                "warnings": list(result.warnings),
            }
        )
    document = {
        "year": year.year,
        "status": "published" if computation is not None and computation.is_published else "draft",
        "published_on": (
            computation.publication_date.isoformat()
            if computation is not None and computation.publication_date
            else None
        ),
        "revision": computation.revision if computation is not None else 1,
    }
    if computation is not None and computation.is_correction:
        document["revision_reason"] = computation.correction_reason
    document["sipas_index"] = display(pooled.get(None), 2)
    document["blocks"] = list(blocks.values())
    return document


def sipas_document(result: UnitResult) -> dict | None:
    """INTERFACES §4 `sipas`: null when the unit has no counted SIPAS answer."""
    if result.sipas_index is None:
        return None
    return {
        "index": display(result.sipas_index, 2),
        "rank": result.sipas_rank,
        "counted": result.sipas_counted,
        "ci95": [display(result.sipas_low, 2), display(result.sipas_high, 2)],
    }


def band_number(lower: Decimal) -> int | float:
    """INTERFACES §4: a JSON number, the lower bound as configured: 90, 72.5, 0.

    JSON has no decimal type: a threshold with decimals (stored with 3, never computed
    with here) goes out as the float whose shortest repr is that threshold, 72.5."""
    lower = lower.normalize()
    if lower == lower.to_integral_value():
        return int(lower)
    return float(lower)


def band_label(position: int, bands: Sequence[Decimal]) -> str:
    """`từ 72,5% đến dưới 90%` for the band at `position` (0: the highest): the one wording
    of a band, with its thresholds as configured."""
    if not bands:
        return "tất cả"
    if position >= len(bands):
        return f"dưới {format_decimal(bands[-1])}%"
    lower = format_decimal(bands[position])
    if position == 0:
        return f"từ {lower}% trở lên"
    return f"từ {lower}% đến dưới {format_decimal(bands[position - 1])}%"


def band_short(position: int, bands: Sequence[Decimal]) -> str:
    """`72,5% – < 90%`, `≥ 90%`, `< 72%`: the band in a table cell."""
    if not bands:
        return ""
    if position >= len(bands):
        return f"< {format_decimal(bands[-1])}%"
    lower = format_decimal(bands[position])
    if position == 0:
        return f"≥ {lower}%"
    return f"{lower}% – < {format_decimal(bands[position - 1])}%"


def results_json(document: dict) -> bytes:
    """The document as a file: what export_results writes and a year archive carries as
    results.json, byte for byte. (The results API sends it compact, as JSON on the wire.)"""
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def rank_change_words(change: int | None) -> str:
    """`tăng 3 bậc`, `giảm 2 bậc`, `giữ nguyên`, or `–` with no earlier rank: the one
    wording of a rank change, on the pages and in the printed documents."""
    if change is None:
        return "–"
    if change > 0:
        return f"tăng {change} bậc"
    if change < 0:
        return f"giảm {-change} bậc"
    return "giữ nguyên"
