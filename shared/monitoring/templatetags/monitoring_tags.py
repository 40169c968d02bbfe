from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()


@register.filter
def fig(value, kind: str = "count") -> str:
    """A figure as the dashboard shows it: counts with thousands separators, percentages and
    decimals with one decimal; unknown as an en dash."""
    if value is None or value == "":
        return "–"
    if kind == "percent":
        return f"{number_format(float(value), decimal_pos=1)}%"
    if kind == "decimal":
        return number_format(float(value), decimal_pos=1)
    return intcomma(int(value))


@register.filter
def delta(value, kind: str = "count") -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    magnitude = abs(value)
    if kind == "percent":
        return f"{sign}{number_format(float(magnitude), decimal_pos=1)} poin"
    if kind == "decimal":
        return f"{sign}{number_format(float(magnitude), decimal_pos=1)}"
    return f"{sign}{intcomma(int(magnitude))}"


@register.simple_tag
def sort_link(current: str, key: str) -> str:
    """The sort parameter a column header links to: ascending first, then descending."""
    return f"-{key}" if current == key else key


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
