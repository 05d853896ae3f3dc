"""Reset by email (the same answer whether the email is known or not, throttled per email
and per address) and change by the user, through Django's own views and our pages."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from accounts.models import Profile
from tests.personas import PASSWORD, person

RESET_URL = "/tai-khoan/quen-mat-khau/"
NEW_PASSWORD = "Cchc-Hai-Duong-2025"


@pytest.fixture
def officer(db):
    user = person("canbo.yte")
    user.email = "minh@syt.gov.vn"
    user.save()
    return user


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Ask for a reset as a browser would; the outbox job the request queued runs once its
    transaction commits (in-process in tests), as a worker would run it."""

    def ask(client, email: str, address: str = "10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address, follow=True)

    return ask


def test_a_reset_link_by_email_sets_a_new_password(client, officer, ask_reset):
    asked = ask_reset(client, "Minh@SYT.gov.vn")

    assert asked.redirect_chain[-1][0] == "/tai-khoan/quen-mat-khau/da-gui/"
    (message,) = mail.outbox
    assert message.to == ["minh@syt.gov.vn"] and message.subject == "Đặt lại mật khẩu parindex"
    assert "tài khoản canbo.yte" in message.body
    url = re.search(r"https?://\S+", message.body).group(0)
    assert url.startswith("http://127.0.0.1:8000/tai-khoan/dat-lai/")  # PARINDEX_BASE_URL
    form_page = client.get(urlparse(url).path, follow=True)
    assert "Đặt lại mật khẩu" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Đã đặt lại mật khẩu" in done.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(officer.pk)
    again = client.get(urlparse(url).path, follow=True)
    assert "Liên kết này không còn dùng được" in again.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, officer, ask_reset):
    known = ask_reset(client, "minh@syt.gov.vn")
    mail.outbox.clear()

    unknown = ask_reset(client, "ai-do@syt.gov.vn")

    assert not mail.outbox
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    strip = re.compile(r'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", unknown.content.decode()) == strip.sub("", known.content.decode())


def test_an_account_awaiting_activation_may_use_the_reset_link_to_activate(
    client, officer, ask_reset
):
    officer.set_unusable_password()
    officer.save()
    Profile.objects.create(user=officer, must_set_password=True)

    ask_reset(client, "minh@syt.gov.vn")

    (message,) = mail.outbox
    url = re.search(r"https?://\S+", message.body).group(0)
    form_page = client.get(urlparse(url).path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not Profile.objects.get(user=officer).must_set_password


def test_resets_are_throttled_per_email_known_or_not(client, officer, ask_reset):
    for email in ("minh@syt.gov.vn", "ai-do@syt.gov.vn"):
        for attempt in range(3):
            assert ask_reset(client, email, address=f"10.0.1.{attempt}").status_code == 200

        refused = ask_reset(client, email.upper(), address="10.0.2.1")

        assert refused.status_code == 429
        assert "nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_resets_are_throttled_per_address(client, officer, ask_reset):
    for n in range(20):
        assert ask_reset(client, f"nguoi{n}@syt.gov.vn", address="10.9.9.9").status_code == 200

    refused = ask_reset(client, "minh@syt.gov.vn", address="10.9.9.9")
    elsewhere = ask_reset(client, "minh@syt.gov.vn", address="10.9.9.10")

    assert refused.status_code == 429
    assert elsewhere.status_code == 200
    assert len(mail.outbox) == 1


def test_activation_codes_are_throttled_per_address(client, db):
    for _attempt in range(10):
        wrong = client.post("/tai-khoan/kich-hoat/", {"username": "ai", "code": "AAAAABBBBB"})
        assert wrong.status_code == 200

    refused = client.post("/tai-khoan/kich-hoat/", {"username": "ai", "code": "AAAAABBBBB"})

    assert refused.status_code == 429
    assert "Đã nhập sai mã nhiều lần" in refused.content.decode()


def test_a_user_changes_their_own_password(client, officer):
    client.force_login(officer)

    wrong = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Mật khẩu cũ" in wrong.content.decode()
    changed = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Đã đổi mật khẩu" in changed.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(officer.pk)  # still signed in


def test_anonymous_visitors_are_sent_to_login_for_a_password_change(client, db):
    response = client.get("/tai-khoan/doi-mat-khau/")

    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")
