"""Sở Nội vụ imports the people of a year from one .xlsx in the admin: preview, then confirm;
every mistake named by its row and column; nothing written while any row is wrong."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.models import Profile
from accounts.services.people import AREAS, EMAIL, FULL_NAME, PHONE, ROLE, UNIT, USERNAME
from kernel.models import AuditEvent
from tests.accounts.sheets import EXPORT_URL, confirm, preview, rows_of, sheet
from tests.parindex.admin_pages import home_affairs_admin
from tests.personas import NOI_VU, TU_PHAP, Y_TE, person, unit_get
from units.models import Block, Membership, Unit

R = Membership.Role
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc"]


@pytest.fixture
def admin(client, db):
    return home_affairs_admin(client)


@pytest.fixture
def units_127(db):
    """20 departments, 12 districts and 95 communes: 127 units."""
    blocks = {
        code: Block.objects.create(code=code, name=name)
        for code, name in (("A", "Sở, ban, ngành"), ("B", "UBND cấp huyện"), ("C", "UBND cấp xã"))
    }
    units = [Unit(code=f"A{n}", name=f"Sở số {n}", block=blocks["A"]) for n in range(1, 21)]
    units += [
        Unit(code=f"B{n}", name=f"UBND huyện số {n}", block=blocks["B"]) for n in range(1, 13)
    ]
    units += [Unit(code=f"C{n}", name=f"UBND xã số {n}", block=blocks["C"]) for n in range(1, 96)]
    return Unit.objects.bulk_create(units)


def officers_sheet(units: list[Unit]) -> list[dict]:
    """Per unit its CCHC officer and its head, and a second officer in all but one: 380
    people. Five officers of communes have no email (they get printed codes); the
    departments' second officers are typed by unit name and role code."""
    rows = []
    for n, unit in enumerate(units):
        given = GIVEN[n % len(GIVEN)]
        rows.append(
            {
                FULL_NAME: f"Nguyễn Văn {given}",
                EMAIL: f"canbo{n}@{unit.code.lower()}.gov.vn",
                PHONE: f"0912 345 {n:03d}",
                UNIT: unit.code,
                ROLE: "Cán bộ đầu mối CCHC của đơn vị",
            }
        )
        rows.append(
            {
                FULL_NAME: f"Trần Thị {given}",
                EMAIL: f"thutruong{n}@{unit.code.lower()}.gov.vn",
                UNIT: unit.code,
                ROLE: "Thủ trưởng đơn vị",
            }
        )
        if n == len(units) - 1:
            continue
        second = {FULL_NAME: f"Lê Hoàng {given}", UNIT: unit.code, ROLE: "cán bộ đầu mối cchc"}
        if unit.code.startswith("C") and n % 19 == 0:
            second[USERNAME] = f"chuyenvien.{unit.code.lower()}"
        else:
            second[EMAIL] = f"chuyenvien{n}@{unit.code.lower()}.gov.vn"
        if unit.code.startswith("A"):
            second[UNIT], second[ROLE] = unit.name, "unit_officer"
        rows.append(second)
    return rows


def test_a_sheet_of_127_units_officers_is_previewed_then_imported_with_activation_emails(
    client, admin, units_127, django_capture_on_commit_callbacks
):
    rows = officers_sheet(units_127)
    assert len(rows) == 380
    without_email = sum(1 for row in rows if not row.get(EMAIL))

    started = time.perf_counter()
    shown = preview(client, rows)
    preview_seconds = time.perf_counter() - started

    assert shown.status_code == 200
    assert "confirm_form" in shown.context, shown.content.decode().split('id="content"')[-1][:3000]
    text = shown.content.decode()
    assert "Xem trước" in text and "380 vai trò mới" in text
    assert "380 tài khoản mới sẽ được tạo" in text  # one person per row
    assert get_user_model().objects.count() == 1  # only the admin: a preview writes nothing
    assert not Membership.objects.exists() and not mail.outbox

    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, shown)
    confirm_seconds = time.perf_counter() - started
    print(f"\n380 rows: preview {preview_seconds:.2f} s, confirm {confirm_seconds:.2f} s")

    assert done.status_code == 302
    assert Membership.objects.count() == 380
    assert get_user_model().objects.count() == 1 + 380
    assert Membership.objects.filter(role=R.UNIT_HEAD).count() == 127
    assert len(mail.outbox) == 380 - without_email
    assert Profile.objects.filter(must_set_password=True).count() == 380
    officer = get_user_model().objects.get(username="canbo17@a18.gov.vn")
    assert (officer.last_name, officer.first_name, officer.email) == (
        "Nguyễn Văn",
        "Minh",
        "canbo17@a18.gov.vn",
    )
    assert officer.profile.phone == "0912 345 017"
    assert not officer.has_usable_password()
    assert Membership.objects.get(user__username="chuyenvien0@a1.gov.vn").unit.code == "A1"
    assert AuditEvent.objects.filter(action="person_import_add").count() == 380
    assert AuditEvent.objects.filter(action="activation_send").count() == len(mail.outbox)
    page = client.get(done.url).content.decode()
    assert f"{380 - without_email} thư kích hoạt đã gửi" in page
    assert f"{without_email} tài khoản mới không có email" in page


