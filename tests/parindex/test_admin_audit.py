"""Every change made in the admin is in the audit trail with old → new values, and the
trail shows it in words (DOMAIN.md §9: every change explained, the admin included)."""

from decimal import Decimal

import pytest

from criteria.models import BlockRules, Year
from evidence.models import Score
from kernel.models import AuditEvent
from tests.personas import Node, local, person, year_build

from .admin_pages import home_affairs_admin, posted

TREE = [Node("1", "10"), Node("1.1", "4", "evidence")]


@pytest.fixture
def year(db):
    return year_build(
        2023,
        units=["A18"],
        tree=TREE,
        self_assessment_opens=local(2023, 2, 1, 8),
        self_assessment_closes=local(2023, 3, 1),
    )


@pytest.fixture
def score(year):
    return Score.objects.create(
        participation=year.participations["A18"],
        criterion=year.leaf("1.1"),
        self_score=Decimal("4"),
        appraised_score=Decimal("3"),
    )


def test_changing_an_appraised_score_is_recorded_with_old_and_new_and_read_in_words(client, score):
    officer = home_affairs_admin(client)
    url = f"/quan-tri/evidence/score/{score.pk}/change/"

    client.post(url, posted(client.get(url), appraised_score="3.5"))

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.year, event.unit_code) == (
        officer,
        "admin_change",
        2023,
        "A18",
    )
    assert event.changes == {"appraised_score": ["3.000", "3.5"]}
    page = client.get("/nhat-ky/").content.decode()
    assert "Sửa trong trang quản trị" in page and "Đào Minh Tuấn" in page
    assert "Điểm thẩm định: 3 → 3,5" in page


def test_adding_and_deleting_are_recorded_with_the_values(client, year, score):
    home_affairs_admin(client)

    client.post(f"/quan-tri/evidence/score/{score.pk}/delete/", {"post": "yes"})

    event = AuditEvent.objects.get(action="admin_delete")
    assert event.changes["self_score"] == ["4.000", None]
    assert event.changes["criterion"] == ["1.1. Tiêu chí 1.1", None]
    assert event.object_id == str(score.pk) and not Score.objects.exists()


def test_the_years_windows_and_its_block_rules_are_recorded(client, year):
    home_affairs_admin(client)
    url = f"/quan-tri/criteria/year/{year.year.pk}/change/"
    data = posted(client.get(url), **{"rules-TOTAL_FORMS": "1"})
    data |= {
        "self_assessment_closes_1": "17:00",
        "rules-0-block": str(year.blocks["A"].pk),
        "rules-0-bands": "90;80;70",
        "rules-0-xuat_sac": "90;80",
        "rules-0-tot": "80;70",
        "rules-0-hoan_thanh": "65;50",
        "rules-0-self_review": "1:75",
        "rules-0-year": str(year.year.pk),
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert BlockRules.objects.filter(year=year.year).exists()
    windows = AuditEvent.objects.get(action="admin_change", object_type="criteria.Year")
    assert list(windows.changes) == ["self_assessment_closes"]
    rules = AuditEvent.objects.get(action="admin_add", object_type="criteria.BlockRules")
    assert rules.year == 2023 and rules.changes["self_review"] == [None, "1:75"]
    page = client.get("/nhat-ky/").content.decode()
    assert "Đóng tự đánh giá: 00:00 01/03/2023 → 17:00 01/03/2023" in page


def test_a_years_status_is_shown_by_its_label_when_published(client, year):
    from kernel.audit import audit_record

    audit_record(
        actor=None,
        action="year_publish",
        obj=year.year,
        year=2023,
        changes={"status": (Year.Status.REVIEW, Year.Status.PUBLISHED)},
    )
    home_affairs_admin(client)

    page = client.get("/nhat-ky/").content.decode()

    assert "Công bố kết quả năm" in page
    assert "Trạng thái: Hội đồng xem xét → Đã công bố" in page


def test_a_password_change_is_recorded_without_the_password(client, db):
    home_affairs_admin(client)
    someone = person("canbo.yte")

    client.post(
        f"/quan-tri/auth/user/{someone.pk}/password/",
        {"password1": "mot-mat-khau-moi-9", "password2": "mot-mat-khau-moi-9"},
    )

    event = AuditEvent.objects.get(action="admin_password")
    assert event.changes == {"password": ["(ẩn)", "(đã đổi)"]}
    assert "pbkdf2" not in str(event.changes) and "mot-mat-khau" not in str(event.changes)
