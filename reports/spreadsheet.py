"""summary.xlsx: one sheet per block, the figures as numbers for the staff who keep working
in Excel (values rounded as published: scores 3 decimals, indices 2, ROUND_HALF_UP)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from appraisal.scoring import display
from kernel.sheets import sheet_cell

from . import formatting as fmt
from .analysis import BlockAnalysis, block_analysis, criterion_stats
from .data import BlockReport, UnitReport, YearReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POINTS_FORMAT = "0.000"
PERCENT_FORMAT = "0.00"
CHANGE_FORMAT = "+0;-0;0"
CHANGE_POINTS_FORMAT = "+0.00;-0.00;0.00"
HEADER_ROW = 4  # two header rows: 4 and 5; data from row 6
FIRST_DATA_ROW = HEADER_ROW + 2
FIRST_AREA_COLUMN = 4  # after rank, code and name

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FONT = "Times New Roman"


def number(value: Decimal | None, places: int) -> Decimal | None:
    """The published figure, as a number: Decimal rounded half up, never a float."""
    text = display(value, places)
    return None if text is None else Decimal(text)


def block_sheet(sheet: Worksheet, block: BlockReport, year: int, previous: int | None) -> None:
    """The block's results: a title, two header rows, one row per unit, set up for A4."""
    # Columns: rank, code, name | area scores | area indices | total, max, index, change,
    # band, class, self-review.
    after = FIRST_AREA_COLUMN + 2 * len(block.areas)
    last = after + 6
    # DOMAIN §8, only for a year that compares with predecessors: after the self-review
    # column, the index change, the units compared with, then each area's change.
    if block.has_lineage:
        last += 2 + len(block.areas)
    sheet.title = f"Khối {block.code}"[:31]
    block_title(sheet, block, year, last)
    block_header(sheet, block, previous, after, last)
    if block.has_lineage:
        lineage_header(sheet, block, after + 7, last)
    for position, unit in enumerate(block.units):
        unit_row(sheet, FIRST_DATA_ROW + position, block, unit, after)
        if block.has_lineage:
            lineage_cells(sheet, FIRST_DATA_ROW + position, unit, after + 7)
    block_layout(sheet, after, last)
    if block.has_lineage:
        sheet.column_dimensions[get_column_letter(after + 8)].width = 40