def test_bad_rows_are_refused_with_their_row_numbers_and_nothing_is_written(client, admin):
    unit_get(Y_TE)
    good = {FULL_NAME: "Trần Văn Minh", EMAIL: "minh@syt.gov.vn", UNIT: Y_TE, ROLE: "unit_head"}
    rows = [
        good,
        {**good, FULL_NAME: "Lê Thị Hoa", EMAIL: "hoa@syt.gov.vn", UNIT: "A99"},
        {**good, FULL_NAME: "Phạm Văn Bình", EMAIL: "binh@syt.gov.vn", ROLE: "Giám đốc"},
        {**good, FULL_NAME: "Đỗ Văn Cường", EMAIL: "cuong@@syt"},
        good,
        {**good, FULL_NAME: "Vũ Thị Dung", EMAIL: "dung@syt.gov.vn", AREAS: "2"},
        {**good, FULL_NAME: "", EMAIL: "x@syt.gov.vn", PHONE: "abc"},
        {**good, FULL_NAME: "Hoàng Văn Em", EMAIL: "em@syt.gov.vn", UNIT: ""},
    ]

    response = preview(client, rows)

    text = response.content.decode()
    assert "confirm_form" not in response.context
    assert "Không có đơn vị mã hoặc tên «A99»" in text
    for expected in (
        "Dòng 3, cột Đơn vị: Không có đơn vị mã hoặc tên «A99».",
        "Dòng 4, cột Vai trò: Vai trò «Giám đốc» không có",
        "Dòng 5, cột Email: Email «cuong@@syt» không hợp lệ.",
        "Dòng 6, cột Vai trò: Trùng với dòng 2 (cùng người, vai trò và đơn vị).",
        "Dòng 7, cột Lĩnh vực thẩm định: Chỉ thành viên Tổ thư ký được giao lĩnh vực",
        "Dòng 8, cột Họ và tên: Thiếu họ và tên.",
        "Dòng 8, cột Điện thoại: Số điện thoại «abc» không hợp lệ",
        "Dòng 9, cột Đơn vị: Vai trò «Thủ trưởng đơn vị» cần đơn vị công tác.",
    ):
        assert expected in text, expected
    assert "Dòng 2," not in text
    assert get_user_model().objects.count() == 1
    assert not Membership.objects.exists() and not Profile.objects.exists()
    assert not AuditEvent.objects.exists() and not mail.outbox


def test_a_missing_column_is_named_and_nothing_is_read(client, admin):
    upload = sheet([{FULL_NAME: "Trần Văn Minh"}], columns=(FULL_NAME, EMAIL, UNIT))

    text = preview(client, upload).content.decode()

    assert "Thiếu cột Vai trò ở dòng 1" in text
    assert get_user_model().objects.count() == 1


