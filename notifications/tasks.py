from celery import shared_task

from .services import reminders_send


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
