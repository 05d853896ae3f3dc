"""A published year is frozen (DOMAIN.md §9): every write path refuses it with one message."""

from django.core.exceptions import ValidationError


def frozen_message(year_number: int) -> str:
    return f"Năm {year_number} đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."


def year_refuse_if_frozen(year) -> None:
    """Raise the one refusal of a published year; `year` is a criteria.models.Year."""
    if year.is_published:
        raise ValidationError(frozen_message(year.year), code="year_frozen")
