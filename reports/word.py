"""report.docx: the same report as the PDF, for officials to edit its narrative before
signing. Times New Roman 14, A4, NĐ 30/2020 margins; tables as Word tables."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import formatting as fmt
from .data import YearReport
from .report import Heading, Para, ReportDocument, Table, report_document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"


def set_font(run, size: float | None = None, bold=None, italic=None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def paragraph(container, text: str = "", *, size=14, bold=False, italic=False, align=None):
    para = container.add_paragraph()
    if text:
        set_font(para.add_run(text), size, bold, italic)
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(0)
    return para


def masthead(document, doc: ReportDocument, province: str) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(60), Mm(105)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(left.paragraphs[0].add_run("ỦY BAN NHÂN DÂN"), 13, bold=True)
    paragraph(
        left,
        fmt.province_title(province).upper(),
        size=13,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    paragraph(left, "–––––––", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(left, "Số:         /BC-UBND", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12.5, bold=True)
    paragraph(
        right, "Độc lập - Tự do - Hạnh phúc", size=13.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    paragraph(right, "–––––––––––––––––––––", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(right, doc.place_date, size=14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def body_element(document, element) -> None:
    if isinstance(element, Heading):
        para = paragraph(
            document,
            element.text,
            bold=element.level < 5,
            italic=element.level == 5,
            align=WD_ALIGN_PARAGRAPH.CENTER if element.level == 1 else WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        para.paragraph_format.space_before = Pt(6)
        if element.level > 1:
            para.paragraph_format.first_line_indent = Mm(10)
    elif isinstance(element, Para):
        para = document.add_paragraph()
        for text, style in element.runs:
            set_font(para.add_run(text), 14, bold=style == "b", italic=style == "i")
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        para.paragraph_format.first_line_indent = Mm(10)
        para.paragraph_format.space_after = Pt(6)
    elif isinstance(element, Table):
        word_table(document, element)


def column_widths(table: Table, columns: int, available: int) -> list[int]:
    """Each column's width in EMU: the table's own relative widths (those the PDF uses), or
    else by content, names wide and numbers narrow; they add up to `available`."""
    # Layout only (column widths in EMU, rounded to integers below), never a score.
    weights = [float(w) for w in table.widths] if len(table.widths) == columns else []
    if not weights:
        weights = [4.0] * columns
        for row in table.rows:
            for c, cell in enumerate(row[:columns]):
                cap = 10 if cell.align in ("num", "center") else 40
                weights[c] = max(weights[c], min(len(cell.text), cap))
    total = sum(weights)
    widths = [int(available * weight / total) for weight in weights]
    widths[-1] += available - sum(widths)
    return widths


def word_table(document, table: Table) -> None:
    paragraph(document, table.caption, size=12, bold=True).paragraph_format.space_before = Pt(6)
    columns = sum(cell.colspan for cell in table.header[0])
    rows = len(table.header) + len(table.rows)
    grid = document.add_table(rows=rows, cols=columns)
    grid.style = "Table Grid"
    # Word reads each cell's width, LibreOffice the table grid: both are set, and the layout
    # fixed, or LibreOffice gives every column the same width and names wrap to 8 lines.
    section = document.sections[-1]
    widths = column_widths(
        table, columns, section.page_width - section.left_margin - section.right_margin
    )
    grid.autofit = False
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    taken: set[tuple[int, int]] = set()
    for r, header_row in enumerate(table.header):
        c = 0
        for cell in header_row:
            while (r, c) in taken:
                c += 1
            target = grid.cell(r, c)
            if cell.colspan > 1 or cell.rowspan > 1:
                target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            target.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(target.paragraphs[0].add_run(cell.text), 10, bold=True)
            c += cell.colspan
    for r, row in enumerate(table.rows, start=len(table.header)):
        for c, cell in enumerate(row):
            target = grid.cell(r, c).paragraphs[0]
            if cell.align == "num":
                target.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif cell.align == "center":
                target.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(target.add_run(cell.text), 10)


def closing(document, doc: ReportDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    set_font(left.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for recipient in doc.recipients:
        paragraph(left, f"- {recipient}", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(right.paragraphs[0].add_run(doc.signature[0]), 14, bold=True)
    for line in doc.signature[1:]:
        paragraph(right, line, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def nd30_margins(section, landscape: bool = False) -> None:
    """NĐ 30/2020: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(30), Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)


def report_docx(report: YearReport, *, province: str = "") -> tuple[str, str, bytes]:
    """The report as DOCX; the province is the year's own (DOMAIN §8), `province` (the
    installation's) only for a year that names none."""
    province = report.year.province or province or report.province
    doc = report_document(report, province=province)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    nd30_margins(document.sections[0])
    masthead(document, doc, province)
    paragraph(
        document, doc.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    ).paragraph_format.space_before = Pt(12)
    paragraph(document, doc.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, "–––––––––––", align=WD_ALIGN_PARAGRAPH.CENTER)
    if doc.draft:
        paragraph(document, "DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for element in doc.body:
        body_element(document, element)
    paragraph(
        document,
        "[Phần thứ hai: nhiệm vụ và giải pháp trong thời gian tới – cơ quan soạn thảo bổ sung.]",
        italic=True,
    )
    closing(document, doc)
    for heading, elements in doc.appendix:
        section = document.add_section()
        nd30_margins(section, landscape=True)
        paragraph(document, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for element in elements:
            body_element(document, element)
    document.core_properties.title = f"{doc.title} {doc.subject}"
    document.core_properties.author = f"UBND {fmt.province_title(province)}"
    buffer = BytesIO()
    document.save(buffer)
    return "report.docx", DOCX, buffer.getvalue()
