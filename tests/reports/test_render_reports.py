"""render_reports on the demo's 2022: every annex, the summary and the report, checked
against the results document by reading the PDFs' text."""

import zipfile

import pytest
from pypdf import PdfReader

from appraisal.models import UnitResult
from criteria.models import Year
from reports.data import year_report
from units.models import Unit

from .conftest import pdf_text, results_units, vn

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points, ±1
CLASS_LABELS = dict(UnitResult.Classification.choices)


def test_one_annex_per_unit_named_by_its_code_and_the_summary_and_report(rendered):
    names = {path.name for path in rendered["out"].iterdir()}
    codes = set(results_units(rendered["results"]))
    assert len(codes) == 30
    assert {f"{code}.pdf" for code in codes} <= names
    assert {"summary.xlsx", "report.pdf", "report.docx", "chi-so-cchc-2022.zip"} <= names
    assert len(names) == 34


def test_the_zip_holds_every_document(rendered):
    with zipfile.ZipFile(rendered["out"] / "chi-so-cchc-2022.zip") as archive:
        members = set(archive.namelist())
    expected = {p.name for p in rendered["out"].iterdir()} - {"chi-so-cchc-2022.zip"}
    assert members == expected


def test_annexes_print_every_figure_of_the_results_document(rendered):
    units = results_units(rendered["results"])
    sizes = {b["code"]: len(b["units"]) for b in rendered["results"]["blocks"]}
    for code, unit in units.items():
        # the facts open the annex, the area table closes it: read those pages only
        text = pdf_text(rendered["out"] / f"{code}.pdf", pages=[0, -2, -1])
        block = code[0]
        assert f"Biểu số {code}" in text
        assert unit["name"] in text
        assert f"{vn(unit['total'])} / {vn(unit['max'])}" in text, code
        assert f"Chỉ số CCHC {vn(unit['index'])}%" in text, code
        assert f"{unit['rank']}/{sizes[block]}" in text, code
        assert CLASS_LABELS[unit["classification"]] in text, code
        head = Unit.objects.get(code=code).participations.get(year__year=2022).head_title
        assert f"Xếp loại người đứng đầu ({head})" in text
        for area in unit["areas"]:
            # the area table: code, name, max, score, index on one row
            row = f"{vn(area['max'])} {vn(area['score'])} {vn(area['index'])}"
            assert row in text, (code, area["code"])
        if unit["self_review"]:
            assert "Thuộc diện phải kiểm điểm Có: lĩnh vực" in text
        else:
            assert "Thuộc diện phải kiểm điểm Không" in text


def test_annex_prints_the_whole_tree_with_self_and_appraised_scores(rendered):
    report = year_report(Year.objects.get(year=2022), unit_codes={"A18"})
    _block, unit = report.unit("A18")
    text = pdf_text(rendered["out"] / "A18.pdf")
    assert len(unit.rows) == 100
    for row in unit.rows:
        assert f"{row.code} " in text
        if row.is_leaf and not row.not_applicable and row.appraised is not None:
            assert vn(f"{row.appraised:.3f}") in text, row.code


def test_pdfs_are_a4_with_the_shipped_vietnamese_font_embedded(rendered):
    for name in ("A1.pdf", "B12.pdf", "report.pdf"):
        reader = PdfReader(rendered["out"] / name)
        first = reader.pages[0]
        width, height = float(first.mediabox.width), float(first.mediabox.height)
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
        fonts = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()
                fonts.add(str(descriptor["/BaseFont"]).split("+")[-1])
                assert "/FontFile2" in descriptor["/FontDescriptor"].get_object()
        assert fonts <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"}


def test_vietnamese_diacritics_come_back_exactly(rendered):
    text = pdf_text(rendered["out"] / "B11.pdf")
    assert "UBND huyện Tứ Kỳ" in text
    assert "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số" in text
    header = pdf_text(rendered["out"] / "report.pdf")[:400]
    assert "ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG" in header.upper()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "Hải Dương, ngày 01 tháng 3 năm 2023" in header
    assert "/BC-UBND" in header