def test_units_by_name_roles_by_label_and_appraisers_with_their_areas(client, admin):
    unit_get(TU_PHAP)
    unit_get(NOI_VU)
    rows = [
        {
            FULL_NAME: "Lê Thu Hà",
            EMAIL: "ha@stp.gov.vn",
            UNIT: "sở  tư pháp",
            ROLE: "Thành viên Tổ thư ký",
            AREAS: "2",
        },
        {
            FULL_NAME: "Vũ Đức Anh",
            EMAIL: "anh@snv.gov.vn",
            UNIT: "a2",
            ROLE: "TỔ TRƯỞNG TỔ THƯ KÝ",
            AREAS: "3, 1",
        },
        {FULL_NAME: "Đỗ Mạnh Cường", EMAIL: "cuong@ubnd.gov.vn", ROLE: "Thành viên Hội đồng"},
    ]

    confirm(client, preview(client, rows))

    ha = Membership.objects.get(user__email="ha@stp.gov.vn")
    assert (ha.role, ha.unit.code, ha.user.profile.areas) == (R.APPRAISER, TU_PHAP, "2")
    lead = Membership.objects.get(user__email="anh@snv.gov.vn")
    assert (lead.role, lead.unit.code, lead.user.profile.areas) == (
        R.SECRETARIAT_LEAD,
        NOI_VU,
        "1; 3",
    )
    assert Membership.objects.get(user__email="cuong@ubnd.gov.vn").unit is None


def test_a_second_import_updates_people_and_sends_no_second_activation(
    client, admin, django_capture_on_commit_callbacks
):
    unit_get(Y_TE)
    existing = person("canbo.yte")
    existing.email = "minh@syt.gov.vn"
    existing.save()
    rows = [
        {
            FULL_NAME: "Trần Văn Minh",
            EMAIL: "MINH@syt.gov.vn",
            PHONE: "0912000111",
            UNIT: Y_TE,
            ROLE: "Cán bộ đầu mối CCHC của đơn vị",
        },
        {
            FULL_NAME: "Trần Văn Minh",
            EMAIL: "minh@syt.gov.vn",
            PHONE: "0912000111",
            UNIT: Y_TE,
            ROLE: "Thủ trưởng đơn vị",
        },
    ]

    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, preview(client, rows))

    existing.refresh_from_db()
    assert existing.has_usable_password()  # an existing login keeps its password
    assert existing.profile.phone == "0912000111" and not existing.profile.must_set_password
    assert set(existing.memberships.values_list("role", flat=True)) == {
        R.UNIT_OFFICER,
        R.UNIT_HEAD,
    }
    assert not mail.outbox
    first, second = AuditEvent.objects.filter(action="person_import_change").order_by("pk")
    assert first.changes["phone"] == [None, "0912000111"]
    assert second.changes == {"membership": [None, "canbo.yte – Thủ trưởng đơn vị (A18)"]}


def test_an_email_already_used_by_another_account_is_refused(client, admin):
    unit_get(Y_TE)
    other = person("thutruong.yte")
    other.email = "hung@syt.gov.vn"
    other.save()
    rows = [
        {
            FULL_NAME: "Trần Văn Minh",
            EMAIL: "hung@syt.gov.vn",
            UNIT: Y_TE,
            ROLE: "unit_officer",
            USERNAME: "canbo.moi",
        },
    ]

    text = preview(client, rows).content.decode()

    assert "Dòng 2, cột Email: Email «hung@syt.gov.vn» đã là của tài khoản «thutruong.yte»." in text
    assert not get_user_model().objects.filter(username="canbo.moi").exists()


def test_the_export_is_the_same_sheet_and_imports_back_unchanged(
    client, admin, units_127, django_capture_on_commit_callbacks
):
    rows = officers_sheet(units_127[:12])
    confirm(client, preview(client, rows))

    exported = client.get(EXPORT_URL)

    assert exported.status_code == 200
    assert exported["Content-Disposition"].endswith('can-bo.xlsx"')
    table = rows_of(exported.content)
    assert table[0] == [FULL_NAME, EMAIL, PHONE, UNIT, ROLE, AREAS, USERNAME]
    assert len(table) == 1 + len(rows)
    units_in_order = [row[3] for row in table[1:]]
    assert units_in_order.index("A2") < units_in_order.index("A10")
    first = next(row for row in table if row[1] == "canbo0@a1.gov.vn")
    assert first[:5] == [
        "Nguyễn Văn An",
        "canbo0@a1.gov.vn",
        "0912 345 000",
        "A1",
        "Cán bộ đầu mối CCHC của đơn vị",
    ]
    events = AuditEvent.objects.count()

    again = preview(client, sheet([dict(zip(table[0], row, strict=True)) for row in table[1:]]))

    assert "confirm_form" in again.context
    assert again.context["result"].totals["new"] == 0
    assert again.context["result"].totals["update"] == len(rows)
    confirm(client, again)
    assert Membership.objects.count() == len(rows)
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded
