"""The demo's 2022 documents, rendered once for the whole package (WeasyPrint is slow)."""

import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from appraisal.results import results_document
from criteria.models import Year
from kernel.models import Job
from parindex.celery import app as celery_app
from units.models import Block, Membership, Unit


@pytest.fixture(scope="package")
def rendered(django_db_setup, django_db_blocker):
    """load_demo, then `render_reports --year 2022 --out DIR` with media in a temp dir."""
    media = Path(tempfile.mkdtemp(prefix="parindex-media-"))
    out = Path(tempfile.mkdtemp(prefix="parindex-reports-"))
    settings_override = override_settings(MEDIA_ROOT=str(media))
    settings_override.enable()
    # Runs before the per-test eager switch (tests/conftest.py): in-process jobs here too.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        call_command("render_reports", year=2022, out=str(out), stdout=open("/dev/null", "w"))
        celery_app.conf.task_always_eager = eager
        document = results_document(Year.objects.get(year=2022))
        yield {"out": out, "media": media, "results": document}
        from exchange.workbook import year_data_delete

        for year in Year.objects.all():
            year_data_delete(year=year)
        Job.objects.all().delete()
        Membership.objects.all().delete()
        get_user_model().objects.all().delete()
        Unit.objects.all().delete()
        Block.objects.all().delete()
    settings_override.disable()
    shutil.rmtree(media, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)


def pdf_text(path: Path, pages: list[int] | None = None) -> str:
    """The pages' text (all by default), whitespace collapsed so wrapped lines read as one."""
    reader = PdfReader(path)
    chosen = (
        reader.pages
        if pages is None
        else [reader.pages[i] for i in sorted({i % len(reader.pages) for i in pages})]
    )
    # The page number (at the end of a page's text) would cut lists: drop it so lists read on.
    pages = [re.sub(r"\n\s*\d+\s*$", "", page.extract_text()) for page in chosen]
    return re.sub(r"\s+", " ", " ".join(pages))


def vn(value: str) -> str:
    """A results-document figure (`91.530`) as the documents print it (`91,530`)."""
    return value.replace(".", ",")


def results_units(document: dict) -> dict[str, dict]:
    return {unit["code"]: unit for block in document["blocks"] for unit in block["units"]}


def as_decimal(value) -> Decimal:
    return Decimal(str(value))
