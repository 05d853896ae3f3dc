"""The year workbook as Sở Nội vụ edits it in Excel or LibreOffice (issue 13): each case of
"What breaks", with the file made here, through `import_year` (and `import_archive` for
the archive's workbook). Imported correctly, or refused whole with a precise message."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from evidence.models import Score
from tests.exchange.workbook_factory import (
    import_errors,
    save_workbook,
    set_cell,
    stored_counts,
)
from tests.kernel.test_zipguard import lying
from tests.surveys.test_office_ballots import ods_bytes


def imported(path, capsys) -> list[str]:
    call_command("import_year", str(path))
    return capsys.readouterr().out.splitlines()


def score(unit: str, criterion: str) -> Score:
    return Score.objects.get(participation__unit__code=unit, criterion__code=criterion)


def edited(path, edit) -> object:
    """The workbook at `path` opened as Excel would, changed by `edit(workbook)`, saved."""
    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return path


@pytest.fixture
def workbook(tmp_path, sheets):
    return save_workbook(sheets, tmp_path / "nam-2022.xlsx")


# Crashes and bounds.


@pytest.mark.django_db
def test_a_cell_at_xfd1048576_does_not_take_the_process_down(workbook, capsys):
    edited(workbook, lambda book: book["scores"].cell(1048576, 16384, "x"))
    assert "Đã nhập năm 2022 (Dự thảo):" in imported(workbook, capsys)
    assert score("A1", "1.1").appraised_score == Decimal("1.5")


@pytest.mark.django_db
def test_a_zip_bomb_declaring_small_sizes_is_refused(workbook):
    with zipfile.ZipFile(workbook, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.png", b"\0" * (32 * 1024 * 1024))
    workbook.write_bytes(lying(workbook.read_bytes(), "xl/media/image1.png", 4096))
    assert import_errors(workbook) == [
        "year!1: -: Tệp 'nam-2022.xlsx': thành phần 'xl/media/image1.png' giải nén ra nhiều hơn "
        "kích thước khai báo (4096 byte): tệp hỏng hoặc độc hại."
    ]


@pytest.mark.django_db
def test_a_truncated_workbook_is_refused_in_vietnamese(workbook):
    workbook.write_bytes(workbook.read_bytes()[:-100])
    assert import_errors(workbook) == [
        "year!1: -: Tệp 'nam-2022.xlsx' bị hỏng hoặc không đúng định dạng (không đọc được cấu "
        "trúc nén ZIP); hãy mở lại và lưu đúng định dạng."
    ]


# Nothing read as "no data" by accident.


@pytest.mark.django_db
def test_renamed_optional_sheets_are_matched_and_reported(tmp_path, sheets, capsys):
    sheets["Scores"] = sheets.pop("scores")
    sheets["Phiếu"] = sheets.pop("ballots")
    lines = imported(save_workbook(sheets, tmp_path / "y.xlsx"), capsys)
    assert "Ghi chú: trang 'Scores' được hiểu là trang 'scores'." in lines
    assert "Ghi chú: trang 'Phiếu' được hiểu là trang 'ballots'." in lines
    assert "  scores: 5" in lines and "  ballots: 7" in lines


@pytest.mark.django_db
def test_two_sheets_that_could_be_scores_are_an_error_naming_it(tmp_path, sheets):
    sheets["Scores"] = sheets["scores"]
    sheets["Điểm"] = sheets.pop("scores")
    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        "scores!1: -: các trang 'Scores', 'Điểm' đều có thể là trang 'scores'"
    ]


@pytest.mark.django_db
def test_a_deleted_optional_sheet_is_reported(tmp_path, sheets, capsys):
    del sheets["scores"]
    lines = imported(save_workbook(sheets, tmp_path / "y.xlsx"), capsys)
    assert "Ghi chú: không có trang 'scores': năm không có dữ liệu của trang này." in lines


@pytest.mark.django_db
def test_a_published_year_without_its_scores_or_ballots_sheet_is_refused(tmp_path, sheets):
    sheets["year"][-1] = ["published_on", "2023-03-01"]
    del sheets["scores"], sheets["ballots"]
    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx")) == [
        f"{sheet}!1: -: năm đã công bố (published_on) nhưng tệp không có trang '{sheet}': mọi "
        "đơn vị sẽ bị tính 0 điểm ở các tiêu chí này và năm bị khóa; thêm lại trang này"
        for sheet in ("scores", "ballots")
    ]


@pytest.mark.django_db
def test_near_miss_and_translated_headers_are_matched_and_reported(tmp_path, sheets, capsys):
    header = sheets["scores"][0]
    header[header.index("appraised_score")] = "Appraised_score"
    header[header.index("self_score")] = "self_scoré"
    header[header.index("self_note")] = "Ghi chú tự đánh giá"
    lines = imported(save_workbook(sheets, tmp_path / "y.xlsx"), capsys)
    for written, column in [
        ("Appraised_score", "appraised_score"),
        ("self_scoré", "self_score"),
        ("Ghi chú tự đánh giá", "self_note"),
    ]:
        assert f"Ghi chú: scores: cột '{written}' được hiểu là '{column}'." in lines
    assert score("A1", "1.1").appraised_score == Decimal("1.5")
    assert score("A1", "1.1").self_score == Decimal(2)
    assert score("A1", "1.1").self_note == "Đã ban hành kế hoạch"


@pytest.mark.django_db
def test_a_header_below_a_title_row_is_used_and_reported(tmp_path, sheets, capsys):
    sheets["units"][:0] = [["DANH SÁCH ĐƠN VỊ NĂM 2022"], []]
    sheets["units"].append(["A", "A1", ""])  # a unit code twice: located on its real row
    assert import_errors(save_workbook(sheets, tmp_path / "y.xlsx"))[0].startswith("units!6: ")
    sheets["units"].pop()
    lines = imported(save_workbook(sheets, tmp_path / "ok.xlsx"), capsys)
    assert "Ghi chú: units: tiêu đề ở dòng 3." in lines


@pytest.mark.django_db
@pytest.mark.parametrize("shown", ["#DIV/0!", "#REF!", "#VALUE!"])
def test_a_formula_error_cell_is_an_error_at_its_cell_not_a_blank(tmp_path, sheets, shown):
    set_cell(sheets, "scores", 2, "appraised_score", shown)
    errors = import_errors(save_workbook(sheets, tmp_path / "y.xlsx"))
    assert errors == [f"scores!2: appraised_score: ô lỗi công thức {shown}"]


# Numbers as Excel stores and shows them.


@pytest.mark.django_db
def test_excel_float_noise_is_the_number_the_cell_shows(tmp_path, sheets):
    set_cell(sheets, "scores", 2, "appraised_score", 1.9269999999999998)
    call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")))
    assert score("A1", "1.1").appraised_score == Decimal("1.927")


@pytest.mark.django_db
def test_a_percent_cell_is_the_percentage_shown(workbook):
    def percent(book):
        sheet = book["scores"]
        column = [cell.value for cell in sheet[1]].index("appraised_value") + 1
        cell = sheet.cell(3, column, 0.855)
        cell.number_format = "0.0%"

    call_command("import_year", str(edited(workbook, percent)))
    assert score("A1", "1.2").appraised_value == Decimal("85.5")


@pytest.mark.django_db
def test_a_percent_cell_out_of_range_is_reported_as_shown(workbook):
    def percent(book):
        sheet = book["scores"]
        column = [cell.value for cell in sheet[1]].index("appraised_score") + 1
        sheet.cell(2, column, 0.447).number_format = "0.0%"

    [error] = import_errors(edited(workbook, percent))
    assert error.startswith("scores!2: appraised_score: 44,7 ")


# Formats and Unicode.


@pytest.mark.django_db
def test_an_ods_workbook_imports_like_the_xlsx(tmp_path, sheets):
    path = tmp_path / "y.ods"
    path.write_bytes(ods_bytes(sheets))
    call_command("import_year", str(path))
    assert stored_counts()["Answer"] == 7
    assert score("A1", "1.1").appraised_score == Decimal("1.5")


@pytest.mark.django_db
def test_nfd_names_and_zero_width_codes_arrive_nfc_and_clean(tmp_path, sheets):
    import unicodedata

    from units.models import Unit

    set_cell(sheets, "units", 3, "name", unicodedata.normalize("NFD", "Sở Y tế"))
    set_cell(sheets, "scores", 5, "unit", "A18\u200b")
    call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")))
    assert Unit.objects.filter(name="Sở Y tế").count() == 1
    assert score("A18", "1.1").appraised_score == Decimal(2)


@pytest.mark.django_db
def test_the_same_bytes_from_a_file_object_import_the_same(workbook):
    from exchange.workbook import year_workbook_import

    year, counts = year_workbook_import(source=io.BytesIO(workbook.read_bytes()))
    assert (year.year, counts["scores"], counts["ballots"]) == (2022, 5, 7)


@pytest.mark.django_db
def test_a_refused_import_writes_nothing_even_after_notes(tmp_path, sheets):
    sheets["Scores"] = sheets.pop("scores")
    set_cell(sheets, "Scores", 2, "appraised_score", "#DIV/0!")
    before = stored_counts()
    with pytest.raises(CommandError):
        call_command("import_year", str(save_workbook(sheets, tmp_path / "y.xlsx")))
    assert stored_counts() == before
