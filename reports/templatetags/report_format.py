"""Filters for printed documents: Vietnamese decimal comma, ROUND_HALF_UP."""

from django import template

from appraisal.results import rank_change_words
from reports import formatting

register = template.Library()


@register.filter
def pts(value):
    return formatting.points(value)


@register.filter
def pct(value):
    return formatting.percent(value)


@register.filter
def plain(value):
    return formatting.plain_number(value)


@register.filter
def rank_change(value):
    return rank_change_words(value)


@register.filter
def change(value):
    """`+1,20`, `−0,35`, `0,00`; empty with nothing to compare with."""
    return formatting.change(value)