def block_title(sheet: Worksheet, block: BlockReport, year: int, last: int) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet_cell(sheet, 1, 1, f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    sheet_cell(sheet, 2, 1, f"Khối {block.code}: {block.name}")
    for row in (1, 2):
        sheet.cell(row, 1).font = Font(name=FONT, bold=True, size=13)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center")


def block_header(
    sheet: Worksheet, block: BlockReport, previous: int | None, after: int, last: int
) -> None:
    """Two rows: one title per column, the area columns grouped under a common title."""
    areas = block.areas
    n = len(areas)
    first_index = FIRST_AREA_COLUMN + n
    top, sub = HEADER_ROW, HEADER_ROW + 1
    spanning = {
        1: "Hạng",
        2: "Biểu số",
        3: "Cơ quan, đơn vị",
        after: "Tổng điểm",
        after + 1: "Điểm tối đa",
        after + 2: "Chỉ số CCHC (%)",
        after + 3: (
            f"Thay đổi thứ hạng so với năm {previous}" if previous else "Thay đổi thứ hạng"
        ),
        after + 4: "Nhóm",
        after + 5: "Xếp loại người đứng đầu",
        after + 6: "Phải kiểm điểm (lĩnh vực)",
    }
    for column, title in spanning.items():
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        sheet_cell(sheet, top, column, title)
    sheet.merge_cells(
        start_row=top, start_column=FIRST_AREA_COLUMN, end_row=top, end_column=after - n - 1
    )
    sheet_cell(sheet, top, FIRST_AREA_COLUMN, "Điểm đạt theo lĩnh vực")
    sheet.merge_cells(start_row=top, start_column=first_index, end_row=top, end_column=after - 1)
    sheet_cell(sheet, top, first_index, "Chỉ số theo lĩnh vực (%)")
    for offset, area in enumerate(areas):
        label = f"{area.code}. {area.name} ({fmt.plain_number(area.max_points)})"
        sheet_cell(sheet, sub, FIRST_AREA_COLUMN + offset, label)
        sheet_cell(sheet, sub, first_index + offset, f"{area.code}. {area.name}")
    for row in (top, sub):
        for column in range(1, after + 7):
            cell = sheet.cell(row, column)
            cell.font = Font(name=FONT, bold=True, size=10)
            cell.alignment = CENTER
            cell.fill = HEADER_FILL
            cell.border = BORDER
    sheet.row_dimensions[sub].height = 90


def unit_row(sheet: Worksheet, row: int, block: BlockReport, unit: UnitReport, after: int) -> None:
    values = [
        (unit.rank, "0"),
        (unit.code, None),
        (unit.name, None),
        *[(number(line.score, 3), POINTS_FORMAT) for line in unit.areas],
        *[(number(line.index, 2), PERCENT_FORMAT) for line in unit.areas],
        (number(unit.total, 3), POINTS_FORMAT),
        (number(unit.max_points, 3), POINTS_FORMAT),
        (number(unit.index, 2), PERCENT_FORMAT),
        (unit.rank_change, CHANGE_FORMAT),
        (fmt.band_cell(unit.band_name, unit.band, block.rules), None),
        (unit.classification_label, None),
        (", ".join(unit.self_review), None),
    ]
    for column, (value, number_format) in enumerate(values, start=1):
        cell = sheet_cell(sheet, row, column, value)
        cell.font = Font(name=FONT, size=11)
        cell.border = BORDER
        if number_format:
            cell.number_format = number_format
        if column == 3 or column == after + 5:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        else:
            cell.alignment = Alignment(
                horizontal="right" if number_format else "center", vertical="center"
            )


def lineage_header(sheet: Worksheet, block: BlockReport, first: int, last: int) -> None:
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for column, title in ((first, "Thay đổi chỉ số (điểm %)"), (first + 1, "So sánh với")):
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        sheet_cell(sheet, top, column, title)
    if block.areas:
        sheet.merge_cells(start_row=top, start_column=first + 2, end_row=top, end_column=last)
        sheet_cell(sheet, top, first + 2, "Thay đổi chỉ số theo lĩnh vực (điểm %)")
    for offset, area in enumerate(block.areas):
        sheet_cell(sheet, sub, first + 2 + offset, f"{area.code}. {area.name}")
    for row in (top, sub):
        for column in range(first, last + 1):
            cell = sheet.cell(row, column)
            cell.font = Font(name=FONT, bold=True, size=10)
            cell.alignment = CENTER
            cell.fill = HEADER_FILL
            cell.border = BORDER


def lineage_cells(sheet: Worksheet, row: int, unit: UnitReport, first: int) -> None:
    """The index change (a number, or `Đơn vị mới`), the predecessors named, area changes."""
    compared = (
        "; ".join(
            f"{p.get('name') or p.get('code')} ({p.get('year')}: {p.get('code')})"
            for p in unit.predecessors
        )
        if unit.index_change is not None
        else fmt.NEW_UNIT
    )
    values = [
        (number(unit.index_change, 2), CHANGE_POINTS_FORMAT)
        if unit.index_change is not None
        else (fmt.NEW_UNIT, None),
        (compared, None),
        *[(number(line.change, 2), CHANGE_POINTS_FORMAT) for line in unit.areas],
    ]
    for column, (value, number_format) in enumerate(values, start=first):
        cell = sheet_cell(sheet, row, column, value)
        cell.font = Font(name=FONT, size=11)
        cell.border = BORDER
        if number_format:
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="right", vertical="center")
        else:
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def block_layout(sheet: Worksheet, after: int, last: int) -> None:
    """Column widths, frozen headers, landscape A4 one page wide."""
    widths = {1: 6, 2: 7, 3: 34, after + 3: 11, after + 4: 11, after + 5: 22, after + 6: 11}
    for column in range(1, last + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 9)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, FIRST_AREA_COLUMN)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def table(sheet: Worksheet, top: int, title: str, header: list[str], rows: list[list]) -> int:
    """A titled table of (value, number format) cells from row `top`; returns the next row."""
    sheet_cell(sheet, top, 1, title).font = Font(name=FONT, bold=True, size=12)
    for column, label in enumerate(header, start=1):
        cell = sheet_cell(sheet, top + 1, column, label)
        cell.font = Font(name=FONT, bold=True, size=10)
        cell.alignment = CENTER
        cell.fill = HEADER_FILL
        cell.border = BORDER
    for offset, row in enumerate(rows, start=top + 2):
        for column, (value, number_format) in enumerate(row, start=1):
            cell = sheet_cell(sheet, offset, column, value)
            cell.font = Font(name=FONT, size=10)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=not number_format, vertical="center")
            if number_format:
                cell.number_format = number_format
    return top + len(rows) + 3


