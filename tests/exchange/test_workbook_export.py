import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from appraisal.results import results_document
from appraisal.services.compute import results_compute
from criteria.models import Year
from exchange.workbook import (
    COLUMNS,
    year_data_delete,
    year_workbook_export,
    year_workbook_import,
    year_workbook_render,
)
from surveys.models import Answer
from tests.exchange.workbook_factory import save_workbook, set_cell, year_key_row, year_sheets

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

# INTERFACES.md §2, typed out on purpose: the one copy of the public format, that
# exchange.workbook.COLUMNS (which everything else reads) is held to.
INTERFACE_COLUMNS = {
    "year": ["key", "value"],
    "rules": ["block", "key", "value"],
    "blocks": ["code", "name", "kind"],
    "units": ["block", "code", "name", "head_title", "head_name", "kind", "predecessors"],
    "criteria": [
        "block",
        "code",
        "name",
        "max_points",
        "method",
        "counts_for_classification",
        "kind",
        "rubric",
    ],
    "scores": [
        "unit",
        "criterion",
        "self_score",
        "appraised_score",
        "not_applicable",
        "self_value",
        "appraised_value",
        "self_note",
        "appraisal_note",
    ],
    "groups": ["code", "name"],
    "scales": ["scale", "option", "label", "coefficient", "counted"],
    "questions": ["block", "criterion", "scale", "groups", "text", "sipas"],
    "ballots": ["ballot", "group", "unit", "criterion", "option"],
}


def cells_of(path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.values) for sheet in workbook.worksheets}


def rows_of(path, sheet: str) -> list[dict]:
    header, *rows = cells_of(path)[sheet]
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def year(tmp_path):
    year, _ = year_workbook_import(source=save_workbook(year_sheets(), tmp_path / "in.xlsx"))
    return year


@pytest.mark.django_db
def test_round_trip_changes_neither_cells_nor_results(tmp_path, year):
    results_compute(year=year)
    before = results_document(year)
    first = year_workbook_export(year=year, out=tmp_path / "first.xlsx")

    year_data_delete(year=year)
    assert not Year.objects.exists()
    again, _ = year_workbook_import(source=first)
    results_compute(year=again)
    second = year_workbook_export(year=again, out=tmp_path / "second.xlsx")

    assert results_document(again) == before
    assert cells_of(second) == cells_of(first)


@pytest.mark.django_db
def test_round_trip_with_replace(tmp_path, year):
    first = tmp_path / "first.xlsx"
    call_command("export_year", "--year", "2022", "--out", str(first))
    call_command("import_year", str(first), "--replace")
    second = tmp_path / "second.xlsx"
    call_command("export_year", "--year", "2022", "--out", str(second))
    assert cells_of(second) == cells_of(first)
    assert Answer.objects.count() == 7


def test_the_workbook_columns_are_those_of_the_interface():
    assert {sheet: list(columns) for sheet, columns in COLUMNS.items()} == INTERFACE_COLUMNS


@pytest.mark.django_db
def test_every_sheet_and_column_is_written(tmp_path, year):
    cells = cells_of(year_workbook_export(year=year, out=tmp_path / "out.xlsx"))
    assert list(cells) == list(INTERFACE_COLUMNS)
    for sheet, columns in INTERFACE_COLUMNS.items():
        assert list(cells[sheet][0]) == columns


@pytest.mark.django_db
def test_numbers_are_numeric_cells_and_codes_text(tmp_path, year):
    path = year_workbook_export(year=year, out=tmp_path / "out.xlsx")
    workbook = load_workbook(path)
    criteria = {row[1].value: row for row in workbook["criteria"].iter_rows(min_row=2)}
    assert criteria["1.3"][3].value == 0.5 and criteria["1.3"][3].data_type == "n"
    assert criteria["2"][3].value == 3.5  # inner maxima written out
    assert criteria["1"][1].data_type == "s"
    assert criteria["1.2"][7].value == "100:2;80:1;0:0"
    ballots = [row[0] for row in workbook["ballots"].iter_rows(min_row=2)]
    assert ballots[-1].value == "1001" and ballots[-1].data_type == "s"
    scores = rows_of(path, "scores")
    assert scores[0] == {
        "unit": "A1",
        "criterion": "1.1",
        "self_score": 2,
        "appraised_score": 1.5,
        "not_applicable": None,
        "self_value": None,
        "appraised_value": None,
        "self_note": "Đã ban hành kế hoạch",
        "appraisal_note": "Ban hành muộn",
    }
    assert scores[1]["appraised_score"] == 1 and scores[1]["appraised_value"] == 85.5
    assert scores[4]["not_applicable"] == 1
    assert rows_of(path, "scales")[4] == {
        "scale": "muc4",
        "option": "E",
        "label": "Không biết / không trả lời",
        "coefficient": 0,
        "counted": 0,
    }
    assert rows_of(path, "questions")[0]["groups"] == "hdnd;nguoi_dan"


@pytest.mark.django_db
def test_dates_are_iso_text_and_closes_is_the_last_day(tmp_path, year):
    Year.objects.filter(pk=year.pk).update(
        appraisal_closes=datetime.datetime(2023, 1, 16, 17, 30, tzinfo=LOCAL)
    )
    year.refresh_from_db()
    values = dict(cells_of(year_workbook_export(year=year, out=tmp_path / "o.xlsx"))["year"][1:])
    assert values == {
        "year": 2022,
        "name": "Chỉ số CCHC năm 2022",
        "self_assessment_opens": "2022-12-25",
        "self_assessment_closes": "2023-01-10",
        "appraisal_opens": "2023-01-11",
        "appraisal_closes": "2023-01-16T17:30:00",
        "explanation_opens": None,
        "explanation_closes": None,
        "published_on": None,
    }


@pytest.mark.django_db
def test_published_year_comes_back_published(tmp_path):
    sheets = year_sheets()
    set_cell(sheets, "year", year_key_row(sheets, "published_on"), "value", "2023-03-01")
    year, _ = year_workbook_import(source=save_workbook(sheets, tmp_path / "in.xlsx"))
    assert year.is_published
    path = year_workbook_export(year=year, out=tmp_path / "out.xlsx")
    year_data_delete(year=year)

    again, _ = year_workbook_import(source=path)
    assert again.status == Year.Status.PUBLISHED
    assert again.published_on == datetime.date(2023, 3, 1)


@pytest.mark.django_db
def test_formula_like_text_stays_text(tmp_path, year):
    year.name = "=1+1"
    year.save(update_fields=["name"])
    path = year_workbook_export(year=year, out=tmp_path / "o.xlsx")
    cell = load_workbook(path)["year"]["B3"]
    assert cell.value == "=1+1" and cell.data_type == "s"


@pytest.mark.django_db
def test_render_returns_filename_type_and_bytes(year):
    filename, content_type, content = year_workbook_render(year=year)
    assert filename == "nam-2022.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    assert content[:2] == b"PK"


@pytest.mark.django_db
def test_export_command_refuses_an_unknown_year(tmp_path):
    with pytest.raises(CommandError, match="Không có năm đánh giá 1999"):
        call_command("export_year", "--year", "1999", "--out", str(tmp_path / "o.xlsx"))
