"""A new unit officer, from the people sheet to a scored leaf, through the real URLs (the
Django test client, no browser): Sở Nội vụ imports the sheet in the admin, the activation
email leaves through the outbox job to a real SMTP server, the officer opens its link, sets
a password, signs in with it and scores a leaf of their unit's self-assessment."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.services.people import EMAIL, FULL_NAME, PHONE, ROLE, UNIT
from criteria.models import Criterion, Year
from evidence.models import Score
from kernel.models import AuditEvent
from tests.accounts.sheets import confirm, preview
from tests.accounts.smtp import link_path, text_of
from tests.parindex.admin_pages import home_affairs_admin
from tests.personas import TU_PHAP, Y_TE, Node, local, year_build

NEW_PASSWORD = "Cchc-Hai-Duong-2025"
DURING = local(2023, 1, 5, 9, 30)
TREE = [
    Node("1", "4"),
    Node("1.1", "2", "evidence"),
    Node("1.2", "2", "evidence"),
]


@pytest.fixture
def year(db, time_machine):
    time_machine.move_to(DURING, tick=False)
    return year_build(
        2023,
        units=[Y_TE, TU_PHAP],
        tree=TREE,
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=local(2022, 12, 25),
        self_assessment_closes=local(2023, 1, 11),
    ).year


def test_a_new_officer_from_the_sheet_activates_signs_in_and_scores_a_leaf(
    client, year, smtp_server, django_capture_on_commit_callbacks
):
    home_affairs_admin(client)
    row = {
        FULL_NAME: "Phạm Thu Trang",
        EMAIL: "trang@syt.gov.vn",
        PHONE: "0220 3852 123",
        UNIT: "Sở Y tế",
        ROLE: "Cán bộ đầu mối CCHC",
    }
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm(client, preview(client, [row]))
    assert confirmed.status_code == 302
    client.logout()

    # The email arrived at the SMTP server; before activation the account cannot sign in.
    (message,) = smtp_server.to("trang@syt.gov.vn")
    assert "Kính gửi Phạm Thu Trang," in text_of(message)
    assert "Tên đăng nhập: trang@syt.gov.vn" in text_of(message)
    refused = client.post(
        reverse("login"), {"username": "trang@syt.gov.vn", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 200 and not client.session.get("_auth_user_id")

    form_page = client.get(link_path(message), follow=True)
    assert "Kích hoạt tài khoản: đặt mật khẩu" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.logout()

    signed_in = client.post(
        reverse("login"), {"username": "trang@syt.gov.vn", "password": NEW_PASSWORD}, follow=True
    )
    trang = get_user_model().objects.get(username="trang@syt.gov.vn")
    assert signed_in.context["user"] == trang
    # Signed in with their own password: not sent to the first-password page.
    assert signed_in.redirect_chain[-1][0] != reverse("accounts:first_password")

    home = client.get(reverse("evidence:home")).content.decode()
    assert "Tự đánh giá năm 2023 – Sở Y tế" in home
    leaf = Criterion.objects.get(year=year, block__code="A", code="1.1")
    saved = client.post(
        reverse("evidence:leaf_save", args=[leaf.pk]),
        {"score": "1,5", "note": "Kế hoạch số 5/KH-SYT"},
        follow=True,
    )

    assert "Đã lưu tiêu chí 1.1." in saved.content.decode()
    score = Score.objects.get(participation__unit__code=Y_TE, criterion=leaf)
    assert (str(score.self_score), score.self_note) == ("1.500", "Kế hoạch số 5/KH-SYT")
    assert AuditEvent.objects.filter(actor=trang, action="password_set").exists()
    assert AuditEvent.objects.filter(actor=trang).exclude(action="password_set").exists()
