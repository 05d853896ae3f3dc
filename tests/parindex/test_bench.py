"""The benchmark harness: its generated year stays a valid workbook (INTERFACES.md §2), and
its one table has the documented columns, medians and ratios. No timing is asserted."""

import pytest

from bench import table
from bench.workbook import workbook_save, year_sheets
from exchange.workbook import COLUMNS, workbook_check


@pytest.mark.django_db
def test_bench_workbook_imports_without_errors(tmp_path):
    sheets = year_sheets(answers=500)
    path = workbook_save(sheets, tmp_path / "bench.xlsx")

    data, errors = workbook_check(source=path)

    assert errors == []
    assert {sheet: tuple(rows[0]) for sheet, rows in sheets.items()} == COLUMNS
    assert len(sheets["units"]) - 1 == 30
    assert len(sheets["ballots"]) - 1 >= 500


def test_bench_workbook_is_deterministic():
    assert year_sheets(answers=200) == year_sheets(answers=200)


ABOUT = {"CPU": "Test CPU", "cores": "2", "git commit": "abc1234"}


def import_row(**changes):
    row = {
        "figure": "import_year",
        "unit": "s",
        "runs": [3.0, 1.0, 2.0],
        "baseline_name": "openpyxl pass",
        "baseline_runs": [0.5, 0.4, 0.6],
        "target": "≤ 4× floor",
    }
    return {**row, **changes}


def table_lines(text):
    return [line for line in text.splitlines() if line.startswith("|")]


def cells(line):
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_table_has_the_documented_columns_and_one_line_per_row(tmp_path):
    rows = [import_row(), import_row(figure="compute_results", runs=[0.1, 0.2, 0.3])]

    text = table.write(rows, tmp_path / "BENCHMARKS.md", about=ABOUT)

    header, rule, *body = table_lines(text)
    assert cells(header) == [
        "figure",
        "median",
        "runs",
        "baseline",
        "baseline median",
        "ratio",
        "target",
        "met?",
    ]
    assert rule == "|---|---|---|---|---|---|---|---|"
    assert [cells(line)[0] for line in body] == ["import_year", "compute_results"]
    assert (tmp_path / "BENCHMARKS.md").read_text() == text


def test_row_shows_medians_run_count_and_ratio_of_medians():
    figure, median, runs, baseline, baseline_median, ratio, target, met = table.cells(import_row())

    assert median == "2.00 s"
    assert runs.startswith("3: ")
    assert baseline.startswith("openpyxl pass (3: ")
    assert baseline_median == "0.500 s"
    assert ratio == "4.00×"
    assert target == "≤ 4× floor"
    assert met == "yes"
    assert table.ratio(import_row()) == pytest.approx(4.0)


def test_ratio_target_missed_is_marked():
    row = import_row(runs=[5.0, 5.0, 5.0])

    assert table.met(row) is False
    assert table.cells(row)[-1] == "**NO**"


def test_absolute_target_is_checked_against_the_median_in_the_rows_unit():
    page = import_row(unit="ms", runs=[120.0, 310.0, 250.0], target="p95 ≤ 300 ms")
    slow = import_row(unit="s", runs=[0.2, 0.4, 0.35], target="p95 ≤ 300 ms")
    memory = import_row(unit="MB", runs=[321.0], baseline_runs=[90.0], target="< 500 MB")

    assert table.met(page) is True
    assert table.met(slow) is False
    assert table.met(memory) is True


def test_row_without_target_or_baseline_shows_dashes():
    row = import_row(target=None, baseline_runs=[])

    assert table.ratio(row) is None
    assert table.met(row) is None
    assert table.cells(row)[4:] == ["–", "–", "–", "–"]


def test_explicit_verdict_overrides_reading_the_target():
    assert table.met(import_row(target="≤ 1.5× xlsx floor", verdict=True)) is True


def test_document_names_the_machine_and_how_to_reproduce(tmp_path):
    text = table.document([import_row()], ABOUT, notes=["year: a note"], wall_seconds=600)

    assert "- CPU: Test CPU" in text
    assert "- git commit: abc1234" in text
    assert "make bench" in text
    assert "10.0 min" in text
    assert "- year: a note" in text


def test_row_helper_refuses_an_unknown_unit():
    with pytest.raises(ValueError):
        table.row("x", "minutes", [1.0], "b", [1.0])
