"""The audit trail page and its CSV export, for Sở Nội vụ only, in words (DOMAIN.md §9)."""

import ast
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from appraisal.models import AppraisalEntry
from evidence.models import Score
from kernel.audit import audit_record
from kernel.models import AuditEvent
from parindex.audit_words import ACTIONS
from tests.personas import Node, person, year_build

TREE = [
    Node("2", "10"),
    Node("2.3", "10"),
    Node("2.3.1", "4", "evidence"),
    Node("2.3.10", "6", "evidence"),
]


@pytest.fixture
def year(db):
    return year_build(2023, units=["A18", "A8"], tree=TREE)


@pytest.fixture
def events(year):
    minh = person("canbo.yte")
    ha = person("thamdinh.tuphap")
    score = Score.objects.create(
        participation=year.participations["A18"], criterion=year.leaf("2.3.1")
    )
    other = Score.objects.create(
        participation=year.participations["A18"], criterion=year.leaf("2.3.10")
    )
    audit_record(
        actor=minh,
        action="self_score_save",
        obj=score,
        year=2023,
        unit_code="A18",
        changes={"self_score": (Decimal("1.000"), Decimal("1.5")), "self_note": ("", "")},
        note="2.3.1",
    )
    audit_record(
        actor=minh,
        action="evidence_upload",
        year=2023,
        unit_code="A18",
        note='=HYPERLINK("http://x")',
    )
    audit_record(
        actor=ha,
        action="appraisal_save",
        obj=score,
        year=2023,
        unit_code="A18",
        changes={
            "appraised_score": (None, Decimal("1")),
            "status": (AppraisalEntry.Status.NEEDS_EXPLANATION, AppraisalEntry.Status.ADJUSTED),
        },
        note="2.3.1, vòng 2",
    )
    audit_record(
        actor=minh,
        action="self_score_save",
        obj=other,
        year=2023,
        unit_code="A18",
        changes={"self_score": (None, Decimal("2"))},
        note="2.3.10",
    )
    audit_record(actor=None, action="year.publish", year=2022, changes={"status": ("a", "b")})
    old = AuditEvent.objects.get(note="2.3.10")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    return minh, ha


def officer(client):
    client.force_login(person("noivu"))


def test_unchanged_fields_are_not_recorded(events):
    event = AuditEvent.objects.get(action="self_score_save", note="2.3.1")
    assert event.changes == {"self_score": ["1.000", "1.5"]}


def test_the_log_reads_in_words_with_names_family_name_first(client, events):
    officer(client)

    page = client.get("/nhat-ky/").content.decode()

    assert "<td>Trần Văn Minh</td>" in page and "<td>Lê Thu Hà</td>" in page
    assert "Sửa điểm tự chấm" in page and "Điểm tự chấm: 1 → 1,5" in page
    assert "Thẩm định tiêu chí" in page
    assert "Kết quả: Đề nghị giải trình → Điều chỉnh" in page
    assert "Điểm thẩm định: (trống) → 1" in page
    assert "<td>year.publish" in page  # an action without words shows as recorded
    assert "self_score_save" not in page.replace('value="self_score_save"', "")


def test_filters_by_unit_person_criterion_and_dates(client, events):
    _, ha = events
    officer(client)
    today = timezone.localdate()

    def shown(**filters):
        return client.get("/nhat-ky/", filters).context["page"].paginator.count

    assert shown(unit="a18") == 4
    assert shown(person=str(ha.pk)) == 1
    assert shown(criterion="2.3.1") == 2  # not 2.3.10
    assert shown(criterion="2.3.10") == 1
    assert shown(date_from=str(today - timedelta(days=1)), date_to=str(today)) == 4
    assert shown(date_to=str(today - timedelta(days=30))) == 1
    assert shown(date_from="not a day") == 5


def test_export_keeps_the_filters_is_in_words_and_guarded_against_formulas(client, events):
    minh, _ = events
    officer(client)

    response = client.get(
        "/nhat-ky/tai-ve.csv", {"year": "2023", "person": str(minh.pk), "criterion": "2.3.1"}
    )
    text = response.content.decode("utf-8-sig")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # `;` between fields: a Vietnamese Excel keeps the decimal comma of 1,5.
    assert "Trần Văn Minh;canbo.yte;Sửa điểm tự chấm" in text
    assert "Điểm tự chấm;1;1,5" in text
    assert "Lê Thu Hà" not in text and "2.3.10" not in text
    everything = client.get("/nhat-ky/tai-ve.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in everything and ";=HYPERLINK" not in everything


def test_the_xlsx_export_keeps_the_filters_with_times_as_times_and_text_as_text(client, events):
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    minh, _ = events
    officer(client)
    response = client.get("/nhat-ky/tai-ve.xlsx", {"person": str(minh.pk), "criterion": "2.3.1"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời điểm", "Người thực hiện", "Tài khoản", "Hành động")
    assert all(isinstance(row[0], datetime) for row in rows[1:])
    assert ("Điểm tự chấm", "1", "1,5") in [row[8:11] for row in rows[1:]]
    assert "Lê Thu Hà" not in {row[1] for row in rows[1:]}
    whole = load_workbook(io.BytesIO(client.get("/nhat-ky/tai-ve.xlsx").content)).active
    notes = [cell for row in whole.iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert notes and all(cell.data_type == "s" for cell in notes)


@pytest.mark.parametrize("role", [None, "unit_officer", "appraiser", "council"])
def test_others_cannot_read_the_log(client, events, role):
    client.force_login(person("someone", role=role, unit=None))
    assert client.get("/nhat-ky/").status_code == 403
    assert client.get("/nhat-ky/tai-ve.csv").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/nhat-ky/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def recorded_actions() -> set[str]:
    """Every `action="…"` given to audit_record, unit_audit or an admin's audit in the code."""
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "bench"} or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if "audit" not in name:
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                value = keyword.value
                branches = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                found.update(b.value for b in branches if isinstance(b, ast.Constant))
    return found


def test_every_action_the_code_records_has_its_words():
    actions = recorded_actions()
    assert {"self_score_save", "appraisal_save", "admin_change"} <= actions
    assert actions <= set(ACTIONS), f"without words: {sorted(actions - set(ACTIONS))}"
