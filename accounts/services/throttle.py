"""Limits on requests anyone may make without logging in (a password reset, an activation
code tried): counted in the database, so every process sees the same count."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import ThrottleHit

HOUR = timedelta(hours=1)
# (kind, limit per window): a reset mail per address typed, per client address; codes tried.
LIMITS = {
    "reset_email": (3, HOUR),
    "reset_address": (20, HOUR),
    "code_address": (10, HOUR),
}


def _key(value: str) -> str:
    # Addresses and emails are kept hashed: the table is a counter, not a log of who asked.
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()


def throttle_allow(**values: str | None) -> bool:
    """Count one request against each named limit (`reset_email="a@b.vn"`); False, and
    nothing counted, when any limit is already reached."""
    now = timezone.now()
    keyed = {kind: _key(value) for kind, value in values.items() if value}
    with transaction.atomic():
        for kind, key in keyed.items():
            limit, window = LIMITS[kind]
            used = ThrottleHit.objects.filter(kind=kind, key=key, at__gte=now - window).count()
            if used >= limit:
                return False
        ThrottleHit.objects.bulk_create(
            [ThrottleHit(kind=kind, key=key) for kind, key in keyed.items()]
        )
        oldest = now - max(window for _limit, window in LIMITS.values())
        ThrottleHit.objects.filter(at__lt=oldest).delete()
    return True
