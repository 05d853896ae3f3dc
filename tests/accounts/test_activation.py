"""A new account is activated by its owner: the emailed one-time link, or a printed one-time
code for an office without email; a password chosen by someone else must be replaced at
first login; Sở Nội vụ can resend the link."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import Profile
from accounts.services.people import EMAIL, FULL_NAME, ROLE, UNIT, USERNAME
from kernel.models import AuditEvent
from tests.accounts.sheets import CHANGELIST_URL, confirm, preview
from tests.parindex.admin_pages import home_affairs_admin
from tests.personas import Y_TE, person, unit_get

NEW_PASSWORD = "Cchc-Hai-Duong-2025"


@pytest.fixture
def imported(client, db, django_capture_on_commit_callbacks):
    """Sở Nội vụ imports two officers of Sở Y tế, one with email, one without; the
    admin then signs out."""
    unit_get(Y_TE)
    home_affairs_admin(client)
    rows = [
        {FULL_NAME: "Trần Văn Minh", EMAIL: "minh@syt.gov.vn", UNIT: Y_TE, ROLE: "unit_officer"},
        {FULL_NAME: "Hoàng Thị Mai", USERNAME: "mai.yte", UNIT: Y_TE, ROLE: "unit_officer"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, preview(client, rows))
    client.logout()
    return get_user_model().objects.get(username="minh@syt.gov.vn")


def link_in(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return urlparse(url).path


def test_the_activation_link_sets_the_password_and_logs_the_new_officer_in(client, imported):
    (message,) = mail.outbox
    assert message.to == ["minh@syt.gov.vn"]
    assert message.subject == "Kích hoạt tài khoản parindex"
    assert "Kính gửi Trần Văn Minh" in message.body
    assert "Tên đăng nhập: minh@syt.gov.vn" in message.body
    link = link_in(message)
    assert link.startswith("/tai-khoan/kich-hoat/")

    form_page = client.get(link, follow=True)
    assert "Kích hoạt tài khoản: đặt mật khẩu" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == "/"
    assert done.context["user"] == imported
    assert "Tài khoản đã kích hoạt" in done.content.decode()
    assert not Profile.objects.get(user=imported).must_set_password
    assert AuditEvent.objects.filter(action="password_set", actor=imported).exists()
    client.logout()
    again = client.get(link, follow=True)
    assert "Liên kết này không còn dùng được" in again.content.decode()
    signed_in = client.post(
        "/dang-nhap/", {"username": "minh@syt.gov.vn", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and client.session.get("_auth_user_id")


def test_a_mismatched_second_password_is_refused_in_vietnamese(client, imported):
    form_page = client.get(link_in(mail.outbox[0]), follow=True)

    refused = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": "khac"},
    )

    assert "Hai trường mật khẩu không giống nhau" in refused.content.decode()
    imported.refresh_from_db()
    assert not imported.has_usable_password()


def test_an_office_without_email_activates_with_a_printed_one_time_code(client, imported):
    mai = get_user_model().objects.get(username="mai.yte")
    client.force_login(get_user_model().objects.get(username="quantri"))

    printed = client.post(
        CHANGELIST_URL, {"action": "activation_codes_print", "_selected_action": [mai.pk]}
    )

    page = printed.content.decode()
    assert "Mã kích hoạt tài khoản" in page and "Hoàng Thị Mai" in page and "Sở Y tế" in page
    code = re.search(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", page).group(1)
    client.logout()

    wrong = client.post("/tai-khoan/kich-hoat/", {"username": "mai.yte", "code": "AAAAA-BBBBB"})
    assert "Tên đăng nhập hoặc mã kích hoạt không đúng" in wrong.content.decode()
    form_page = client.post(
        "/tai-khoan/kich-hoat/", {"username": "mai.yte", "code": code.lower()}, follow=True
    )
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302 and client.session["_auth_user_id"] == str(mai.pk)
    client.logout()
    reused = client.post("/tai-khoan/kich-hoat/", {"username": "mai.yte", "code": code})
    assert "Tên đăng nhập hoặc mã kích hoạt không đúng" in reused.content.decode()


def test_home_affairs_resends_an_activation_but_not_to_an_active_account(
    client, imported, django_capture_on_commit_callbacks
):
    client.force_login(get_user_model().objects.get(username="quantri"))
    active = person("canbo.yte")
    active.email = "canbo@syt.gov.vn"
    active.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            CHANGELIST_URL,
            {"action": "activation_resend", "_selected_action": [imported.pk, active.pk]},
            follow=True,
        )

    (message,) = mail.outbox
    assert message.to == ["minh@syt.gov.vn"]
    text = answer.content.decode()
    assert "Đã gửi 1 thư kích hoạt." in text
    assert "Tài khoản «canbo.yte» đã kích hoạt." in text


def test_a_password_chosen_by_someone_else_must_be_replaced_at_first_login(client, imported):
    imported.set_password("tam-thoi-123")
    imported.save()
    client.post("/dang-nhap/", {"username": imported.username, "password": "tam-thoi-123"})

    sent_on = client.get("/ket-qua/2025/")

    assert sent_on.status_code == 302 and sent_on.url == "/tai-khoan/dat-mat-khau/"
    page = client.get(sent_on.url).content.decode()
    assert "Đặt mật khẩu" in page and "mật khẩu tạm" in page
    done = client.post(sent_on.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    imported.refresh_from_db()
    assert imported.check_password(NEW_PASSWORD)
