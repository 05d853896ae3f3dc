"""The audit trail: services call `audit_record` for every change a person makes."""

from decimal import Decimal

from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    year: int | None = None,
    unit_code: str = "",
    changes: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """Record one change. `changes` maps a field to (old, new); unchanged fields are dropped."""
    recorded = {
        field: [_plain(old), _plain(new)]
        for field, (old, new) in (changes or {}).items()
        if old != new
    }
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        year=year,
        unit_code=unit_code,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=recorded,
        note=note,
    )
