import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from appraisal.services.compute import results_compute
from criteria.models import BlockRules, Criterion, Participation, Year
from evidence.models import Score
from exchange.workbook import year_workbook_import
from surveys.models import Answer, Ballot, Question, ScaleOption
from tests.exchange.workbook_factory import (
    import_errors,
    save_workbook,
    set_cell,
    year_key_row,
    year_sheets,
)
from units.models import Unit

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def imported(tmp_path):
    year, _counts = year_workbook_import(source=save_workbook(year_sheets(), tmp_path / "y.xlsx"))
    return year


@pytest.mark.django_db
def test_valid_workbook_imports_every_sheet(tmp_path, capsys):
    call_command("import_year", str(save_workbook(year_sheets(), tmp_path / "y.xlsx")))

    out = capsys.readouterr().out
    assert "Đã nhập năm 2022" in out
    assert "  criteria: 9" in out and "  ballots: 7" in out and "  scores: 5" in out
    year = Year.objects.get(year=2022)
    assert year.status == Year.Status.DRAFT
    assert year.name == "Chỉ số CCHC năm 2022"
    assert Participation.objects.filter(year=year).count() == 2
    assert Criterion.objects.filter(year=year).count() == 9
    assert Score.objects.count() == 5
    assert Ballot.objects.filter(year=year).count() == 3
    assert Answer.objects.count() == 7


@pytest.mark.django_db
def test_window_dates_are_local_days_and_closes_means_end_of_day(imported):
    assert imported.self_assessment_opens == datetime.datetime(2022, 12, 25, tzinfo=LOCAL)
    # 10/01 24:00 (DOMAIN §3): stored as 00:00 of the next day.
    assert imported.self_assessment_closes == datetime.datetime(2023, 1, 11, tzinfo=LOCAL)
    assert imported.appraisal_closes == datetime.datetime(2023, 1, 17, tzinfo=LOCAL)
    assert imported.published_on is None


@pytest.mark.django_db
def test_iso_datetimes_are_accepted_as_local_time(tmp_path, sheets):
    set_cell(sheets, "year", year_key_row(sheets, "appraisal_closes"), "value", "2023-01-16T17:30")
    year, _ = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert year.appraisal_closes == datetime.datetime(2023, 1, 16, 17, 30, tzinfo=LOCAL)


@pytest.mark.django_db
def test_criteria_tree_parents_leaves_and_inner_maxima(imported):
    criteria = {c.code: c for c in Criterion.objects.filter(year=imported)}
    assert criteria["2.1.1"].parent == criteria["2.1"]
    assert criteria["2.1"].parent == criteria["2"]
    assert criteria["1"].parent is None
    assert not criteria["2.1"].is_leaf and criteria["2.1.1"].is_leaf
    # Blank maxima of inner nodes are the sums of their non-deduction children.
    assert criteria["2.1"].max_points == D("2.5")
    assert criteria["2"].max_points == D("3.5")
    assert criteria["1"].max_points == D(4)  # 1.3 is a deduction: adds nothing
    assert criteria["1.3"].kind == Criterion.Kind.DEDUCTION
    assert criteria["1.3"].max_points == D("0.5")  # "0,5" as text
    assert criteria["1.2"].rubric == [["100", "2"], ["80", "1"], ["0", "0"]]
    assert criteria["1"].counts_for_classification is None
    assert criteria["2"].method == ""
    assert criteria["1.2"].sort_key == "0001.0002"


@pytest.mark.django_db
def test_scores_accept_comma_decimals_and_numeric_cells(imported):
    scores = {
        (s.participation.unit.code, s.criterion.code): s
        for s in Score.objects.select_related("participation__unit", "criterion")
    }
    assert scores["A1", "1.1"].self_score == D(2)  # numeric cell
    assert scores["A1", "1.1"].appraised_score == D("1.5")  # "1,5"
    assert scores["A1", "1.1"].appraisal_note == "Ban hành muộn"
    assert scores["A18", "1.2"].not_applicable is True
    assert scores["A18", "1.1"].not_applicable is False


@pytest.mark.django_db
def test_rubric_leaf_scores_follow_from_the_values(imported):
    score = Score.objects.get(participation__unit__code="A1", criterion__code="1.2")
    assert score.self_value == D(100) and score.self_score == D(2)
    assert score.appraised_value == D("85.5") and score.appraised_score == D(1)


