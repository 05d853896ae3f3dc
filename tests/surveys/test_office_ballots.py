"""Ballot files as an office that lives in Excel sends them (issue 13, issue 12 item 9):
every case of "What breaks", with the files made here, through `import_ballots`. Each is
imported correctly or refused whole with a precise Vietnamese message."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from surveys.models import Answer, Ballot, BallotUpload, StagedAnswer
from tests.kernel.test_text import cp1258
from tests.kernel.test_zipguard import lying

from .conftest import HEADER, write_csv, write_xlsx

NEW_ROWS = [
    ["P3", "hdnd", "A1", "2.1.1", "B"],
    ["P3", "hdnd", "A18", "2.1.2", "A"],
    ["P4", "nguoi_dan", "A18", "2.1.1", "E"],
]
STORED = (3, 7)  # ballots and answers of the year fixture


def stored() -> tuple[int, int]:
    return Ballot.objects.count(), Answer.objects.count()


def imported(path, capsys, *args) -> list[str]:
    """The command's output lines for a file that imports."""
    call_command("import_ballots", str(path), "--year", "2022", *args)
    return capsys.readouterr().out.splitlines()


def refused(path, *args) -> list[str]:
    """The error lines of a refused file; nothing was written, nothing left checking."""
    with pytest.raises(CommandError) as info:
        call_command("import_ballots", str(path), "--year", "2022", *args)
    assert stored() == STORED
    assert not StagedAnswer.objects.exists()
    assert not BallotUpload.objects.exclude(status=BallotUpload.Status.REJECTED).exists()
    lines = str(info.value).splitlines()
    assert lines[-1].endswith("lỗi; không có phiếu nào được ghi.")
    return lines[:-1]


