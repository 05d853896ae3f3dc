import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from criteria.models import Year
from exchange.workbook import COLUMNS, year_workbook_import
from surveys.models import Answer, Ballot
from tests.exchange.workbook_factory import save_workbook, year_sheets

HEADER = list(COLUMNS["ballots"])
NEW_ROWS = [
    ["P3", "hdnd", "A1", "2.1.1", "B"],
    ["P3", "hdnd", "A18", "2.1.2", "A"],
    ["P4", "nguoi_dan", "A18", "2.1.1", "E"],
]


@pytest.fixture
def year(tmp_path):
    year, _ = year_workbook_import(source=save_workbook(year_sheets(), tmp_path / "year.xlsx"))
    return year


def write_csv(path, rows, delimiter=","):
    path.write_text("\n".join(delimiter.join(map(str, row)) for row in rows) + "\n", "utf-8")
    return path


def write_xlsx(path, rows, sheet="ballots"):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def import_errors(path, *args) -> list[str]:
    before = (Ballot.objects.count(), Answer.objects.count())
    with pytest.raises(CommandError) as info:
        call_command("import_ballots", str(path), "--year", "2022", *args)
    assert (Ballot.objects.count(), Answer.objects.count()) == before
    lines = str(info.value).splitlines()
    assert lines[-1] == f"{len(lines) - 1} lỗi; không có phiếu nào được ghi."
    return lines[:-1]


@pytest.mark.django_db
def test_csv_appends_answers_and_new_ballots(tmp_path, year, capsys):
    path = write_csv(tmp_path / "b.csv", [HEADER, *NEW_ROWS])
    call_command("import_ballots", str(path), "--year", "2022")
    assert "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022." in capsys.readouterr().out
    assert Answer.objects.count() == 7 + 3
    assert Ballot.objects.get(code="P4").group.code == "nguoi_dan"


@pytest.mark.django_db
def test_xlsx_appends_answers_to_a_stored_ballot(tmp_path, year):
    # Ballot 1001 (a numeric cell) already rated A1; it now rates A18 too.
    rows = [HEADER, ["P5", "hdnd", "A1", "2.1.2", "C"], [1001, "nguoi_dan", "A18", "2.1.1", "A"]]
    call_command("import_ballots", str(write_xlsx(tmp_path / "b.xlsx", rows)), "--year", "2022")
    assert Answer.objects.count() == 9
    assert Ballot.objects.count() == 4
    assert Ballot.objects.get(code="1001").answers.count() == 2


@pytest.mark.django_db
def test_replace_deletes_the_years_ballots_first(tmp_path, year):
    # P1 answers A1 on 2.1.1 again: a duplicate when appending, fine when replacing.
    rows = [HEADER, ["P1", "hdnd", "A1", "2.1.1", "D"], *NEW_ROWS]
    call_command(
        "import_ballots", str(write_csv(tmp_path / "b.csv", rows)), "--year", "2022", "--replace"
    )
    assert Answer.objects.count() == 4
    assert sorted(Ballot.objects.values_list("code", flat=True)) == ["P1", "P3", "P4"]


@pytest.mark.django_db
def test_semicolon_csv_with_bom_from_excel(tmp_path, year):
    path = tmp_path / "b.csv"
    path.write_bytes(
        ("\ufeff" + "\r\n".join(";".join(row) for row in [HEADER, *NEW_ROWS]) + "\r\n").encode()
    )
    call_command("import_ballots", str(path), "--year", "2022")
    assert Answer.objects.count() == 10


@pytest.mark.django_db
def test_extra_columns_are_ignored(tmp_path, year):
    rows = [[*HEADER, "ghi_chu"], *(row + ["x"] for row in NEW_ROWS)]
    call_command("import_ballots", str(write_csv(tmp_path / "b.csv", rows)), "--year", "2022")
    assert Answer.objects.count() == 10