@pytest.mark.django_db
def test_rules_override_the_defaults(imported):
    rules = BlockRules.objects.get(year=imported, block__code="A")
    assert rules.self_review == "1:75"
    assert rules.bands == "90;80;70"


@pytest.mark.django_db
def test_units_and_participations_keep_name_and_head(imported):
    unit = Unit.objects.get(code="A18")
    assert unit.block.code == "A" and unit.name == "Sở Y tế"
    assert unit.head_name == "Trần Thị Bình"
    participation = Participation.objects.get(year=imported, unit=unit)
    assert participation.head_title == "Giám đốc Sở"


@pytest.mark.django_db
def test_survey_questions_scales_and_ballots(imported):
    question = Question.objects.get(criterion__code="2.1.1")
    assert sorted(question.groups.values_list("code", flat=True)) == ["hdnd", "nguoi_dan"]
    options = list(ScaleOption.objects.filter(scale__year=imported).order_by("position"))
    assert [o.code for o in options] == ["A", "B", "C", "D", "E"]
    assert options[1].coefficient == D("0.75") and options[2].coefficient == D("0.5")
    assert [o.counted for o in options] == [True, True, True, True, False]
    # A numeric ballot id is the text the user typed.
    assert Ballot.objects.get(code="1001").group.code == "nguoi_dan"
    assert Ballot.objects.get(code="P1").answers.count() == 4


@pytest.mark.django_db
def test_survey_leaf_without_question_scores_zero_with_a_warning(imported):
    computation = results_compute(year=imported)
    result = computation.unit_results.get(participation__unit__code="A1")
    assert "2.2: không có phiếu điều tra hợp lệ (tính 0 điểm)" in result.warnings
    # A1: 1,5 + 1 − 0,25 on area 1; 8 survey points on 2.1: (1 + 0,75) … per leaf.
    assert result.total == D("4.25")


@pytest.mark.django_db
def test_published_on_imports_a_published_year(tmp_path, sheets):
    set_cell(sheets, "year", year_key_row(sheets, "published_on"), "value", "2023-03-01")
    year, _ = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert year.status == Year.Status.PUBLISHED
    assert year.published_on == datetime.date(2023, 3, 1)


@pytest.mark.django_db
def test_existing_year_is_refused_without_replace(tmp_path, imported):
    path = save_workbook(year_sheets(), tmp_path / "again.xlsx")
    assert import_errors(path) == [
        "year!2: value: năm 2022 đã có trong hệ thống; nhập với --replace để thay thế "
        "toàn bộ dữ liệu của năm"
    ]


@pytest.mark.django_db
def test_replace_deletes_the_year_and_imports_afresh(tmp_path, imported, sheets):
    results_compute(year=imported)
    set_cell(sheets, "units", 3, "name", "Sở Y tế tỉnh")
    del sheets["ballots"][2:]
    call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")), "--replace")

    year = Year.objects.get(year=2022)
    assert Year.objects.count() == 1 and Criterion.objects.count() == 9
    assert Answer.objects.count() == 1 and Score.objects.count() == 5
    assert Unit.objects.get(code="A18").name == "Sở Y tế tỉnh"
    assert Participation.objects.get(year=year, unit__code="A18").name == "Sở Y tế tỉnh"
    assert not hasattr(year, "computation") or year.computation is None


@pytest.mark.django_db
def test_published_year_is_refused_even_with_replace(tmp_path, imported):
    Year.objects.filter(pk=imported.pk).update(status=Year.Status.PUBLISHED)
    path = save_workbook(year_sheets(), tmp_path / "y.xlsx")
    assert import_errors(path, "--replace") == [
        "year!2: value: Năm 2022 đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."
    ]


@pytest.mark.django_db
def test_older_year_does_not_overwrite_a_units_latest_name(tmp_path, imported, sheets):
    set_cell(sheets, "year", 2, "value", 2021)
    set_cell(sheets, "units", 3, "name", "Sở Y tế (tên cũ)")
    year_workbook_import(source=save_workbook(sheets, tmp_path / "2021.xlsx"))
    assert Unit.objects.get(code="A18").name == "Sở Y tế"
    assert Participation.objects.get(year__year=2021, unit__code="A18").name == "Sở Y tế (tên cũ)"
