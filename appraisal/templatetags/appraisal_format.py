from django import template
from django.utils.html import format_html

from appraisal.lineage import display_change
from appraisal.results import rank_change_words

register = template.Library()


@register.filter
def vi_name(user) -> str:
    """Vietnamese order: family and middle names, then the given name (Lê Thu Hà)."""
    if user is None:
        return "–"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.username


@register.filter
def rank_change(change: int | None) -> str:
    """The wording of `rank_change_words`, a move up or down marked for the page's colours."""
    words = rank_change_words(change)
    if change is None or change == 0:
        return words
    return format_html('<span class="{}">{}</span>', "up" if change > 0 else "down", words)


@register.filter
def points_change(value) -> str:
    """A change in percentage points as pages write it: `+1,20`, `−0,35`, `0,00`;
    `–` with nothing to compare with."""
    text = display_change(value, 2, signed=True)
    if text is None:
        return "–"
    return text.replace("-", "−").replace(".", ",")


@register.filter
def thousands(value) -> str:
    """`23.105`: a count with the Vietnamese thousands dot."""
    if value is None or value == "":
        return "0"
    return f"{int(value):,}".replace(",", ".")
