"""report.docx's tables as Word and LibreOffice Writer lay them out (issue 13 item 10):
names wide, numbers narrow, in the table grid LibreOffice reads and in each cell Word reads.
(A renderer test: it belongs with tests/reports, which this task does not own.)"""

from docx import Document
from docx.oxml.ns import qn

from reports.report.elements import Cell, Table
from reports.word import nd30_margins, word_table


def ranking(widths=()) -> Table:
    return Table(
        caption="Bảng 1. Chỉ số CCHC năm 2022",
        header=[[Cell("STT"), Cell("Đơn vị"), Cell("Chỉ số (%)"), Cell("Xếp hạng")]],
        rows=[
            [
                Cell(str(n), align="center"),
                Cell("Sở Nông nghiệp và Phát triển nông thôn"),
                Cell("91,23", align="num"),
                Cell(str(n), align="center"),
            ]
            for n in range(1, 4)
        ],
        widths=list(widths),
    )


def grid_mm(document) -> list[int]:
    table = document.tables[-1]
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    columns = [round(c.w.mm) for c in table._tbl.tblGrid.gridCol_lst]
    cells = [round(cell.width.mm) for cell in table.rows[1].cells]
    assert cells == columns  # Word's widths and LibreOffice's agree
    return columns


def test_names_are_wide_and_numbers_narrow_filling_the_portrait_page():
    document = Document()
    nd30_margins(document.sections[0])
    word_table(document, ranking())
    number, name, index, rank = grid_mm(document)
    assert name > 3 * index and index >= number == rank
    assert 164 <= number + name + index + rank <= 165  # 210 mm less the NĐ 30 margins


def test_the_tables_own_relative_widths_are_kept_on_a_landscape_page():
    document = Document()
    nd30_margins(document.sections[0], landscape=True)
    word_table(document, ranking(widths=[1, 6, 2, 1]))
    assert grid_mm(document) == [26, 154, 51, 26]
