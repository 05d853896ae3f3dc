"""A printable blank ballot per (year, block, respondent group), as PDF (WeasyPrint).

Organisations rate every unit of a block on one sheet: a grid of units × questions whose
cells take the option code, the layout of the wide import format. Citizens rate the one
unit that served them: each question with its options to tick.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from criteria.models import Participation, Year

from .models import Question, RespondentGroup, SurveyPlan
from .tallies import code_key

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()
FONTS = ("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf")


def static_only_fetcher():
    """A fetcher serving `file:` URLs inside static/ only: a typed question cannot make
    the renderer fetch anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(STATIC_DIR) or not path.is_file():
                raise ValueError(f"Chỉ tải được tệp tĩnh của hệ thống: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnly()


def blank_ballot_render(*, year: Year, block: str, group: str) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes) of the blank ballot."""
    from weasyprint import HTML

    group_obj = RespondentGroup.objects.filter(year=year, code=group).first()
    if group_obj is None:
        raise ValidationError(f"Không có nhóm đối tượng '{group}' trong năm {year.year}.")
    questions = list(
        Question.objects.filter(
            criterion__year=year, criterion__block__code=block, groups=group_obj
        )
        .select_related("criterion", "scale")
        .prefetch_related("scale__options")
        .order_by("criterion__sort_key")
    )
    if not questions:
        raise ValidationError(f"Nhóm '{group}' không được hỏi câu nào về khối {block}.")
    plan = SurveyPlan.objects.filter(year=year, block__code=block, group=group_obj).first()
    units = sorted(
        Participation.objects.filter(year=year, block__code=block).select_related("unit", "block"),
        key=lambda p: code_key(p.unit.code),
    )
    scales = {question.scale_id: question.scale for question in questions}
    html = render_to_string(
        "surveys/blank_ballot.html",
        {
            "year": year,
            "block": units[0].block if units else None,
            "block_code": block,
            "group": group_obj,
            "questions": questions,
            "scales": list(scales.values()),
            "every_unit": plan.rates_every_unit if plan else True,
            "units": units,
            "fonts": all((STATIC_DIR / "fonts" / name).is_file() for name in FONTS),
        },
    )
    pdf = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher()
    ).write_pdf()
    return f"phieu-{year.year}-{block}-{group}.pdf", "application/pdf", pdf
