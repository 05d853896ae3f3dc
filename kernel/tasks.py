"""Housekeeping jobs of the kernel, run by Celery beat (parindex/settings.py)."""

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings


@shared_task(acks_late=True, reject_on_worker_lost=True)
def access_failure_logs_prune_task() -> int:
    """Forget failed sign-ins older than AXES_FAILURE_LOG_KEEP_DAYS (the per-address throttle
    looks back one hour; the rest is kept for the security review, then dropped, so the
    table does not grow for ever). Returns how many rows were removed."""
    return AxesProxyHandler.reset_failure_logs(age_days=settings.AXES_FAILURE_LOG_KEEP_DAYS)
