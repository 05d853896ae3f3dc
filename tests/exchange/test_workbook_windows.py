"""The year's windows in the workbook (issue 11, Build 5): each opens before it closes, and
self-assessment comes before appraisal before explanation (DOMAIN §3). Every fault is one
`year!row: value: reason` line, and nothing is written."""

import pytest
from django.core.management import call_command

from criteria.models import Year
from tests.exchange.workbook_factory import (
    add_row,
    import_errors,
    save_workbook,
    set_cell,
    year_key_row,
)


def _set(sheets, key, value):
    set_cell(sheets, "year", year_key_row(sheets, key), "value", value)


def _explanation(sheets, opens, closes=None):
    rows = [add_row(sheets, "year", key="explanation_opens", value=opens)]
    if closes is not None:
        rows.append(add_row(sheets, "year", key="explanation_closes", value=closes))
    return rows


@pytest.mark.django_db
def test_a_window_closing_on_the_day_before_it_opens_is_refused(tmp_path, sheets):
    # 10/01 means until 24:00 of 10/01, so it closes the moment 11/01 opens: empty.
    _set(sheets, "appraisal_closes", "2023-01-10")

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        "year!7: value: appraisal_closes (2023-01-10) phải sau appraisal_opens (2023-01-11): "
        "thời gian thẩm định phải mở trước khi đóng"
    ]


@pytest.mark.django_db
def test_appraisal_opening_before_self_assessment_closes_is_refused(tmp_path, sheets):
    _set(sheets, "appraisal_opens", "2023-01-10")

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        "year!6: value: appraisal_opens (2023-01-10) phải sau self_assessment_closes "
        "(2023-01-10): thẩm định chỉ mở khi tự đánh giá đã đóng"
    ]


@pytest.mark.django_db
def test_appraisal_entirely_before_self_assessment_is_refused(tmp_path, sheets):
    _set(sheets, "appraisal_opens", "2022-12-01")
    _set(sheets, "appraisal_closes", "2022-12-10")

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        "year!6: value: appraisal_opens (2022-12-01) phải sau self_assessment_closes "
        "(2023-01-10): thẩm định chỉ mở khi tự đánh giá đã đóng"
    ]


@pytest.mark.django_db
def test_explanation_overlapping_the_appraisal_is_refused(tmp_path, sheets):
    opens, _closes = _explanation(sheets, "2023-01-15", "2023-01-20")

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        f"year!{opens}: value: explanation_opens (2023-01-15) phải sau appraisal_closes "
        "(2023-01-16): giải trình chỉ mở khi thẩm định đã đóng"
    ]


@pytest.mark.django_db
def test_explanation_is_checked_against_self_assessment_when_no_appraisal_window(tmp_path, sheets):
    _set(sheets, "appraisal_opens", None)
    _set(sheets, "appraisal_closes", None)
    opens, _closes = _explanation(sheets, "2023-01-05", "2023-01-20")

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        f"year!{opens}: value: explanation_opens (2023-01-05) phải sau self_assessment_closes "
        "(2023-01-10): giải trình chỉ mở khi tự đánh giá đã đóng"
    ]


@pytest.mark.django_db
def test_a_window_given_by_one_end_only_is_refused(tmp_path, sheets):
    [opens] = _explanation(sheets, "2023-01-18")
    _set(sheets, "self_assessment_opens", None)

    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        "year!5: value: thời gian tự đánh giá cần cả ngày mở và ngày đóng: "
        "thiếu self_assessment_opens",
        f"year!{opens}: value: thời gian giải trình cần cả ngày mở và ngày đóng: "
        "thiếu explanation_closes",
    ]


@pytest.mark.django_db
def test_windows_in_order_with_times_of_day_are_accepted(tmp_path, sheets):
    _set(sheets, "self_assessment_closes", "2023-01-10T17:00")
    _set(sheets, "appraisal_opens", "2023-01-10T17:00")
    _explanation(sheets, "2023-01-17", "2023-01-20")

    call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")))

    assert Year.objects.get(year=2022).explanation_opens is not None
