"""Activation and password-reset emails go through the notifications outbox, as reminders
do: the request only writes a notice; the outbox job (a Celery task asked once the
transaction commits, and the periodic run after it) sends it to the SMTP server, retries a
failure, gives up an email no longer owed, and never stores the one-time link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profile
from accounts.services.people import EMAIL, FULL_NAME, ROLE, UNIT
from notifications.models import Notice
from notifications.services import EMAIL_ATTEMPTS, emails_send, reminders_send
from tests.accounts.sheets import confirm, preview
from tests.accounts.smtp import FROM, link_path, text_of
from tests.parindex.admin_pages import home_affairs_admin
from tests.personas import Y_TE, person, unit_get

BASE_URL = "https://chisocchc.haiduong.gov.vn"
NEW_PASSWORD = "Cchc-Hai-Duong-2025"
K = Notice.Kind


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.PARINDEX_BASE_URL = BASE_URL


ROWS = [
    {FULL_NAME: "Trần Văn Minh", EMAIL: "minh@syt.gov.vn", UNIT: Y_TE, ROLE: "unit_officer"},
    {FULL_NAME: "Lê Thị Hoa", EMAIL: "hoa@syt.gov.vn", UNIT: Y_TE, ROLE: "Thủ trưởng đơn vị"},
]


def test_an_import_queues_activation_notices_that_the_outbox_job_delivers_by_smtp(
    client, db, smtp_server, django_capture_on_commit_callbacks
):
    unit_get(Y_TE)
    home_affairs_admin(client)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirm(client, preview(client, ROWS))

    # The request wrote the notices; nothing has left yet.
    queued = Notice.objects.filter(kind=K.ACTIVATION).order_by("email_to")
    assert [n.email_to for n in queued] == ["hoa@syt.gov.vn", "minh@syt.gov.vn"]
    assert all(n.email_sent_at is None and not n.in_app and n.year_id is None for n in queued)
    assert not smtp_server.received
    # No working link is stored anywhere in the outbox.
    assert all("/kich-hoat/" not in n.words + n.link for n in queued)

    (ask_sender,) = callbacks  # one job for the whole import, asked once it commits
    ask_sender()

    assert sorted(rcpt for rcpt, _raw in smtp_server.received) == [
        ["hoa@syt.gov.vn"],
        ["minh@syt.gov.vn"],
    ]
    (message,) = smtp_server.to("minh@syt.gov.vn")
    assert message["Subject"] == "Kích hoạt tài khoản parindex"
    assert message["From"] == FROM
    text = text_of(message)
    assert "Kính gửi Trần Văn Minh," in text
    assert "Tên đăng nhập: minh@syt.gov.vn" in text
    assert f"{BASE_URL}/tai-khoan/kich-hoat/" in text
    assert all(n.email_sent_at is not None for n in Notice.objects.filter(kind=K.ACTIVATION))

    client.logout()
    form_page = client.get(link_path(message), follow=True)
    assert "Kích hoạt tài khoản: đặt mật khẩu" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    minh = get_user_model().objects.get(username="minh@syt.gov.vn")
    assert done.context["user"] == minh
    assert not Profile.objects.get(user=minh).must_set_password

    # Run again (beat, cron): nothing is sent twice.
    reminders_send()
    assert len(smtp_server.received) == 2


def test_a_failed_send_is_kept_and_tried_again_by_the_next_run(
    client, db, settings, smtp_server, django_capture_on_commit_callbacks
):
    unit_get(Y_TE)
    home_affairs_admin(client)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the send fails

    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, preview(client, ROWS[:1]))

    notice = Notice.objects.get(kind=K.ACTIVATION)
    assert notice.email_sent_at is None and notice.email_attempts == 1
    assert notice.email_error.startswith("Lần 1: ")
    assert not smtp_server.received

    settings.EMAIL_PORT = port
    sent, failed = emails_send(at=timezone.now() + timedelta(minutes=15))

    assert (sent, failed) == (1, 0)
    notice.refresh_from_db()
    assert notice.email_sent_at is not None and notice.email_attempts == 2
    assert notice.email_error == ""
    (message,) = smtp_server.messages
    assert message["To"] == "minh@syt.gov.vn"


def test_an_activation_still_owed_after_the_account_activated_is_given_up_not_sent(
    client, db, smtp_server, django_capture_on_commit_callbacks
):
    """A working activation link made after the password is set would let anyone holding
    the email set it again: the sender checks the account as it is when it sends."""
    unit_get(Y_TE)
    home_affairs_admin(client)
    with django_capture_on_commit_callbacks(execute=False):
        confirm(client, preview(client, ROWS[:1]))
    minh = get_user_model().objects.get(username="minh@syt.gov.vn")
    minh.set_password(NEW_PASSWORD)
    minh.save()
    Profile.objects.filter(user=minh).update(must_set_password=False)

    assert emails_send() == (0, 0)

    notice = Notice.objects.get(kind=K.ACTIVATION)
    assert notice.email_sent_at is None and notice.email_attempts == EMAIL_ATTEMPTS
    assert notice.email_error.startswith("Không gửi: tài khoản đã được kích hoạt")
    assert not smtp_server.received


def test_a_password_reset_leaves_through_the_outbox_with_a_working_link(
    client, db, smtp_server, django_capture_on_commit_callbacks
):
    officer = person("canbo.yte")
    officer.email = "minh@syt.gov.vn"
    officer.save()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        asked = client.post("/tai-khoan/quen-mat-khau/", {"email": "minh@syt.gov.vn"})

    assert asked.status_code == 302
    notice = Notice.objects.get(kind=K.PASSWORD_RESET)
    assert (notice.person, notice.email_to, notice.in_app) == (officer, "minh@syt.gov.vn", False)
    assert not smtp_server.received
    for callback in callbacks:
        callback()

    (message,) = smtp_server.messages
    assert message["Subject"] == "Đặt lại mật khẩu parindex"
    assert "tài khoản canbo.yte" in text_of(message)
    form_page = client.get(link_path(message), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)


def test_an_account_email_is_never_shown_in_the_persons_own_notices(
    client, db, smtp_server, django_capture_on_commit_callbacks
):
    officer = person("canbo.yte")
    officer.email = "minh@syt.gov.vn"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tai-khoan/quen-mat-khau/", {"email": "minh@syt.gov.vn"})
    client.force_login(officer)

    page = client.get("/thong-bao/").content.decode()

    assert "Chưa có thông báo nào." in page
    assert "Thư đặt lại mật khẩu" not in page
