"""Sở Nội vụ's outbox (/thong-bao/thu-di/): every email sent or owed, to whom, and the
failures in words; the one-time links are never shown (they are never stored)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notice
from notifications.services import EMAIL_ATTEMPTS
from tests.personas import person

OUTBOX = "/thong-bao/thu-di/"
AT = datetime(2024, 1, 8, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hà Nội


def login(client, username: str) -> None:
    user = get_user_model().objects.filter(username=username).first() or person(username)
    client.force_login(user)


@pytest.fixture
def notices(db):
    minh, lan = person("canbo.yte"), person("noivu")
    made = {}
    for key, (who, kind, sent, attempts, error) in {
        "sent": (minh, Notice.Kind.SELF_ASSESSMENT_DUE, AT, 1, ""),
        "waiting": (minh, Notice.Kind.ACTIVATION, None, 0, ""),
        "retrying": (lan, Notice.Kind.PASSWORD_RESET, None, 1, "Lần 1: Connection refused"),
        "given_up": (lan, Notice.Kind.PUBLISHED, None, EMAIL_ATTEMPTS, "Lần 3: timed out"),
    }.items():
        made[key] = Notice.objects.create(
            person=who,
            kind=kind,
            key=key,
            title=Notice.Kind(kind).label,
            words="",
            created=AT,
            in_app=kind not in (Notice.Kind.ACTIVATION, Notice.Kind.PASSWORD_RESET),
            email_to=f"{who.username}@cchc.example.vn",
            email_sent_at=sent,
            email_attempts=attempts,
            email_error=error,
        )
    Notice.objects.create(
        person=minh,
        kind=Notice.Kind.PUBLISHED,
        key="app-only",
        title="x",
        words="",
        created=AT,
        in_app=True,
        email_to="",
    )
    return made


def test_home_affairs_sees_every_email_with_its_state_in_words(client, notices):
    login(client, "noivu")

    page = client.get(OUTBOX).content.decode()

    assert "Đã gửi lúc 09:00 ngày 08/01/2024" in page
    assert "Đang chờ gửi" in page
    assert "Gửi lỗi (Lần 1: Connection refused); sẽ thử lại." in page
    assert f"Không gửi được sau {EMAIL_ATTEMPTS} lần: Lần 3: timed out" in page
    assert "Thư kích hoạt tài khoản" in page and "Thư đặt lại mật khẩu" in page
    assert "Trần Văn Minh &lt;canbo.yte@cchc.example.vn&gt;" in page
    # Codes never shown: kinds are words.
    assert "self_assessment_due" not in page and "password_reset" not in page
    assert page.count("<tr>") == 1 + 4  # the in-app-only notice sent no email


def test_the_outbox_filters_by_state(client, notices):
    login(client, "noivu")

    page = client.get(OUTBOX, {"trang-thai": "loi"}).content.decode()

    assert "Connection refused" in page and "Thư kích hoạt tài khoản" not in page
    assert page.count("<tr>") == 1 + 1


def test_an_unknown_state_is_refused_in_vietnamese(client, notices):
    login(client, "noivu")

    answer = client.get(OUTBOX, {"trang-thai": "xyz"}, follow=True)

    assert "Trạng thái thư không hợp lệ." in answer.content.decode()
    assert answer.redirect_chain[-1][0] == OUTBOX


@pytest.mark.parametrize("username", ["canbo.yte", "thamdinh.tuphap", "hoidong"])
def test_others_may_not_read_the_outbox(client, notices, username):
    login(client, username)

    assert client.get(OUTBOX).status_code == 403


def test_the_notices_page_links_to_the_outbox_for_home_affairs_only(client, notices):
    login(client, "noivu")
    assert OUTBOX in client.get("/thong-bao/").content.decode()
    login(client, "canbo.yte")
    assert OUTBOX not in client.get("/thong-bao/").content.decode()


def test_anonymous_visitors_are_sent_to_login(client, db):
    answer = client.get(OUTBOX)
    assert answer.status_code == 302 and answer.url.startswith("/dang-nhap/")