@pytest.mark.django_db
def test_csv_errors_name_the_line_and_column_and_write_nothing(tmp_path, year):
    rows = [
        HEADER,
        ["P3", "hdnd", "A1", "2.1.1", "B"],
        ["P3", "hdnd", "A9", "2.1.1", "B"],
        ["P3", "nguoi_dan", "A18", "2.1.1", "B"],
        ["P3", "hdnd", "A1", "2.1.1", "C"],
        ["P4", "nguoi_dan", "A1", "2.1.2", "A"],
        ["P4", "nguoi_dan", "A1", "2.1.1", "Z"],
        ["P4", "nguoi_dan", "A1", "1.1", "A"],
        ["P1", "hdnd", "A1", "2.1.1", "A"],
        ["P2", "hdnd", "A18", "2.1.2", "A"],
        ["", "hdnd", "A18", "2.1.2", "A"],
    ]
    errors = import_errors(write_csv(tmp_path / "b.csv", rows))
    assert errors == [
        "ballots!3: unit: đơn vị 'A9' không tham gia năm 2022",
        "ballots!4: group: phiếu 'P3' đã thuộc nhóm 'hdnd' (dòng 2), không thể thuộc nhóm "
        "'nguoi_dan'",
        "ballots!5: criterion: phiếu 'P3' trả lời tiêu chí '2.1.1' về đơn vị 'A1' hai lần (dòng 2)",
        "ballots!6: group: nhóm 'nguoi_dan' không được hỏi tiêu chí '2.1.2' của khối A",
        "ballots!7: option: phương án 'Z' không có trong thang đo 'muc4'",
        "ballots!8: criterion: tiêu chí '1.1' không phải tiêu chí lá chấm qua điều tra xã hội học",
        "ballots!9: criterion: phiếu 'P1' đã có câu trả lời cho tiêu chí '2.1.1' về đơn vị 'A1' "
        "(đã lưu)",
        "ballots!10: group: phiếu 'P2' đã thuộc nhóm 'nguoi_dan' (đã lưu), không thể thuộc "
        "nhóm 'hdnd'",
        "ballots!11: ballot: bắt buộc, không được để trống",
    ]


@pytest.mark.django_db
def test_xlsx_errors_use_the_spreadsheet_row(tmp_path, year):
    rows = [HEADER, *NEW_ROWS, [None] * 5, ["P4", "mttq", "A1", "2.1.1", "A"]]
    assert import_errors(write_xlsx(tmp_path / "b.xlsx", rows)) == [
        "ballots!6: group: nhóm đối tượng 'mttq' không có trong năm 2022"
    ]


@pytest.mark.django_db
def test_missing_column_is_reported(tmp_path, year):
    rows = [["ballot", "group", "unit", "criterion"], ["P3", "hdnd", "A1", "2.1.1"]]
    assert import_errors(write_csv(tmp_path / "b.csv", rows)) == [
        "ballots!1: option: thiếu cột bắt buộc 'option' (dòng tiêu đề phải nằm trong 10 dòng đầu)"
    ]


@pytest.mark.django_db
def test_a_csv_no_encoding_reads_is_refused_saying_how_to_save_as_utf8(tmp_path, year):
    path = tmp_path / "b.csv"
    # UTF-16 by its BOM, then an odd number of bytes: nothing reads it.
    path.write_bytes(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\nP\xe9,hdnd,A1,2.1.1,A\n")
    [error] = import_errors(path)
    assert error.startswith("ballots!1: -: Tệp CSV 'b.csv' không đọc được")
    assert "CSV UTF-8" in error


@pytest.mark.django_db
def test_published_year_is_refused(tmp_path, year):
    Year.objects.filter(pk=year.pk).update(status=Year.Status.PUBLISHED)
    path = write_csv(tmp_path / "b.csv", [HEADER, *NEW_ROWS])
    assert import_errors(path) == [
        "Năm 2022 đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."
    ]


@pytest.mark.django_db
def test_unknown_year_is_refused(tmp_path):
    path = write_csv(tmp_path / "b.csv", [HEADER, *NEW_ROWS])
    with pytest.raises(CommandError, match="Không có năm đánh giá 2022"):
        call_command("import_ballots", str(path), "--year", "2022")
