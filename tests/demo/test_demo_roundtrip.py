"""The demo survives the year workbook: export_year then import_year gives identical results."""

import io

from django.core.management import call_command

from appraisal.results import results_document
from criteria.models import Year
from evidence.models import Score
from exchange.workbook import year_data_delete
from surveys.models import Answer, Ballot


def quiet(*args):
    call_command(*args, stdout=io.StringIO())


def counts():
    return (
        Year.objects.count(),
        Score.objects.count(),
        Ballot.objects.count(),
        Answer.objects.count(),
    )


def test_load_demo_twice_changes_nothing(transactional_db):
    quiet("load_demo")
    before = counts(), results_document(Year.objects.get(year=2022))

    quiet("load_demo")

    assert (counts(), results_document(Year.objects.get(year=2022))) == before


def test_demo_years_exported_and_imported_into_an_empty_database_give_identical_results(
    transactional_db, tmp_path
):
    quiet("load_demo")
    original = {y: results_document(Year.objects.get(year=y)) for y in (2021, 2022)}
    for y in (2021, 2022):
        quiet("export_year", "--year", str(y), "--out", str(tmp_path / f"{y}.xlsx"))
    for year in Year.objects.all():
        year_data_delete(year=year)
    assert counts() == (0, 0, 0, 0)

    for y in (2021, 2022):  # in order: 2022's rank changes are against 2021
        quiet("import_year", str(tmp_path / f"{y}.xlsx"))
        quiet("compute_results", "--year", str(y))

    assert {y: results_document(Year.objects.get(year=y)) for y in (2021, 2022)} == original
    assert Year.objects.get(year=2022).is_published
