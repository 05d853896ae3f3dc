"""Issue 12: the per-address throttle's record of failed sign-ins does not grow for ever:
Celery beat drops rows older than AXES_FAILURE_LOG_KEEP_DAYS once a day."""

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone

from kernel.tasks import access_failure_logs_prune_task

pytestmark = pytest.mark.django_db


def failure(username: str, days_ago: int) -> AccessFailureLog:
    row = AccessFailureLog.objects.create(
        username=username, ip_address="203.0.113.9", user_agent="x", path_info="/dang-nhap/"
    )
    AccessFailureLog.objects.filter(pk=row.pk).update(
        attempt_time=timezone.now() - timedelta(days=days_ago)
    )
    return row


def test_old_failed_sign_ins_are_dropped_and_recent_ones_kept(settings):
    settings.AXES_FAILURE_LOG_KEEP_DAYS = 30
    failure("cu", 31)
    failure("cu-nua", 400)
    kept = failure("moi", 2)
    assert access_failure_logs_prune_task.delay().get() == 2
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_prune_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["prune-access-failure-logs"]
    assert entry["task"] == access_failure_logs_prune_task.name
    assert entry["schedule"] == 24 * 60 * 60
