"""Never twice for the same event; an email that fails is kept and tried again."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from notifications.models import Notice
from notifications.services import (
    EMAIL_ATTEMPTS,
    EMAIL_CLAIM_EXPIRES,
    emails_send,
    notice_email_claim,
)
from tests.personas import local

from .conftest import run

IN_SELF_ASSESSMENT = "2023-12-26T09:00"
AT = local(2023, 12, 26, 9, 0)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_same_event_cannot_be_stored_twice_for_one_person(world, people):
    run(IN_SELF_ASSESSMENT)
    notice = Notice.objects.get(person=people["canbo.yte"])

    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            person=notice.person,
            year=notice.year,
            kind=notice.kind,
            key=notice.key,
            title=notice.title,
            words=notice.words,
            created=AT,
        )


def test_of_two_runs_holding_the_same_notice_only_one_may_send_it(world, people, mailoutbox):
    from notifications.events import due_events
    from notifications.services import notices_create

    [event] = [e for e in due_events(AT) if e.key.endswith(":A18")]
    notices_create(event=event, at=AT)
    first = Notice.objects.get(person=people["canbo.yte"])
    second = Notice.objects.get(pk=first.pk)  # the other worker's copy

    assert notice_email_claim(notice=first, at=AT)
    assert not notice_email_claim(notice=second, at=AT)
    # Sở Y tế's head's email goes; the officer's is the first worker's to send, not ours.
    assert emails_send(at=AT) == (1, 0)
    assert [m.to for m in mailoutbox] == [["thutruong.yte@cchc.example.vn"]]


def test_a_worker_that_died_mid_send_leaves_the_email_to_the_next_run(world, people, mailoutbox):
    from notifications.events import due_events
    from notifications.services import notices_create

    [event] = [e for e in due_events(AT) if e.key.endswith(":A8")]
    notices_create(event=event, at=AT)
    notice = Notice.objects.get(person=people["canbo.tuphap"])
    assert notice_email_claim(notice=notice, at=AT)  # ... and the worker is killed

    assert emails_send(at=AT + timedelta(minutes=1)) == (0, 0)
    assert emails_send(at=AT + EMAIL_CLAIM_EXPIRES + timedelta(minutes=1)) == (1, 0)
    assert len(mailoutbox) == 1
    assert emails_send(at=AT + timedelta(hours=1)) == (0, 0)


def test_an_email_the_server_refuses_is_kept_with_its_error_and_tried_again(
    world, people, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2

    out = run(IN_SELF_ASSESSMENT)

    assert "Đã tạo 4 thông báo; đã gửi 0 thư; 4 thư gửi không được (sẽ thử lại)." in out
    notice = Notice.objects.get(person=people["canbo.yte"])
    assert notice.email_sent_at is None and notice.email_error.startswith("Lần 1: ")
    assert notice.in_app  # the notice itself is there

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Đã tạo 0 thông báo; đã gửi 4 thư." in run("2023-12-26T09:15")
    notice.refresh_from_db()
    assert notice.email_sent_at is not None and notice.email_error == ""
    assert len(mailoutbox) == 4


def test_an_email_is_given_up_after_its_attempts(world, people, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    for minute in range(0, 15 * (EMAIL_ATTEMPTS + 1), 15):
        run(f"2023-12-26T09:{minute:02d}")

    notice = Notice.objects.get(person=people["canbo.yte"])
    assert notice.email_attempts == EMAIL_ATTEMPTS
    assert notice.email_error.startswith(f"Lần {EMAIL_ATTEMPTS}: ")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "đã gửi 0 thư" in run("2023-12-26T11:00")


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_the_same_moment_tell_each_event_once(mailoutbox):
    """Two threads (two workers) run the job at once on their own connections."""
    from django.db import connection

    if connection.vendor != "postgresql":
        # Two workers write at once only on PostgreSQL (production's); SQLite has one
        # writer and answers the second with "database table is locked".
        pytest.skip("concurrent workers need PostgreSQL (CI runs this on it)")
    import threading

    from notifications.services import reminders_send
    from tests.appraisal.personas import build_world
    from tests.personas import person

    build_world()
    for username in ("canbo.yte", "thutruong.yte", "canbo.tuphap", "canbo.gtvt"):
        user = person(username)
        user.email = f"{username}@cchc.example.vn"
        user.save(update_fields=["email"])
    start = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        try:
            start.wait()
            reports.append(reminders_send(at=AT))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Notice.objects.count() == 4
    assert sorted(m.to[0] for m in mailoutbox) == sorted(set(m.to[0] for m in mailoutbox))
    assert len(mailoutbox) == 4
    assert sum(r.emails_sent for r in reports) == 4
