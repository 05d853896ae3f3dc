"""The two-tier province on the pages and in the documents (DOMAIN §8, issue 14).

A 2035 year of Hải Phòng with three blocks (sở; phường; xã with an đặc khu), named bands,
changes against named predecessors and SIPAS figures, and a 2032 year of Hải Dương computed
before any of that, whose pages and documents must stay as they were. The stored fields
the compute job fills (another part's work) are written here with the ORM.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from appraisal.services.compute import results_compute
from criteria.models import BlockRules, Criterion, Participation, Year
from evidence.models import Score
from reports.data import year_report
from reports.report import report_document
from reports.spreadsheet import summary_xlsx
from tests.personas import person
from units.models import Block, Membership, Unit, UnitKind

pytestmark = pytest.mark.django_db

D = Decimal

BLOCKS_2035 = [
    ("HS", "Sở, ban, ngành thành phố", UnitKind.SO),
    ("HP", "Phường", UnitKind.PHUONG),
    ("HX", "Xã, đặc khu", UnitKind.XA),
]
# code, name, block, kind (blank: the block's), appraised points of 1.1, 1.2, 2.1
UNITS_2035 = [
    ("HS1", "Sở Tài chính", "HS", "", ("3", "3", "3.5")),
    ("HS2", "Sở Xây dựng", "HS", "", ("3", "2", "3")),
    ("HS3", "Thanh tra thành phố", "HS", "", ("2", "2", "2")),
    ("HP1", "phường Hồng Bàng", "HP", "", ("3", "3", "4")),
    ("HP2", "phường Hải An", "HP", "", ("3", "2.5", "3")),
    ("HX1", "đặc khu Cát Hải", "HX", UnitKind.DAC_KHU, ("3", "3", "3.5")),
    ("HX2", "xã Quyết Thắng", "HX", "", ("2", "3", "3")),
]
TREE = [
    ("1", None, "6", "", "Công tác chỉ đạo, điều hành CCHC"),
    ("1.1", "1", "3", "evidence", "Kế hoạch CCHC năm"),
    ("1.2", "1", "3", "evidence", "Kiểm tra công tác CCHC"),
    ("2", None, "4", "", "Cải cách thủ tục hành chính"),
    ("2.1", "2", "4", "evidence", "Giải quyết thủ tục hành chính đúng hạn"),
]


def build_year(
    number: int,
    *,
    province: str,
    blocks: list[tuple],
    units: list[tuple],
    bands: str = "90;80;70",
    band_names: str = "",
) -> Year:
    """A year built with the ORM, appraised, then computed by the real compute job."""
    year = Year.objects.create(year=number, name=f"Chỉ số CCHC năm {number}", province=province)
    block_objs = {}
    criteria: dict[tuple[str, str], Criterion] = {}
    for code, name, kind in blocks:
        block, _ = Block.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        block_objs[code] = block
        BlockRules.objects.create(year=year, block=block, bands=bands, band_names=band_names)
        for node, parent, points, method, title in TREE:
            criteria[(code, node)] = Criterion.objects.create(
                year=year,
                block=block,
                code=node,
                parent=criteria.get((code, parent)) if parent else None,
                name=title,
                max_points=D(points),
                method=method,
                is_leaf=bool(method),
            )
    for code, name, block_code, kind, points in units:
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "block": block_objs[block_code]}
        )
        participation = Participation.objects.create(
            year=year, unit=unit, block=block_objs[block_code], name=name, kind=kind
        )
        for leaf, value in zip(("1.1", "1.2", "2.1"), points, strict=True):
            Score.objects.create(
                participation=participation,
                criterion=criteria[(block_code, leaf)],
                self_score=D(value),
                appraised_score=D(value),
            )
    results_compute(year=year)
    Year.objects.filter(pk=year.pk).update(status=Year.Status.PUBLISHED)
    year.refresh_from_db()
    return year


def lineage_and_sipas(year: Year) -> None:
    """What the compute job of DOMAIN §8 stores, written here: band names, changes with
    their predecessors, SIPAS per unit, block and province."""
    computation = Computation.objects.get(year=year)
    results = {
        r.participation.unit.code: r
        for r in UnitResult.objects.filter(computation=computation).select_related(
            "participation__unit"
        )
    }
    merged = [
        {"year": 2024, "code": "S1", "name": "Sở Tài chính"},
        {"year": 2024, "code": "S9", "name": "Sở Kế hoạch và Đầu tư"},
    ]
    changes = {
        "HS1": (D("1.2049"), merged, {"1": D("2.5"), "2": D("-0.004")}),
        "HS2": (D("-0.35"), [{"year": 2024, "code": "S2", "name": "Sở Xây dựng"}], {"1": D("0")}),
        "HP1": (D("0.001"), [{"year": 2024, "code": "P7", "name": "phường Minh Khai"}], {}),
    }
    sipas = {  # index, rank, counted, low, high
        "HS1": ("96.864", 1, 40, "95.1", "98.31"),
        "HS2": ("93.955", 2, 35, "91.2", "96.7"),
        "HS3": ("90.5", 3, 30, "87.0", "94.0"),
        "HP1": ("98.30", 1, 50, "97.1", "99.5"),
        "HP2": ("92.26", 2, 45, "90.0", "94.5"),
        "HX1": ("97.98", 1, 41, "96.0", "99.96"),
        "HX2": ("91.87", 2, 39, "89.5", "94.2"),
    }
    for code, result in results.items():
        if code in changes:
            result.index_change, result.predecessors, areas = changes[code]
            for area in AreaResult.objects.filter(unit_result=result).select_related("criterion"):
                area.change = areas.get(area.criterion.code)
                area.save(update_fields=["change"])
        else:
            result.index_change, result.predecessors = None, []
        index, rank, counted, low, high = sipas[code]
        result.sipas_index, result.sipas_rank, result.sipas_counted = D(index), rank, counted
        result.sipas_low, result.sipas_high = D(low), D(high)
        result.save()
    for code, figures in {
        "HS": ("93.95", 105, "92.1", "95.8"),
        "HP": ("92.26", 95, "90.9", "93.6"),
        "HX": ("91.87", 80, "90.0", "93.7"),
        None: ("92.67", 280, "91.8", "93.5"),
    }.items():
        index, counted, low, high = figures
        BlockResult.objects.update_or_create(
            computation=computation,
            block=Block.objects.get(code=code) if code else None,
            defaults={
                "sipas_index": D(index),
                "sipas_counted": counted,
                "sipas_low": D(low),
                "sipas_high": D(high),
            },
        )


def names_bands(year: Year) -> None:
    """Band names as the compute job stores them, by band position (93 → Xuất sắc)."""
    names = {D("93"): "Xuất sắc", D("80"): "Tốt", D("72.5"): "Khá"}
    for result in UnitResult.objects.filter(computation__year=year):
        result.band_name = names.get(result.band, "")
        result.save(update_fields=["band_name"])


@pytest.fixture
def year_2035(db) -> Year:
    year = build_year(
        2035,
        province="Hải Phòng",
        blocks=BLOCKS_2035,
        units=UNITS_2035,
        bands="93;80;72,5",
        band_names="Xuất sắc;Tốt;Khá",
    )
    names_bands(year)
    lineage_and_sipas(year)
    return year


@pytest.fixture
def year_2032(db) -> Year:
    """An old year: two blocks, no lineage, no SIPAS, no band names, no province named."""
    return build_year(
        2032,
        province="",
        blocks=[("HA", "Sở, ban, ngành tỉnh", ""), ("HB", "UBND cấp huyện", "")],
        units=[
            ("HA1", "Sở Giao thông vận tải", "HA", "", ("3", "3", "4")),
            ("HA18", "Sở Y tế", "HA", "", ("2", "2", "2")),
            ("HB1", "UBND huyện Nam Sách", "HB", "", ("3", "3", "3")),
            ("HB2", "UBND huyện Kim Thành", "HB", "", ("3", "2", "3")),
        ],
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the public ranking ---------------------------------------------------------------


def test_public_ranking_shows_every_block_its_band_names_and_named_changes(client, year_2035):
    page = text_of(client.get("/ket-qua/2035/").content.decode())

    for heading in ("Khối HS: Sở, ban, ngành thành phố", "Khối HP: Phường", "Khối HX: Xã, đặc khu"):
        assert heading in page
    assert "Thành phố Hải Phòng" in page
    assert "Xuất sắc" in page and "Tốt" in page
    # DOMAIN §8: the change against the predecessors, named, in Vietnamese numbers.
    assert "+1,20 điểm (hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư (năm 2024))" in page
    assert "−0,35 điểm (so với Sở Xây dựng năm 2024)" in page
    assert "+0,00 điểm" not in page and "0,00 điểm (so với phường Minh Khai năm 2024)" in page
    assert page.count("Đơn vị mới") == 4  # S3, P2, X1, X2
    assert "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm 2035" in page


def test_public_ranking_charts_name_their_block_and_bands(client, year_2035):
    page = client.get("/ket-qua/2035/").content.decode()

    assert "Chỉ số CCHC năm 2035 – khối HX: Xã, đặc khu" in page
    assert "Nhóm Xuất sắc (≥ 93 %)" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3


def test_unit_page_names_its_predecessors_its_area_changes_and_sipas(client, year_2035):
    page = text_of(client.get("/ket-qua/2035/HS1/").content.decode())

    assert (
        "Sở Tài chính, hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư (năm 2024): "
        "+1,20 điểm" in page
    )
    assert "+2,50" in page and "0,00" in page and "−0,00" not in page
    assert "96,86 %" in page and "95,10 – 98,31" in page
    assert "Giám đốc Sở Tài chính" in page  # no title given: the one of a sở


def test_unit_page_of_a_new_unit_and_its_kinds_head(client, year_2035):
    special_zone = text_of(client.get("/ket-qua/2035/HX1/").content.decode())
    commune = text_of(client.get("/ket-qua/2035/HX2/").content.decode())

    assert "Đơn vị mới" in special_zone
    assert "Chủ tịch UBND đặc khu Cát Hải" in special_zone  # its own kind, not its block's
    assert "Chủ tịch UBND xã Quyết Thắng" in commune


def test_a_written_head_title_wins_over_the_kinds(client, year_2035):
    Participation.objects.filter(year=year_2035, unit__code="HX2").update(
        head_title="Bí thư kiêm Chủ tịch UBND xã Quyết Thắng"
    )
    page = text_of(client.get("/ket-qua/2035/HX2/").content.decode())
    assert "Bí thư kiêm Chủ tịch UBND xã Quyết Thắng" in page


# --- the SIPAS ranking ----------------------------------------------------------------


def test_sipas_page_ranks_each_block_with_pooled_figures_and_intervals(client, year_2035):
    response = client.get("/ket-qua/2035/hai-long/")
    page = text_of(response.content.decode())

    assert response.status_code == 200
    assert "Toàn thành phố Hải Phòng 92,67 %" in page
    assert "khoảng tin cậy 95 %: 91,80 – 93,50; 280 câu trả lời" in page
    for block in ("Khối HS: Sở, ban, ngành thành phố 93,95 %", "Khối HP: Phường 92,26 %"):
        assert block in page
    assert "1 Sở Tài chính 96,86 95,10 – 98,31 40" in page
    assert page.index("phường Hồng Bàng") < page.index("phường Hải An")
    assert page.index("đặc khu Cát Hải 97,98") < page.index("xã Quyết Thắng 91,87")


def test_sipas_chart_is_svg_with_a_text_alternative(client, year_2035):
    page = client.get("/ket-qua/2035/hai-long/").content.decode()

    charts = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(charts) == 3
    first = charts[0]
    assert (
        'role="img"' in first
        and "<title>Chỉ số hài lòng năm 2035 – khối HP: Phường</title>" in first
    )
    assert "<desc>" in first and "khoảng tin cậy 95 %" in first
    assert "Cả khối" in first and "98,30" in first
    assert "<script" not in first and "href" not in first


def test_sipas_page_follows_the_ranking_access_rules(client, year_2035):
    Year.objects.filter(pk=year_2035.pk).update(status=Year.Status.REVIEW)
    assert client.get("/ket-qua/2035/hai-long/").status_code == 404
    client.force_login(person("canbo.h3", role=Membership.Role.UNIT_OFFICER, unit=None))
    assert client.get("/ket-qua/2035/hai-long/").status_code == 404
    client.force_login(person("noivu.h3", role=Membership.Role.HOME_AFFAIRS, unit=None))
    page = client.get("/ket-qua/2035/hai-long/").content.decode()
    assert "Kết quả chưa công bố" in page and "96,86" in page


def test_sipas_page_of_a_year_without_sipas_is_not_found(client, year_2032):
    assert client.get("/ket-qua/2032/hai-long/").status_code == 404
    assert client.get("/ket-qua/2099/hai-long/").status_code == 404


# --- the council ----------------------------------------------------------------------


def test_council_page_shows_band_names_changes_and_area_changes(client, year_2035):
    client.force_login(person("hoidong.h3", role=Membership.Role.COUNCIL, unit=None))
    page = text_of(client.get("/tham-dinh/hoi-dong/2035/").content.decode())

    assert "Khối HX: Xã, đặc khu" in page
    assert "+1,20 (hợp nhất từ Sở Tài chính; Sở Kế hoạch và Đầu tư)" in page
    assert "−0,35 (so với Sở Xây dựng)" in page
    assert "Đơn vị mới" in page
    assert "+2,50" in page
    assert "Xuất sắc" in page


# --- the documents --------------------------------------------------------------------


def test_report_names_the_years_province_bands_by_position_and_sipas(year_2035):
    report = year_report(year_2035)
    doc = report_document(report, province="Hải Dương")  # the installation's: not used
    text = " ".join(getattr(e, "text", "") for e in doc.body)

    assert doc.place_date.startswith("Hải Phòng, ngày")
    assert "Ban Thường vụ Thành ủy;" in doc.recipients
    assert "UBND các phường;" in doc.recipients and "UBND các xã, đặc khu;" in doc.recipients
    assert "Các sở, ban, ngành thành phố;" in doc.recipients
    # a band named, its units found by position (72,5 is not 72)
    assert "Nhóm “Xuất sắc” (Chỉ số tổng hợp từ 93% trở lên so với điểm tối đa)" in text
    assert "3. Chỉ số CCHC của các xã, đặc khu" in [h.text for h in doc.body if hasattr(h, "level")]
    assert "Chỉ số hài lòng chung của thành phố Hải Phòng đạt 92,67%" in text
    assert "(khoảng tin cậy 95 %: 91,80 – 93,50%; 280 câu trả lời được tính)" in text
    assert (
        "- Phường: Chỉ số hài lòng của khối đạt 92,26%; cao nhất: phường Hồng Bàng (98,30%)" in text
    )
    headings = [h.text for h in doc.body if hasattr(h, "level")]
    assert "4. Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)" in headings


def test_report_tables_show_changes_named_and_sipas(year_2035):
    report = year_report(year_2035)
    doc = report_document(report, province="")
    parts = dict(doc.appendix)
    assert list(parts) == [
        "Phụ lục 1. PHƯỜNG",
        "Phụ lục 2. SỞ, BAN, NGÀNH THÀNH PHỐ",
        "Phụ lục 3. XÃ, ĐẶC KHU",
    ]
    tables = parts["Phụ lục 2. SỞ, BAN, NGÀNH THÀNH PHỐ"]
    captions = [t.caption for t in tables]

    assert (
        "Thay đổi Chỉ số CCHC năm 2035 so với đơn vị tiền thân – Sở, ban, ngành thành phố"
        in captions
    )
    assert (
        "Chỉ số hài lòng về sự phục vụ hành chính năm 2035 – Sở, ban, ngành thành phố" in captions
    )
    lineage = next(t for t in tables if t.caption.startswith("Thay đổi"))
    rows = {row[1].text: [c.text for c in row] for row in lineage.rows}
    assert rows["Sở Tài chính"][2] == ("Sở Tài chính (2024: S1); Sở Kế hoạch và Đầu tư (2024: S9)")
    assert rows["Sở Tài chính"][3:] == ["+1,20", "+2,50", "0,00"]
    assert rows["Thanh tra thành phố"][2:4] == ["Đơn vị mới", "–"]
    summary = tables[0]
    assert any(c.text == "Thay đổi chỉ số (điểm %)" for c in summary.header[0])
    assert {row[-2].text for row in summary.rows} <= {"Xuất sắc", "Tốt", "Khá", "< 72,5%"}


def test_report_html_carries_the_two_tier_text(year_2035):
    from django.template.loader import render_to_string

    report = year_report(year_2035)
    doc = report_document(report, province="")
    html = render_to_string(
        "reports/print/report.html",
        {"doc": doc, "province": "Hải Phòng", "province_title": "thành phố Hải Phòng"},
    )
    page = text_of(html)
    assert "Ủy ban nhân dân thành phố Hải Phòng" in page
    assert "Chỉ số hài lòng chung của thành phố Hải Phòng đạt 92,67%" in page
    assert "Sở Tài chính (2024: S1); Sở Kế hoạch và Đầu tư (2024: S9)" in page


def test_annex_context_names_the_city_the_band_and_the_change(year_2035, monkeypatch):
    captured = {}

    def fake_render(template, context):
        captured.update(context, template=template)
        return b"%PDF"

    monkeypatch.setattr("reports.documents.render_pdf", fake_render)
    from reports.documents import annex_pdf as annex

    annex(year_report(year_2035, unit_codes={"HS1"}), "HS1")
    from django.template.loader import render_to_string

    page = text_of(render_to_string(captured["template"], captured))
    assert "UBND THÀNH PHỐ HẢI PHÒNG" in page
    assert "của UBND thành phố Hải Phòng" in page
    assert (
        "Sở Tài chính, hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư (năm 2024): +1,20 điểm"
        in page
    )
    assert "Nhóm đạt chỉ số Xuất sắc (từ 93% trở lên)" in page
    assert "Chỉ số hài lòng (SIPAS) 96,86% (hạng 1" in page
    assert "Giám đốc Sở Tài chính" in page


def test_summary_xlsx_has_the_changes_and_a_sipas_sheet(year_2035):
    _name, _type, content = summary_xlsx(year_report(year_2035))
    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == [
        "Khối HP",
        "Khối HS",
        "Khối HX",
        "Phân tích HP",
        "Phân tích HS",
        "Phân tích HX",
        "Chỉ số hài lòng",
    ]
    sheet = workbook["Khối HS"]
    header = [sheet.cell(4, c).value for c in range(1, sheet.max_column + 1)]
    change_col = header.index("Thay đổi chỉ số (điểm %)") + 1
    rows = {sheet.cell(r, 3).value: r for r in range(6, sheet.max_row + 1)}
    first = rows["Sở Tài chính"]
    assert sheet.cell(first, change_col).value == 1.2  # a number, rounded half up
    assert sheet.cell(first, change_col).number_format == "+0.00;-0.00;0.00"
    assert sheet.cell(first, change_col + 1).value == (
        "Sở Tài chính (2024: S1); Sở Kế hoạch và Đầu tư (2024: S9)"
    )
    assert [sheet.cell(first, change_col + 2 + i).value for i in range(2)] == [2.5, 0]
    assert sheet.cell(rows["Thanh tra thành phố"], change_col).value == "Đơn vị mới"
    band_col = header.index("Nhóm") + 1
    assert sheet.cell(first, band_col).value in {"Xuất sắc", "Tốt", "Khá"}

    sipas = workbook["Chỉ số hài lòng"]
    cells = [[c.value for c in row] for row in sipas.iter_rows()]
    flat = [row for row in cells if any(v is not None for v in row)]
    assert ["Toàn thành phố Hải Phòng", 92.67, 91.8, 93.5, 280, None] in flat
    assert [1, "Sở Tài chính", 96.86, 95.1, 98.31, 40] in flat
    assert [1, "đặc khu Cát Hải", 97.98, 96.0, 99.96, 41] in flat


# --- old years unchanged --------------------------------------------------------------


def test_an_old_year_shows_nothing_of_the_two_tier_province(client, year_2032, settings):
    settings.PARINDEX_PROVINCE = "Hải Dương"
    ranking = text_of(client.get("/ket-qua/2032/").content.decode())
    unit = text_of(client.get("/ket-qua/2032/HA1/").content.decode())

    for page in (ranking, unit):
        assert "Đơn vị mới" not in page
        assert "hài lòng" not in page
        assert "Thay đổi chỉ số" not in page
    assert "Tỉnh Hải Dương" in ranking  # no province on the year: the installation's
    assert "≥ 90 %" in ranking or "dưới ngưỡng thấp nhất" in ranking


def test_an_old_years_documents_are_as_before(year_2032, settings):
    settings.PARINDEX_PROVINCE = "Hải Dương"
    report = year_report(year_2032)
    doc = report_document(report, province="Hải Dương")
    _name, _type, content = summary_xlsx(report)
    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["Khối HA", "Khối HB", "Phân tích HA", "Phân tích HB"]
    assert workbook["Khối HA"].max_column == 3 + 2 * 2 + 7
    assert "Ban Thường vụ Tỉnh ủy;" in doc.recipients
    assert "UBND các huyện, thị xã, thành phố;" in doc.recipients
    headings = [e.text for e in doc.body if hasattr(e, "level")]
    assert not any("hài lòng" in h for h in headings)
    for _heading, tables in doc.appendix:
        assert [t.caption.split(" năm")[0] for t in tables] == [
            "Kết quả Chỉ số CCHC",
            "Điểm tự chấm và điểm thẩm định của từng đơn vị – Sở, ban, ngành tỉnh"
            if "Sở" in tables[0].caption
            else "Điểm tự chấm và điểm thẩm định của từng đơn vị – UBND cấp huyện",
        ]


# --- a constant number of queries -----------------------------------------------------


def many_units(n: int) -> list[tuple]:
    """`n` units spread over the three blocks, with varied points."""
    blocks = ["HS", "HP", "HX"]
    return [
        (
            f"{blocks[i % 3]}{100 + i}",
            f"Đơn vị {i}",
            blocks[i % 3],
            UnitKind.DAC_KHU if i % 7 == 0 and blocks[i % 3] == "HX" else "",
            (str(1 + i % 3), str(i % 4), str(i % 5)),
        )
        for i in range(n)
    ]


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/ket-qua/{y}/", "/ket-qua/{y}/hai-long/", "/tham-dinh/hoi-dong/{y}/"],
)
def test_pages_do_a_constant_number_of_queries_for_10_or_40_units(
    client, db, url, django_assert_max_num_queries
):
    client.force_login(person("hoidong.h3", role=Membership.Role.COUNCIL, unit=None))
    counts = []
    for number, n in ((2035, 10), (2036, 40)):
        year = build_year(number, province="Hải Phòng", blocks=BLOCKS_2035, units=many_units(n))
        computation = Computation.objects.get(year=year)
        UnitResult.objects.filter(computation=computation).update(
            sipas_index=D("95"),
            sipas_rank=1,
            sipas_counted=3,
            sipas_low=D("90"),
            sipas_high=D("99"),
            index_change=D("1"),
            predecessors=[{"year": 2024, "code": "X", "name": "Y"}],
        )
        counts.append(url.format(y=number))
    small = queries_of(client, counts[0])
    with django_assert_max_num_queries(small):
        assert client.get(counts[1]).status_code == 200


def test_report_docx_has_the_citys_masthead_and_the_two_tier_tables(year_2035):
    from docx import Document

    from reports.word import report_docx

    # reports/services passes the installation's province: the year's own wins.
    _name, _type, content = report_docx(year_report(year_2035), province="Hải Dương")
    document = Document(io.BytesIO(content))
    masthead = " ".join(c.text for c in document.tables[0].rows[0].cells)
    texts = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables[1:] for row in t.rows for c in row.cells)

    assert "THÀNH PHỐ HẢI PHÒNG" in masthead and "Hải Phòng, ngày" in masthead
    assert document.core_properties.author == "UBND thành phố Hải Phòng"
    assert "Chỉ số hài lòng chung của thành phố Hải Phòng đạt 92,67%" in texts
    assert "Sở Tài chính (2024: S1); Sở Kế hoạch và Đầu tư (2024: S9)" in cells
    assert "Toàn thành phố Hải Phòng" in cells


def test_report_pdf_context_names_the_years_city(year_2035, monkeypatch):
    from django.template.loader import render_to_string

    from reports import documents

    captured = {}

    def fake_render(template, context):
        captured.update(context, template=template)
        return b"%PDF"

    monkeypatch.setattr("reports.documents.render_pdf", fake_render)
    documents.report_pdf(year_report(year_2035))
    page = text_of(render_to_string(captured["template"], captured))

    assert captured["province"] == "Hải Phòng"
    assert "Ủy ban nhân dân thành phố Hải Phòng" in page
    assert "Hải Phòng, ngày" in page
    assert documents.province_of(year_2035) == "Hải Phòng"


def test_a_year_without_its_province_falls_back_to_the_setting(year_2032, settings):
    from reports import documents

    settings.PARINDEX_PROVINCE = "Hải Dương"
    assert documents.province_of(year_2032) == "Hải Dương"
    doc = report_document(year_report(year_2032), province="")
    assert doc.place_date.startswith("Hải Dương, ngày")


# --- the phrases and charts, directly -------------------------------------------------


def test_changes_are_rounded_half_up_and_never_negative_zero():
    from reports import formatting as fmt

    assert fmt.change(D("1.205")) == "+1,21"
    assert fmt.change(D("-0.004")) == "0,00"
    assert fmt.change(D("-0.35")) == "−0,35"
    assert fmt.change(None) == ""
    assert fmt.lineage_text("X", [], None) == "Đơn vị mới"
    assert (
        fmt.predecessors_phrase(
            [
                {"year": 2024, "code": "A", "name": "Sở A"},
                {"year": 2024, "code": "B", "name": "Sở B"},
                {"year": 2024, "code": "C", "name": "Sở C"},
            ]
        )
        == "hợp nhất từ Sở A, Sở B và Sở C (năm 2024)"
    )


def test_province_level_names_the_cities_run_by_the_centre():
    from reports import formatting as fmt

    assert fmt.province_title("Hải Phòng") == "thành phố Hải Phòng"
    assert fmt.province_title("Hải Dương") == "tỉnh Hải Dương"


def test_ranking_chart_legend_names_bands_and_wraps_without_float_geometry():
    from reports.public_charts import ranking_bars, sipas_bars

    rows = [
        ("A", D("95"), D("93"), "Xuất sắc trong toàn thành phố"),
        ("B", D("85"), D("80"), "Tốt trong toàn thành phố"),
        ("C", D("75"), D("72.5"), "Khá trong toàn thành phố"),
        ("D", D("60"), D("0"), ""),
    ]
    svg = ranking_bars(rows, title="Chỉ số")
    legend = re.findall(r'<text x="\d+(?:\.\d)?" y="(\d+)" font-size="0.75rem">Nhóm ', svg)

    assert "Nhóm Khá trong toàn thành phố (≥ 72,5 %)" in svg
    assert len(set(legend)) == 2  # four items on two lines
    assert not re.search(r"\d[eE][+-]?\d", svg)  # no exponent from a float or Decimal
    assert sipas_bars([], title="Không có") == ""


def test_counts_carry_the_vietnamese_thousands_dot(client, year_2035):
    BlockResult.objects.filter(computation__year=year_2035, block=None).update(sipas_counted=23105)
    page = text_of(client.get("/ket-qua/2035/hai-long/").content.decode())
    assert "23.105 câu trả lời" in page
    doc = report_document(year_report(year_2035))
    text = " ".join(getattr(e, "text", "") for e in doc.body)
    assert "23.105 câu trả lời được tính" in text


def test_chart_text_is_sized_in_relative_units_so_it_grows_with_the_readers_font(client, year_2035):
    """Issue 16, Build 5: chart text in rem, never a fixed pixel size."""
    for url in ("/ket-qua/2035/", "/ket-qua/2035/hai-long/"):
        page = client.get(url).content.decode()
        sizes = re.findall(r'<text[^>]* font-size="([^"]+)"', page)
        assert sizes and all(size.endswith("rem") for size in sizes), (url, set(sizes))
