"""The benchmark's generated year stays a valid workbook (INTERFACES.md §2)."""

import pytest

from appraisal.workbook import workbook_check
from bench.workbook import workbook_save, year_sheets


@pytest.mark.django_db
def test_bench_workbook_imports_without_errors(tmp_path):
    sheets = year_sheets(answers=500)
    path = workbook_save(sheets, tmp_path / "bench.xlsx")

    data, errors = workbook_check(source=path)

    assert errors == []
    assert len(sheets["units"]) - 1 == 30
    assert len(sheets["ballots"]) - 1 >= 500


def test_bench_workbook_is_deterministic():
    assert year_sheets(answers=200) == year_sheets(answers=200)
