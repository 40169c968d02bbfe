from __future__ import annotations

import functools

from django import template
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()


@functools.cache
def _separators(language: str | None) -> tuple[str, str]:
    return str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))


def number(value: float, decimals: int) -> str:
    """Grouped thousands and the language's separators (1.234,5 in Bahasa Indonesia), without
    Django's per-call format lookups: a dashboard prints a few thousand of them."""
    decimal, thousand = _separators(get_language())
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousand)


def figure(value, kind: str = "count") -> str:
    if value is None or value == "":
        return "–"
    if kind == "percent":
        return f"{number(float(value), 1)}%"
    if kind == "decimal":
        return number(float(value), 1)
    return number(int(value), 0)


@register.filter
def fig(value, kind: str = "count") -> str:
    """A figure as the dashboard shows it: counts with thousands separators, percentages and
    decimals with one decimal; unknown as an en dash."""
    return figure(value, kind)


@register.filter
def delta(value, kind: str = "count") -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    magnitude = abs(value)
    if kind == "percent":
        return f"{sign}{number(float(magnitude), 1)} poin"
    if kind == "decimal":
        return f"{sign}{number(float(magnitude), 1)}"
    return f"{sign}{number(int(magnitude), 0)}"


@register.simple_tag
def sort_link(current: str, key: str) -> str:
    """The sort parameter a column header links to: ascending first, then descending."""
    return f"-{key}" if current == key else key


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
