"""The council's decisions: approve the computed results and publish them, freezing the year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal.completeness import NO_SURVEY_ANSWER, LeafGap, unit_gaps
from appraisal.models import Computation, SurveyGapAcknowledgement
from appraisal.revisions import published_computation, working_computation
from criteria.models import Criterion, Participation, Year
from criteria.phase import year_lock_for_publication, year_lock_for_write, year_refuse_if_frozen
from evidence.models import Score
from kernel.audit import audit_record
from kernel.jobs import job_create, job_enqueue
from kernel.models import Job
from kernel.ordering import unit_code_key

from .appraisals import local_time
from .compute import fingerprint_of, previous_ranks_for, year_inputs


def results_are_current(year: Year) -> bool:
    """True when the working results were computed from the scores as they are now."""
    computation = working_computation(year)
    if computation is None:
        return False
    _participations, blocks = year_inputs(year)
    return computation.fingerprint == fingerprint_of(blocks, previous_ranks_for(year))


@dataclass(frozen=True)
class PublicationGap:
    """One leaf of one unit that keeps the year from being published, for the council."""

    participation: Participation
    criterion: Criterion
    kind: str
    words: str

    @property
    def acknowledgeable(self) -> bool:
        return self.kind == NO_SURVEY_ANSWER

    def __str__(self) -> str:
        return (
            f"{self.participation.unit.code} {self.participation.name}, tiêu chí "
            f"{self.criterion.code}: {self.words}"
        )


def publication_gaps(year: Year) -> list[PublicationGap]:
    """Every gap of every unit taking part (DOMAIN §9), unit by unit in code order."""
    participations, blocks = year_inputs(year)
    by_code = {p.unit.code: p for p in participations}
    requested = defaultdict(set)
    for participation_id, code in Score.objects.filter(
        participation__year=year, not_applicable_requested=True, not_applicable=False
    ).values_list("participation_id", "criterion__code"):
        requested[participation_id].add(code)
    acknowledged = defaultdict(set)
    for participation_id, code in SurveyGapAcknowledgement.objects.filter(
        participation__year=year
    ).values_list("participation_id", "criterion__code"):
        acknowledged[participation_id].add(code)
    gaps: list[PublicationGap] = []
    for _block, block_criteria, criteria_set, _rules, units in blocks:
        leaves = {c.code: c for c in block_criteria}
        for unit in units:
            participation = by_code[unit.code]
            found: list[LeafGap] = unit_gaps(
                criteria_set,
                unit,
                requested_not_applicable=requested[participation.pk],
                acknowledged=acknowledged[participation.pk],
            )
            gaps.extend(
                PublicationGap(participation, leaves[gap.leaf], gap.kind, gap.words)
                for gap in found
            )
    return sorted(
        gaps, key=lambda g: (unit_code_key(g.participation.unit.code), g.criterion.sort_key)
    )


def survey_gap_acknowledge(
    *, participation: Participation, criterion: Criterion, note: str, by=None
) -> SurveyGapAcknowledgement:
    """The council accepts in writing that a survey leaf of a unit has no counted answer
    (it scores 0), so that the gap no longer blocks publication."""
    year = participation.year
    note = (note or "").strip()
    with transaction.atomic():
        year = year_lock_for_write(year)
        if criterion.year_id != year.pk or criterion.method != Criterion.Method.SURVEY:
            raise ValidationError("Chỉ ghi nhận được tiêu chí điều tra xã hội học của năm này.")
        if not note:
            raise ValidationError("Ghi lý do Hội đồng chấp nhận tiêu chí không có phiếu.")
        acknowledgement, created = SurveyGapAcknowledgement.objects.get_or_create(
            participation=participation,
            criterion=criterion,
            defaults={"note": note, "by": by if by is not None and by.is_authenticated else None},
        )
        if created:
            audit_record(
                actor=by,
                action="survey_gap_acknowledge",
                obj=acknowledgement,
                year=year.year,
                unit_code=participation.unit.code,
                changes={"note": ("", note)},
                note=f"Tiêu chí {criterion.code}: không có phiếu điều tra hợp lệ, tính 0 điểm.",
            )
    return acknowledgement


def _publication_refusals(year: Year, at: datetime) -> Computation:
    """Raise the first reason the year (or its correction) may not be published now
    (DOMAIN §3.6, §9); return the revision that would be published."""
    if not year.correction_is_open:
        year_refuse_if_frozen(year)
        for window, label in (("appraisal", "thẩm định"), ("explanation", "giải trình")):
            if year.window_is_open(window, at):
                closes = getattr(year, f"{window}_closes")
                raise ValidationError(
                    f"Thời gian {label} chưa kết thúc (đến trước {local_time(closes)}): "
                    "chưa thể công bố."
                )
    working = working_computation(year)
    if working is None or working.is_published or not working.unit_results.exists():
        raise ValidationError(f"Năm {year.year} chưa tính chỉ số: hãy tính trước khi công bố.")
    gaps = publication_gaps(year)
    if gaps:
        raise ValidationError(
            [f"Chưa thể công bố: còn {len(gaps)} tiêu chí chưa hoàn tất thẩm định."]
            + [str(gap) for gap in gaps]
        )
    if not results_are_current(year):
        raise ValidationError(
            "Điểm đã thay đổi sau lần tính chỉ số gần nhất: hãy tính lại trước khi công bố."
        )
    if year.correction_is_open:
        last = published_computation(year)
        if last is not None and last.fingerprint == working.fingerprint:
            raise ValidationError(
                f"Kết quả đính chính giống hệt lần công bố {last.revision}: chưa có gì để "
                "công bố (hãy điều chỉnh điểm, tính lại, hoặc hủy đính chính)."
            )
    return working


def year_publish(
    *, year: Year, by=None, today: date | None = None, at: datetime | None = None
) -> Year:
    """Approve and publish (DOMAIN §3.6, §9): the working results become a published
    revision (1, or the correction's), the year published again. From then on every write
    path refuses the year. The checks and the change hold the year's row lock; the
    revision's documents are rendered once the publication is committed."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = year_lock_for_publication(year)
        computation = _publication_refusals(locked, at)
        published_on = today or timezone.localdate(at)
        old_status, old_date = locked.status, locked.published_on
        locked.status = Year.Status.PUBLISHED
        if computation.revision == 1:
            locked.published_on = published_on
        locked.save(update_fields=["status", "published_on"])
        computation.published_at = at
        computation.published_on = published_on
        computation.published_by = by if by is not None and by.is_authenticated else None
        computation.save(update_fields=["published_at", "published_on", "published_by"])
        audit_record(
            actor=by,
            action="year_publish" if computation.revision == 1 else "correction_publish",
            obj=locked,
            year=locked.year,
            changes={
                "status": (old_status, locked.status),
                "published_on": (old_date, locked.published_on),
                "revision": (None, computation.revision),
            },
            note=computation.correction_reason,
        )
        transaction.on_commit(lambda: documents_after_publication(locked, by))
    # Later published years compare with what this year now shows (derived data).
    from .comparisons import later_comparisons_refresh

    later_comparisons_refresh(locked, by=by)
    year.status, year.published_on = locked.status, locked.published_on
    return year


def documents_after_publication(year: Year, by) -> None:
    """Start rendering the published revision's documents (DOMAIN §9: a revision has its
    own documents, rendered once by the publication; visitors never start a render)."""
    if not settings.PARINDEX_RENDER_ON_PUBLISH:
        return
    job = job_create(
        kind=Job.Kind.RENDER,
        year=year.year,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    job_enqueue(job, "reports.tasks.render_set_task")
