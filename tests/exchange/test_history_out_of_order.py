"""History imported out of order (issue 13, What breaks 9, Build 7): 2022 imported and
computed before 2021. Its rank and index changes are derived data: when 2021 arrives they
are recomputed, while 2022's published totals, indices, ranks and bands stay as they were,
and the result equals importing the two years in order."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from appraisal.models import AreaResult, UnitResult
from appraisal.results import results_document
from criteria.models import Year
from exchange.workbook import year_data_delete
from kernel.models import AuditEvent
from tests.exchange.workbook_factory import save_workbook, set_cell, year_key_row, year_sheets

# Committed for real: the compute job is enqueued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def published_year(tmp_path, number: int):
    """The factory year as a published history year `number`; in 2021 Sở Y tế (A18) did
    better on the evidence leaf so that ranks move between the years."""
    sheets = year_sheets()
    set_cell(sheets, "year", year_key_row(sheets, "year"), "value", number)
    set_cell(sheets, "year", year_key_row(sheets, "name"), "value", f"Chỉ số CCHC năm {number}")
    set_cell(sheets, "year", year_key_row(sheets, "published_on"), "value", f"{number + 1}-03-01")
    if number == 2021:
        for row in range(2, len(sheets["scores"]) + 1):
            header = sheets["scores"][0]
            values = dict(zip(header, sheets["scores"][row - 1], strict=False))
            if values["unit"] == "A1" and values["criterion"] == "1.1":
                set_cell(sheets, "scores", row, "appraised_score", "0")
    path = save_workbook(sheets, tmp_path / f"{number}.xlsx")
    call_command("import_year", str(path), stdout=io.StringIO())
    call_command("compute_results", "--year", str(number), stdout=io.StringIO())


def published_figures(number: int) -> list[tuple]:
    return sorted(
        UnitResult.objects.filter(computation__year__year=number).values_list(
            "participation__unit__code", "total", "index", "rank", "band", "classification"
        )
    )


def test_an_earlier_year_arriving_later_fills_in_the_comparisons_of_a_published_year(tmp_path):
    published_year(tmp_path, 2022)
    figures = published_figures(2022)
    assert set(
        UnitResult.objects.filter(computation__year__year=2022).values_list(
            "rank_change", "index_change"
        )
    ) == {(None, None)}
    assert not AreaResult.objects.filter(
        unit_result__computation__year__year=2022, change__isnull=False
    ).exists()

    published_year(tmp_path, 2021)

    changes = dict(
        UnitResult.objects.filter(computation__year__year=2022).values_list(
            "participation__unit__code", "rank_change"
        )
    )
    assert changes == {"A1": 1, "A18": -1}
    assert not UnitResult.objects.filter(
        computation__year__year=2022, index_change__isnull=True
    ).exists()
    assert AreaResult.objects.filter(
        unit_result__computation__year__year=2022, change__isnull=False
    ).exists()
    # What the council published is unchanged.
    assert published_figures(2022) == figures
    [event] = AuditEvent.objects.filter(action="comparisons_refresh")
    assert event.year == 2022
    assert "khi có kết quả năm 2021" in event.note
    assert "2 đơn vị" in event.note


def test_the_result_equals_importing_the_years_in_order(tmp_path):
    published_year(tmp_path, 2022)
    published_year(tmp_path, 2021)
    out_of_order = results_document(Year.objects.get(year=2022))

    for year in Year.objects.all():
        with transaction.atomic():
            year_data_delete(year=year)
    refreshes = AuditEvent.objects.filter(action="comparisons_refresh").count()
    published_year(tmp_path, 2021)
    published_year(tmp_path, 2022)

    assert results_document(Year.objects.get(year=2022)) == out_of_order
    # In order, nothing needed recomputing.
    assert AuditEvent.objects.filter(action="comparisons_refresh").count() == refreshes


def test_only_the_years_whose_comparisons_change_are_recomputed(tmp_path):
    published_year(tmp_path, 2021)
    published_year(tmp_path, 2022)
    assert not AuditEvent.objects.filter(action="comparisons_refresh").exists()
    documents = results_document(Year.objects.get(year=2022))

    # 2020 arrives: 2021 now has a year before it; 2022 still compares with 2021.
    published_year(tmp_path, 2020)

    assert list(
        AuditEvent.objects.filter(action="comparisons_refresh").values_list("year", flat=True)
    ) == [2021]
    assert results_document(Year.objects.get(year=2022)) == documents
