"""A printable blank ballot per (year, block, respondent group), as PDF (WeasyPrint).

Organisations rate every unit of a block on one sheet: a grid of units × questions whose
cells take the option code, the layout of the wide import format. Citizens rate the one
unit that served them: each question with its options to tick.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from criteria.models import Participation, Year
from kernel.ordering import unit_code_key
from kernel.pdf import PDF, STATIC_DIR, html_to_pdf

from .models import Question, RespondentGroup, SurveyPlan

FONTS = ("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf")


def blank_ballot_render(*, year: Year, block: str, group: str) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes) of the blank ballot."""
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
        key=lambda p: unit_code_key(p.unit.code),
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
    return f"phieu-{year.year}-{block}-{group}.pdf", PDF, html_to_pdf(html)
