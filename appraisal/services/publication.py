"""The council's decisions: approve the computed results and publish them, freezing the year."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appraisal.models import Computation
from criteria.models import Year
from criteria.phase import year_refuse_if_frozen
from kernel.audit import audit_record

from .appraisals import local_time
from .compute import fingerprint_of, previous_ranks_for, year_inputs


def results_are_current(year: Year) -> bool:
    """True when the stored results were computed from the scores as they are now."""
    computation = Computation.objects.filter(year=year).first()
    if computation is None:
        return False
    _participations, blocks = year_inputs(year)
    return computation.fingerprint == fingerprint_of(blocks, previous_ranks_for(year))


def year_publish(
    *, year: Year, by=None, today: date | None = None, at: datetime | None = None
) -> Year:
    """Approve and publish (DOMAIN §3.6): status published, published_on today. From then on
    every write path refuses the year."""
    at = at or timezone.now()
    year_refuse_if_frozen(year)
    for window, label in (("appraisal", "thẩm định"), ("explanation", "giải trình")):
        if year.window_is_open(window, at):
            closes = getattr(year, f"{window}_closes")
            raise ValidationError(
                f"Thời gian {label} chưa kết thúc (đến trước {local_time(closes)}): "
                "chưa thể công bố."
            )
    if not Computation.objects.filter(year=year).exists():
        raise ValidationError(f"Năm {year.year} chưa tính chỉ số: hãy tính trước khi công bố.")
    if not results_are_current(year):
        raise ValidationError(
            "Điểm đã thay đổi sau lần tính chỉ số gần nhất: hãy tính lại trước khi công bố."
        )
    with transaction.atomic():
        old_status, old_date = year.status, year.published_on
        year.status = Year.Status.PUBLISHED
        year.published_on = today or timezone.localdate(at)
        year.save(update_fields=["status", "published_on"])
        audit_record(
            actor=by,
            action="year_publish",
            obj=year,
            year=year.year,
            changes={
                "status": (old_status, year.status),
                "published_on": (old_date, year.published_on),
            },
        )
    return year
