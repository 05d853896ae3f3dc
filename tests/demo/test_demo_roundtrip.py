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
    years = (2021, 2022, 2025)  # 2025 (Hải Phòng) names 2022's departments as predecessors
    original = {y: results_document(Year.objects.get(year=y)) for y in years}
    for y in years:
        quiet("export_year", "--year", str(y), "--out", str(tmp_path / f"{y}.xlsx"))
    for year in Year.objects.all():
        year_data_delete(year=year)
    assert counts() == (0, 0, 0, 0)

    for y in years:  # in order: each year's changes are against the years before
        quiet("import_year", str(tmp_path / f"{y}.xlsx"))
        quiet("compute_results", "--year", str(y))

    assert {y: results_document(Year.objects.get(year=y)) for y in years} == original
    assert Year.objects.get(year=2022).is_published and Year.objects.get(year=2025).is_published
    # The two-tier fields travelled: SIPAS figures, band names, predecessors named.
    document = original[2025]
    assert document["sipas_index"] == "92.67"
    finance = next(
        unit
        for block in document["blocks"]
        for unit in block["units"]
        if unit["name"] == "Sở Tài chính"
    )
    assert [(p["year"], p["code"]) for p in finance["predecessors"]] == [
        (2022, "A13"),
        (2022, "A10"),
    ] and finance["index_change"] is not None
