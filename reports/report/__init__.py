"""The report (Báo cáo kết quả đánh giá, xác định Chỉ số CCHC) as a list of elements.

The text is generated from the results, so the PDF and the DOCX say the same thing and a
unit can appear in one band only. Section numbering follows report 27/BC-UBND (2023):
`deployment` (parts I and II), `results` (III and IV), `remarks` (V), `tables` (the
tables, the appendix's included); `document` puts them together.
"""

from .document import report_document
from .elements import Cell, Heading, Para, ReportDocument, Table

__all__ = ["Cell", "Heading", "Para", "ReportDocument", "Table", "report_document"]
