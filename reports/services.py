"""Rendering the documents of a year into stored files, rendering again only what changed."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from criteria.models import Year

from . import documents
from .data import YearReport, computation_of, year_report
from .models import RenderedFile, rendered_path
from .report import report_document
from .spreadsheet import summary_xlsx
from .word import report_docx

Kind = RenderedFile.Kind
ZIP = "application/zip"
PRINTING_MODULES = (
    "appraisal/results.py",
    "appraisal/templatetags/appraisal_format.py",
    "kernel/pdf.py",
    "reports/analysis.py",
    "reports/data.py",
    "reports/documents.py",
    "reports/formatting.py",
    "reports/report/__init__.py",
    "reports/report/deployment.py",
    "reports/report/document.py",
    "reports/report/elements.py",
    "reports/report/remarks.py",
    "reports/report/results.py",
    "reports/report/tables.py",
    "reports/report/words.py",
    "reports/spreadsheet.py",
    "reports/templatetags/report_format.py",
    "reports/word.py",
)


@lru_cache(maxsize=1)
def presentation_digest() -> str:
    """The templates, stylesheet and fonts print the figures: a change to them is a change."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    sources = sorted((base / "templates" / "reports" / "print").glob("*.html"))
    sources += [base / "static" / "css" / "print.css"]
    sources += [base / name for name in PRINTING_MODULES]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(*parts) -> str:
    digest = hashlib.sha256(presentation_digest().encode())
    for part in parts:
        digest.update(repr(part).encode())
    return digest.hexdigest()


def _year_state(report: YearReport) -> tuple:
    year = report.year
    # str(): a Year just saved holds the enum member, whose repr differs from the loaded value.
    status = str(year.status)
    computation = report.computation
    revision = (computation.revision, computation.published_on, computation.correction_reason)
    return (
        year.year,
        status,
        year.published_on,
        documents.province_of(year),
        report.previous_year,
        revision,
    )


@dataclass(frozen=True)
class Spec:
    kind: str
    key: str
    filename: str
    digest: str


def annex_digest(report: YearReport, code: str) -> str:
    block, unit = report.unit(code)
    return _digest(_year_state(report), block.name, len(block.units), block.rules, unit)


def summary_digest(report: YearReport) -> str:
    return _digest(
        _year_state(report),
        [
            (b.code, b.name, b.rules, [(c.code, c.name, c.max_points) for c in b.areas])
            for b in report.blocks
        ],
        [
            (u.code, u.name, u.total, u.max_points, u.index, u.rank, u.rank_change, u.band)
            + (u.classification, u.self_review, [(a.score, a.index) for a in u.areas])
            # DOMAIN §8: band names, changes against predecessors, SIPAS figures
            + (u.band_name, u.index_change, u.predecessors, [a.change for a in u.areas], u.sipas)
            for u in report.units
        ],
        [b.sipas for b in report.blocks],
        report.sipas,
        # the analysis sheets: every leaf's points and the units' own scores
        [(u.code, sorted(u.leaf_points.items()), u.self_total) for u in report.units],
    )


def report_digest(report: YearReport) -> str:
    return _digest(_year_state(report), report_document(report, province=documents.PROVINCE))


def document_specs(report: YearReport) -> list[Spec]:
    """Every document of the year (the bundle aside), with what it would print."""
    specs = [
        Spec(Kind.ANNEX, unit.code, f"{unit.code}.pdf", annex_digest(report, unit.code))
        for unit in report.units
    ]
    shown = report_digest(report)
    specs += [
        Spec(Kind.SUMMARY, "", "summary.xlsx", summary_digest(report)),
        Spec(Kind.REPORT, "", "report.pdf", shown),
        Spec(Kind.REPORT_DOCX, "", "report.docx", shown),
    ]
    return specs


def stale_specs(year: Year) -> tuple[list[Spec], list[Spec]]:
    """(all documents, those whose stored file is missing or shows something else)."""
    report = year_report(year)
    specs = document_specs(report)
    stored = {
        (f.kind, f.key): f.digest
        for f in RenderedFile.objects.filter(
            year=year, revision=report.computation.revision
        ).exclude(file="")
    }
    return specs, [s for s in specs if stored.get((s.kind, s.key)) != s.digest]


def render(report: YearReport, kind: str, key: str) -> tuple[str, str, bytes]:
    if kind == Kind.ANNEX:
        return documents.annex_pdf(report, key)
    if kind == Kind.SUMMARY:
        return summary_xlsx(report)
    if kind == Kind.REPORT:
        return documents.report_pdf(report)
    if kind == Kind.REPORT_DOCX:
        return report_docx(report, province=documents.PROVINCE)
    raise ValueError(f"Không có loại tài liệu {kind}")


def spec_of(report: YearReport, kind: str, key: str) -> Spec:
    if kind == Kind.ANNEX:
        return Spec(kind, key, f"{key}.pdf", annex_digest(report, key))
    if kind == Kind.SUMMARY:
        return Spec(kind, "", "summary.xlsx", summary_digest(report))
    filename = "report.pdf" if kind == Kind.REPORT else "report.docx"
    return Spec(kind, "", filename, report_digest(report))


