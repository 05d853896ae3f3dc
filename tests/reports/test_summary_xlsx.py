"""summary.xlsx: one sheet per block whose numbers are the results document's."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from appraisal.models import UnitResult

from .conftest import as_decimal

pytestmark = pytest.mark.django_db

FIRST_ROW = 6


@pytest.fixture(scope="module")
def workbook(rendered):
    return load_workbook(rendered["out"] / "summary.xlsx")


def test_one_summary_sheet_and_one_analysis_sheet_per_block(workbook, rendered):
    codes = [b["code"] for b in rendered["results"]["blocks"]]
    assert workbook.sheetnames == [f"Khối {c}" for c in codes] + [f"Phân tích {c}" for c in codes]


def test_the_analysis_sheet_averages_are_the_results_averages(workbook, rendered):
    block = rendered["results"]["blocks"][0]
    sheet = workbook[f"Phân tích {block['code']}"]
    for offset, area in enumerate(block["units"][0]["areas"]):
        row = [c.value for c in sheet[5 + offset]]
        indices = [Decimal(u["areas"][offset]["index"]) for u in block["units"]]
        assert row[0] == area["code"]
        assert abs(as_decimal(row[4]) - sum(indices) / len(indices)) < Decimal("0.01")
        assert isinstance(row[4], float | int)


def test_every_value_equals_the_results_document(workbook, rendered):
    labels = dict(UnitResult.Classification.choices)
    for block in rendered["results"]["blocks"]:
        sheet = workbook[f"Khối {block['code']}"]
        n = len(block["units"][0]["areas"])
        headers = [c.value for c in sheet[FIRST_ROW - 2]]
        total_col = headers.index("Tổng điểm")
        for offset, unit in enumerate(block["units"]):
            row = [c.value for c in sheet[FIRST_ROW + offset]]
            assert row[0] == unit["rank"]
            assert row[1] == unit["code"]
            assert row[2] == unit["name"]
            scores = row[3 : 3 + n]
            indices = row[3 + n : 3 + 2 * n]
            for area, score, index in zip(unit["areas"], scores, indices, strict=True):
                assert as_decimal(score) == Decimal(area["score"])
                assert as_decimal(index) == Decimal(area["index"])
            assert as_decimal(row[total_col]) == Decimal(unit["total"])
            assert as_decimal(row[total_col + 1]) == Decimal(unit["max"])
            assert as_decimal(row[total_col + 2]) == Decimal(unit["index"])
            assert row[total_col + 3] == unit["rank_change"]
            assert row[total_col + 5] == labels[unit["classification"]]
            assert (row[total_col + 6] or "") == ", ".join(unit["self_review"])


def test_numbers_are_numeric_cells_with_2_or_3_decimals(workbook):
    sheet = workbook["Khối A"]
    headers = [c.value for c in sheet[FIRST_ROW - 2]]
    total = sheet.cell(FIRST_ROW, headers.index("Tổng điểm") + 1)
    index = sheet.cell(FIRST_ROW, headers.index("Chỉ số CCHC (%)") + 1)
    assert total.data_type == "n" and total.number_format == "0.000"
    assert index.data_type == "n" and index.number_format == "0.00"
    assert sheet.cell(FIRST_ROW, 4).number_format == "0.000"


def test_layout_merged_headers_frozen_panes_a4_landscape(workbook):
    sheet = workbook["Khối B"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:L4", "M4:U4"} <= merged
    assert sheet["D4"].value == "Điểm đạt theo lĩnh vực"
    assert sheet.freeze_panes == "D6"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$4:$5"
