from celery import shared_task
from django.utils import timezone

from .services import emails_send, reminders_send


# Run by Celery beat (settings.CELERY_BEAT_SCHEDULE). Idempotent, so a redelivery after a
# worker died, or two workers running it at once, tells no event twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def reminders_send_task() -> dict:
    report = reminders_send()
    return {
        "notices": report.notices,
        "emails_sent": report.emails_sent,
        "emails_failed": report.emails_failed,
    }


# Asked when an account's email is queued (activation, password reset): sends what the
# outbox owes now rather than at the next periodic run. Claims make it safe beside beat.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def emails_send_task() -> dict:
    sent, failed = emails_send(at=timezone.now())
    return {"emails_sent": sent, "emails_failed": failed}