class _CompleteFile(File):
    """A file already whole on disk: the storage renames it into place (same directory,
    so `os.rename`, atomic) instead of writing it again."""

    def temporary_file_path(self) -> str:
        return self.name


def _write_beside(storage, name: str, content: bytes) -> Path:
    """`content` whole and synced to disk in a hidden `.part` file beside `name`."""
    directory = Path(storage.path(name)).parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{Path(name).name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return Path(temporary)


def file_store(
    *,
    year: Year,
    revision: int,
    spec: Spec,
    content_type: str,
    content: bytes,
    fingerprint: str,
    ms: int,
) -> RenderedFile:
    """Keep the new file, then drop the one it replaces.

    In one transaction, the row locked: the bytes are written and synced under a
    temporary name, renamed into place, and the row points at them. A worker killed at
    any moment leaves the row on the previous complete file (at worst an orphan `.part`
    or unreferenced file): neither the row nor a document's name ever holds a truncated
    file.
    """
    storage = RenderedFile._meta.get_field("file").storage
    stored = None
    try:
        with transaction.atomic():
            # Locked: of two renders of one document, the second replaces (and deletes)
            # the first's file instead of both replacing the same old one.
            rendered, _created = RenderedFile.objects.select_for_update().get_or_create(
                year=year,
                revision=revision,
                kind=spec.kind,
                key=spec.key,
                defaults={"filename": spec.filename},
            )
            old = rendered.file.name if rendered.file else None
            rendered.filename = spec.filename
            rendered.content_type = content_type
            rendered.digest = spec.digest
            rendered.fingerprint = fingerprint
            rendered.size = len(content)
            rendered.render_ms = ms
            temporary = _write_beside(storage, rendered_path(rendered, spec.filename), content)
            try:
                rendered.file.save(spec.filename, _CompleteFile(None, str(temporary)), save=False)
            finally:
                temporary.unlink(missing_ok=True)  # already renamed, unless that failed
            stored = rendered.file.name
            rendered.save()
    except BaseException:
        if stored is not None:
            storage.delete(stored)
        raise
    if old and old != rendered.file.name:
        transaction.on_commit(lambda: storage.delete(old))
    return rendered


def document_refresh(*, year: Year, kind: str, key: str = "") -> tuple[RenderedFile, bool]:
    """The stored file of one document, rendered now if it is missing or out of date.

    Returns the file and whether it was rendered.
    """
    if kind == Kind.ANNEX:
        if not key:
            raise ValidationError("Thiếu mã đơn vị của biểu.")
        report = year_report(year, unit_codes={key})
        try:
            report.unit(key)
        except KeyError:
            raise ValidationError(f"Năm {year.year} không có đơn vị {key}.") from None
    else:
        report = year_report(year)
    spec = spec_of(report, kind, key)
    revision = report.computation.revision
    current = RenderedFile.objects.filter(
        year=year, revision=revision, kind=kind, key=spec.key
    ).first()
    if current is not None and current.file and current.digest == spec.digest:
        return current, False
    started = time.perf_counter()
    _filename, content_type, content = render(report, kind, spec.key)
    ms = int((time.perf_counter() - started) * 1000)
    rendered = file_store(
        year=year,
        revision=revision,
        spec=spec,
        content_type=content_type,
        content=content,
        fingerprint=report.computation.fingerprint,
        ms=ms,
    )
    return rendered, True


def bundle_refresh(*, year: Year) -> tuple[RenderedFile, bool]:
    """The zip of every document, rebuilt when any of them changed (renders what is stale)."""
    specs, stale = stale_specs(year)
    for spec in stale:
        document_refresh(year=year, kind=spec.kind, key=spec.key)
    revision = computation_of(year).revision
    files = {
        (f.kind, f.key): f
        for f in RenderedFile.objects.filter(year=year, revision=revision).exclude(kind=Kind.BUNDLE)
    }
    members = [files[(s.kind, s.key)] for s in specs]
    digest = _digest("bundle", [(m.filename, m.digest) for m in members])
    current = RenderedFile.objects.filter(
        year=year, revision=revision, kind=Kind.BUNDLE, key=""
    ).first()
    if current is not None and current.file and current.digest == digest:
        return current, False
    started = time.perf_counter()
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            with member.file.open("rb") as handle:
                archive.writestr(member.filename, handle.read())
    spec = Spec(Kind.BUNDLE, "", bundle_name(year), digest)
    fingerprint = members[0].fingerprint if members else ""
    rendered = file_store(
        year=year,
        revision=revision,
        spec=spec,
        content_type=ZIP,
        content=buffer.getvalue(),
        fingerprint=fingerprint,
        ms=int((time.perf_counter() - started) * 1000),
    )
    return rendered, True


def bundle_name(year: Year) -> str:
    return f"chi-so-cchc-{year.year}.zip"
