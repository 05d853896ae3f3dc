"""Reminders and notices: tell each person each due event once, in the app and/or by email.

`reminders_send` is the one entry point of the periodic Celery task and of the
`send_reminders` command. Running it twice, or in two workers at once, tells each event
once: a notice is created under the unique (person, key) constraint, and its email is sent
only by whoever claims it with a conditional UPDATE.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from .emails import notice_email
from .events import Event, due_events
from .models import Notice, NoticePreference

logger = logging.getLogger(__name__)

C = NoticePreference.Channel
EMAIL_ATTEMPTS = 3
# A claim older than this is a worker that died mid-send: the email may be tried again.
EMAIL_CLAIM_EXPIRES = timedelta(minutes=10)


@dataclass
class RemindersReport:
    notices: int = 0
    emails_sent: int = 0
    emails_failed: int = 0


def channel_of(person) -> str:
    preference = NoticePreference.objects.filter(person=person).first()
    return preference.channel if preference else C.BOTH


def reminders_send(*, at: datetime | None = None) -> RemindersReport:
    """Create the notices of every event due at `at` (now by default), then send the
    emails still owed (these and earlier ones that failed)."""
    at = at or timezone.now()
    report = RemindersReport()
    for event in due_events(at):
        report.notices += notices_create(event=event, at=at)
    sent, failed = emails_send(at=at)
    report.emails_sent, report.emails_failed = sent, failed
    return report


def notices_create(*, event: Event, at: datetime) -> int:
    """One notice per person of `event` not yet told; returns how many were created."""
    told = set(
        Notice.objects.filter(key=event.key, person__in=event.people).values_list(
            "person_id", flat=True
        )
    )
    people = [person for person in event.people if person.pk not in told]
    if not people:
        return 0
    message = event.compose()
    if message is None:
        return 0
    preferences = dict(
        NoticePreference.objects.filter(person__in=people).values_list("person_id", "channel")
    )
    notices = []
    for person in people:
        channel = preferences.get(person.pk, C.BOTH)
        email_to = person.email if channel in (C.BOTH, C.EMAIL) else ""
        notices.append(
            Notice(
                person=person,
                year=event.year,
                kind=event.kind,
                key=event.key,
                title=message.title[:300],
                words="\n".join(message.lines),
                link=message.link,
                created=at,
                # Without an address, "email only" would tell nothing: show it in the app.
                in_app=channel in (C.BOTH, C.IN_APP) or not email_to,
                email_to=email_to,
            )
        )
    # A second run (or worker) racing this one inserts nothing: the unique constraint holds.
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    return Notice.objects.filter(key=event.key, person__in=people, created=at).count()


def emails_owed(at: datetime):
    """Notices whose email is not sent, tried fewer than EMAIL_ATTEMPTS times, not being
    sent by someone else right now."""
    return Notice.objects.filter(
        ~Q(email_to=""),
        email_sent_at__isnull=True,
        email_attempts__lt=EMAIL_ATTEMPTS,
    ).filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=at - EMAIL_CLAIM_EXPIRES))


def notice_email_claim(*, notice: Notice, at: datetime) -> bool:
    """Take the right to send this notice's email; False if another run took it first."""
    claimed = emails_owed(at).filter(pk=notice.pk, email_attempts=notice.email_attempts)
    taken = claimed.update(email_claimed_at=at, email_attempts=notice.email_attempts + 1)
    if taken:
        notice.email_claimed_at = at
        notice.email_attempts += 1
    return bool(taken)


def emails_send(*, at: datetime) -> tuple[int, int]:
    """Send every email owed; returns (sent, failed). A failure is kept on the notice and
    tried again at the next run, up to EMAIL_ATTEMPTS times."""
    sent = failed = 0
    for notice in emails_owed(at).select_related("person").order_by("id"):
        if not notice_email_claim(notice=notice, at=at):
            continue
        try:
            notice_email(notice).send()
        except Exception as error:  # noqa: BLE001 - any transport failure is kept and retried
            logger.warning("email of notice %s failed: %s", notice.pk, error)
            notice.email_error = f"Lần {notice.email_attempts}: {error}"[:2000]
            notice.email_claimed_at = None
            notice.save(update_fields=["email_error", "email_claimed_at"])
            failed += 1
            continue
        notice.email_sent_at = timezone.now()
        notice.email_error = ""
        notice.save(update_fields=["email_sent_at", "email_error"])
        sent += 1
    return sent, failed


def notice_open(*, notice: Notice, by, at: datetime | None = None) -> Notice:
    """Mark the person's own notice read (opening it reads it)."""
    if notice.person_id != by.pk:
        raise ValidationError("Thông báo này không phải của bạn.")
    if notice.read_at is None:
        notice.read_at = at or timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_read_all(*, by, at: datetime | None = None) -> int:
    return Notice.objects.filter(person=by, in_app=True, read_at__isnull=True).update(
        read_at=at or timezone.now()
    )


def unread_count(person) -> int:
    if not person.is_authenticated:
        return 0
    return Notice.objects.filter(person=person, in_app=True, read_at__isnull=True).count()


def preference_save(*, person, channel: str) -> NoticePreference:
    if channel not in C.values:
        raise ValidationError("Cách nhận thông báo không hợp lệ.")
    preference, _ = NoticePreference.objects.update_or_create(
        person=person, defaults={"channel": channel}
    )
    return preference
