"""Reminders and notices: tell each person each due event once, in the app and/or by email.

`reminders_send` is the one entry point of the periodic Celery task and of the
`send_reminders` command. Running it twice, or in two workers at once, tells each event
once: a notice is created under the unique (person, key) constraint, and its email is sent
only by whoever claims it with a conditional UPDATE.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from kernel.jobs import task_named

from .emails import EmailNotOwed, notice_email
from .events import Event, due_events
from .models import ACCOUNT_KINDS, Notice, NoticePreference

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


def account_notice_queue(
    *, user, kind: str, words: str, at: datetime | None = None, send_soon: bool = True
) -> Notice:
    """Put an email about the person's own account (activation, password reset) in the
    outbox; the sender (a Celery job, asked once this transaction commits, and the periodic
    run after it) sends it and tries again if it fails. Nothing leaves inside the request.

    Its link is not stored: the sender makes a fresh one-time link when it sends.
    `send_soon=False` leaves asking for the sender to the caller (an import of 380 people
    asks once, not 380 times).
    """
    if kind not in ACCOUNT_KINDS:
        raise ValidationError("Loại thư không phải thư về tài khoản.")
    if not user.email:
        raise ValidationError(f"Tài khoản «{user.get_username()}» không có email.")
    at = at or timezone.now()
    # Each request is its own event: a resend is a new email, not the earlier one again.
    notice = Notice.objects.create(
        person=user,
        year=None,
        kind=kind,
        key=f"{kind}:{user.pk}:{at.isoformat()}:{secrets.token_hex(4)}",
        title=Notice.Kind(kind).label,
        words=words,
        created=at,
        in_app=False,
        email_to=user.email,
    )
    if send_soon:
        transaction.on_commit(emails_send_soon)
    return notice


def emails_send_soon() -> None:
    """Ask a worker to send the emails owed now. If the queue is down the emails wait
    in the outbox for the periodic run (every 15 minutes): nothing is lost."""
    try:
        task_named("notifications.tasks.emails_send_task").delay()
    except (KombuOperationalError, RedisConnectionError, OSError) as error:
        logger.warning("email job not queued, left to the periodic run: %s", error)


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


def emails_send(*, at: datetime | None = None) -> tuple[int, int]:
    """Send every email owed; returns (sent, failed). A failure is kept on the notice and
    tried again at the next run, up to EMAIL_ATTEMPTS times. An email no longer owed (an
    activation after the account was activated) is given up with its reason."""
    at = at or timezone.now()
    sent = failed = 0
    for notice in emails_owed(at).select_related("person").order_by("id"):
        if not notice_email_claim(notice=notice, at=at):
            continue
        try:
            notice_email(notice).send()
        except EmailNotOwed as reason:
            notice.email_error = str(reason)[:2000]
            notice.email_attempts = EMAIL_ATTEMPTS
            notice.email_claimed_at = None
            notice.save(update_fields=["email_error", "email_attempts", "email_claimed_at"])
            continue
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


@dataclass
class EmailState:
    """Where a notice's email stands, in words for Sở Nội vụ's outbox page."""

    key: str  # sent, waiting, retrying, given_up
    words: str


OUTBOX_STATES = {
    "da-gui": "Đã gửi",
    "cho-gui": "Đang chờ gửi",
    "loi": "Gửi lỗi, sẽ thử lại",
    "khong-gui": "Không gửi",
}


def email_state(notice: Notice) -> EmailState:
    if notice.email_sent_at is not None:
        sent = timezone.localtime(notice.email_sent_at)
        return EmailState("da-gui", f"Đã gửi lúc {sent:%H:%M} ngày {sent:%d/%m/%Y}")
    if notice.email_attempts >= EMAIL_ATTEMPTS:
        reason = notice.email_error or "không rõ lý do"
        if reason.startswith("Không gửi"):
            return EmailState("khong-gui", reason)
        return EmailState("khong-gui", f"Không gửi được sau {EMAIL_ATTEMPTS} lần: {reason}")
    if notice.email_error:
        return EmailState("loi", f"Gửi lỗi ({notice.email_error}); sẽ thử lại.")
    return EmailState("cho-gui", "Đang chờ gửi")


def outbox_notices(*, state: str = ""):
    """Every email the system has sent or owes, newest first; `state` one of OUTBOX_STATES."""
    notices = Notice.objects.exclude(email_to="").select_related("person")
    if state == "da-gui":
        notices = notices.filter(email_sent_at__isnull=False)
    elif state == "khong-gui":
        notices = notices.filter(email_sent_at__isnull=True, email_attempts__gte=EMAIL_ATTEMPTS)
    elif state == "loi":
        notices = notices.filter(
            ~Q(email_error=""), email_sent_at__isnull=True, email_attempts__lt=EMAIL_ATTEMPTS
        )
    elif state == "cho-gui":
        notices = notices.filter(email_error="", email_sent_at__isnull=True).filter(
            email_attempts__lt=EMAIL_ATTEMPTS
        )
    elif state:
        raise ValidationError("Trạng thái thư không hợp lệ.")
    return notices.order_by("-created", "-id")


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
