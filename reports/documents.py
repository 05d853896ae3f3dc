"""The documents of a year. Each renderer returns `(filename, content_type, bytes)`."""

from __future__ import annotations

from django.conf import settings

from kernel.pdf import PDF, render_pdf

from . import formatting as fmt
from .data import YearReport
from .report import report_document

# [design] The issuing province; the demo's unless the settings name another.
PROVINCE = getattr(settings, "PARINDEX_PROVINCE", "Hải Dương")


def annex_pdf(report: YearReport, unit_code: str) -> tuple[str, str, bytes]:
    """Biểu số <code>: the unit's whole tree, its areas, total, index, rank, band, class."""
    block, unit = report.unit(unit_code)
    context = {
        "year": report.year,
        "province": PROVINCE,
        "unit_block": block,
        "unit": unit,
        "previous_year": report.previous_year,
        "band_label": fmt.band_label(unit.band, block.rules),
        "self_review": [block.area_name(code) for code in unit.self_review],
        "draft": not report.year.is_published,
    }
    return f"{unit.code}.pdf", PDF, render_pdf("reports/print/annex.html", context)


def report_pdf(report: YearReport) -> tuple[str, str, bytes]:
    doc = report_document(report, province=PROVINCE)
    context = {"doc": doc, "province": PROVINCE, "draft": doc.draft, "number": "", "signer": ""}
    return "report.pdf", PDF, render_pdf("reports/print/report.html", context)


def reference_pdf() -> tuple[str, str, bytes]:
    """A one-page document through the same pipeline: the fixed cost of any render."""
    context = {"province": PROVINCE, "draft": False}
    return "reference.pdf", PDF, render_pdf("reports/print/reference.html", context)
