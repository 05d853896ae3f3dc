"""The benchmark's ballots files are valid imports of the benchmark's year."""

import pytest
from django.core.management import call_command

from bench.surveys import ballot_files
from surveys.models import Answer


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bench_ballot_files_import_cleanly(kind):
    year, csv_path, xlsx_path = ballot_files(seed=7, answers=2_000)
    call_command("import_year", str(year), stdout=None)
    call_command("import_ballots", str(csv_path if kind == "csv" else xlsx_path), year=2022)
    assert Answer.objects.count() >= 2_000
