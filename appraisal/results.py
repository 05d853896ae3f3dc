"""The results document (INTERFACES.md §4), built from stored results."""

from __future__ import annotations

import json

from appraisal.models import AreaResult, UnitResult
from appraisal.scoring import display
from criteria.models import Participation, Year
from kernel.ordering import unit_code_key


def results_document(year: Year) -> dict:
    unit_results = list(
        UnitResult.objects.filter(computation__year=year).select_related(
            "participation__unit", "participation__block"
        )
    )
    areas_by_result: dict[int, list[AreaResult]] = {}
    for area in (
        AreaResult.objects.filter(unit_result__computation__year=year)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    ):
        areas_by_result.setdefault(area.unit_result_id, []).append(area)

    blocks: dict[str, dict] = {}
    for block in sorted(
        {p.block for p in Participation.objects.filter(year=year).select_related("block")},
        key=lambda b: b.code,
    ):
        blocks[block.code] = {"code": block.code, "name": block.name, "units": []}
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
                "band": result.band,
                "classification": result.classification,
                "self_review": list(result.self_review),
                "areas": [
                    {
                        "code": area.criterion.code,
                        "score": display(area.score, 3),
                        "max": display(area.max_points, 3),
                        "index": display(area.index, 2),
                    }
                    for area in areas_by_result.get(result.pk, [])
                ],
                "warnings": list(result.warnings),
            }
        )
    return {"year": year.year, "blocks": list(blocks.values())}


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
