"""The report's generated sections say exactly what the results say (DOMAIN §5–§7)."""

import re

import pytest
from docx import Document

from criteria.models import Participation

from .conftest import pdf_text, results_units

pytestmark = pytest.mark.django_db

BAND_LABELS = {
    90: "từ 90% trở lên",
    80: "từ 80% đến dưới 90%",
    70: "từ 70% đến dưới 80%",
    0: "dưới 70%",
}
CLASS_GROUPS = {
    "xuat_sac": "Nhóm hoàn thành xuất sắc nhiệm vụ",
    "tot": "Nhóm hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Nhóm hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Nhóm không hoàn thành nhiệm vụ",
}


@pytest.fixture(scope="module")
def text(rendered):
    return pdf_text(rendered["out"] / "report.pdf")


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def by_block(part: str, heading: str) -> list[str]:
    """The part's sub-sections `1. <heading>…`, `2. <heading>…`, in order."""
    return re.split(rf"\d\. {heading}", part)[1:]


def test_section_iii_lists_each_non_empty_band_with_its_units_once(rendered, text):
    part = section(text, "III. KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CCHC", "IV. ĐÁNH GIÁ TRÁCH NHIỆM")
    blocks = by_block(part, "Chỉ số CCHC của ")
    assert len(blocks) == len(rendered["results"]["blocks"])
    for block, printed in zip(rendered["results"]["blocks"], blocks, strict=True):
        expected = []
        for band in (90, 80, 70, 0):
            units = [u["name"] for u in block["units"] if u["band"] == band]
            if units:  # empty bands are not printed
                expected.append((BAND_LABELS[band], len(units), units))
        found = [
            (label, int(count), names.split("; "))
            for label, count, names in re.findall(
                r"- Nhóm đạt Chỉ số tổng hợp (.+?) so với điểm tối đa: Có (\d+) đơn vị "
                r"\(gồm: (.+?)\)\.",
                printed,
            )
        ]
        assert found == expected
        listed = [name for _label, _count, names in found for name in names]
        assert len(listed) == len(set(listed)) == len(block["units"])
        assert f"thành {len(expected):02d} nhóm điểm" in printed


def test_section_iii_reproduces_the_2022_record(text):
    part = section(text, "III. KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CCHC", "IV. ĐÁNH GIÁ TRÁCH NHIỆM")
    assert (
        "từ 90% trở lên so với điểm tối đa: Có 03 đơn vị (gồm: Sở Giao thông vận tải; "
        "Sở Nội vụ; Sở Khoa học và Công nghệ)" in part
    )
    assert "từ 70% đến dưới 80% so với điểm tối đa: Có 01 đơn vị (gồm: Sở Y tế)" in part
    assert "Có 01 đơn vị (gồm: UBND huyện Thanh Hà)" in part
    assert part.count("UBND huyện Kim Thành") == 1  # the 2022 report named it twice


def test_section_iv_lists_every_class_with_the_heads_titles(rendered, text):
    part = section(text, "IV. ĐÁNH GIÁ TRÁCH NHIỆM", "V. NHẬN XÉT CHUNG")
    titles = dict(
        Participation.objects.filter(year__year=2022).values_list("unit__code", "head_title")
    )
    blocks = by_block(part, "Đối với người đứng đầu ")
    for block, printed in zip(rendered["results"]["blocks"], blocks, strict=True):
        for key, group in CLASS_GROUPS.items():
            heads = [titles[u["code"]] for u in block["units"] if u["classification"] == key]
            if heads:
                assert f"- {group}: Có {len(heads):02d} đơn vị ({'; '.join(heads)})." in printed
            else:
                assert f"- {group}: Không có." in printed
    assert "Giám đốc Sở Y tế" in part


def test_self_review_paragraph_names_exactly_the_flagged_units_and_areas(rendered, text):
    part = section(text, "2.2. Các cơ quan, đơn vị thuộc diện phải kiểm điểm", "2.3. Chênh lệch")
    area_names = {
        "3": "Cải cách thủ tục hành chính",
        "7": "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    }
    flagged = 0
    for unit in results_units(rendered["results"]).values():
        mention = f"{unit['name']} (lĩnh vực"
        if unit["self_review"]:
            flagged += 1
            areas = ", ".join(area_names[code] for code in unit["self_review"])
            assert f"{unit['name']} (lĩnh vực {areas})" in part
        else:
            assert mention not in part
    assert f"có {flagged:02d} cơ quan, đơn vị thuộc diện phải kiểm điểm" in part


def test_rank_change_paragraphs_name_moves_of_two_places_or_more(rendered, text):
    rises = section(text, "1. Ưu điểm", "2. Tồn tại, hạn chế")
    drops = section(text, "2.5. Về thứ hạng", "Nơi nhận")
    for unit in results_units(rendered["results"]).values():
        change = unit["rank_change"]
        if change is not None and change >= 2:
            assert f"{unit['name']} (tăng {change} bậc)" in rises
        elif change is not None and change <= -2:
            assert f"{unit['name']} (giảm {-change} bậc)" in drops
        else:
            assert f"{unit['name']} (tăng" not in rises
            assert f"{unit['name']} (giảm" not in drops
    # DOMAIN §6, 2022
    assert "Sở Giáo dục và Đào tạo (tăng 7 bậc)" in rises
    assert "UBND huyện Kim Thành (tăng 8 bậc)" in rises
    assert "UBND thành phố Hải Dương (giảm 7 bậc)" in drops


def test_section_v_names_where_points_were_lost_and_the_self_appraisal_gap(text):
    part = section(text, "2.1. Những nội dung bị mất nhiều điểm", "2.2. Các cơ quan")
    assert "lĩnh vực có chỉ số bình quân thấp nhất là" in part
    assert "Chỉ số bình quân theo lĩnh vực – Sở, ban, ngành tỉnh" in part
    gaps = section(text, "2.3. Chênh lệch giữa điểm tự chấm và điểm thẩm định", "2.4. Về xếp loại")
    assert re.search(r"tổng điểm thẩm định bằng \d+,\d\d% tổng điểm tự chấm", gaps)


def test_the_report_docx_says_the_same_as_the_pdf(rendered, text):
    document = Document(rendered["out"] / "report.docx")
    docx_text = re.sub(r"\s+", " ", " ".join(p.text for p in document.paragraphs))
    for paragraph in re.findall(r"- Nhóm đạt Chỉ số tổng hợp .+?\)\.", text):
        assert paragraph in docx_text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
