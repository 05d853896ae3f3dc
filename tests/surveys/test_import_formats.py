"""`import_ballots` beyond the long format: the wide format, duplicate files, replacing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from surveys.models import Answer, Ballot, BallotUpload

from .bad_rows import BAD_ROW_ERRORS, BAD_ROWS
from .conftest import HEADER, write_csv, write_xlsx

WIDE_HEADER = ["ballot", "group", "unit", "2.1.1", "2.1.2", "ghi_chu"]


def import_errors(path, *args) -> list[str]:
    before = (Ballot.objects.count(), Answer.objects.count())
    with pytest.raises(CommandError) as info:
        call_command("import_ballots", str(path), "--year", "2022", *args)
    assert (Ballot.objects.count(), Answer.objects.count()) == before
    return str(info.value).splitlines()[:-1]


def answers_of(ballot: str) -> set[tuple[str, str, str]]:
    return set(
        Answer.objects.filter(ballot__code=ballot).values_list(
            "participation__unit__code", "criterion__code", "option__code"
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_wide_format_is_recognised_from_the_header(tmp_path, year, writer, capsys):
    rows = [
        WIDE_HEADER,
        ["P3", "hdnd", "A1", "A", "B", "x"],
        ["P3", "hdnd", "A18", "C", None if writer is write_xlsx else "", ""],
        ["P4", "nguoi_dan", "A18", "E", None if writer is write_xlsx else "", ""],
    ]
    path = writer(tmp_path / f"wide.{'csv' if writer is write_csv else 'xlsx'}", rows)
    call_command("import_ballots", str(path), "--year", "2022")
    assert "Đã nhập 4 câu trả lời (2 phiếu mới) cho năm 2022." in capsys.readouterr().out
    assert answers_of("P3") == {("A1", "2.1.1", "A"), ("A1", "2.1.2", "B"), ("A18", "2.1.1", "C")}
    assert answers_of("P4") == {("A18", "2.1.1", "E")}
    assert BallotUpload.objects.get().format == "wide"


@pytest.mark.django_db
def test_wide_format_errors_name_the_criterion_column(tmp_path, year):
    rows = [
        ["ballot", "group", "unit", "2.1.1", "2.1.2", "1.1", "2.2"],
        ["P3", "hdnd", "A1", "Z", "", "", ""],  # unknown option
        ["P4", "nguoi_dan", "A1", "A", "B", "", ""],  # group not asked 2.1.2
        ["P5", "hdnd", "A9", "A", "", "", ""],  # unknown unit
        ["P6", "hdnd", "A1", "", "", "A", ""],  # evidence leaf
        ["P7", "hdnd", "A1", "", "", "", "A"],  # survey leaf without a question
        ["P3", "hdnd", "A18", "", "", "", ""],  # no answer at all
        ["P8", "", "A1", "A", "", "", ""],  # blank group
        ["P1", "hdnd", "A1", "B", "", "", ""],  # stored answer
        ["P3", "hdnd", "A1", "", "", "", ""],
    ]
    errors = import_errors(write_csv(tmp_path / "wide.csv", rows))
    assert errors == [
        "ballots!2: 2.1.1: phương án 'Z' không có trong thang đo 'muc4'",
        "ballots!3: 2.1.2: nhóm 'nguoi_dan' không được hỏi tiêu chí '2.1.2' của khối A",
        "ballots!4: unit: đơn vị 'A9' không tham gia năm 2022",
        "ballots!5: 1.1: tiêu chí '1.1' không phải tiêu chí lá chấm qua điều tra xã hội học",
        "ballots!6: 2.2: tiêu chí '2.2' của khối A chưa có câu hỏi (trang questions)",
        "ballots!7: -: dòng không có câu trả lời nào",
        "ballots!8: group: bắt buộc, không được để trống",
        "ballots!9: 2.1.1: phiếu 'P1' đã có câu trả lời cho tiêu chí '2.1.1' về đơn vị 'A1' "
        "(đã lưu)",
        "ballots!10: -: dòng không có câu trả lời nào",
    ]


@pytest.mark.django_db
def test_wide_duplicate_ballot_and_unit_names_the_first_row(tmp_path, year):
    rows = [WIDE_HEADER, ["P3", "hdnd", "A1", "A", "", ""], ["P3", "hdnd", "A1", "B", "", ""]]
    assert import_errors(write_csv(tmp_path / "wide.csv", rows)) == [
        "ballots!3: 2.1.1: phiếu 'P3' trả lời tiêu chí '2.1.1' về đơn vị 'A1' hai lần (dòng 2)"
    ]


@pytest.mark.django_db
def test_same_file_twice_is_refused_then_replaced_by_ballot_id(tmp_path, year):
    path = write_csv(tmp_path / "b.csv", [HEADER, ["P3", "hdnd", "A1", "2.1.1", "B"]])
    call_command("import_ballots", str(path), "--year", "2022")
    errors = import_errors(path)
    assert len(errors) == 1 and "đã được nhập vào năm 2022" in errors[0]

    call_command("import_ballots", str(path), "--year", "2022", "--replace-ballots")
    assert Answer.objects.count() == 8  # 7 stored + P3 once, not twice
    assert answers_of("P3") == {("A1", "2.1.1", "B")}


@pytest.mark.django_db
def test_replace_ballots_substitutes_only_ballots_with_the_same_id(tmp_path, year):
    # P1 stored with 4 answers becomes one answer; P2 and 1001 stay as they were.
    path = write_csv(tmp_path / "b.csv", [HEADER, ["P1", "hdnd", "A18", "2.1.2", "A"]])
    call_command("import_ballots", str(path), "--year", "2022", "--replace-ballots")
    assert answers_of("P1") == {("A18", "2.1.2", "A")}
    assert Answer.objects.count() == 3 + 1


@pytest.mark.django_db
def test_header_with_neither_format_reports_missing_columns(tmp_path, year):
    path = write_csv(
        tmp_path / "b.csv", [["ballot", "nhom", "unit", "ghi_chu"], ["P3", "x", "A1", ""]]
    )
    # 'nhom' is the column group spelt without accents: matched, not missing.
    assert import_errors(path) == [
        f"ballots!1: {column}: thiếu cột bắt buộc '{column}' (dòng tiêu đề phải nằm trong "
        "10 dòng đầu)"
        for column in ("criterion", "option")
    ]


@pytest.mark.django_db
def test_not_a_spreadsheet_is_refused(tmp_path, year):
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"MZ\x90\x00 not a zip")
    errors = import_errors(path)
    assert errors == [
        "ballots!1: -: Tệp 'b.xlsx' không phải tệp bảng tính (.xlsx, .ods, .xls): hãy mở bằng "
        "Excel hoặc LibreOffice và lưu lại dạng .xlsx."
    ]


@pytest.mark.django_db
def test_command_reports_every_bad_row_kind_as_the_browser_preview_does(tmp_path, year):
    assert import_errors(write_csv(tmp_path / "bad.csv", BAD_ROWS)) == BAD_ROW_ERRORS
