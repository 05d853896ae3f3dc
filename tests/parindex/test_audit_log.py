"""The audit trail page and its CSV export, for Sở Nội vụ only."""

import pytest
from django.contrib.auth import get_user_model

from kernel.audit import audit_record
from units.models import Membership


def user(username, role=None):
    person = get_user_model().objects.create_user(username=username, password="x")
    if role:
        Membership.objects.create(user=person, role=role)
    return person


@pytest.fixture
def events(db):
    officer = user("canbo")
    audit_record(
        actor=officer,
        action="score.self",
        year=2023,
        unit_code="A18",
        changes={"self_score": ("1.000", "1.500"), "self_note": ("", "")},
    )
    audit_record(
        actor=officer,
        action="evidence.upload",
        year=2023,
        unit_code="A18",
        note='=HYPERLINK("http://x")',
    )
    audit_record(
        actor=None, action="year.publish", year=2022, changes={"status": ("review", "published")}
    )


def test_unchanged_fields_are_not_recorded(events):
    from kernel.models import AuditEvent

    event = AuditEvent.objects.get(action="score.self")
    assert event.changes == {"self_score": ["1.000", "1.500"]}


def test_home_affairs_reads_and_filters_the_log(client, events):
    client.force_login(user("noivu", "home_affairs"))

    page = client.get("/nhat-ky/", {"unit": "a18"}).content.decode()

    assert "<td>score.self</td>" in page and "<td>evidence.upload</td>" in page
    assert "<td>year.publish</td>" not in page
    assert "1.000 → 1.500" in page


def test_export_is_csv_guarded_against_formulas(client, events):
    client.force_login(user("noivu", "home_affairs"))

    response = client.get("/nhat-ky/tai-ve.csv", {"year": "2023"})
    text = response.content.decode("utf-8-sig")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "year.publish" not in text


@pytest.mark.parametrize("role", [None, "unit_officer", "appraiser", "council"])
def test_others_cannot_read_the_log(client, events, role):
    client.force_login(user("someone", role))
    assert client.get("/nhat-ky/").status_code == 403
    assert client.get("/nhat-ky/tai-ve.csv").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/nhat-ky/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
