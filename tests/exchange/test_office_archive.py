"""The year archive's workbook and office files are read with the same guards as any
spreadsheet (issue 13 item 5, issue 12 item 9), and a truncated archive says so."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from criteria.models import Year
from exchange.workbook import year_data_delete
from tests.exchange.test_archive import rewrite
from tests.exchange.workbook_factory import save_workbook, year_sheets
from tests.kernel.test_zipguard import lying


@pytest.fixture
def archive(db, tmp_path, settings):
    """The workbook factory's 2022 exported as an archive; the database left without it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("import_year", str(save_workbook(year_sheets(), tmp_path / "y.xlsx")))
    path = tmp_path / "nam-2022.zip"
    call_command("export_archive", "--year", "2022", "--out", str(path), stdout=io.StringIO())
    year_data_delete(year=Year.objects.get(year=2022))
    return path


def refused(path) -> list[str]:
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert not Year.objects.exists()
    return str(error.value).splitlines()


def far_cell(data: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook["ballots"].cell(1048576, 5, "A")
    workbook["scores"].cell(1048576, 16384, "x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_far_cell_in_the_archived_workbook_is_an_error_at_its_row(archive, tmp_path):
    path = rewrite(archive, tmp_path / "far.zip", change={"year.xlsx": far_cell})
    lines = refused(path)
    assert "year.xlsx: ballots!1048576: ballot: bắt buộc, không được để trống" in lines


def test_a_zip_bomb_as_the_archived_workbook_is_refused(archive, tmp_path):
    def bomb(data: bytes) -> bytes:
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as inner:
            inner.writestr("xl/media/image1.png", b"\0" * (16 * 1024 * 1024))
        return lying(buffer.getvalue(), "xl/media/image1.png", 4096)

    lines = refused(rewrite(archive, tmp_path / "bomb.zip", change={"year.xlsx": bomb}))
    assert lines[0] == (
        "year.xlsx: year!1: -: Tệp 'year.xlsx': thành phần 'xl/media/image1.png' giải nén ra "
        "nhiều hơn kích thước khai báo (4096 byte): tệp hỏng hoặc độc hại."
    )


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_archive_is_one_vietnamese_error_not_foreign_members(archive, tmp_path, keep):
    data = archive.read_bytes()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[: int(len(data) * keep)])
    [line, summary] = refused(path)
    assert line.startswith("cut.zip: ") and "bị cắt cụt" in line
    assert summary == "1 lỗi; không có dữ liệu nào được ghi."
