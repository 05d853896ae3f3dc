"""Login throttling beyond django-axes' pairs: one address, many usernames (spraying).

axes locks a (username, address) pair after AXES_FAILURE_LIMIT failures. A sprayer tries a
few passwords on each of many usernames and never trips a pair; so an address whose failures
across every username reach settings.ADDRESS_FAILURE_LIMIT within the last
ADDRESS_FAILURE_WINDOW_MINUTES is refused too, for any username, until its oldest counted
failure leaves the window. The count comes from axes' own failure log (one row per failed
attempt); a success does not clear it. The limit is high because an office's people share
one NAT address.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def address_of(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


def address_failures(address: str | None, *, now=None) -> int:
    if not address:
        return 0
    since = (now or timezone.now()) - timedelta(minutes=settings.ADDRESS_FAILURE_WINDOW_MINUTES)
    return AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since).count()


def address_locked(request) -> bool:
    return address_failures(address_of(request)) >= settings.ADDRESS_FAILURE_LIMIT


class AddressThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, also locking an address out across usernames."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_address_locked = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False):
            if address_locked(request):
                request.axes_locked_out = True
                request.axes_address_locked = True


def lockout_response(request, original_response=None, credentials=None):
    """axes' lockout page (429), saying which lock holds: the pair's or the address's."""
    by_address = getattr(request, "axes_address_locked", False) or (
        address_locked(request) and not _pair_locked(request, credentials)
    )
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": get_cool_off(request),
        "by_address": by_address,
        "address_failure_limit": settings.ADDRESS_FAILURE_LIMIT,
        "address_window_minutes": settings.ADDRESS_FAILURE_WINDOW_MINUTES,
    }
    if by_address:
        context["cooloff_timedelta"] = timedelta(minutes=settings.ADDRESS_FAILURE_WINDOW_MINUTES)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)


def _pair_locked(request, credentials) -> bool:
    return AxesDatabaseHandler().is_locked(request, credentials)
