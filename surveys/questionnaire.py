"""The questionnaire of a year: respondent groups, scales and their options, one question per
survey leaf, and the plan of ballots. Every change is refused once the year is published,
and refused where it would contradict ballots already stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from criteria.models import Criterion, Year
from criteria.phase import year_lock_for_write, year_refuse_if_frozen
from units.models import Block

from .models import Answer, Question, RespondentGroup, Scale, ScaleOption, SurveyPlan


def survey_leaf_get(*, year: Year, pk: int) -> Criterion:
    """A survey leaf of the year's criteria tree, or a ValidationError saying why not."""
    criterion = Criterion.objects.filter(year=year, pk=pk).select_related("block").first()
    if criterion is None:
        raise ValidationError(f"Tiêu chí không thuộc năm {year.year}.")
    if not criterion.is_leaf or criterion.method != Criterion.Method.SURVEY:
        raise ValidationError(
            f"Tiêu chí {criterion.code} không phải tiêu chí lá chấm qua điều tra xã hội học."
        )
    return criterion


def question_save(
    *,
    year: Year,
    criterion: Criterion,
    scale: Scale,
    groups: Iterable[RespondentGroup],
    text: str = "",
    sipas: bool = False,
) -> Question:
    """Create or change the question of a survey leaf.

    Answers already stored pin their scale (their options belong to it) and their groups.
    """
    year_refuse_if_frozen(year)
    criterion = survey_leaf_get(year=year, pk=criterion.pk)
    groups = list(groups)
    if scale.year_id != year.pk or any(group.year_id != year.pk for group in groups):
        raise ValidationError("Thang đo và nhóm đối tượng phải thuộc cùng năm với tiêu chí.")
    if not groups:
        raise ValidationError("Chọn ít nhất một nhóm đối tượng được hỏi.")
    question = Question.objects.filter(criterion=criterion).first()
    answers = Answer.objects.filter(criterion=criterion)
    if question is not None and question.scale_id != scale.pk and answers.exists():
        raise ValidationError(
            f"Tiêu chí {criterion.code} đã có {answers.count()} câu trả lời theo thang đo "
            f"'{question.scale.code}': không thể đổi thang đo."
        )
    dropped = answers.exclude(ballot__group__in=groups).values_list(
        "ballot__group__code", flat=True
    )
    dropped_codes = sorted(set(dropped))
    if dropped_codes:
        raise ValidationError(
            f"Nhóm {', '.join(dropped_codes)} đã trả lời tiêu chí {criterion.code}: không thể "
            "bỏ nhóm này khỏi câu hỏi."
        )
    with transaction.atomic():
        year_lock_for_write(year)
        if question is None:
            question = Question(criterion=criterion)
        question.scale, question.text, question.sipas = scale, text, sipas
        question.save()
        question.groups.set(groups)
    return question


def scale_options_check(options: Iterable[Mapping]) -> None:
    """A scale needs distinct option codes, coefficients in [0, 1], one counted option."""
    options = list(options)
    codes = [option["code"] for option in options]
    if len(set(codes)) != len(codes):
        raise ValidationError("Mã phương án trong một thang đo không được trùng nhau.")
    for option in options:
        if not Decimal(0) <= option["coefficient"] <= Decimal(1):
            raise ValidationError(f"Hệ số của phương án {option['code']} phải từ 0 đến 1.")
    if not any(option.get("counted", True) for option in options):
        raise ValidationError("Thang đo cần ít nhất một phương án được tính.")


def scale_option_delete_check(option: ScaleOption) -> None:
    used = Answer.objects.filter(option=option).count()
    if used:
        raise ValidationError(
            f"Phương án {option.code} đã được chọn trong {used} câu trả lời: không thể xóa."
        )


def survey_plan_save(
    *,
    year: Year,
    plan: Mapping[str, Mapping[str, int]],
    one_unit_groups: Iterable[str] = (),
) -> list[SurveyPlan]:
    """Store the ballots planned per (block, group), e.g. DOMAIN §3's 2022 counts.

    `plan`: block code → group code → planned ballots; groups in `one_unit_groups` rate
    one unit per ballot (citizens), the others every unit of the block. Replaces the
    year's plan; idempotent.
    """
    blocks = {block.code: block for block in Block.objects.filter(code__in=plan)}
    groups = {group.code: group for group in RespondentGroup.objects.filter(year=year)}
    one_unit = set(one_unit_groups)
    missing = sorted(
        {f"khối {code}" for code in plan if code not in blocks}
        | {
            f"nhóm {group}"
            for by_group in plan.values()
            for group in by_group
            if group not in groups
        }
    )
    if missing:
        raise ValidationError(
            f"Kế hoạch phát phiếu năm {year.year}: không có {', '.join(missing)}."
        )
    with transaction.atomic():
        year_lock_for_write(year)
        SurveyPlan.objects.filter(year=year).delete()
        return SurveyPlan.objects.bulk_create(
            SurveyPlan(
                year=year,
                block=blocks[block],
                group=groups[group],
                planned=planned,
                rates_every_unit=group not in one_unit,
            )
            for block, by_group in plan.items()
            for group, planned in by_group.items()
        )
