"""A workbook with mistakes: every error located as sheet!row: column, nothing written."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from criteria.models import BlockRules, Criterion, Year
from exchange.workbook import year_workbook_import
from tests.exchange.workbook_factory import (
    add_row,
    import_errors,
    save_workbook,
    set_cell,
)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _change(sheet, row, column, value):
    def change(sheets):
        set_cell(sheets, sheet, row, column, value)

    return change


def _add(sheet, **values):
    def change(sheets):
        add_row(sheets, sheet, **values)

    return change


def _drop_column(sheet, name):
    def change(sheets):
        index = sheets[sheet][0].index(name)
        for row in sheets[sheet]:
            del row[index]

    return change


def _drop_sheet(sheet):
    def change(sheets):
        del sheets[sheet]

    return change


BAD_INPUTS = [
    (
        "unknown block of a unit",
        _change("units", 3, "block", "Z"),
        "units!3: block: khối 'Z' không có trong trang blocks",
    ),
    (
        "unknown criterion of a score",
        _add("scores", unit="A1", criterion="3.9.9", self_score=1),
        "scores!7: criterion: tiêu chí '3.9.9' không có trong khối A",
    ),
    (
        "unknown unit of a score",
        _change("scores", 2, "unit", "A9"),
        "scores!2: unit: đơn vị 'A9' không có trong trang units",
    ),
    (
        "duplicate unit code",
        _add("units", block="A", code="A1", name="Sở khác"),
        "units!4: code: mã đơn vị 'A1' lặp lại (dòng 2)",
    ),
    (
        "duplicate block code",
        _add("blocks", code="A", name="Khối khác"),
        "blocks!3: code: mã khối 'A' lặp lại (dòng 2)",
    ),
    (
        "duplicate criterion code",
        _add("criteria", block="A", code="1.1", name="Lặp", max_points=1, method="evidence"),
        "criteria!11: code: mã tiêu chí '1.1' lặp lại trong khối A (dòng 3)",
    ),
    (
        "duplicate group code",
        _add("groups", code="hdnd", name="HĐND"),
        "groups!4: code: mã nhóm 'hdnd' lặp lại (dòng 2)",
    ),
    (
        "duplicate scale option",
        _add("scales", scale="muc4", option="A", label="Lặp", coefficient=1),
        "scales!7: option: phương án 'A' của thang đo 'muc4' lặp lại (dòng 2)",
    ),
    (
        "duplicate score",
        _add("scores", unit="A1", criterion="1.1", self_score=1),
        "scores!7: criterion: điểm của đơn vị 'A1' cho tiêu chí '1.1' lặp lại (dòng 2)",
    ),
    (
        "duplicate answer",
        _add("ballots", ballot="P1", group="hdnd", unit="A1", criterion="2.1.1", option="C"),
        "ballots!9: criterion: phiếu 'P1' trả lời tiêu chí '2.1.1' về đơn vị 'A1' hai lần (dòng 2)",
    ),
    (
        "score above the maximum",
        _change("scores", 2, "appraised_score", "2,5"),
        "scores!2: appraised_score: 2,5 lớn hơn 2",
    ),
    (
        "negative score",
        _change("scores", 2, "self_score", -1),
        "scores!2: self_score: -1 nhỏ hơn 0",
    ),
    (
        "score on an inner node",
        _add("scores", unit="A1", criterion="1", self_score=1),
        "scores!7: criterion: tiêu chí '1' không phải tiêu chí lá",
    ),
    (
        "score on a survey leaf",
        _add("scores", unit="A1", criterion="2.1.1", self_score=1),
        "scores!7: criterion: tiêu chí '2.1.1' chấm qua điều tra xã hội học, không nhập điểm",
    ),
    (
        "maxima that do not add up",
        _change("criteria", 2, "max_points", "4,5"),
        "criteria!2: max_points: điểm tối đa 4,5 khác tổng điểm tối đa các tiêu chí con 4",
    ),
    (
        "group answering a question not open to it",
        _add("ballots", ballot="P2", group="nguoi_dan", unit="A1", criterion="2.1.2", option="A"),
        "ballots!9: group: nhóm 'nguoi_dan' không được hỏi tiêu chí '2.1.2' của khối A",
    ),
    (
        "ballot id with two groups",
        _add("ballots", ballot="P1", group="nguoi_dan", unit="A1", criterion="2.1.1", option="A"),
        "ballots!9: group: phiếu 'P1' đã thuộc nhóm 'hdnd' (dòng 2), không thể thuộc nhóm "
        "'nguoi_dan'",
    ),
    (
        "unknown option",
        _change("ballots", 2, "option", "Z"),
        "ballots!2: option: phương án 'Z' không có trong thang đo 'muc4'",
    ),
    (
        "unknown group of a ballot",
        _change("ballots", 2, "group", "abc"),
        "ballots!2: group: nhóm đối tượng 'abc' không có trong năm 2022",
    ),
    (
        "unknown unit of a ballot",
        _change("ballots", 2, "unit", "B1"),
        "ballots!2: unit: đơn vị 'B1' không tham gia năm 2022",
    ),
    (
        "ballot on an evidence leaf",
        _change("ballots", 2, "criterion", "1.1"),
        "ballots!2: criterion: tiêu chí '1.1' không phải tiêu chí lá chấm qua điều tra xã hội học",
    ),
    (
        "ballot on a survey leaf without question",
        _change("ballots", 2, "criterion", "2.2"),
        "ballots!2: criterion: tiêu chí '2.2' của khối A chưa có câu hỏi (trang questions)",
    ),
    (
        "malformed number",
        _change("scores", 2, "self_score", "hai"),
        "scores!2: self_score: 'hai' không phải là số",
    ),
    (
        "too many decimals",
        _change("scores", 2, "self_score", "1,2345"),
        "scores!2: self_score: 1,2345 có quá 3 chữ số thập phân",
    ),
    (
        "malformed date",
        _change("year", 4, "value", "25/12/2022"),
        "year!4: value: '25/12/2022' không phải ngày dạng ISO (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)",
    ),
    (
        "window closing before it opens",
        _change("year", 5, "value", "2022-12-01"),
        "year!5: value: self_assessment_closes (2022-12-01) phải sau self_assessment_opens "
        "(2022-12-25): thời gian tự đánh giá phải mở trước khi đóng",
    ),
    (
        "unknown year key",
        _add("year", key="deadline", value="2023-01-01"),
        "year!9: key: khóa 'deadline' không hợp lệ; các khóa: year, name, "
        "self_assessment_opens, self_assessment_closes, appraisal_opens, appraisal_closes, "
        "explanation_opens, explanation_closes, published_on, province",
    ),
    (
        "missing year",
        _change("year", 2, "key", "year_"),
        "year!1: key: thiếu khóa bắt buộc 'year'",
    ),
    (
        "missing required column",
        _drop_column("units", "name"),
        "units!1: name: thiếu cột bắt buộc 'name' (dòng tiêu đề phải nằm trong 10 dòng đầu)",
    ),
    (
        "missing required sheet",
        _drop_sheet("criteria"),
        "criteria!1: -: thiếu trang tính bắt buộc 'criteria'",
    ),
    (
        "missing parent",
        _add("criteria", block="A", code="3.1", name="Mồ côi", max_points=1, method="evidence"),
        "criteria!11: code: tiêu chí cha '3' không có trong khối A",
    ),
    (
        "method missing on a leaf",
        _change("criteria", 3, "method", None),
        "criteria!3: method: bắt buộc với tiêu chí lá (evidence hoặc survey)",
    ),
    (
        "method invalid on a leaf",
        _change("criteria", 3, "method", "manual"),
        "criteria!3: method: 'manual' không hợp lệ; dùng evidence hoặc survey",
    ),
    (
        "method on an inner node",
        _change("criteria", 2, "method", "evidence"),
        "criteria!2: method: chỉ tiêu chí lá mới có phương pháp chấm",
    ),
    (
        "deduction on an inner node",
        _change("criteria", 6, "kind", "deduction"),
        "criteria!6: kind: chỉ tiêu chí lá mới là điểm trừ",
    ),
    (
        "max_points missing on a leaf",
        _change("criteria", 3, "max_points", None),
        "criteria!3: max_points: bắt buộc với tiêu chí lá",
    ),
    (
        "rubric malformed",
        _change("criteria", 4, "rubric", "80:1;100:2"),
        "criteria!4: rubric: thang chấm '80:1;100:2' sai: các ngưỡng của thang chấm phải "
        "giảm dần, ngưỡng cao nhất trước",
    ),
    (
        "rubric above the maximum",
        _change("criteria", 4, "rubric", "100:3;0:0"),
        "criteria!4: rubric: điểm 3 của thang chấm lớn hơn điểm tối đa 2",
    ),
    (
        "score contradicting the rubric",
        _change("scores", 3, "appraised_score", 2),
        "scores!3: appraised_score: điểm 2 trái với thang chấm: giá trị 85,5 cho 1 điểm",
    ),
    (
        "unknown scale of a question",
        _change("questions", 2, "scale", "muc5"),
        "questions!2: scale: thang đo 'muc5' không có trong trang scales",
    ),
    (
        "unknown group of a question",
        _change("questions", 3, "groups", "hdnd;mttq"),
        "questions!3: groups: nhóm đối tượng 'mttq' không có trong trang groups",
    ),
    (
        "question on an evidence leaf",
        _change("questions", 3, "criterion", "1.1"),
        "questions!3: criterion: tiêu chí '1.1' không phải tiêu chí lá chấm qua điều tra "
        "xã hội học",
    ),
    (
        "coefficient above 1",
        _change("scales", 3, "coefficient", "1,5"),
        "scales!3: coefficient: 1,5 lớn hơn 1",
    ),
    (
        "flag not 1 or 0",
        _change("scores", 2, "not_applicable", "có"),
        "scores!2: not_applicable: 'có' phải là 1 hoặc 0",
    ),
    (
        "invalid rule",
        _change("rules", 2, "value", "3:75;abc"),
        "rules!2: value: 'abc' không đúng dạng mã_lĩnh_vực:ngưỡng, ví dụ 3:75",
    ),
    (
        "required cell blank",
        _change("units", 2, "name", None),
        "units!2: name: bắt buộc, không được để trống",
    ),
    (
        "measured percentage above 100",
        _change("scores", 3, "appraised_value", 120),
        "scores!3: appraised_value: giá trị là tỷ lệ phần trăm, phải từ 0 đến 100 (đã nhập 120)",
    ),
    (
        "negative measured value",
        _change("scores", 3, "self_value", -1),
        "scores!3: self_value: giá trị phải là số không âm (đã nhập -1)",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, expected", [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_is_located_and_nothing_is_written(tmp_path, sheets, change, expected):
    change(sheets)
    errors = import_errors(save_workbook(sheets, tmp_path / "bad.xlsx"))
    assert expected in errors, errors
    assert Year.objects.count() == 0 and Criterion.objects.count() == 0


@pytest.mark.django_db
def test_every_error_of_a_workbook_is_reported(tmp_path, sheets):
    set_cell(sheets, "units", 3, "block", "Z")
    set_cell(sheets, "scores", 2, "appraised_score", 9)
    set_cell(sheets, "criteria", 2, "max_points", 5)
    set_cell(sheets, "ballots", 3, "option", "Z")
    set_cell(sheets, "year", 4, "value", "hôm qua")

    errors = import_errors(save_workbook(sheets, tmp_path / "bad.xlsx"))

    assert [error.split(":")[0] for error in errors] == [
        "year!4",
        "units!3",
        "criteria!2",
        "scores!2",
        "ballots!3",
    ]


@pytest.mark.django_db
def test_extra_columns_and_blank_rows_are_ignored(tmp_path, sheets):
    sheets["units"][0].append("ghi_chu")
    sheets["units"][1].append("một ghi chú")
    sheets["ballots"].insert(3, [None] * 5)
    year, counts = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert counts["units"] == 2 and counts["ballots"] == 7


@pytest.mark.django_db
def test_row_numbers_count_blank_rows(tmp_path, sheets):
    sheets["ballots"].insert(3, [None] * 5)
    set_cell(sheets, "ballots", 5, "option", "Z")
    assert import_errors(save_workbook(sheets, tmp_path / "bad.xlsx")) == [
        "ballots!5: option: phương án 'Z' không có trong thang đo 'muc4'"
    ]


@pytest.mark.django_db
def test_optional_sheets_may_be_absent(tmp_path, sheets):
    for sheet in ("rules", "scores", "groups", "scales", "questions", "ballots"):
        del sheets[sheet]
    year, counts = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert counts["criteria"] == 9 and counts["ballots"] == 0
    assert BlockRules.objects.get(year=year).self_review == "3:75;7:75"


@pytest.mark.django_db
def test_not_an_xlsx_file_is_an_error(tmp_path):
    path = tmp_path / "y.xlsx"
    path.write_text("không phải Excel")
    errors = import_errors(path)
    assert errors == [
        "year!1: -: Tệp 'y.xlsx' không phải tệp bảng tính (.xlsx, .ods, .xls): hãy mở bằng "
        "Excel hoặc LibreOffice và lưu lại dạng .xlsx."
    ]


@pytest.mark.django_db
def test_date_cells_and_numeric_codes_are_accepted(tmp_path, sheets):
    set_cell(sheets, "year", 4, "value", datetime.date(2022, 12, 25))
    set_cell(sheets, "year", 5, "value", datetime.date(2023, 1, 10))
    set_cell(sheets, "criteria", 2, "code", 1)  # a numeric cell: area "1"
    set_cell(sheets, "criteria", 3, "code", 1.1)
    year, _ = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert year.self_assessment_opens == datetime.datetime(2022, 12, 25, tzinfo=LOCAL)
    assert year.self_assessment_closes == datetime.datetime(2023, 1, 11, tzinfo=LOCAL)
    assert Criterion.objects.get(year=year, code="1.1").parent.code == "1"


@pytest.mark.django_db
def test_counts_for_classification_is_read_on_areas_only(tmp_path, sheets):
    set_cell(sheets, "criteria", 6, "counts_for_classification", 1)
    set_cell(sheets, "criteria", 2, "counts_for_classification", "0")
    year, _ = year_workbook_import(source=save_workbook(sheets, tmp_path / "y.xlsx"))
    assert Criterion.objects.get(year=year, code="2").counts_for_classification is True
    assert Criterion.objects.get(year=year, code="1").counts_for_classification is False

    set_cell(sheets, "criteria", 3, "counts_for_classification", 1)
    errors = import_errors(save_workbook(sheets, tmp_path / "bad.xlsx"), "--replace")
    assert errors == ["criteria!3: counts_for_classification: chỉ dùng cho lĩnh vực (cấp cao nhất)"]
