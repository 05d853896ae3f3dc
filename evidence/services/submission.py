"""The head's submission of the unit's self-assessment, and its withdrawal."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from criteria.models import Participation
from evidence.access import unit_roles
from evidence.models import Submission
from units.models import Membership

from .common import editable_check, local, unit_audit, window_check

R = Membership.Role


def _head_check(*, participation: Participation, by) -> None:
    if R.UNIT_HEAD not in unit_roles(by, participation.unit_id):
        raise ValidationError("Chỉ thủ trưởng đơn vị được gửi hoặc rút lại bản tự đánh giá.")


def self_assessment_submit(
    *, participation: Participation, by, at: datetime | None = None
) -> Submission:
    """The head submits the unit's self-assessment; it is then locked."""
    _head_check(participation=participation, by=by)
    with transaction.atomic():
        # The participation's own row only: its ordering joins the year, whose row would
        # then be locked FOR UPDATE against the writes that share it.
        Participation.objects.select_for_update(of=("self",)).filter(
            pk=participation.pk
        ).order_by().first()
        editable_check(participation=participation, at=at)
        submission = Submission.objects.create(participation=participation, submitted_by=by)
        unit_audit(
            by=by,
            action="self_assessment_submit",
            participation=participation,
            obj=submission,
        )
    return submission


def self_assessment_withdraw(
    *, participation: Participation, by, at: datetime | None = None
) -> None:
    """The head takes the submission back to correct it, while the window is open."""
    _head_check(participation=participation, by=by)
    with transaction.atomic():
        # The participation's own row only: its ordering joins the year, whose row would
        # then be locked FOR UPDATE against the writes that share it.
        Participation.objects.select_for_update(of=("self",)).filter(
            pk=participation.pk
        ).order_by().first()
        window_check(participation=participation, at=at)
        submission = Submission.objects.filter(participation=participation).first()
        if submission is None:
            raise ValidationError("Đơn vị chưa gửi bản tự đánh giá.")
        unit_audit(
            by=by,
            action="self_assessment_withdraw",
            participation=participation,
            obj=submission,
            note=f"gửi lúc {local(submission.submitted_at):%H:%M %d/%m/%Y}",
        )
        submission.delete()
