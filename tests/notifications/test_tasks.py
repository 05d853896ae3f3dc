"""The Celery task the beat runs: the same service as the command, as idempotent."""

import time_machine

from notifications.models import Notice
from notifications.tasks import reminders_send_task
from tests.personas import local


def test_the_periodic_task_tells_each_event_once(people, mailoutbox):
    with time_machine.travel(local(2023, 12, 26, 9, 0), tick=False):
        first = reminders_send_task.apply().get()
        second = reminders_send_task.apply().get()

    assert first == {"notices": 4, "emails_sent": 4, "emails_failed": 0}
    assert second == {"notices": 0, "emails_sent": 0, "emails_failed": 0}
    assert Notice.objects.count() == len(mailoutbox) == 4


def test_the_beat_schedule_runs_the_task(settings):
    from parindex.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == reminders_send_task.name
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
