"""The documents of a year. Each renderer returns `(filename, content_type, bytes)`."""

from __future__ import annotations

from django.conf import settings

from kernel.pdf import PDF, render_pdf

from . import formatting as fmt
from .data import YearReport
from .report import report_document

# [design] The installation's province; a year names its own (DOMAIN §8, `Year.province`).
PROVINCE = getattr(settings, "PARINDEX_PROVINCE", "Hải Dương")


def province_of(year) -> str:
    """The province or city that issues a year's documents (fallback: the setting)."""
    return fmt.province_of(year)


def annex_pdf(report: YearReport, unit_code: str) -> tuple[str, str, bytes]:
    """Biểu số <code>: the unit's whole tree, its areas, total, index, rank, band, class."""
    block, unit = report.unit(unit_code)
    province = report.province
    context = {
        "year": report.year,
        "province": province,
        "province_title": fmt.province_title(province),
        "unit_block": block,
        "unit": unit,
        "previous_year": report.previous_year,
        "band_label": (
            unit.band_name
            and f"{unit.band_name} ({fmt.band_label(unit.band, block.rules)})"
            or fmt.band_label(unit.band, block.rules)
        ),
        "has_lineage": block.has_lineage,
        "lineage": fmt.lineage_text(unit.name, unit.predecessors, unit.index_change),
        "self_review": [block.area_name(code) for code in unit.self_review],
        "draft": not report.year.is_published,
    }
    return f"{unit.code}.pdf", PDF, render_pdf("reports/print/annex.html", context)


def report_pdf(report: YearReport) -> tuple[str, str, bytes]:
    province = report.province
    doc = report_document(report, province=province)
    context = {
        "doc": doc,
        "province": province,
        "province_title": fmt.province_title(province),
        "draft": doc.draft,
        "number": "",
        "signer": "",
    }
    return "report.pdf", PDF, render_pdf("reports/print/report.html", context)


def reference_pdf() -> tuple[str, str, bytes]:
    """A one-page document through the same pipeline: the fixed cost of any render."""
    context = {"province": PROVINCE, "province_title": fmt.province_title(PROVINCE), "draft": False}
    return "reference.pdf", PDF, render_pdf("reports/print/reference.html", context)
