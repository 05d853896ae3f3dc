"""The explanation round (giải trình, DOMAIN §3 [design]): a unit answers an adjusted or
disputed leaf with a note and extra evidence, inside the explanation window; the appraiser
then gives the final score (round 2, services/appraisals.py). Explanation files are
stored by evidence's own `evidence_store`, as every other evidence file."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal.access import UNIT_ROLES
from appraisal.models import AppraisalEntry, Explanation
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from evidence.access import leaf_scope
from evidence.files import evidence_check
from evidence.models import Score
from evidence.services import evidence_store
from kernel.audit import audit_record
from units.access import units_of

from .appraisals import appraisal_version_check, refuse_if_window_closed

MAX_FILES = 10


def explanation_open_for(score: Score) -> bool:
    """A leaf may be explained while its latest appraisal is a round-1 adjustment or
    request for explanation."""
    latest = score.appraisal_entries.order_by("at", "id").last()
    return (
        latest is not None
        and latest.round == AppraisalEntry.Round.FIRST
        and latest.status != AppraisalEntry.Status.AGREED
    )


def explanation_may_answer(user, score: Score) -> bool:
    """The unit's officers and head answer every leaf; a colleague given some leaves
    (evidence.access.leaf_scope) only those (issue 12: delegates confined to their leaves)."""
    participation = score.participation
    if participation.unit_id not in units_of(user, *UNIT_ROLES):
        return False
    scope = leaf_scope(user, participation)
    return scope is None or score.criterion_id in scope


def explanation_submit(
    *,
    score: Score,
    note: str,
    files=(),
    by,
    version: str | None = None,
    at: datetime | None = None,
) -> Explanation:
    """Record a unit's explanation with its extra evidence files (validated by content).

    `version` is the one the form was loaded from (appraisal_version); a stale one, after a
    colleague's explanation or a new appraisal, raises StaleVersion and nothing is stored.
    """
    at = at or timezone.now()
    participation = score.participation
    year = participation.year
    note = (note or "").strip()
    year_refuse_if_frozen(year)
    refuse_if_window_closed(year, "explanation", "giải trình", at)
    if participation.unit_id not in units_of(by, *UNIT_ROLES):
        raise ValidationError("Chỉ cán bộ, thủ trưởng của đơn vị được giải trình.")
    if not explanation_may_answer(by, score):
        raise ValidationError(f"Anh/chị không được giao tiêu chí {score.criterion.code}.")
    if not explanation_open_for(score):
        raise ValidationError(
            "Tiêu chí này không cần giải trình (đã thống nhất hoặc đã có điểm cuối cùng)."
        )
    if not note:
        raise ValidationError("Nhập nội dung giải trình.")
    files = list(files)
    if len(files) > MAX_FILES:
        raise ValidationError(f"Mỗi lần giải trình gửi tối đa {MAX_FILES} tệp.")
    checked = [(upload, evidence_check(upload)) for upload in files]

    with transaction.atomic():
        year_lock_for_write(year)
        appraisal_version_check(
            participation=participation,
            criterion=score.criterion,
            version=version,
            for_unit=True,
        )
        explanation = Explanation.objects.create(score=score, note=note, by=by, at=at)
        for upload, result in checked:
            explanation.files.add(
                evidence_store(
                    participation=participation, uploaded_file=upload, checked=result, by=by
                )
            )
        audit_record(
            actor=by,
            action="explanation_submit",
            obj=explanation,
            year=year.year,
            unit_code=participation.unit.code,
            changes={"note": (None, note)},
            note=f"{score.criterion.code}: {len(checked)} tệp bổ sung",
        )
    return explanation