def analysis_sheet(sheet: Worksheet, block: BlockReport) -> None:
    """Where the block's points were lost, and appraisal against the units' own scores."""
    analysis = block_analysis(block)
    sheet.title = f"Phân tích {block.code}"[:31]
    sheet_cell(sheet, 1, 1, f"Phân tích kết quả – khối {block.code}: {block.name}").font = Font(
        name=FONT, bold=True, size=13
    )
    row = area_stats_table(sheet, 3, analysis)
    row = criterion_stats_table(sheet, row, block)
    self_score_table(sheet, row, analysis)
    for column, width in zip("ABCDEFGH", (8, 48, 11, 11, 11, 11, 11, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def area_stats_table(sheet: Worksheet, top: int, analysis: BlockAnalysis) -> int:
    return table(
        sheet,
        top,
        "1. Theo lĩnh vực",
        [
            "Mã",
            "Lĩnh vực",
            "Điểm tối đa",
            "Điểm bình quân",
            "Chỉ số bình quân (%)",
            "Điểm bị mất (cả khối)",
            "Tỷ lệ điểm bị mất (%)",
            "Đơn vị thấp nhất (chỉ số %)",
        ],
        [
            [
                (a.code, None),
                (a.name, None),
                (number(a.max_points, 3), POINTS_FORMAT),
                (number(a.average_score, 3), POINTS_FORMAT),
                (number(a.average_index, 2), PERCENT_FORMAT),
                (number(a.points_lost, 3), POINTS_FORMAT),
                (number(a.share_lost, 2), PERCENT_FORMAT),
                ("; ".join(f"{u.name} ({fmt.percent(i)})" for u, i in a.lowest), None),
            ]
            for a in analysis.areas
        ],
    )


def criterion_stats_table(sheet: Worksheet, top: int, block: BlockReport) -> int:
    return table(
        sheet,
        top,
        "2. Theo tiêu chí thành phần (điểm bị mất nhiều nhất trước)",
        [
            "Mã",
            "Tiêu chí thành phần",
            "Điểm tối đa",
            "Điểm bình quân",
            "Đạt (% tối đa)",
            "Số đơn vị đạt tối đa",
            "Điểm bị mất (cả khối)",
            "Đơn vị thấp nhất",
        ],
        [
            [
                (c.code, None),
                (c.name, None),
                (number(c.max_points, 3), POINTS_FORMAT),
                (number(c.average_points, 3), POINTS_FORMAT),
                (number(c.average_percent, 2), PERCENT_FORMAT),
                (c.full_marks, "0"),
                (number(c.points_lost, 3), POINTS_FORMAT),
                (", ".join(u.name for u, _points in c.lowest), None),
            ]
            for c in sorted(criterion_stats(block), key=lambda c: (-c.points_lost, c.code))
        ],
    )


def self_score_table(sheet: Worksheet, top: int, analysis: BlockAnalysis) -> int:
    return table(
        sheet,
        top,
        "3. Điểm tự chấm và điểm thẩm định (tiêu chí chấm qua tài liệu kiểm chứng)",
        [
            "Hạng",
            "Cơ quan, đơn vị",
            "Tổng điểm tự chấm",
            "Tổng điểm thẩm định",
            "Chênh lệch",
            "Thẩm định / tự chấm (%)",
        ],
        [
            [
                (g.unit.rank, "0"),
                (g.unit.name, None),
                (number(g.self_score, 3), POINTS_FORMAT),
                (number(g.appraised, 3), POINTS_FORMAT),
                (number(g.gap, 3), POINTS_FORMAT),
                (number(g.ratio, 2), PERCENT_FORMAT),
            ]
            for g in analysis.unit_gaps
        ],
    )


def sipas_sheet(sheet: Worksheet, report: YearReport) -> None:
    """Chỉ số hài lòng (DOMAIN §8): the province's and each block's pooled index, then
    each block's units by SIPAS rank, with their 95 % intervals and counted answers."""
    sheet.title = "Chỉ số hài lòng"
    sheet_cell(
        sheet,
        1,
        1,
        f"CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH NĂM {report.year.year} – "
        f"{fmt.province_title(report.province).upper()}",
    ).font = Font(name=FONT, bold=True, size=13)
    header = ["Khối", "Chỉ số hài lòng (%)", "Cận dưới 95 %", "Cận trên 95 %", "Số câu trả lời"]
    pooled = [
        [
            (name, None),
            (number(figure.index, 2), PERCENT_FORMAT),
            (number(figure.low, 2), PERCENT_FORMAT),
            (number(figure.high, 2), PERCENT_FORMAT),
            (figure.counted, "0"),
        ]
        for name, figure in [
            *[(f"{b.code}. {b.name}", b.sipas) for b in report.blocks],
            (f"Toàn {fmt.province_title(report.province)}", report.sipas),
        ]
        if figure is not None
    ]
    row = table(sheet, 3, "1. Theo khối", header, pooled)
    for position, block in enumerate(report.blocks, start=2):
        if not block.sipas_units:
            continue
        row = table(
            sheet,
            row,
            f"{position}. Khối {block.code}: {block.name}",
            ["Hạng", "Cơ quan, đơn vị", *header[1:]],
            [
                [
                    (u.sipas.rank, "0"),
                    (u.name, None),
                    (number(u.sipas.index, 2), PERCENT_FORMAT),
                    (number(u.sipas.low, 2), PERCENT_FORMAT),
                    (number(u.sipas.high, 2), PERCENT_FORMAT),
                    (u.sipas.counted, "0"),
                ]
                for u in block.sipas_units
            ],
        )
    for column, width in zip("ABCDEF", (40, 40, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def summary_xlsx(report: YearReport) -> tuple[str, str, bytes]:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for block in report.blocks:
        block_sheet(workbook.create_sheet(), block, report.year.year, report.previous_year)
    for block in report.blocks:
        analysis_sheet(workbook.create_sheet(), block)
    if report.has_sipas:
        sipas_sheet(workbook.create_sheet(), report)
    workbook.properties.title = f"Kết quả Chỉ số CCHC năm {report.year.year}"
    workbook.properties.creator = "parindex"
    buffer = BytesIO()
    workbook.save(buffer)
    return "summary.xlsx", XLSX, buffer.getvalue()
