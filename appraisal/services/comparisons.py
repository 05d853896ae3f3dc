"""A published year's comparisons with earlier years, filled in when an earlier year arrives
after it (issue 13, Build 7).

What the council published (totals, indices, ranks, bands, classes, the SIPAS index and the
documents) never changes. Rank change, index change and per-area change are derived data:
they say how a unit moved since a year that may reach the database later than the year
itself (2022 imported from history before 2021). When such an earlier year gets published
results, every later published year whose comparisons now read differently has them
recomputed from its own unchanged scores, in the revision shown publicly, with its
fingerprint brought up to date, and the change is in the audit trail.
"""

from __future__ import annotations

from django.db import transaction

from appraisal.models import AreaResult, UnitResult
from appraisal.revisions import published_computation
from criteria.models import Year
from criteria.phase import year_lock_shared
from kernel.audit import audit_record

from .basis import year_basis
from .compute import blocks_scored, change_stored, comparison_fields, fingerprint_of, year_inputs

COMPARED = ("rank_change", "index_change", "predecessors", "warnings")


def comparisons_refresh(year: Year, *, by=None, because: int | None = None) -> int:
    """Recompute the comparisons of `year`'s publicly shown revision; the number of unit
    results whose comparisons changed (0: nothing written). A year being corrected is left
    to its correction, which computes its own revision."""
    with transaction.atomic():
        locked = year_lock_shared(year)
        computation = published_computation(locked)
        if computation is None or locked.correction_is_open:
            return 0
        participations, blocks = year_inputs(locked)
        if not participations:
            return 0
        basis = year_basis(locked, participations)
        stored = {
            r.participation.unit.code: r
            for r in UnitResult.objects.filter(computation=computation).select_related(
                "participation__unit"
            )
        }
        area_rows = {
            (row.unit_result_id, row.criterion.code): row
            for row in AreaResult.objects.filter(unit_result__computation=computation)
            .select_related("criterion")
            .order_by()
        }
        units_changed, areas_changed = [], []
        for _criteria, results, comparisons in blocks_scored(locked, blocks, basis):
            for result in results:
                row = stored.get(result.code)
                if row is None or row.rank != result.rank:
                    # Not the scores the revision was computed from: leave it as published.
                    return 0
                fields = comparison_fields(result, comparisons[result.code])
                if any(getattr(row, name) != fields[name] for name in COMPARED):
                    for name in COMPARED:
                        setattr(row, name, fields[name])
                    units_changed.append(row)
                for code, change in comparisons[result.code].area_changes.items():
                    area = area_rows.get((row.pk, code))
                    if area is not None and area.change != change_stored(change):
                        area.change = change_stored(change)
                        areas_changed.append(area)
        fingerprint = fingerprint_of(blocks, basis)
        if not units_changed and not areas_changed and fingerprint == computation.fingerprint:
            return 0
        UnitResult.objects.bulk_update(units_changed, COMPARED)
        AreaResult.objects.bulk_update(areas_changed, ["change"])
        old_fingerprint, computation.fingerprint = computation.fingerprint, fingerprint
        computation.save(update_fields=["fingerprint"])
        audit_record(
            actor=by,
            action="comparisons_refresh",
            obj=computation,
            year=locked.year,
            changes={"fingerprint": (old_fingerprint, fingerprint)},
            note=(
                f"So sánh với năm trước của năm {locked.year} (lần công bố "
                f"{computation.revision}) được tính lại"
                + (f" khi có kết quả năm {because}" if because else "")
                + f": {len(units_changed)} đơn vị, {len(areas_changed)} lĩnh vực. "
                "Điểm, chỉ số, thứ hạng và xếp loại đã công bố không đổi."
            ),
        )
        return len(units_changed)


def later_comparisons_refresh(year: Year, *, by=None) -> dict[int, int]:
    """After `year` got published results: each later published year → the number of its
    units whose comparisons were recomputed (years with none left out)."""
    refreshed = {}
    for later in Year.objects.filter(
        year__gt=year.year, status__in=Year.PUBLISHED_STATUSES
    ).order_by("year"):
        changed = comparisons_refresh(later, by=by, because=year.year)
        if changed:
            refreshed[later.year] = changed
    return refreshed