def xlsx_with(path, rows, *, sheet="ballots", cells=(), extra_sheets=()):
    """A workbook of `rows`, with `cells` ({"XFD1048576": "x"}) set anywhere."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for where, value in dict(cells).items():
        worksheet[where] = value
    for name in extra_sheets:
        workbook.create_sheet(name).append(["ghi chú"])
    workbook.save(path)
    return path


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice reads it."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    def cell(value) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(f"<table:table-row>{''.join(map(cell, row))}</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body>'
        f"<office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


# Crashes and bounds (issue 13 item 5, issue 12 item 9).


@pytest.mark.django_db
def test_a_cell_at_xfd1048576_costs_a_row_not_the_process(tmp_path, year, capsys):
    path = xlsx_with(tmp_path / "b.xlsx", [HEADER, *NEW_ROWS], cells={"XFD1048576": "x"})
    assert imported(path, capsys)[-1] == "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022."
    assert stored() == (5, 10)


@pytest.mark.django_db
def test_a_far_cell_inside_the_columns_read_is_an_error_at_its_row(tmp_path, year):
    path = xlsx_with(tmp_path / "b.xlsx", [HEADER, *NEW_ROWS], cells={"E1048576": "A"})
    assert refused(path) == [
        f"ballots!1048576: {column}: bắt buộc, không được để trống"
        for column in ("ballot", "group", "unit", "criterion")
    ]


@pytest.mark.django_db
def test_a_member_inflating_past_its_declared_size_is_refused(tmp_path, year):
    buffer = io.BytesIO()
    xlsx_with(buffer, [HEADER, *NEW_ROWS])
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.bin", b"\0" * (32 * 1024 * 1024))
    path = tmp_path / "b.xlsx"
    path.write_bytes(lying(buffer.getvalue(), "xl/media/image1.bin", 4096))
    assert refused(path) == [
        "ballots!1: -: Tệp 'b.xlsx': thành phần 'xl/media/image1.bin' giải nén ra nhiều hơn "
        "kích thước khai báo (4096 byte): tệp hỏng hoặc độc hại."
    ]


@pytest.mark.django_db
def test_a_zip_declaring_more_than_the_limit_is_refused_before_inflating(tmp_path, year):
    buffer = io.BytesIO()
    xlsx_with(buffer, [HEADER, *NEW_ROWS])
    path = tmp_path / "b.xlsx"
    path.write_bytes(lying(buffer.getvalue(), "xl/worksheets/sheet1.xml", 2**31))
    assert refused(path) == [
        "ballots!1: -: Tệp 'b.xlsx' giải nén ra hơn 1024 MB, quá giới hạn (nghi tệp độc hại)."
    ]


@pytest.mark.django_db
def test_a_truncated_xlsx_is_refused_in_vietnamese(tmp_path, year):
    whole = xlsx_with(tmp_path / "whole.xlsx", [HEADER, *NEW_ROWS]).read_bytes()
    path = tmp_path / "b.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert refused(path) == [
        "ballots!1: -: Tệp 'b.xlsx' bị hỏng hoặc không đúng định dạng (không đọc được cấu trúc "
        "nén ZIP); hãy mở lại và lưu đúng định dạng."
    ]


@pytest.mark.django_db
def test_a_csv_field_over_the_csv_limit_is_an_error_at_its_row(tmp_path, year):
    rows = [HEADER, *NEW_ROWS, ["P5", "hdnd", "A1", "2.1.1", "A" * 140_000]]
    assert refused(write_csv(tmp_path / "b.csv", rows)) == [
        "ballots!5: -: một ô dài quá 131072 ký tự (dòng 5 của tệp)"
    ]


# Sheets and columns never read as "no data" by accident (issue 13 item 1).


@pytest.mark.django_db
def test_a_translated_sheet_among_others_is_matched_and_reported(tmp_path, year, capsys):
    path = xlsx_with(tmp_path / "b.xlsx", [HEADER, *NEW_ROWS], sheet="Phiếu", extra_sheets=["x"])
    lines = imported(path, capsys)
    assert "Ghi chú: trang 'Phiếu' được hiểu là trang 'ballots'." in lines
    assert stored() == (5, 10)


@pytest.mark.django_db
def test_two_sheets_that_could_be_ballots_are_an_error_naming_it(tmp_path, year):
    path = xlsx_with(
        tmp_path / "b.xlsx", [HEADER, *NEW_ROWS], sheet="Phiếu", extra_sheets=["phieu"]
    )
    assert refused(path) == [
        "ballots!1: -: các trang 'Phiếu', 'phieu' đều có thể là trang 'ballots'"
    ]


@pytest.mark.django_db
def test_a_title_row_and_vietnamese_headers_are_used_and_reported(tmp_path, year, capsys):
    rows = [
        ["PHIẾU ĐIỀU TRA XÃ HỘI HỌC NĂM 2022"],
        [],
        ["Số phiếu", "Nhóm", "Đơn vị", "Tiêu chí", "Phương án"],
        *NEW_ROWS,
        ["P5", "mttq", "A1", "2.1.1", "A"],
    ]
    errors = refused(write_xlsx(tmp_path / "b.xlsx", rows))
    assert errors == ["ballots!7: group: nhóm đối tượng 'mttq' không có trong năm 2022"]
    lines = imported(write_xlsx(tmp_path / "ok.xlsx", rows[:-1]), capsys)
    assert "Ghi chú: ballots: cột 'Số phiếu' được hiểu là 'ballot'." in lines
    assert "Ghi chú: ballots: tiêu đề ở dòng 3." in lines


@pytest.mark.django_db
def test_a_header_nowhere_near_the_top_says_where_it_must_be(tmp_path, year):
    rows = [*([["tiêu đề"]] * 12), HEADER, *NEW_ROWS]
    errors = refused(write_xlsx(tmp_path / "b.xlsx", rows))
    assert errors[0] == (
        "ballots!1: ballot: thiếu cột bắt buộc 'ballot' (dòng tiêu đề phải nằm trong 10 dòng đầu)"
    )


@pytest.mark.django_db
def test_two_columns_that_could_be_one_are_an_error(tmp_path, year):
    rows = [["ballot", "Nhóm", "nhom", "unit", "criterion", "option"], ["P3", "hdnd", "hdnd"]]
    assert refused(write_csv(tmp_path / "b.csv", rows)) == [
        "ballots!1: group: cả 'Nhóm' và 'nhom' đều có thể là cột 'group'"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("shown", ["#DIV/0!", "#REF!", "#N/A"])
def test_a_formula_error_cell_is_an_error_at_its_cell(tmp_path, year, shown):
    rows = [HEADER, *NEW_ROWS, ["P5", "hdnd", "A1", "2.1.1", shown]]
    assert refused(write_xlsx(tmp_path / "b.xlsx", rows)) == [
        f"ballots!5: option: ô lỗi công thức {shown} (sửa công thức trong tệp)"
    ]


# CSV as Excel saves it (issue 13 items 3 and 7).


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode, label",
    [
        (lambda text: text.encode("utf-8-sig"), None),
        (cp1258, "Windows-1258"),
        (lambda text: text.replace("Đã kiểm tra đủ", "Šimon, café").encode("cp1252"), "1252"),
        (lambda text: text.replace(",", "\t").encode("utf-16"), "UTF-16"),
    ],
    ids=["utf-8 bom", "cp1258", "cp1252", "utf-16 tab"],
)
def test_csv_encodings_are_detected_and_reported(tmp_path, year, capsys, encode, label):
    text = "ballot,group,unit,criterion,option,ghi_chu\n" + "".join(
        f"{','.join(row)},Đã kiểm tra đủ\n" for row in NEW_ROWS
    )
    path = tmp_path / "b.csv"
    path.write_bytes(encode(text))
    lines = imported(path, capsys)
    notes = [line for line in lines if line.startswith("Ghi chú: tệp CSV mã hóa")]
    if label is None:
        assert notes == []
    else:
        assert len(notes) == 1 and label in notes[0] and "CSV UTF-8" in notes[0]
    assert lines[-1] == "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022."


@pytest.mark.django_db
def test_a_vietnamese_ballot_id_in_cp1258_is_stored_nfc(tmp_path, year):
    path = tmp_path / "b.csv"
    path.write_bytes(cp1258(",".join(HEADER) + "\nPhiếu-đợt1,hdnd,A1,2.1.1,A\n"))
    call_command("import_ballots", str(path), "--year", "2022")
    assert Ballot.objects.filter(code="Phiếu-đợt1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "sep=;\nballot;group;unit;criterion;option\n{rows}",
        "ballot;group;unit;criterion;option\n{rows}",
        "ballot\tgroup\tunit\tcriterion\toption\n{rows}",
    ],
    ids=["excel sep line", "semicolons", "tabs"],
)
def test_separators(tmp_path, year, capsys, text):
    delimiter = "\t" if "\t" in text else ";"
    path = tmp_path / "b.csv"
    path.write_text(text.format(rows="".join(delimiter.join(r) + "\n" for r in NEW_ROWS)))
    lines = imported(path, capsys)
    assert lines[-1] == "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022."
    assert ("Ghi chú: dòng đầu 'sep=;' của Excel: dùng ';' làm dấu phân cách." in lines) == (
        "sep=" in text
    )


@pytest.mark.django_db
def test_an_unclosed_quote_is_an_error_at_the_line_where_it_opens(tmp_path, year):
    lines = [",".join(HEADER), *(",".join(row) for row in NEW_ROWS)]
    lines.insert(2, 'P5,"hdnd,A1,2.1.1,A')
    lines += [f"P{n},hdnd,A1,2.1.1,A" for n in range(10, 70)]
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n")
    assert refused(path) == [
        'ballots!3: -: dấu ngoặc kép (") mở ở dòng 3 của tệp không được đóng đúng chỗ, nên các '
        "dòng sau bị gộp vào một ô; sửa dấu ngoặc kép ở dòng đó"
    ]


@pytest.mark.django_db
def test_rows_are_numbered_as_the_spreadsheet_shows_them_after_multiline_cells(tmp_path, year):
    text = (
        "ballot,group,unit,criterion,option,ghi_chu\n"
        'P3,hdnd,A1,2.1.1,B,"dòng một\ndòng hai\ndòng ba"\n'
        "P3,hdnd,A18,2.1.2,A,\n"
        "P5,mttq,A1,2.1.1,A,\n"
    )
    path = tmp_path / "b.csv"
    path.write_text(text)
    assert refused(path) == ["ballots!4: group: nhóm đối tượng 'mttq' không có trong năm 2022"]


# Formats (issue 13 item 8) and Unicode (item 4).


@pytest.mark.django_db
def test_an_ods_ballot_file_is_accepted(tmp_path, year, capsys):
    path = tmp_path / "b.ods"
    path.write_bytes(ods_bytes({"Phiếu": [HEADER, *NEW_ROWS]}))
    assert imported(path, capsys)[-1] == "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022."


@pytest.mark.django_db
def test_nfd_and_nfc_ballot_ids_are_one_ballot_and_zero_width_is_dropped(tmp_path, year):
    nfc = "Phiếu-Sơn"
    nfd = unicodedata.normalize("NFD", nfc)
    rows = [HEADER, [nfc, "hdnd", "A1", "2.1.1", "A"], [nfd, "hdnd", "A18\u200b", "2.1.1", "B"]]
    call_command("import_ballots", str(write_csv(tmp_path / "b.csv", rows)), "--year", "2022")
    assert list(Ballot.objects.filter(code__startswith="Phi").values_list("code", flat=True)) == [
        nfc
    ]
    assert Answer.objects.filter(ballot__code=nfc).count() == 2


@pytest.mark.django_db
def test_a_nfd_ballot_id_answering_twice_is_caught_as_a_duplicate(tmp_path, year):
    nfc = "Phiếu-Sơn"
    rows = [
        HEADER,
        [nfc, "hdnd", "A1", "2.1.1", "A"],
        [unicodedata.normalize("NFD", nfc), "hdnd", "A1", "2.1.1", "B"],
    ]
    assert refused(write_csv(tmp_path / "b.csv", rows)) == [
        f"ballots!3: criterion: phiếu '{nfc}' trả lời tiêu chí '2.1.1' về đơn vị 'A1' hai lần "
        "(dòng 2)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rows, columns", [(1_048_570, 16_384), (5_000, 5_000)])
def test_an_ods_with_a_far_cell_is_refused_before_its_grid_is_allocated(
    tmp_path, year, rows, columns
):
    # Under calamine's own limit (10^8 cells) a grid of 25 million cells would still take
    # about a gigabyte: the extent is counted from the file first.
    filler = f'<table:table-cell table:number-columns-repeated="{columns - 1}"/>'
    far = f'<table:table-row table:number-rows-repeated="{rows}">{filler}</table:table-row>'
    data = ods_bytes({"ballots": [HEADER, *NEW_ROWS]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    content = members["content.xml"].decode()
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    members["content.xml"] = content.replace(
        "</table:table>", f"{far}<table:table-row>{filler}{cell}</table:table-row></table:table>"
    ).encode()
    path = tmp_path / "b.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    assert refused(path) == [
        f"ballots!1: -: Tệp 'b.ods' có trang tính quá lớn ({len(NEW_ROWS) + 2 + rows} dòng × "
        f"{columns} cột có dữ liệu): xóa các dòng, cột thừa hoặc lưu lại dạng .xlsx."
    ]


# Made once with Debian's LibreOffice 7.4 (libreoffice-calc-nogui): an xlsx holding
# NEW_ROWS on a sheet "Phiếu", converted with `soffice --headless --convert-to xls`.
LIBREOFFICE_XLS = Path(__file__).parent / "files" / "phieu-libreoffice.xls"


def test_an_xls_ballot_file_saved_by_libreoffice_is_accepted(year, capsys):
    lines = imported(LIBREOFFICE_XLS, capsys)
    assert lines[-1] == "Đã nhập 3 câu trả lời (2 phiếu mới) cho năm 2022."
    assert sorted(
        Answer.objects.filter(ballot__code__in=["P3", "P4"]).values_list(
            "ballot__code", "participation__unit__code", "criterion__code", "option__code"
        )
    ) == [("P3", "A1", "2.1.1", "B"), ("P3", "A18", "2.1.2", "A"), ("P4", "A18", "2.1.1", "E")]


def test_codes_typed_in_another_case_are_the_years_codes(tmp_path, year, capsys):
    rows = [HEADER, ["P3", "HDND", "a1", "2.1.1", "b"], ["P4", "Nguoi_Dan", "a18", "2.1.1", "e"]]
    lines = imported(write_csv(tmp_path / "b.csv", rows), capsys)
    assert lines[-1] == "Đã nhập 2 câu trả lời (2 phiếu mới) cho năm 2022."
    assert sorted(
        Answer.objects.filter(ballot__code__in=["P3", "P4"]).values_list(
            "ballot__group__code", "participation__unit__code", "option__code"
        )
    ) == [("hdnd", "A1", "B"), ("nguoi_dan", "A18", "E")]


def test_a_wide_file_folds_the_case_of_its_codes_too(tmp_path, year, capsys):
    rows = [["ballot", "group", "unit", "2.1.1", "2.1.2"], ["P3", "HDND", "a18", "b", "a"]]
    lines = imported(write_csv(tmp_path / "b.csv", rows), capsys)
    assert lines[-1] == "Đã nhập 2 câu trả lời (1 phiếu mới) cho năm 2022."
