from decimal import Decimal

from django import template

from criteria.rules import format_decimal
from evidence.selectors import person_name
from kernel.text import size_text

register = template.Library()


@register.filter
def points(value) -> str:
    """Shortest Vietnamese form of a Decimal: 0.500 → `0,5`; None → `–`."""
    if value is None or value == "":
        return "–"
    return format_decimal(Decimal(value))


@register.filter
def filesize(size: int) -> str:
    return size_text(max(size, 1))


@register.filter
def person(user) -> str:
    return person_name(user) if user else ""
