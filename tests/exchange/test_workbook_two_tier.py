"""The year workbook's columns of the two-tier province (INTERFACES §2, DOMAIN §8): unit
kinds, predecessors, bonus leaves, SIPAS questions, band names, the year's province;
imported, exported and imported again unchanged, and every bad input refused at its cell."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from criteria.models import BlockRules, Criterion, Participation, Year
from exchange.workbook import year_data_delete, year_workbook_export
from surveys.models import Question
from tests.exchange.workbook_factory import (
    add_row,
    import_errors,
    save_workbook,
    set_cell,
    year_key_row,
    year_sheets,
)
from units.models import Block

ALLOWED_KINDS = "so, huyen, xa, phuong, dac_khu"


def two_tier_sheets() -> dict[str, list[list]]:
    """The factory's year as Hải Phòng's 2025: every new column filled in."""
    sheets = year_sheets()
    set_cell(sheets, "year", year_key_row(sheets, "year"), "value", 2025)
    set_cell(sheets, "year", year_key_row(sheets, "name"), "value", "Chỉ số CCHC năm 2025")
    add_row(sheets, "year", key="province", value="Hải Phòng")
    set_cell(sheets, "blocks", 2, "kind", "so")
    set_cell(sheets, "units", 2, "predecessors", "2022:A1; 2022:A18")  # A1: kind of block A
    set_cell(sheets, "units", 3, "kind", "xa")
    set_cell(sheets, "units", 3, "predecessors", "-")
    # A bonus leaf adds to no maximum: area 1 stays 4 (1.1 + 1.2; 1.3 deduction, 1.4 bonus).
    add_row(
        sheets,
        "criteria",
        block="A",
        code="1.4",
        name="Sáng kiến cải cách hành chính",
        max_points="0,5",
        method="evidence",
        kind="bonus",
    )
    add_row(sheets, "scores", unit="A1", criterion="1.4", self_score="0,5", appraised_score=0.25)
    set_cell(sheets, "questions", 2, "sipas", 1)
    set_cell(sheets, "questions", 3, "sipas", 0)
    add_row(sheets, "rules", block="A", key="bands", value="93;80;72,5")
    add_row(sheets, "rules", block="A", key="band_names", value="Xuất sắc;Tốt;Khá")
    return sheets


def history_2022(tmp_path) -> None:
    call_command("import_year", str(save_workbook(year_sheets(), tmp_path / "2022.xlsx")))


def cells_of(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.values) for sheet in workbook.worksheets}


def rows_of(path, sheet: str) -> list[dict]:
    header, *rows = cells_of(path)[sheet]
    return [dict(zip(header, row, strict=True)) for row in rows]


def import_ok(path) -> str:
    out = io.StringIO()
    call_command("import_year", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_two_tier_columns_are_stored(tmp_path):
    history_2022(tmp_path)
    import_ok(save_workbook(two_tier_sheets(), tmp_path / "2025.xlsx"))

    year = Year.objects.get(year=2025)
    assert year.province == "Hải Phòng"
    assert Block.objects.get(code="A").kind == "so"
    units = {p.unit.code: p for p in Participation.objects.filter(year=year).select_related("unit")}
    assert (units["A1"].kind, units["A1"].predecessors) == ("", "2022:A1;2022:A18")
    assert (units["A18"].kind, units["A18"].predecessors) == ("xa", "-")
    bonus = Criterion.objects.get(year=year, code="1.4")
    assert (bonus.kind, bonus.max_points) == (Criterion.Kind.BONUS, Decimal("0.5"))
    assert Criterion.objects.get(year=year, code="1").max_points == Decimal(4)
    rules = BlockRules.objects.get(year=year)
    assert (rules.bands, rules.band_names) == ("93;80;72,5", "Xuất sắc;Tốt;Khá")
    sipas = dict(
        Question.objects.filter(criterion__year=year).values_list("criterion__code", "sipas")
    )
    assert sipas == {"2.1.1": True, "2.1.2": False}


@pytest.mark.django_db
def test_import_export_import_changes_nothing(tmp_path):
    history_2022(tmp_path)
    import_ok(save_workbook(two_tier_sheets(), tmp_path / "2025.xlsx"))
    first = year_workbook_export(year=Year.objects.get(year=2025), out=tmp_path / "first.xlsx")

    year_data_delete(year=Year.objects.get(year=2025))
    import_ok(first)
    second = year_workbook_export(year=Year.objects.get(year=2025), out=tmp_path / "second.xlsx")

    assert cells_of(second) == cells_of(first)
    assert ("province", "Hải Phòng") in cells_of(first)["year"]
    assert rows_of(first, "blocks") == [{"code": "A", "name": "Sở, ban, ngành tỉnh", "kind": "so"}]
    units = {row["code"]: row for row in rows_of(first, "units")}
    assert (units["A1"]["kind"], units["A1"]["predecessors"]) == (None, "2022:A1;2022:A18")
    assert (units["A18"]["kind"], units["A18"]["predecessors"]) == ("xa", "-")
    criteria = {row["code"]: row for row in rows_of(first, "criteria")}
    assert (criteria["1.4"]["kind"], criteria["1.4"]["max_points"]) == ("bonus", 0.5)
    questions = {row["criterion"]: row["sipas"] for row in rows_of(first, "questions")}
    assert questions == {"2.1.1": 1, "2.1.2": None}
    rules = {row["key"]: row["value"] for row in rows_of(first, "rules")}
    assert (rules["bands"], rules["band_names"]) == ("93;80;72,5", "Xuất sắc;Tốt;Khá")


@pytest.mark.django_db
def test_a_year_without_the_new_columns_exports_them_blank(tmp_path):
    history_2022(tmp_path)
    path = year_workbook_export(year=Year.objects.get(year=2022), out=tmp_path / "out.xlsx")
    cells = cells_of(path)
    assert not any(row[0] == "province" for row in cells["year"])
    assert not any(row[1] == "band_names" for row in cells["rules"][1:])
    assert all(row["predecessors"] is None for row in rows_of(path, "units"))
    assert all(row["sipas"] is None for row in rows_of(path, "questions"))


@pytest.mark.django_db
def test_a_history_workbook_without_kinds_keeps_the_blocks_kind(tmp_path):
    import_ok(save_workbook(two_tier_sheets(), tmp_path / "2025.xlsx"))
    history_2022(tmp_path)  # no kind column value: block A stays "so"
    assert Block.objects.get(code="A").kind == "so"


@pytest.mark.django_db
def test_predecessors_in_a_year_not_stored_are_accepted(tmp_path):
    sheets = two_tier_sheets()
    set_cell(sheets, "units", 2, "predecessors", "2021:X7;2022:A1")
    import_ok(save_workbook(sheets, tmp_path / "2025.xlsx"))
    participation = Participation.objects.get(year__year=2025, unit__code="A1")
    assert participation.predecessors == "2021:X7;2022:A1"


@pytest.mark.django_db
def test_aliased_new_columns_are_read_and_noted(tmp_path):
    history_2022(tmp_path)
    sheets = two_tier_sheets()
    sheets["units"][0][sheets["units"][0].index("predecessors")] = "Đơn vị tiền thân"
    sheets["units"][0][sheets["units"][0].index("kind")] = "Loại"
    sheets["questions"][0][sheets["questions"][0].index("sipas")] = "SIPAS"
    out = import_ok(save_workbook(sheets, tmp_path / "2025.xlsx"))
    assert "Ghi chú: units: cột 'Đơn vị tiền thân' được hiểu là 'predecessors'." in out
    assert "Ghi chú: units: cột 'Loại' được hiểu là 'kind'." in out
    assert "Ghi chú: questions: cột 'SIPAS' được hiểu là 'sipas'." in out
    assert Participation.objects.get(year__year=2025, unit__code="A18").kind == "xa"
    assert Question.objects.get(criterion__year__year=2025, criterion__code="2.1.1").sipas


def _change(sheet, row, column, value):
    def change(sheets):
        set_cell(sheets, sheet, row, column, value)

    return change


def _add(sheet, **values):
    def change(sheets):
        add_row(sheets, sheet, **values)

    return change


def _two_near_misses(sheet, column, first, second):
    def change(sheets):
        sheets[sheet][0][sheets[sheet][0].index(column)] = first
        sheets[sheet][0].append(second)
        for row in sheets[sheet][1:]:
            row.append(None)

    return change


BAD_INPUTS = [
    (
        "unknown unit kind",
        _change("units", 3, "kind", "thon"),
        f"units!3: kind: loại đơn vị 'thon' không hợp lệ; dùng một trong: {ALLOWED_KINDS} "
        "(hoặc để trống)",
    ),
    (
        "unknown block kind",
        _change("blocks", 2, "kind", "Huyện"),
        f"blocks!2: kind: loại đơn vị 'Huyện' không hợp lệ; dùng một trong: {ALLOWED_KINDS} "
        "(hoặc để trống)",
    ),
    (
        "malformed predecessor",
        _change("units", 2, "predecessors", "2022-A1"),
        "units!2: predecessors: '2022-A1': “2022-A1” không đúng dạng NĂM:MÃ (ví dụ 2022:A6), "
        "các mục cách nhau bằng “;”.",
    ),
    (
        "predecessor in the year itself",
        _change("units", 2, "predecessors", "2025:A18"),
        "units!2: predecessors: '2025:A18': Đơn vị tiền thân “2025:A18” phải thuộc một năm "
        "trước năm 2025.",
    ),
    (
        "predecessor in a later year",
        _change("units", 2, "predecessors", "2022:A1;2026:A1"),
        "units!2: predecessors: '2022:A1;2026:A1': Đơn vị tiền thân “2026:A1” phải thuộc một "
        "năm trước năm 2025.",
    ),
    (
        "duplicate predecessor",
        _change("units", 2, "predecessors", "2022:A1;2022:A1"),
        "units!2: predecessors: '2022:A1;2022:A1': Đơn vị tiền thân “2022:A1” được ghi hai lần.",
    ),
    (
        "none mixed with references",
        _change("units", 3, "predecessors", "-;2022:A18"),
        "units!3: predecessors: '-;2022:A18': “-” (không có đơn vị tiền thân) không đi cùng mã "
        "đơn vị khác.",
    ),
    (
        "predecessor missing from a stored year",
        _change("units", 2, "predecessors", "2022:A1;2022:A99"),
        "units!2: predecessors: đơn vị tiền thân '2022:A99': năm 2022 không có đơn vị mã 'A99'",
    ),
    (
        "unknown criterion kind",
        _change("criteria", 3, "kind", "thuong"),
        "criteria!3: kind: 'thuong' không hợp lệ; dùng normal, deduction, bonus",
    ),
    (
        "bonus on an inner node",
        _change("criteria", 2, "kind", "bonus"),
        "criteria!2: kind: chỉ tiêu chí lá mới là điểm thưởng",
    ),
    (
        "inner maximum counting the bonus leaf",
        _change("criteria", 2, "max_points", "4,5"),
        "criteria!2: max_points: điểm tối đa 4,5 khác tổng điểm tối đa các tiêu chí con 4",
    ),
    (
        "sipas neither 1 nor 0",
        _change("questions", 2, "sipas", "có"),
        "questions!2: sipas: 'có' phải là 1 hoặc 0",
    ),
    (
        "fewer band names than thresholds",
        _change("rules", 4, "value", "Xuất sắc;Tốt"),
        "rules!4: value: có 2 tên nhóm nhưng 3 ngưỡng nhóm (93;80;72,5): mỗi ngưỡng một tên, "
        "theo thứ tự từ cao xuống thấp",
    ),
    (
        "an empty band name",
        _change("rules", 4, "value", "Xuất sắc;;Khá"),
        "rules!4: value: tên nhóm không được để trống giữa hai dấu “;”, ví dụ Xuất sắc;Tốt;Khá",
    ),
    (
        "province too long",
        _change("year", 9, "value", "H" * 101),
        "year!9: value: dài quá 100 ký tự",
    ),
    (
        "two columns that may both be the predecessors",
        _two_near_misses("units", "predecessors", "Predecessors", "Tiền thân"),
        "units!1: predecessors: cả 'Predecessors' và 'Tiền thân' đều có thể là cột 'predecessors'",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_two_tier_input_is_refused_at_its_cell(tmp_path, change, expected):
    history_2022(tmp_path)
    sheets = two_tier_sheets()
    change(sheets)
    errors = import_errors(save_workbook(sheets, tmp_path / "2025.xlsx"))
    assert errors == [expected]
    assert not Year.objects.filter(year=2025).exists()


@pytest.mark.django_db
def test_band_names_are_not_counted_against_wrong_bands(tmp_path):
    sheets = two_tier_sheets()
    set_cell(sheets, "rules", 3, "value", "80;93")
    errors = import_errors(save_workbook(sheets, tmp_path / "2025.xlsx"))
    assert errors == ["rules!3: value: các ngưỡng nhóm phải giảm dần, ví dụ 90;80;70"]


@pytest.mark.django_db
def test_band_names_are_stored_without_the_spaces_around_them(tmp_path):
    sheets = two_tier_sheets()
    set_cell(sheets, "rules", 4, "value", " Xuất sắc ; Tốt;Khá ")
    import_ok(save_workbook(sheets, tmp_path / "2025.xlsx"))
    assert BlockRules.objects.get(year__year=2025).band_names == "Xuất sắc;Tốt;Khá"


@pytest.mark.django_db
def test_band_names_are_counted_against_the_default_bands(tmp_path):
    sheets = two_tier_sheets()
    del sheets["rules"][2]  # the bands row: the default 90;80;70 applies
    set_cell(sheets, "rules", 3, "value", "Xuất sắc;Tốt")
    errors = import_errors(save_workbook(sheets, tmp_path / "2025.xlsx"))
    assert errors == [
        "rules!3: value: có 2 tên nhóm nhưng 3 ngưỡng nhóm (90;80;70): mỗi ngưỡng một tên, "
        "theo thứ tự từ cao xuống thấp"
    ]
    assert not Year.objects.exists()
